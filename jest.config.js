// ESM jest with ts-jest: relative imports use the `.js` suffix that NodeNext requires, and the
// resolver maps them back to the `.ts` sources.
export default {
  preset: 'ts-jest/presets/default-esm',
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'cjs', 'mjs', 'json'],
  resolver: 'ts-jest-resolver',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', useESM: true }]
  },
  testEnvironment: 'node',
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  testTimeout: 60000,
  // Probes the database, Alembic, server binaries and Node 24 once per run; suites declare what they need.
  globalSetup: '<rootDir>/__tests__/support/capabilities-setup.mjs',
  reporters: ['default', '<rootDir>/__tests__/support/plain-summary-reporter.cjs']
}
