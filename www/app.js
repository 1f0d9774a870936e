// The page: reads the inputs, hands the log to the worker, and shows progress, the verdict, the
// charts and the replayed tree's answers. Nothing of the package runs on this thread.
import { byteSize, cleanHex, count, duration, isoTime } from './format.js';
import { mixChart, sizeChart } from './chart.js';

const $ = (id) => document.getElementById(id);
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });

let nextId = 1;
/** The verification under way: `{ id, label }`. */
let running = null;
/** Whether the worker has loaded the package. */
let ready = false;
/** The shape of the last log that verified: `{ keyLength, valueLength }`. */
let verifiedShape = null;
const replies = new Map();

function request(message) {
  const id = nextId++;
  worker.postMessage({ ...message, id });
  return new Promise((resolve, reject) => replies.set(id, { resolve, reject }));
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === 'class') node.className = value;
    else node.setAttribute(key, value);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

// ---------------------------------------------------------------- inputs

function formError(text) {
  const box = $('form-error');
  box.textContent = text || '';
  box.hidden = !text;
}

/**
 * The shape and expected root from the form, or throws an Error whose message names the field.
 * An empty shape field is taken from the log's header; a filled one is an assertion the log must
 * meet. `valueLength` is a number, null for values of any length, or undefined (from the log).
 */
function readOptions() {
  const keyText = $('key-length').value.trim();
  const keyLength = keyText === '' ? undefined : Number(keyText);
  if (keyLength !== undefined && (!Number.isInteger(keyLength) || keyLength < 1 || keyLength > 1024)) {
    throw new Error('Key length must be a whole number of bytes from 1 to 1024, or empty to take the log’s.');
  }
  const valueText = $('value-length').value.trim().toLowerCase();
  const valueLength = valueText === '' ? undefined : valueText === 'any' ? null : Number(valueText);
  if (valueLength !== undefined && valueLength !== null && (!/^\d+$/.test(valueText) || valueLength > 16 * 1024 * 1024)) {
    throw new Error('Value length must be a whole number of bytes, “any” for values of any length, or empty to take the log’s.');
  }
  const rootText = $('expect-root').value.trim();
  let expectRoot = null;
  if (rootText) {
    expectRoot = cleanHex(rootText);
    if (expectRoot === null || expectRoot.length !== 66) {
      throw new Error('The expected root must be 33 bytes in hex (66 digits): the root label and the tree height. (A box, or its R5 register, goes in the tracker’s box field.)');
    }
  }
  const trackerBox = $('tracker-box').value.trim();
  if (trackerBox && expectRoot) {
    throw new Error('Give the tracker’s box or an expected root, not both: the box holds the digest the log must end at.');
  }
  const commitments = $('commitments').value;
  const start = $('start-snapshot').files[0] || null;
  const stateless = $('stateless').checked;
  if (stateless && start) {
    throw new Error('A stateless check holds no tree, so it cannot start from a snapshot: clear one of the two.');
  }
  return { shape: { keyLength, valueLength }, expectRoot, trackerBox, commitments, start, stateless };
}

// ---------------------------------------------------------------- the chain's commitments

/** The last reading of the chain fields: `{ box, commitments }` as the worker read them. */
let chainRead = { box: { ok: true, value: null }, commitments: { ok: true, value: null } };

/** A commitment's shape and flags in words. */
function describeTree({ keyLength, valueLength }) {
  return `keys of ${keyLength} bytes, ${valueLength === null ? 'values of any length' : `values of ${valueLength} bytes`}`;
}

function chainError(part, read) {
  const box = $(`${part}-error`);
  if (read.ok) {
    box.hidden = true;
    box.textContent = '';
    return;
  }
  const { error } = read;
  // The position is said once, in words: the line of a list (a field of the error), the
  // character within it.
  const at = error.offset !== undefined ? `character ${count(error.offset)}` : null;
  const where = error.line !== undefined ? ` (line ${count(error.line)}${at ? `, ${at}` : ''})` : at ? ` (at ${at})` : '';
  const message = error.message.replace(/^byte \d+: /, '');
  box.textContent = `${error.code ? `${error.code}: ` : ''}${message}${where}`;
  box.hidden = false;
}

/** Shows what the tracker box and commitments fields hold. */
function showChain(read) {
  chainRead = read;
  const shown = $('tracker-box-read');
  const box = read.box.ok ? read.box.value : null;
  shown.hidden = !box;
  // A digest alone (what parseCommitment read) says no shape, no key and no operations.
  const digestAlone = box && box.keyLength === undefined;
  if (box) {
    figures(shown, [
      ['Tracker key (R4)', box.trackerKey ? element('code', { class: 'hex' }, box.trackerKey) : `none: a ${digestAlone ? 'digest' : 'register'} alone`],
      ['Digest (R5)', element('code', { class: 'hex' }, box.digest)],
      ['Shape', digestAlone ? 'not said by a digest alone: the log’s is taken' : describeTree(box)],
      ['On-chain operations', digestAlone ? null : box.flags.length ? `${box.flags.join(', ')} allowed` : 'none allowed'],
      ['Box id', ...(box.boxId
        ? [element('code', { class: 'hex' }, box.boxId), box.boxIdVerified ? ' (recomputed from the box)' : ' (as given; the JSON lacks what to recompute it from)']
        : [null])],
      ['Created at height', box.creationHeight !== null && box.creationHeight !== undefined ? count(box.creationHeight) : null],
    ]);
  }
  chainError('tracker-box', read.box);
  const list = read.commitments.ok ? read.commitments.value : null;
  $('commitments-read').hidden = !list;
  if (list) $('commitments-read').textContent = `${count(list.length)} commitment${list.length === 1 ? '' : 's'} read; the log must reach each, in this order.`;
  chainError('commitments', read.commitments);
  checkStale();
}

/** Asks the worker to read the chain fields, and shows the result. */
async function readChain() {
  const read = await request({ type: 'readChain', trackerBox: $('tracker-box').value, commitments: $('commitments').value });
  showChain(read);
  return read;
}

let chainTimer = null;
for (const id of ['tracker-box', 'commitments']) {
  $(id).addEventListener('input', () => {
    clearTimeout(chainTimer);
    // (The worker answers a field that does not read with its error: a rejection is the page's bug.)
    chainTimer = setTimeout(() => ready && readChain().catch((err) => console.error(err)), 250);
  });
}

$('expect-root').addEventListener('input', () => checkStale());

// ---------------------------------------------------------------- what a verdict was checked against

/**
 * What a verification is checked against, in a form that compares: the box's digest and shape
 * (null: none; 'unread': a box that does not read), the expected root (hex; null; 'invalid') and
 * the digests of the earlier commitments (a list; null; 'unread').
 */
function anchorOf(box, expectRoot, commitments) {
  return {
    box: box === 'unread' || box === null ? box : { digest: box.digest, keyLength: box.keyLength, valueLength: box.valueLength },
    expectRoot,
    commitments: commitments === 'unread' || commitments === null ? commitments : commitments.map((c) => c.digest),
  };
}

/** The anchor the form holds now: its chain fields as last read, and its expected root. */
function formAnchor() {
  const text = $('expect-root').value.trim();
  const root = text ? cleanHex(text) : null;
  return anchorOf(
    chainRead.box.ok ? chainRead.box.value : 'unread',
    !text ? null : root && root.length === 66 ? root : 'invalid',
    chainRead.commitments.ok ? chainRead.commitments.value : 'unread',
  );
}

const sameAnchor = (a, b) => JSON.stringify(a) === JSON.stringify(b);

const boxWords = (box) => `the tracker’s box with digest ${box.digest}`;
const commitmentWords = (list) => `${count(list.length)} earlier commitment${list.length === 1 ? '' : 's'}`;

/** What a verdict was checked against, in words. */
function describeAnchor({ box, expectRoot, commitments }) {
  const parts = [box && boxWords(box), expectRoot && `the expected root ${expectRoot}`, commitments && commitmentWords(commitments)].filter(Boolean);
  return parts.length ? parts.join(' and ') : 'nothing from the chain';
}

/** How the form's anchor differs from the verdict's, in words. */
function describeChange(was, now) {
  const changes = [];
  if (!sameAnchor(was.box, now.box)) {
    if (now.box === 'unread') changes.push('the box in the form does not read');
    else if (now.box === null) changes.push('the form holds no tracker’s box');
    else changes.push(`the form now holds ${boxWords(now.box)}${was.box && was.box.digest === now.box.digest ? `, of another shape (${describeTree(now.box)})` : ''}`);
  }
  if (!sameAnchor(was.expectRoot, now.expectRoot)) {
    if (now.expectRoot === 'invalid') changes.push('the expected root in the form is not 33 bytes of hex');
    else if (now.expectRoot === null) changes.push('the form holds no expected root');
    else changes.push(`the form now holds the expected root ${now.expectRoot}`);
  }
  if (!sameAnchor(was.commitments, now.commitments)) {
    if (now.commitments === 'unread') changes.push('the commitments in the form do not read');
    else if (now.commitments === null) changes.push('the form holds no earlier commitments');
    else changes.push(`the form now holds ${commitmentWords(now.commitments)}, not the same`);
  }
  return changes.join('; ');
}

/** The verdict on screen, to verify again: `{ source, label, anchor }`, or null. */
let shownRun = null;

/**
 * Marks the verdict out of date when the form's box, expected root or commitments are not the
 * ones it was checked against, and offers to verify the same log against the form's; unmarks it
 * when they are again.
 */
function checkStale() {
  const box = $('verdict');
  const note = $('stale');
  const now = formAnchor();
  const boxOffer = $('tracker-box-offer');
  if (!shownRun || running || box.classList.contains('running') || sameAnchor(shownRun.anchor, now)) {
    box.classList.remove('stale');
    if (note) note.remove();
    boxOffer.hidden = true;
    return;
  }
  // Under the box too, where it was pasted (the verdict may be a screen away).
  const newBox = now.box && now.box !== 'unread' && !sameAnchor(shownRun.anchor.box, now.box);
  boxOffer.hidden = !newBox;
  if (newBox) {
    const button = element('button', { type: 'button', class: 'secondary' }, `Verify ${shownRun.label} against this box`);
    button.addEventListener('click', () => shownRun && startVerification(shownRun.source, shownRun.label));
    boxOffer.replaceChildren(`The verdict below was not checked against this box. `, button);
  }
  const again = now.box && now.box !== 'unread'
    ? 'against the tracker’s box'
    : now.box === null && now.expectRoot && now.expectRoot !== 'invalid' ? 'against the expected root' : 'again';
  // A box or root that does not read cannot be verified against: its message says why.
  const offer = now.box === 'unread' || now.expectRoot === 'invalid' || now.commitments === 'unread'
    ? null
    : element('button', { type: 'button', class: 'secondary' }, `Verify ${shownRun.label} ${again}`);
  if (offer) offer.addEventListener('click', () => shownRun && startVerification(shownRun.source, shownRun.label));
  const content = [
    element('strong', {}, 'Out of date: '),
    `this verdict was checked against ${describeAnchor(shownRun.anchor)}; ${describeChange(shownRun.anchor, now)}.`,
    offer,
  ];
  if (note) note.replaceChildren(...content);
  else box.prepend(element('p', { id: 'stale', class: 'stale-note' }, ...content));
  box.classList.add('stale');
}

$('start-snapshot').addEventListener('change', () => ($('clear-snapshot').hidden = !$('start-snapshot').files.length));
$('clear-snapshot').addEventListener('click', () => {
  $('start-snapshot').value = '';
  $('clear-snapshot').hidden = true;
  $('start-snapshot').focus();
});

async function startVerification(source, label) {
  if (!ready) return formError('The verifier is still loading; try again in a moment.');
  let options;
  try {
    options = readOptions();
  } catch (err) {
    return formError(err.message);
  }
  // The chain's fields must read before the log is fetched. (Without them, nothing is awaited:
  // the verification starts at once.)
  let chain = { box: { ok: true, value: null }, commitments: { ok: true, value: null } };
  if ($('tracker-box').value.trim() || $('commitments').value.trim()) {
    const box = $('verdict');
    const shown = { className: box.className, children: [...box.childNodes] };
    setVerdict('running', 'Reading the tracker’s box and commitments…');
    chain = await readChain();
    if (!chain.box.ok || !chain.commitments.ok) {
      box.className = shown.className;
      box.replaceChildren(...shown.children);
      checkStale();
      return formError(
        chain.box.ok ? 'The commitments do not read: see the message under them.' : 'The tracker’s box does not read: see the message under it.',
      );
    }
  }
  formError(null);
  // The fields as they are verified against, also when they were empty and not read.
  showChain(chain);
  if (running) worker.postMessage({ type: 'cancel', id: running.id });
  const id = nextId++;
  running = {
    id,
    source,
    label,
    anchor: anchorOf(chain.box.value, options.expectRoot, chain.commitments.value),
    expectRoot: options.expectRoot,
    trackerBox: chain.box.value,
    commitments: chain.commitments.value,
    start: options.start && options.start.name,
    stateless: options.stateless,
  };
  worker.postMessage({ type: 'verify', id, source, ...options });
  showProgress(label);
}

$('log-file').addEventListener('change', () => {
  const file = $('log-file').files[0];
  // Emptied, the picker fires again when the same file is chosen again (after a fix in the form).
  $('log-file').value = '';
  if (file) startVerification({ file }, file.name);
});

$('load-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $('log-url').value.trim();
  let url;
  try {
    url = new URL(text, document.baseURI);
  } catch {
    return formError('Enter the log’s URL, e.g. https://tracker.example/log.bin.');
  }
  if (!text || !/^https?:$/.test(url.protocol)) return formError('Enter an http or https URL of the log.');
  startVerification({ url: url.href }, url.pathname.split('/').pop() || url.host);
});

// Drag and drop onto the drop zone; a file dropped anywhere else must not replace the page.
const dropZone = $('drop-zone');
for (const type of ['dragenter', 'dragover']) {
  dropZone.addEventListener(type, (event) => {
    event.preventDefault();
    dropZone.classList.add('dragging');
  });
}
for (const type of ['dragleave', 'drop']) dropZone.addEventListener(type, () => dropZone.classList.remove('dragging'));
dropZone.addEventListener('drop', (event) => {
  event.preventDefault();
  const file = event.dataTransfer && event.dataTransfer.files[0];
  if (file) startVerification({ file }, file.name);
});
window.addEventListener('dragover', (event) => event.preventDefault());
window.addEventListener('drop', (event) => event.preventDefault());

$('demo-button').addEventListener('click', async () => {
  const url = new URL('demo/tracker.bin', document.baseURI).href;
  $('log-url').value = url;
  if (!$('expect-root').value.trim()) {
    const response = await fetch(new URL('demo/tracker.root', document.baseURI), { cache: 'no-store' }).catch(() => null);
    if (response && response.ok) $('expect-root').value = (await response.text()).trim();
  }
  startVerification({ url }, 'the demo log');
});

$('cancel-button').addEventListener('click', () => {
  if (!running) return;
  worker.postMessage({ type: 'cancel', id: running.id });
  $('cancel-button').disabled = true;
  $('progress-text').textContent = 'Cancelling…';
});

// ---------------------------------------------------------------- progress and verdict

function showProgress(label) {
  $('progress-source').textContent = label;
  $('progress-section').hidden = false;
  $('cancel-button').disabled = false;
  const bar = $('progress-bar');
  bar.removeAttribute('value');
  $('progress-text').textContent = 'Starting…';
  setVerdict('running', `Verifying ${label}…`);
  $('result').hidden = true;
  $('chart-section').hidden = true;
  $('tree-section').hidden = true;
  $('progress-section').scrollIntoView({ block: 'nearest' });
}

function renderProgress({ records, read, total, elapsedMs }) {
  const bar = $('progress-bar');
  if (total) {
    bar.max = total;
    bar.value = Math.min(read, total);
  }
  const seconds = elapsedMs / 1000;
  const rate = seconds > 0.05 ? ` · ${count(Math.round(records / seconds))} records/s · ${byteSize(read / seconds)}/s` : '';
  const percent = total ? ` (${Math.floor((100 * Math.min(read, total)) / total)}%)` : '';
  $('progress-text').textContent = `${count(records)} records · ${byteSize(read)}${total ? ` of ${byteSize(total)}` : ''}${percent}${rate} · ${duration(elapsedMs)}`;
}

function setVerdict(kind, ...content) {
  const box = $('verdict');
  box.className = `verdict ${kind}`;
  box.replaceChildren(...content);
}

function copyButton(label, text) {
  const button = element('button', { type: 'button', class: 'copy', 'aria-label': `Copy ${label}` }, 'Copy');
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'Copied';
    } catch {
      // No clipboard permission: select the text so that the user can copy it.
      const code = button.previousElementSibling;
      const range = document.createRange();
      range.selectNodeContents(code);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      button.textContent = 'Selected';
    }
    setTimeout(() => (button.textContent = 'Copy'), 2000);
  });
  return button;
}

/** A hex value with its copy button. */
function hexValue(label, hex) {
  return [element('code', { class: 'hex' }, hex), ' ', copyButton(label, hex)];
}

function figures(list, rows) {
  list.replaceChildren();
  for (const [term, ...value] of rows) {
    if (value[0] === null || value[0] === undefined) continue;
    list.append(element('dt', {}, term), element('dd', {}, ...value));
  }
}

/** The verification under way ends; `shown` says whether its verdict is one the form can outdate. */
function finishRun(shown) {
  shownRun = shown && running ? { source: running.source, label: running.label, anchor: running.anchor } : null;
  running = null;
  $('progress-section').hidden = true;
  // On a phone the verdict is below the form: bring it into view, its top first, so that what
  // follows it shows too. (One already on screen stays where it is.)
  requestAnimationFrame(() => {
    const box = $('verdict');
    const { top, bottom } = box.getBoundingClientRect();
    if (top < 0 || bottom > window.innerHeight) box.scrollIntoView({ block: 'start' });
  });
}

function onVerified(message) {
  const { report, elapsedMs, bytes, tree } = message;
  if (message.header) verifiedShape = { keyLength: message.header.keyLength, valueLength: message.header.valueLength };
  const expected = running && running.expectRoot;
  const trackerBox = running && running.trackerBox;
  const started = running && running.start;
  const stateless = running && running.stateless;
  finishRun(true);
  const reached = report.commitments || [];
  const range = report.operations ? `sequence ${count(report.firstSequence)}–${count(report.lastSequence)}` : 'no records';
  // Without a root from the chain every record may check out and the log still be cut short.
  const anchored = Boolean(trackerBox || expected);
  setVerdict(
    anchored ? 'ok' : 'ok unanchored',
    element('strong', {}, 'Log verified'),
    `: ${count(report.operations)} records (${range}), ${stateless ? 'every record’s proof checked against its root before' : 'every root and previous value checked'}`,
    trackerBox ? ', final root equals the digest of the tracker’s box on chain' : expected ? ', final root equals the expected root' : '',
    reached.length ? `, every one of the ${count(reached.length)} earlier commitments reached in order` : '',
    '. Final root: ',
    element('code', { class: 'hex' }, report.finalRoot),
    anchored
      ? ''
      : element(
          'span',
          { class: 'caveat' },
          element('strong', {}, 'Not checked against the chain: '),
          'with no tracker’s box and no expected root, nothing vouches for the end of the log — a log cut short between two records verifies too. Paste the box or the digest the tracker committed on chain to check that this is the whole log.',
        ),
  );
  figures($('result-figures'), [
    ['Source', sourceName(shownRun.source)],
    ['Log', describeHeader(message.header)],
    ['Records', count(report.operations)],
    ['Sequence range', report.operations ? `${count(report.firstSequence)} – ${count(report.lastSequence)}` : 'none'],
    ['Start root', ...hexValue('start root', report.startRoot)],
    ['Final root', ...hexValue('final root', report.finalRoot)],
    ['Expected root', trackerBox ? `the tracker box’s R5 digest: matches the final root${trackerBox.keyLength === undefined ? '' : `; the log has its tree’s shape (${describeTree(trackerBox)})`}` : expected ? 'matches the final root' : 'none given: nothing vouches for the end of the log'],
    ['Tracker key', trackerBox && trackerBox.trackerKey ? element('code', { class: 'hex' }, trackerBox.trackerKey) : null],
    ['Commitments', reached.length ? commitmentList(reached) : null],
    ['Started from', started ? `the snapshot ${started}` : null],
    ['Tree', tree ? `${count(tree.size)} entries, height ${tree.height}` : 'none kept (stateless check)'],
    ['Log size', byteSize(bytes)],
    ['Time', `${duration(elapsedMs)} (${count(Math.round(report.operations / Math.max(elapsedMs / 1000, 0.001)))} records/s)`],
  ]);
  $('mismatch').hidden = true;
  $('failing-record').hidden = true;
  $('result').hidden = false;
  renderCharts(message.chart);
  $('tree-section').hidden = !tree;
  $('lookup-result').replaceChildren();
  $('snapshot-result').textContent = '';
  fillProofDigest(anchored ? report.finalRoot : null, trackerBox ? 'the digest of the tracker’s box on chain' : 'the expected root');
  checkStale();
}

/**
 * The proof checker's digest follows a verified root the chain vouches for (`root`, which is
 * `what`), unless the user typed another; an unanchored root is never offered.
 */
function fillProofDigest(root, what) {
  vouched = root ? { root, what } : null;
  const field = $('proof-digest');
  if (field.value && field.value !== field.dataset.filled) return;
  field.value = root || '';
  field.dataset.filled = root || '';
  $('proof-digest-hint').textContent = root ? `Filled with ${what}, which the verified log ends at.` : PROOF_DIGEST_HINT;
}
/** The last verified final root the chain vouches for, `{ root, what }`, or null. */
let vouched = null;
const PROOF_DIGEST_HINT = $('proof-digest-hint').textContent;
$('proof-digest').addEventListener('input', () => {
  if ($('proof-digest').value !== $('proof-digest').dataset.filled) $('proof-digest-hint').textContent = PROOF_DIGEST_HINT;
});

/** Where the log came from: the file's name, or the URL. (The file picker is emptied once read.) */
function sourceName(source) {
  return source.file ? `the file ${source.file.name}` : source.url;
}

/** The commitments a log reached: each digest and the record after which the tree had it. */
function commitmentList(reached) {
  return element(
    'ol',
    { class: 'commitments' },
    ...reached.map(({ digest, sequence }) =>
      element('li', {}, element('code', { class: 'hex' }, digest), ` after record ${count(sequence)}`),
    ),
  );
}

/** A tree's shape in words; `undefined` fields were left to the log. */
function describeShape({ keyLength, valueLength }) {
  const keys = keyLength === undefined ? 'keys of the log’s length' : `keys of ${keyLength} bytes`;
  const values = valueLength === undefined ? 'values of the log’s length' : valueLength === null ? 'values of any length' : `values of ${valueLength} bytes`;
  return `${keys}, ${values}`;
}

/** The log's header in words: its format, its tree's shape and where it starts. */
function describeHeader(header) {
  if (!header) return null;
  const from = header.startSequence === null || header.startSequence === '0'
    ? 'from the empty tree'
    : `continuing after record ${count(header.startSequence)}`;
  return `${header.format === 'ndjson' ? 'NDJSON' : 'binary'}, ${describeShape(header)}, ${from}`;
}

/**
 * What disagrees, from the error's `expected` and `actual` (the worker tags them `{ hex }`,
 * `{ number }` or `{ shape }`): `[label, value][]`, or null.
 */
function mismatchOf(error, header, run) {
  const bytes = (value) => (value && value.number !== undefined ? `${count(value.number)} bytes` : 'none');
  if (error.code === 'VALUE_LENGTH' || error.code === 'KEY_LENGTH') {
    if (!error.expected) return null;
    const what = error.code === 'VALUE_LENGTH' ? 'Value' : 'Key';
    // A log of values of any length: the cap on them is the reader's, not the tree's.
    const capped = what === 'Value' && header && header.valueLength === null;
    const rows = [[`${what} in the log`, bytes(error.actual)], [capped ? 'Longest value read' : `${what} length the tree takes`, bytes(error.expected)]];
    if (capped) rows.push(['To verify it', 'this page reads values of up to 64 KiB (a Basis debt is 8 bytes); the command line reads longer ones: basis-trees verify --max-value-length N']);
    return rows;
  }
  const rows = {
    ROOT_BEFORE_MISMATCH: [['Tree’s root before the record', 'expected'], ['Root before in the log', 'actual']],
    ROOT_AFTER_MISMATCH: [['Root after replaying the record', 'expected'], ['Root after in the log', 'actual']],
    PREVIOUS_VALUE_MISMATCH: [['Value the tree held', 'expected'], ['Previous value in the log', 'actual']],
    LOG_SEQUENCE: [['Sequence number in the log', 'actual'], ['Expected sequence number', 'expected']],
    EXPECTED_ROOT_MISMATCH: [['Final root of the log', 'actual'], ['Expected root', 'expected']],
    // The log says its own shape: both in words, and what to do.
    SHAPE_MISMATCH: [['The log’s header says', 'actual'], ['You asked for', 'expected']],
  }[error.code];
  if (!rows || !error.expected) return null;
  const shown = (value) => {
    if (!value) return 'none';
    if (value.shape) return describeShape(value.shape);
    if (value.number !== undefined) return count(value.number);
    return element('code', { class: 'hex' }, value.hex);
  };
  const found = rows.map(([label, side]) => [label, shown(error[side])]);
  if (error.code === 'SHAPE_MISMATCH') found.push(['To verify it', 'clear the shape fields: the log’s own shape is then taken']);
  // The header's start: the log continues after a record the replay does not stand at.
  if (error.code === 'LOG_SEQUENCE' && error.sequence === undefined && error.offset === 0 && error.actual) {
    const after = count(error.actual.number);
    found.push([
      'To verify it',
      run && run.start
        ? `the log continues after record ${after}, and the snapshot ${run.start} is at record ${count(error.expected.number)}: choose the snapshot of the tracker’s checkpoint at record ${after} under Start from a snapshot`
        : `choose the snapshot of the tracker’s checkpoint at record ${after} under Start from a snapshot`,
    ]);
  }
  return found;
}

/** A commitment the log does not reach: which, and whether it came too early or never. */
function commitmentMismatch({ index, digest, previous, seenAt }) {
  return [
    ['Commitment not reached', `number ${index + 1} of the list`],
    ['Its digest', element('code', { class: 'hex' }, digest)],
    ['The one before it', previous !== null ? `reached after record ${count(previous)}` : null],
    [
      'In the log',
      seenAt !== null
        ? `the tree had this digest after record ${count(seenAt)}, before the commitment listed ahead of it: the list is out of order, or the tracker rewrote its history`
        : 'the tree never has this digest: the log does not reach a state the tracker committed to on chain',
    ],
  ];
}

/** The bytes of a record's value shown whole; a longer one is cut. */
const VALUE_BYTES_SHOWN = 64;

/** The failing record's rows (`debt`, `previousDebt`: its values' debts in a Basis tree, or null). */
function recordRows(found) {
  if (found.inHeader) {
    return [
      ['Byte offset', count(found.offset)],
      ['Bytes', found.rawLength ? `the first ${Math.min(found.rawLength, 256)} of the log:` : 'none: the log is empty'],
      ['Raw', found.raw ? element('code', { class: 'hex' }, found.raw) : null],
    ];
  }
  if (found.raw !== undefined) {
    return [
      ['Byte offset', count(found.offset)],
      ['Bytes', found.rawLength ? `they do not decode as a record; the first ${Math.min(found.rawLength, 256)} from this offset:` : 'none: the log ends here'],
      ['Raw', found.raw ? element('code', { class: 'hex' }, found.raw) : null],
    ];
  }
  const r = found.record;
  const time = isoTime(r.timestamp);
  const withDebt = (hex, debt) => {
    if (hex === null) return null;
    // A long value (a hostile log's) is shown by its start and its length.
    if (hex.length > 2 * VALUE_BYTES_SHOWN) {
      return [element('code', { class: 'hex' }, `${hex.slice(0, 2 * VALUE_BYTES_SHOWN)}…`), ` (${count(hex.length / 2)} bytes)`];
    }
    return debt !== null && debt !== undefined ? [element('code', { class: 'hex' }, hex), ` = debt ${count(debt)}`] : [element('code', { class: 'hex' }, hex)];
  };
  return [
    ['Sequence', count(r.sequence)],
    ['Operation', r.type],
    ['Timestamp', `${r.timestamp}${time ? ` (${time})` : ''}`],
    ['Key', element('code', { class: 'hex' }, r.key)],
    ['Value', ...(withDebt(r.value, r.debt) || ['none'])],
    ['Previous value', ...(withDebt(r.previousValue, r.previousDebt) || ['none'])],
    ['Root before', element('code', { class: 'hex' }, r.rootBefore)],
    ['Root after', element('code', { class: 'hex' }, r.rootAfter)],
    ['Proof', r.proofLength === null ? 'none' : `${count(r.proofLength)} bytes`],
    ['Byte offset', count(r.offset)],
  ];
}

function onFailed(message) {
  const run = running || {};
  finishRun(!message.loadError);
  const { error, records } = message;
  if (message.loadError) {
    setVerdict('error', element('strong', {}, 'Could not read the log'), `: ${error.message}`);
    $('result').hidden = true;
    return;
  }
  const where = [
    error.sequence !== undefined ? ` at record ${count(error.sequence)}` : '',
    error.offset !== undefined ? ` (byte ${count(error.offset)})` : '',
  ].join('');
  // A commitment not reached, or an end that is not the one expected, is found once every record
  // has replayed: no record is at fault.
  const missing = error.code === 'COMMITMENT_MISSING';
  const wrongEnd = error.code === 'EXPECTED_ROOT_MISMATCH';
  const expectedEnd = run.trackerBox ? 'the digest of the tracker’s box on chain' : 'the expected root';
  setVerdict(
    'bad',
    element('strong', {}, 'Log rejected'),
    ': ',
    element('code', { class: 'code' }, error.code || 'ERROR'),
    missing
      ? `. All ${count(records)} records replayed, but the log never reaches a state the tracker committed to on chain, in the order given.`
      : wrongEnd
        ? `. All ${count(records)} records replayed, but the log does not end at ${expectedEnd}: it was cut short, or it is not the log that led there.`
        : `${where}. ${records ? `The ${count(records)} records before it verified; nothing` : 'Nothing'} from there on is trusted.`,
  );
  figures($('result-figures'), [
    ['Error code', element('code', { class: 'code' }, error.code || 'none')],
    [missing ? 'Last record checked' : 'Sequence number', error.sequence !== undefined ? count(error.sequence) : null],
    ['Byte offset', error.offset !== undefined ? count(error.offset) : null],
    // An NDJSON log's line, where an editor finds the record.
    ['Line', error.line !== undefined ? count(error.line) : null],
    ['Reason', error.message],
    ['Source', run.source ? sourceName(run.source) : null],
    ['Log', describeHeader(message.header)],
    [missing || wrongEnd ? 'Records replayed' : 'Records verified before it', count(records)],
    ['Time', duration(message.elapsedMs)],
  ]);
  const mismatch = error.commitment ? commitmentMismatch(error.commitment) : mismatchOf(error, message.header, run);
  $('mismatch').hidden = !mismatch;
  if (mismatch) figures($('mismatch-figures'), mismatch);
  $('failing-record').hidden = !message.record;
  if (message.record) {
    $('failing-record-title').textContent = message.record.inHeader ? 'The start of the log' : 'The failing record';
    figures($('record-figures'), recordRows(message.record));
  }
  $('result').hidden = false;
  renderCharts(message.chart, 'up to the failing record');
  checkStale();
}

function onCancelled(message) {
  finishRun();
  setVerdict('idle', element('strong', {}, 'Verification cancelled'), ` after ${count(message.records)} records (${byteSize(message.bytes)}); the log was not verified.`);
  $('result').hidden = true;
}

/** The charts shown, to draw again at a new width. */
let shownCharts = null;

function renderCharts(chart, note) {
  shownCharts = chart ? [chart, note] : null;
  $('chart-section').hidden = !chart;
  if (!chart) return;
  const width = Math.max(300, Math.min(1200, Math.round($('size-chart').clientWidth || 640)));
  $('size-chart').replaceChildren(sizeChart(chart.points, width));
  $('mix-chart').replaceChildren(mixChart(chart.mix));
  $('size-caption').textContent = `Entries in the tree after each record${note ? `, ${note}` : ''}.`;
  $('mix-caption').textContent = `Operations in the log${note ? `, ${note}` : ''}.`;
}

// The size chart is drawn at its real width (its text stays readable): again when that changes.
let drawnWidth = 0;
new ResizeObserver(() => {
  const width = $('size-chart').clientWidth;
  if (shownCharts && width && Math.abs(width - drawnWidth) > 20) renderCharts(...shownCharts);
  drawnWidth = width;
}).observe($('size-chart'));

// ---------------------------------------------------------------- the replayed tree

function download(name, data, type) {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const link = element('a', { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function answerBox(box, kind, ...content) {
  box.className = `answer ${kind}`;
  box.replaceChildren(...content);
}

/** A value in hex, with the debt it is in a tree of a Basis shape (the worker's `debt`, or null). */
function valueLine(hex, debt) {
  return [element('code', { class: 'hex' }, hex), debt !== null && debt !== undefined ? ` = debt ${count(debt)} (8 bytes big-endian)` : ''];
}

function lookupFigures(found, proof) {
  return element(
    'dl',
    { class: 'figures-list' },
    element('dt', {}, 'Key'),
    element('dd', {}, element('code', { class: 'hex' }, found.key)),
    element('dt', {}, 'Value'),
    element('dd', {}, ...(found.value === null ? ['not in the tree'] : valueLine(found.value, found.debt))),
    element('dt', {}, 'Proof'),
    element('dd', {}, ...[].concat(proof)),
  );
}

$('lookup-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const box = $('lookup-result');
  const keyText = $('lookup-key').value.trim();
  const query = {};
  if (keyText) {
    query.key = cleanHex(keyText);
    if (!query.key) return answerBox(box, 'bad', 'The key must be hex.');
  } else {
    query.issuer = cleanHex($('lookup-issuer').value);
    query.recipient = cleanHex($('lookup-recipient').value);
    if (!query.issuer || !query.recipient) return answerBox(box, 'bad', 'Enter a key, or both public keys in hex.');
  }
  try {
    const found = await request({ type: 'lookup', ...query });
    const proofJson = JSON.stringify(
      {
        format: 'basis-trees-lookup-proof',
        digest: found.digest,
        keyLength: found.keyLength,
        valueLength: found.valueLength,
        key: found.key,
        value: found.value,
        proof: found.proof,
      },
      null,
      2,
    );
    const save = element('button', { type: 'button', class: 'secondary' }, 'Download the lookup proof');
    save.addEventListener('click', () => download(`lookup-proof-${found.key.slice(0, 16)}.json`, `${proofJson}\n`, 'application/json'));
    const check = element('button', { type: 'button', class: 'secondary' }, 'Check it below');
    check.addEventListener('click', () => {
      $('proof-digest').value = found.digest;
      $('proof-digest').dataset.filled = found.digest;
      // Asked for by the user, the replayed tree's root is filled in, saying what vouches for it.
      $('proof-digest-hint').textContent = vouched && vouched.root === found.digest
        ? `Filled with ${vouched.what}, which the verified log ends at.`
        : 'Filled with the root of the replayed tree: the log was verified with nothing from the chain, so nothing vouches for this root.';
      $('proof-key').value = found.key;
      $('proof-bytes').value = found.proof;
      $('proof-digest').focus();
    });
    answerBox(
      box,
      found.value === null ? 'absent' : 'ok',
      lookupFigures(found, [`${count(found.proof.length / 2)} bytes against root `, element('code', { class: 'hex' }, found.digest)]),
      element('p', { class: 'actions' }, save, ' ', check),
    );
  } catch (err) {
    answerBox(box, 'bad', element('code', { class: 'code' }, err.code || 'ERROR'), ` ${err.message}`);
  }
});

$('snapshot-button').addEventListener('click', async () => {
  try {
    const { bytes, digest } = await request({ type: 'snapshot' });
    download(`tree-${digest.slice(0, 16)}.snap`, bytes, 'application/octet-stream');
    $('snapshot-result').textContent = `${byteSize(bytes.length)}, root ${digest.slice(0, 16)}…`;
  } catch (err) {
    $('snapshot-result').textContent = `${err.code || 'Error'}: ${err.message}`;
  }
});

$('proof-file').addEventListener('change', async () => {
  const file = $('proof-file').files[0];
  // Emptied, so that the same file chosen again (after an edit) is read again.
  $('proof-file').value = '';
  if (file) $('proof-bytes').value = await file.text();
});

$('proof-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const box = $('proof-result');
  let digest = $('proof-digest').value;
  let key = $('proof-key').value;
  let proof = $('proof-bytes').value.trim();
  let shape;
  try {
    // A field left empty follows the shape of the last log verified (else the tracker's 32/any);
    // a shape nobody gave (`assumed`) gives way to the shape of a box or register in the digest.
    const asked = readOptions().shape;
    const known = verifiedShape || { keyLength: 32, valueLength: null };
    shape = {
      keyLength: asked.keyLength !== undefined ? asked.keyLength : known.keyLength,
      valueLength: asked.valueLength !== undefined ? asked.valueLength : known.valueLength,
      assumed: asked.keyLength === undefined && asked.valueLength === undefined,
    };
  } catch (err) {
    return answerBox(box, 'bad', err.message);
  }
  if (proof.startsWith('{')) {
    try {
      const bundle = JSON.parse(proof);
      digest = digest.trim() || bundle.digest || '';
      key = key.trim() || bundle.key || '';
      $('proof-digest').value = digest;
      $('proof-key').value = key;
      proof = bundle.proof || '';
      if (Number.isInteger(bundle.keyLength)) shape = { keyLength: bundle.keyLength, valueLength: bundle.valueLength ?? null, assumed: false };
    } catch {
      return answerBox(box, 'bad', 'The pasted proof is neither hex nor the JSON of a downloaded proof.');
    }
  }
  // What the digest field holds (a digest, a register, a box) the package decides.
  digest = digest.trim();
  [key, proof] = [cleanHex(key), cleanHex(proof)];
  if (!digest) return answerBox(box, 'bad', 'Enter the digest: 33 bytes in hex, the tracker’s box or its R5 register.');
  if (!key) return answerBox(box, 'bad', 'The key must be hex.');
  if (!proof) return answerBox(box, 'bad', 'The proof must be hex.');
  try {
    const checked = await request({ type: 'verifyProof', digest, key, proof, ...shape });
    answerBox(
      box,
      'ok',
      element('strong', {}, 'Valid proof'),
      checked.value === null ? ': the key is not in the tree with root ' : ': in the tree with root ',
      element('code', { class: 'hex' }, checked.digest),
      ...(checked.value === null ? ['.'] : [', the key holds ', ...valueLine(checked.value, checked.debt), '.']),
    );
  } catch (err) {
    // Fields that do not read (a digest that is no commitment, say) are not a verdict on the proof.
    const unread = ['INVALID_ARGUMENT', 'BOX_INVALID', 'REGISTER_INVALID'].includes(err.code);
    answerBox(box, 'bad', element('strong', {}, unread ? 'Not checked' : 'Invalid proof'), ': ', element('code', { class: 'code' }, err.code || 'ERROR'), ` ${err.message}`);
  }
});

// ---------------------------------------------------------------- the worker's messages

worker.addEventListener('message', ({ data: message }) => {
  if (message.type === 'ready') {
    ready = true;
    document.documentElement.dataset.ready = 'true';
    return;
  }
  if (message.type === 'fatal') {
    setVerdict('error', element('strong', {}, 'The verifier did not start'), `: ${message.message}`);
    return;
  }
  if (message.type === 'reply') {
    const pending = replies.get(message.id);
    if (!pending) return;
    replies.delete(message.id);
    if (message.ok) pending.resolve(message.result);
    else pending.reject(Object.assign(new Error(message.error.message), message.error));
    return;
  }
  // Messages of a verification that was replaced or cancelled are stale.
  if (!running || message.id !== running.id) return;
  if (message.type === 'started' || message.type === 'progress') renderProgress({ records: 0, read: 0, ...message, elapsedMs: message.elapsedMs || 0 });
  else if (message.type === 'verified') onVerified(message);
  else if (message.type === 'failed') onFailed(message);
  else if (message.type === 'cancelled') onCancelled(message);
});

worker.addEventListener('error', (event) => {
  setVerdict('error', element('strong', {}, 'The verifier stopped'), `: ${event.message || 'the worker failed to load'}`);
});

// The demo log is there only when the page is served by `make serve`.
fetch(new URL('demo/index.json', document.baseURI), { cache: 'no-store' })
  .then((response) => (response.ok ? response.json() : { logs: [] }))
  .then(({ logs }) => ($('demo-row').hidden = !logs.includes('tracker.bin')))
  .catch(() => {});
fetch(new URL('pkg/package.json', document.baseURI), { cache: 'no-store' })
  .then((response) => (response.ok ? response.json() : null))
  .then((manifest) => manifest && ($('package-version').textContent = manifest.version))
  .catch(() => {});
