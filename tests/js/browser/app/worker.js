import init from 'basis-trees';
import { runChecks } from './checks.js';

const ready = init();
self.onmessage = async (event) => {
  try {
    await ready;
    self.postMessage(await runChecks(event.data));
  } catch (err) {
    self.postMessage({ failed: String((err && err.stack) || err) });
  }
};
