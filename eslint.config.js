// ESLint flat config: typescript-eslint with type information, plus Tessera's import boundaries.
import tseslint from 'typescript-eslint';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

const noGrpc = { group: ['@grpc/*'], message: 'The scheduling core is pure: no gRPC here; the server moves bytes.' };
const noEtcd = { group: ['etcd3'], message: 'The scheduling core is pure: no etcd here; it reaches the store through src/store interfaces.' };
const noGen = { group: ['**/gen/**'], message: 'Wire types stay at the edge: convert with src/wire and work on domain types.' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'src/gen/**', 'examples/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    settings: {
      // Tessera's ESM imports name the emitted .js file; the linter follows them to the .ts source.
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js'], extensionAlias: { '.js': ['.ts', '.js'] } })],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // A cycle hides which part needs which (STYLE.md, rule 14); type-only imports do not count.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // Generated wire types are read by src/wire and by the gRPC edge only (STYLE.md, rule 4).
    files: ['src/**/*.ts'],
    ignores: [
      'src/wire/**',
      'src/common/grpc.ts',
      'src/scheduler/agent-service.ts',
      'src/scheduler/agent-session.ts',
      'src/scheduler/agent-sessions.ts',
      'src/scheduler/agent-inbox.ts',
      'src/gateway/*.ts',
      'src/agent/agent.ts',
      'src/cli/**',
    ],
    rules: { 'no-restricted-imports': ['error', { patterns: [noGen] }] },
  },
  {
    // Jobs and trust decide from domain types and reach etcd only through src/store (STYLE.md, rule 3).
    files: ['src/scheduler/jobs/**/*.ts', 'src/scheduler/trust/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noGrpc, noEtcd, noGen] }] },
  },
  {
    // The placement core is pure: it reads a topology snapshot and returns a plan.
    // It may not reach for the network, the store or wire types (STYLE.md, rule 3).
    files: ['src/scheduler/placement/**/*.ts', 'src/scheduler/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          noGrpc,
          noEtcd,
          noGen,
          { group: ['**/store/**'], message: 'Placement reads a snapshot; it does not touch the store.' },
        ],
      }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
