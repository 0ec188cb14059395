// Lint = the layering rules of DESIGN.md plus "no shell, ever". The layering is stated once here:
// engine (plain Node) ← electron / server / cli; renderer (browser only); the contract imported by all.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['fs', 'path', 'os', 'child_process', 'crypto', 'http', 'net', 'events', 'stream', 'util', 'url', 'worker_threads'];

const SHELL = 'Never run children through a shell: pass an argv array.';
const CHILD_PROCESS = /^(node:)?child_process$/.source;
const shellSelectors = [
  // Any `shell` option but a literal false: true, 'bash', a variable, `{ shell }`, a quoted key.
  { selector: "Property[key.name='shell']:not([value.value=false])", message: SHELL },
  { selector: "Property[key.value='shell']:not([value.value=false])", message: SHELL },
  // exec/execSync are banned by name; a namespace, default, require() or import() of
  // child_process would reach them as cp.exec(…) past that ban.
  { selector: `ImportDeclaration[source.value=/${CHILD_PROCESS}/] > ImportNamespaceSpecifier`, message: 'Import child_process functions by name (so exec stays banned): import { spawn } from …' },
  { selector: `ImportDeclaration[source.value=/${CHILD_PROCESS}/] > ImportDefaultSpecifier`, message: 'Import child_process functions by name (so exec stays banned): import { spawn } from …' },
  { selector: `CallExpression[callee.name='require'][arguments.0.value=/${CHILD_PROCESS}/]`, message: 'Import child_process functions by name (so exec stays banned): import { spawn } from …' },
  { selector: `ImportExpression[source.value=/${CHILD_PROCESS}/]`, message: 'Import child_process functions by name (so exec stays banned): import { spawn } from …' },
];
// A shell as the program is a shell all the same: spawn('sh', ['-c', cmd]), execa('bash', ['-lc', cmd]), cmd.exe /c.
// (esquery regexes cannot hold a slash: \x2F stands for it.)
const shellProgramSelector = {
  selector:
    'CallExpression[arguments.0.value=/(?:^|[\\x2F\\x5C])(?:(?:ba|da|z|k|c|tc|fi)?sh|cmd|powershell|pwsh)(?:\\.exe)?$/i][arguments.1.elements.0.value=/^(?:-[a-z]*c[a-z]*|\\x2Fc|-command)$/i]',
  message: SHELL,
};

const noShell = {
  'no-restricted-syntax': ['error', ...shellSelectors, shellProgramSelector],
};

const childProcessBans = [
  { name: 'child_process', importNames: ['exec', 'execSync'], message: 'exec runs a shell: use execFile/spawn with an argv array (or execa).' },
  { name: 'node:child_process', importNames: ['exec', 'execSync'], message: 'exec runs a shell: use execFile/spawn with an argv array (or execa).' },
  { name: 'execa', importNames: ['execaCommand', 'execaCommandSync', '$'], message: 'String commands are split or shelled: pass an argv array to execa().' },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'release/**', 'native/**', 'coverage/**', 'e2e/screenshots/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', queueMicrotask: 'readonly', fetch: 'readonly', AbortController: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', performance: 'readonly', structuredClone: 'readonly' } },
    rules: {
      ...noShell,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': ['error', { paths: childProcessBans }],
    },
  },
  {
    files: ['src-main/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...childProcessBans, { name: 'electron', message: 'The engine runs in plain Node: no electron here (DESIGN.md layering).' }],
          patterns: [
            { group: ['**/electron/**', '**/server/**', '**/cli/**', '**/api/**'], message: 'The engine must not import its faces (DESIGN.md layering).' },
            { group: ['**/src-renderer/**', 'react', 'react-dom', 'zustand'], message: 'The engine must not import the renderer.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/server/**/*.ts', 'src-main/cli/**/*.ts', 'src-main/api/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...childProcessBans, { name: 'electron', message: 'Only src-main/electron may import electron.' }],
          patterns: [{ group: ['**/src-renderer/**'], message: 'Main code must not import the renderer.' }],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', navigator: 'readonly', localStorage: 'readonly', requestAnimationFrame: 'readonly', cancelAnimationFrame: 'readonly', WebSocket: 'readonly', history: 'readonly', location: 'readonly' } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...NODE_BUILTINS.flatMap((name) => [
              { name, message: 'The renderer runs in a browser: no Node modules.' },
              { name: `node:${name}`, message: 'The renderer runs in a browser: no Node modules.' },
            ]),
            { name: 'electron', message: 'The renderer talks to main only through the bridge (window.spool).' },
            { name: 'better-sqlite3', message: 'The renderer never touches the store.' },
            { name: 'execa', message: 'The renderer never runs processes.' },
          ],
          patterns: [
            {
              regex: 'src-main/(?!engine/types$|engine/limits$|engine/frames$|engine/frames/[a-z-]+$|engine/lifecycle$|engine/lifecycle/[a-z-]+$)',
              message: 'The renderer may import only the contract, engine/types, engine/limits, the pure engine/frames parser and the pure lifecycle rules.',
            },
            { group: ['node:*'], message: 'The renderer runs in a browser: no Node modules.' },
          ],
        },
      ],
    },
  },
  {
    // The store has no public handle: engine and faces go through its repositories.
    files: ['src-main/**/*.ts', 'src-preload/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...shellSelectors,
        shellProgramSelector,
        { selector: "MemberExpression[property.name='rawHandleForTests']", message: 'rawHandleForTests is for tests and benchmarks: use the store repositories.' },
      ],
    },
  },
  {
    // Faces reach the engine only through its API (DESIGN.md): never its store.
    files: ['src-main/cli/**/*.ts', 'src-main/server/**/*.ts', 'src-main/api/**/*.ts', 'src-main/electron/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...shellSelectors,
        shellProgramSelector,
        { selector: "MemberExpression[property.name='rawHandleForTests']", message: 'rawHandleForTests is for tests and benchmarks: use the store repositories.' },
        { selector: "MemberExpression[property.name='store']", message: 'Faces reach the engine only through its API (QueueClient), never its store.' },
      ],
    },
  },
  {
    // The lifecycle rules are pure so the renderer can use them too (actions, final statuses).
    files: ['src-main/engine/lifecycle/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...childProcessBans,
            { name: 'electron', message: 'The engine runs in plain Node: no electron here (DESIGN.md layering).' },
            ...NODE_BUILTINS.flatMap((name) => [name, `node:${name}`]).map((name) => ({ name, message: 'The lifecycle is pure: the renderer imports it too.' })),
          ],
          patterns: [
            { group: ['node:*', '**/store/**', '**/supervisor/**', '**/runner/**', '**/executors/**'], message: 'The lifecycle is pure: it decides, others store and run.' },
            { group: ['**/electron/**', '**/server/**', '**/cli/**', '**/api/**', '**/src-renderer/**', 'react', 'react-dom', 'zustand'], message: 'The engine must not import its faces or the renderer.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src-preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'zod', message: 'The sandboxed preload stays tiny: validation happens in main.' }],
          patterns: [{ regex: 'src-main/(?!engine/types$|engine/job-input$)', message: 'The preload exposes the contract only.' }],
        },
      ],
    },
  },
  {
    // Benchmarks time Spool against shell pipelines (xargs, parallel) on purpose: a shell as the
    // program is allowed there, the rest of "no shell" is not.
    files: ['bench/**/*.{ts,mjs}', 'scripts/bench.mjs'],
    rules: { 'no-restricted-syntax': ['error', ...shellSelectors] },
  },
  {
    files: ['test/fixtures/**/*.mjs', 'scripts/**/*.mjs', 'bench/**/*.mjs', 'bin/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', clearTimeout: 'readonly', URL: 'readonly' } },
  },
);
