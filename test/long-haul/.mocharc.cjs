module.exports = require('../../.mocharc.base.cjs')({ spec: ['cases/*.test.ts'], timeout: 300000, slow: 30000 });
