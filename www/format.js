// How the page writes numbers, bytes and hex. Plain functions, no package: the main thread never
// loads the WebAssembly module; all of the package runs in the worker.

const numberFormat = new Intl.NumberFormat('en-US');

/** 12345 -> "12,345"; bigints and decimal strings too. */
export function count(n) {
  return typeof n === 'string' ? numberFormat.format(BigInt(n)) : numberFormat.format(n);
}

/** A byte count for people: "980 B", "1.4 MB". */
export function byteSize(n) {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ${units[unit]}`;
}

/** Milliseconds for people: "850 ms", "3.2 s", "2 min 5 s". */
export function duration(ms) {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** Lower-case hex of bytes. */
export function toHex(bytes) {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** `text` without spaces, an optional 0x and upper case; null when it is not whole bytes of hex. */
export function cleanHex(text) {
  const hex = text.replace(/\s+/g, '').replace(/^0x/i, '').toLowerCase();
  return /^([0-9a-f]{2})*$/.test(hex) ? hex : null;
}

/** A u64 millisecond timestamp as an ISO date, or null when out of range. */
export function isoTime(ms) {
  const n = Number(ms);
  if (!Number.isFinite(n) || n < 0 || n > 8.64e15) return null;
  return new Date(n).toISOString();
}
