/**
 * Environment variables that change which program runs or what it loads: the dynamic loader's
 * (LD_PRELOAD, DYLD_INSERT_LIBRARIES), the program lookup (PATH), shells' start-up files
 * (BASH_ENV, ENV), and interpreters' and DCCs' own start-up code and module paths. A batch file or
 * a file dropped into a watch folder that sets one runs code of its author's choosing inside any
 * render, so they are refused there unless the user allows them (setting security.allowRiskyEnv).
 */
const RISKY_NAMES = new Set([
  'PATH',
  'BASH_ENV',
  'ENV',
  'SHELLOPTS',
  'BASHOPTS',
  'PS4',
  'IFS',
  'CDPATH',
  'GCONV_PATH',
  'HOSTALIASES',
  'NODE_OPTIONS',
  'NODE_PATH',
  'PERL5LIB',
  'PERL5OPT',
  'PERLLIB',
  'RUBYOPT',
  'RUBYLIB',
  'JAVA_TOOL_OPTIONS',
  '_JAVA_OPTIONS',
  'JDK_JAVA_OPTIONS',
  'CLASSPATH',
  'LUA_PATH',
  'LUA_CPATH',
  'TCLLIBPATH',
  'BLENDER_USER_SCRIPTS',
  'BLENDER_SYSTEM_SCRIPTS',
  'BLENDER_USER_CONFIG',
  'BLENDER_SYSTEM_PYTHON',
  'MAYA_SCRIPT_PATH',
  'MAYA_PLUG_IN_PATH',
  'MAYA_MODULE_PATH',
  'HOUDINI_PATH',
  'HOUDINI_SCRIPT_PATH',
  'NUKE_PATH',
]);

/** Whole families: every loader and Python start-up knob (PYTHONPATH, PYTHONSTARTUP, PYTHONHOME…). */
const RISKY_PREFIXES = ['LD_', 'DYLD_', 'PYTHON'];

/** Windows compares variable names without case (`Path`), so the check does too. */
export function isRiskyEnvName(name: string): boolean {
  const upper = name.toUpperCase();
  return RISKY_NAMES.has(upper) || RISKY_PREFIXES.some((prefix) => upper.startsWith(prefix));
}

/** The risky names an environment override sets, in its order. */
export function riskyEnvNames(env: Readonly<Record<string, string>> | undefined): string[] {
  return Object.keys(env ?? {}).filter(isRiskyEnvName);
}

export function riskyEnvMessage(name: string, where: string): string {
  return `${name} changes what a render runs or loads, so ${where} may not set it (allow it in Settings → Security: security.allowRiskyEnv)`;
}
