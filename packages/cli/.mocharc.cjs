module.exports = require('../../.mocharc.base.cjs')({ file: ['test/hooks.ts'] });
