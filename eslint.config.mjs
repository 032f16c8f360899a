// ESLint flat config: eslint's and typescript-eslint's recommended rules, jest's for the test files.
// Formatting is Prettier's job (`npm run lint` runs both), so no stylistic rules here.
import js from '@eslint/js'
import jest from 'eslint-plugin-jest'
import { defineConfig, globalIgnores } from 'eslint/config'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default defineConfig(
  globalIgnores(['dist/', 'coverage/', '.cache/', 'bench/results/', '__tests__/fixtures/', 'migrations-example/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // A leading underscore marks a parameter a callback signature imposes but the body does not use.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }]
    }
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: { globals: globals.node }
  },
  {
    // jest loads reporters with require().
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' }
  },
  {
    files: ['__tests__/**/*.test.ts'],
    extends: [jest.configs['flat/recommended']],
    rules: {
      // describeNeeding / itNeeding (support/capabilities.ts) and itNeedingServer (support/database.ts) are describe and it behind a capability check.
      'jest/no-standalone-expect': ['error', { additionalTestBlockFunctions: ['itNeeding', 'itNeedingServer'] }]
    }
  }
)
