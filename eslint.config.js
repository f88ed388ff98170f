// ESLint flat config: typescript-eslint with type information, plus Tessera's import boundaries.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'src/gen/**', 'examples/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The placement core is pure: it reads a topology snapshot and returns a plan.
    // It may not reach for the network, the store or wire types (STYLE.md, rule 3).
    files: ['src/scheduler/placement/**/*.ts', 'src/scheduler/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['@grpc/*'], message: 'Placement is pure: no gRPC here.' },
          { group: ['etcd3'], message: 'Placement is pure: no etcd here; the store commits plans.' },
          { group: ['**/gen/**'], message: 'Placement works on domain types; wire types stay in convert.ts.' },
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
