// The mocha settings every workspace shares: TypeScript from source through tsx and the
// `@chain/source` export condition. A workspace's .mocharc.cjs adds what differs.
module.exports = (overrides = {}) => ({
  'node-option': ['conditions=@chain/source', 'import=tsx'],
  spec: ['test/**/*.test.ts'],
  timeout: 20000,
  reporter: 'spec',
  ...overrides,
});
