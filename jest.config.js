/** One jest run for unit, integration and end-to-end tests (see README). */
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript', tsx: true }, target: 'es2023', transform: { react: { runtime: 'automatic' } } }, module: { type: 'commonjs' } }];

module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': swc },
  // jose is ESM-only: Node 22 requires it natively at run time, but jest needs it transformed.
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  setupFiles: ['<rootDir>/tests/support/jest.setup.ts'],
  // e2e tests start servers and browsers; they set their own longer timeouts.
  testTimeout: 20000,
  watchman: false,
};
