// The same checks in the page and in the worker: results are compared with Node's in the test.
import * as bt from 'basis-trees';

export async function runChecks(logUrl) {
  const key = (n) => new Uint8Array(32).fill(n);
  const out = {};
  const t = new bt.Tree({ keyLength: 32, valueLength: 8 });
  t.insert(key(1), bt.debtValue(100n));
  t.insert(key(2), bt.debtValue(7n));
  t.update(key(1), bt.debtValue(250n));
  out.digest = bt.toHex(t.digest);
  out.size = t.size;
  try {
    t.insert(key(1), bt.debtValue(1n));
  } catch (err) {
    out.error = { name: err.name, code: err.code, isError: err instanceof Error };
  }
  try {
    t.get({ not: 'bytes' });
  } catch (err) {
    out.badArgument = err.code;
  }
  t.remove(key(2));
  out.afterErrors = bt.toHex(t.digest);
  const s = new bt.TreeStorage({ keyLength: 32 });
  const record = s.insert(key(3), '0a', { timestamp: 5n });
  out.record = { sequence: typeof record.sequenceNumber, type: record.type, rootAfter: bt.toHex(record.rootAfter) };
  if (logUrl) {
    const response = await fetch(logUrl);
    let calls = 0;
    const report = await bt.verifyLogStream(response.body, { onProgress: () => calls++ });
    out.stream = { operations: report.operations, finalRoot: bt.toHex(report.finalRoot), progressCalls: calls > 0 };
  }
  return out;
}
