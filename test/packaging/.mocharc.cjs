// Runs against the built packages, so without the @chain/source condition.
module.exports = require('../../.mocharc.base.cjs')({
  'node-option': ['import=tsx'],
  spec: ['test/*.test.ts'],
  timeout: 120000,
  slow: 10000,
});
