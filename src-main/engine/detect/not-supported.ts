import type { DetectSpec } from '../adapters/descriptor';

/**
 * Programs detection recognises but Spool cannot render with yet: no adapter runs them. They are
 * listed as "found, not supported yet", never offered as a DCC. V-Ray and Redshift standalone are
 * renderers whose scenes Spool renders through a DCC (a descriptor's `renderers`), so their ids
 * are the renderer names there.
 */
export interface NotSupportedProgram {
  id: string;
  executables: string[];
  detect: DetectSpec;
}

export const NOT_SUPPORTED: readonly NotSupportedProgram[] = [
  {
    id: 'vray',
    executables: ['vray'],
    detect: {
      product: 'V-Ray Standalone',
      paths: {
        win32: ['{ProgramFiles}/Chaos Group/V-Ray/Standalone for x64/bin/x64/vc14/vray.exe'], // DL Vray.param
        darwin: [],
        linux: ['/usr/ChaosGroup/V-Ray/Standalone_for_linux_x64/bin/linux_x64/gcc-4.6/vray'], // DL Vray.param
      },
      probe: { args: ['-version'], pattern: /V-Ray\D*?(\d+\.\d+(?:\.\d+)*)/i }, // VR lists -version
    },
  },
  {
    id: 'redshift',
    executables: ['redshiftCmdLine'],
    detect: {
      product: 'Redshift',
      paths: {
        win32: [
          '{ProgramData}/Redshift/bin/redshiftCmdLine.exe', // DL Redshift.param
          '{ProgramFiles}/Maxon Cinema 4D */Redshift/bin/redshiftCmdLine.exe', // UNVERIFIED: C4D 2025 bundle (deadline-cloud-samples names RedshiftData)
        ],
        darwin: [],
        linux: ['/usr/redshift/bin/redshiftCmdLine'], // DL Redshift.param
      },
      pathVersion: /redshift[ _-]?(\d+\.\d+(?:\.\d+)*)/i,
    },
  },
];
