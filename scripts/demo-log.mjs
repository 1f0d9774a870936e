// A simulated Basis tracker, written with the built package (pkg/) in Node: parties issue notes to
// each other, debts grow, some notes are settled and removed, and every change is logged. The same
// seed gives the same log and the same final root. Used by `make serve` (the demo log) and by the
// page's tests (good, tampered and large logs).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The package as built in pkg/ (CommonJS entry: synchronous, no init). */
export function loadPackage(pkgDir = process.env.BT_PKG_DIR || path.join(repo, 'pkg')) {
  return createRequire(import.meta.url)(path.join(pkgDir, 'index.cjs'));
}

/** SplitMix64, so that every run produces the same log. */
function rng(seed) {
  let state = BigInt.asUintN(64, BigInt(seed));
  const next = () => {
    state = BigInt.asUintN(64, state + 0x9e3779b97f4a7c15n);
    let z = state;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return z ^ (z >> 31n);
  };
  return { next, below: (n) => Number(next() % BigInt(n)) };
}

/** A party's public key: 33 bytes in the form of a compressed secp256k1 point. */
function publicKey(random) {
  const key = new Uint8Array(33);
  key[0] = 2 + Number(random.next() & 1n);
  for (let i = 1; i < 33; i += 8) {
    let word = random.next();
    for (let j = 0; j < 8 && i + j < 33; j++) {
      key[i + j] = Number(word & 0xffn);
      word >>= 8n;
    }
  }
  return key;
}

/**
 * Runs the tracker for `records` logged operations among `parties` parties. Returns the storage
 * (a `TreeStorage` of the Basis tracker's shape: keyLength 32, variable values) and the notes
 * still open, each `{ issuer, recipient, key, debt }` (debt a bigint).
 */
export function simulateTracker(bt, { records = 2000, parties = 200, seed = 0xba515eed, withProofs = false } = {}) {
  const random = rng(seed);
  const keys = Array.from({ length: parties }, () => publicKey(random));
  const storage = new bt.TreeStorage({ keyLength: 32, withProofs });
  const open = []; // { issuer, recipient, key, debt }
  const index = new Map(); // key hex -> position in open
  let timestamp = 1_767_225_600_000n; // 2026-01-01, in milliseconds
  let logged = 0;
  while (logged < records) {
    timestamp += BigInt(1 + random.below(30_000));
    const roll = random.below(100);
    if (open.length === 0 || roll < 35) {
      const issuer = keys[random.below(parties)];
      const recipient = keys[random.below(parties)];
      if (issuer === recipient) continue;
      const key = bt.noteKey(issuer, recipient);
      const hex = bt.toHex(key);
      if (index.has(hex)) continue;
      const debt = BigInt(1 + random.below(1_000_000));
      storage.insert(key, bt.debtValue(debt), { timestamp });
      index.set(hex, open.length);
      open.push({ issuer, recipient, key, debt });
    } else if (roll < 90) {
      const note = open[random.below(open.length)];
      note.debt += BigInt(1 + random.below(100_000));
      storage.update(note.key, bt.debtValue(note.debt), { timestamp });
    } else {
      const at = random.below(open.length);
      const note = open[at];
      storage.remove(note.key, { timestamp });
      const last = open.pop();
      index.delete(bt.toHex(note.key));
      if (last !== note) {
        open[at] = last;
        index.set(bt.toHex(last.key), at);
      }
    }
    logged++;
  }
  return { storage, notes: open };
}

/** The demo logs served by `make serve`: the same tracker's log in both formats. */
export function demoLogs(bt = loadPackage()) {
  const { storage } = simulateTracker(bt, { records: 50_000, parties: 3000 });
  const logs = {
    'tracker.bin': storage.exportLog({ format: 'binary' }),
    'tracker.ndjson': storage.exportLog({ format: 'ndjson' }),
    'tracker.root': new TextEncoder().encode(`${bt.toHex(storage.digest)}\n`),
  };
  storage.free();
  return logs;
}
