'use strict';
// The Node entry for `require('basis-trees')`: the WebAssembly module is compiled and
// instantiated synchronously on load, so there is nothing to initialise. `init()` and
// `initSync()` exist only so that code written for the web entry runs unchanged.
require('./cjs/glue.js').useGlue(require('./basis_trees.cjs'));
require('./cjs/random.js').useCrypto(require('node:crypto').webcrypto); // Node 18 has no globalThis.crypto

const bt = { ...require('./cjs/api.js') };
bt.init = async function init() {
  return bt;
};
bt.initSync = function initSync() {
  return bt;
};
bt.default = bt.init;
module.exports = bt;
