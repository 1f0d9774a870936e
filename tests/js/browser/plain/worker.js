import * as bt from '/node_modules/basis-trees/index.js';

self.onmessage = (event) => {
  bt.initSync({ module: event.data });
  const t = new bt.Tree({ keyLength: 32, valueLength: 8 });
  t.insert(new Uint8Array(32).fill(1), bt.debtValue(100n));
  self.postMessage({ digest: bt.toHex(t.digest) });
};
