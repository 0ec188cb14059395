/**
 * Where DCCs install, per OS: data only, in the shape of GitHub Desktop's editor tables
 * (app/src/lib/editors/{win32,darwin,linux}.ts). dcc-discovery.ts is the one lookup over them.
 *
 * Patterns use `/`; `*` matches within one path segment (case-insensitively, as the Windows and
 * macOS file systems do); `{ProgramFiles}` and `{ProgramData}` come from the environment.
 * Source keys are those of shared/reference/dcc-cli.md; UNVERIFIED marks a path no primary
 * source confirmed (it costs a readdir when absent, nothing more).
 */

export type DccPlatform = 'win32' | 'darwin' | 'linux';

export interface DccProduct {
  /** The adapter id a job names (`spool submit --dcc`). */
  dcc: string;
  product: string;
  /** Tells apart several executables of one product in labels (`husk`, `hython`). */
  role?: string;
  /**
   * The DCC's own version flag, only where a source confirms it and it opens no window:
   * `args` are run (no shell, stdin closed, with a timeout) and `pattern` reads stdout+stderr.
   * Absent: the version comes from the install path, and nothing is run.
   */
  probe?: { args: string[]; pattern: RegExp };
  /** The version in an install path (`/opt/hfs20.5.370/bin/husk` → 20.5.370). */
  pathVersion?: RegExp;
}

export interface DccLocation {
  dcc: string;
  /** Names looked up on PATH (PATHEXT is added on Windows). */
  executables: string[];
  /** Standard install paths of the executable itself. */
  paths: string[];
}

export const DCC_PRODUCTS: readonly DccProduct[] = [
  {
    dcc: 'blender',
    product: 'Blender',
    // FL, BM `-v`; Debian's 3.4.1 here prints exactly `Blender 3.4.1`.
    probe: { args: ['--version'], pattern: /^Blender (\d+\.\d+(?:\.\d+)?)/m },
    pathVersion: /blender[ -]?(\d+\.\d+(?:\.\d+)?)/i,
  },
  // Maya: no version flag of `Render` is documented [MD]; the folder is maya<year>.
  { dcc: 'maya', product: 'Maya', pathVersion: /maya(\d{4}(?:\.\d+)?)/i },
  // `husk --version` prints the renderer's version string [HK]; a log shows `husk version 19.5.569`
  // (deadline-cloud-for-houdini PR 141). The folder name holds the full version too.
  {
    dcc: 'houdini-husk',
    product: 'Houdini',
    role: 'husk',
    probe: { args: ['--version'], pattern: /husk version (\d+\.\d+(?:\.\d+)?)/i },
    pathVersion: /(?:hfs|houdini ?)(\d+\.\d+(?:\.\d+)?)/i,
  },
  // `hython --version` reports its Python, not Houdini (a public test script parses it as such).
  { dcc: 'houdini-hython', product: 'Houdini', role: 'hython', pathVersion: /(?:hfs|houdini ?)(\d+\.\d+(?:\.\d+)?)/i },
  // Nuke has no verified version flag; the folder is Nuke15.1v2 [DL Nuke.param].
  { dcc: 'nuke', product: 'Nuke', pathVersion: /nuke(\d+\.\d+(?:v\d+)?)/i },
  { dcc: 'cinema4d', product: 'Cinema 4D', pathVersion: /(?:cinema ?4d ?r?|cinema4dr?)(\d+(?:\.\d+)*)/i },
  { dcc: '3dsmax', product: '3ds Max', pathVersion: /3ds max (\d{4})/i },
  // `kick` with no arguments prints a banner [AK], but that is not a version flag; MtoA folders
  // carry the Maya year, not Arnold's version, so only an Arnold SDK folder gives one.
  { dcc: 'kick', product: 'Arnold kick', pathVersion: /arnold-(\d+\.\d+\.\d+(?:\.\d+)?)/i },
  {
    dcc: 'vray',
    product: 'V-Ray Standalone',
    probe: { args: ['-version'], pattern: /V-Ray\D*?(\d+\.\d+(?:\.\d+)*)/i }, // VR lists -version
  },
  { dcc: 'redshift', product: 'Redshift', pathVersion: /redshift[ _-]?(\d+\.\d+(?:\.\d+)*)/i },
  {
    dcc: 'povray',
    product: 'POV-Ray',
    // Debian's build prints `POV-Ray 3.7.0.10.unofficial` on stderr (checked here).
    probe: { args: ['--version'], pattern: /POV-Ray (\d+(?:\.\d+)+)/ },
  },
];

const WIN32: readonly DccLocation[] = [
  // DL Blender.param had `…\Blender Foundation\Blender\blender.exe`; installers add the version.
  { dcc: 'blender', executables: ['blender'], paths: ['{ProgramFiles}/Blender Foundation/Blender*/blender.exe'] },
  { dcc: 'maya', executables: ['Render'], paths: ['{ProgramFiles}/Autodesk/Maya*/bin/Render.exe'] }, // MP, DL
  {
    dcc: 'houdini-husk',
    executables: ['husk'],
    paths: ['{ProgramFiles}/Side Effects Software/Houdini */bin/husk.exe'], // DL Houdini.param
  },
  {
    dcc: 'houdini-hython',
    executables: ['hython'],
    paths: ['{ProgramFiles}/Side Effects Software/Houdini */bin/hython.exe'], // DL Houdini.param
  },
  { dcc: 'nuke', executables: ['Nuke'], paths: ['{ProgramFiles}/Nuke*/Nuke*.exe'] }, // DL Nuke.param
  {
    dcc: 'cinema4d',
    executables: ['Commandline'],
    paths: [
      '{ProgramFiles}/MAXON/CINEMA 4D */Commandline.exe', // DL Cinema4D.param
      '{ProgramFiles}/Maxon Cinema 4D */Commandline.exe', // DC-cinema-4d adaptor comment
    ],
  },
  { dcc: '3dsmax', executables: ['3dsmaxcmd'], paths: ['{ProgramFiles}/Autodesk/3ds Max */3dsmaxcmd.exe'] }, // DL 3dsCmd.param
  { dcc: 'kick', executables: ['kick'], paths: ['{ProgramFiles}/Autodesk/Arnold/maya*/bin/kick.exe'] }, // UNVERIFIED (MtoA default)
  {
    dcc: 'vray',
    executables: ['vray'],
    paths: ['{ProgramFiles}/Chaos Group/V-Ray/Standalone for x64/bin/x64/vc14/vray.exe'], // DL Vray.param
  },
  {
    dcc: 'redshift',
    executables: ['redshiftCmdLine'],
    paths: [
      '{ProgramData}/Redshift/bin/redshiftCmdLine.exe', // DL Redshift.param
      '{ProgramFiles}/Maxon Cinema 4D */Redshift/bin/redshiftCmdLine.exe', // UNVERIFIED: C4D 2025 bundle (deadline-cloud-samples names RedshiftData)
    ],
  },
  // POV-Ray for Windows is a GUI (pvengine): never started by Spool, so only a `povray` on PATH counts.
  { dcc: 'povray', executables: ['povray'], paths: [] },
];

const DARWIN: readonly DccLocation[] = [
  {
    dcc: 'blender',
    executables: ['blender'],
    paths: ['/Applications/Blender.app/Contents/MacOS/Blender', '/Applications/Blender*.app/Contents/MacOS/Blender'], // FL darwin.go
  },
  { dcc: 'maya', executables: ['Render'], paths: ['/Applications/Autodesk/maya*/Maya.app/Contents/bin/Render'] }, // MP
  {
    dcc: 'houdini-husk',
    executables: ['husk'],
    paths: ['/Applications/Houdini/Houdini*/Frameworks/Houdini.framework/Versions/Current/Resources/bin/husk'], // DL (hython's folder)
  },
  {
    dcc: 'houdini-hython',
    executables: ['hython'],
    paths: ['/Applications/Houdini/Houdini*/Frameworks/Houdini.framework/Versions/Current/Resources/bin/hython'], // DL Houdini.param
  },
  { dcc: 'nuke', executables: ['Nuke'], paths: ['/Applications/Nuke*/Nuke*.app/Contents/MacOS/Nuke*'] }, // DL Nuke.param
  {
    dcc: 'cinema4d',
    executables: ['Commandline'],
    paths: ['/Applications/Maxon Cinema 4D */Commandline.app/Contents/MacOS/Commandline'], // DL Cinema4D.param
  },
  { dcc: '3dsmax', executables: [], paths: [] }, // Windows only [DL]
  { dcc: 'kick', executables: ['kick'], paths: ['/Applications/Autodesk/Arnold/mtoa/*/bin/kick'] }, // UNVERIFIED (MtoA default)
  { dcc: 'vray', executables: ['vray'], paths: [] },
  { dcc: 'redshift', executables: ['redshiftCmdLine'], paths: [] },
  { dcc: 'povray', executables: ['povray'], paths: ['/opt/homebrew/bin/povray', '/usr/local/bin/povray'] },
];

const LINUX: readonly DccLocation[] = [
  {
    dcc: 'blender',
    executables: ['blender'],
    paths: ['/usr/bin/blender', '/snap/bin/blender', '/opt/blender*/blender'], // Debian; snap; release tarballs
  },
  { dcc: 'maya', executables: ['Render'], paths: ['/usr/autodesk/maya*/bin/Render'] }, // MP, DL MayaCmd.param
  { dcc: 'houdini-husk', executables: ['husk'], paths: ['/opt/hfs*/bin/husk'] }, // DL Houdini.param (hython's folder)
  { dcc: 'houdini-hython', executables: ['hython'], paths: ['/opt/hfs*/bin/hython'] }, // DL Houdini.param
  { dcc: 'nuke', executables: ['Nuke', 'nuke'], paths: ['/usr/local/Nuke*/Nuke*'] }, // DL Nuke.param
  // DC-cinema-4d: Linux installs under /opt/maxon/cinema4dr2024.200/bin and need its env setup
  // first; the Commandline name in that folder is UNVERIFIED.
  { dcc: 'cinema4d', executables: ['Commandline'], paths: ['/opt/maxon/cinema4d*/bin/Commandline'] },
  { dcc: '3dsmax', executables: [], paths: [] }, // Windows only [DL]
  {
    dcc: 'kick',
    executables: ['kick'],
    paths: ['/opt/solidangle/mtoa/*/bin/kick', '/opt/autodesk/arnold/maya*/bin/kick'], // DL Arnold.param; second UNVERIFIED
  },
  {
    dcc: 'vray',
    executables: ['vray'],
    paths: ['/usr/ChaosGroup/V-Ray/Standalone_for_linux_x64/bin/linux_x64/gcc-4.6/vray'], // DL Vray.param
  },
  { dcc: 'redshift', executables: ['redshiftCmdLine'], paths: ['/usr/redshift/bin/redshiftCmdLine'] }, // DL Redshift.param
  { dcc: 'povray', executables: ['povray'], paths: ['/usr/bin/povray'] }, // Debian package `povray`
];

export const DCC_LOCATIONS: Readonly<Record<DccPlatform, readonly DccLocation[]>> = {
  win32: WIN32,
  darwin: DARWIN,
  linux: LINUX,
};

/** Folders that `{Name}` stands for when the environment does not say. */
export const WINDOWS_FOLDER_DEFAULTS: Readonly<Record<string, string>> = {
  ProgramFiles: 'C:/Program Files',
  ProgramData: 'C:/ProgramData',
};

export function dccPlatform(platform: NodeJS.Platform): DccPlatform {
  return platform === 'win32' || platform === 'darwin' ? platform : 'linux';
}

export function productOf(dcc: string): DccProduct | undefined {
  return DCC_PRODUCTS.find((p) => p.dcc === dcc);
}
