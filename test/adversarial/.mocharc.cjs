module.exports = require('../../.mocharc.base.cjs')({ spec: ['cases/*.test.ts'], timeout: 60000, slow: 5000 });
