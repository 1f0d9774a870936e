// The wasm benchmarks in a browser page: the package through its web entry (`init`), and the core
// alone, on the workloads served from target/bench/. Served and driven by bench/wasm-chromium.mjs.
import { bytesPerEntry, coreBytesPerEntry, runAll } from './common.mjs';

const log = (line) => {
  document.getElementById('log').textContent += `${line}\n`;
  console.log(line);
};

async function loadCore() {
  const glue = await import('/target/bench/core-wasm/basis_trees_bench_wasm.js');
  const exports = await glue.default();
  return { glue, memory: exports.memory };
}

async function loadPackage() {
  try {
    const bt = await import('/pkg/index.js');
    const t0 = performance.now();
    const exports = await bt.default();
    return { bt, memory: exports.memory, initMs: performance.now() - t0 };
  } catch (err) {
    log(`no package at /pkg/ (${err.message}): core figures only`);
    return undefined;
  }
}

/** Every figure except memory, which needs a fresh instance per measurement (a fresh page). */
window.runBench = async ({ sizes, runs }) => {
  const pkg = await loadPackage();
  const { glue: core } = await loadCore();
  const result = await runAll({
    bt: pkg?.bt,
    memory: pkg?.memory,
    core,
    loadWorkload: async (size) => new Uint8Array(await (await fetch(`/target/bench/workload-${size}.bin`)).arrayBuffer()),
    loadLog: async (size) => ({
      bytes: new Uint8Array(await (await fetch(`/target/bench/log-${size}.bin`)).arrayBuffer()),
      index: await (await fetch(`/target/bench/log-${size}.json`)).json(),
    }),
    loadProofs: async (size) => ({
      bytes: new Uint8Array(await (await fetch(`/target/bench/proofs-${size}.bin`)).arrayBuffer()),
      index: await (await fetch(`/target/bench/proofs-${size}.json`)).json(),
    }),
    memoryChild: undefined,
    sizes,
    memorySizes: [],
    runs,
    log,
  });
  if (pkg) result.init_ms = pkg.initMs;
  result.runtime = navigator.userAgent;
  return result;
};

/** Memory growth per entry in this page's fresh instance. */
window.memoryChild = async (kind, size) => {
  if (kind === 'core') {
    const { glue, memory } = await loadCore();
    return coreBytesPerEntry(glue, memory, size);
  }
  const pkg = await loadPackage();
  return pkg ? bytesPerEntry(pkg.bt, pkg.memory, size) : undefined;
};

/** `await init()` in this page (fetch, compile, instantiate). */
window.initTime = async () => (await loadPackage())?.initMs;

window.benchReady = true;
