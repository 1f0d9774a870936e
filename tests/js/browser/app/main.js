import init from 'basis-trees';
import { runChecks } from './checks.js';

async function main() {
  await init();
  const page = await runChecks('/log.bin');
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  const inWorker = await new Promise((resolve, reject) => {
    worker.onmessage = (event) => resolve(event.data);
    worker.onerror = (event) => reject(new Error(`worker: ${event.message}`));
    worker.postMessage('/log.bin');
  });
  return { page, worker: inWorker };
}

main().then(
  (result) => (window.__result = result),
  (err) => (window.__result = { failed: String((err && err.stack) || err) }),
);
