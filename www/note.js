// "Check a note": a Basis note, the tracker's signature answer and its proof answer, checked in a
// worker against the tracker's box given above (www/note-worker.js). A verdict per check.
const $ = (id) => document.getElementById(id);
const worker = new Worker(new URL('./note-worker.js', import.meta.url), { type: 'module' });

const WORDS = { passed: 'Passed', failed: 'Failed', notChecked: 'Not checked' };

function show(answer) {
  const out = $('note-result');
  out.replaceChildren();
  if (!answer.ok) {
    const error = document.createElement('p');
    error.className = 'form-error';
    error.setAttribute('role', 'alert');
    error.textContent = `${answer.code ? `${answer.code}: ` : ''}${answer.message}`;
    out.append(error);
    out.dataset.verdict = 'error';
    return;
  }
  const { checks, key, totalDebt, timestamp } = answer.result;
  const failed = checks.some((c) => c.status === 'failed');
  out.dataset.verdict = failed ? 'failed' : 'passed';
  const head = document.createElement('p');
  head.className = failed ? 'note-verdict failed' : 'note-verdict passed';
  head.textContent = `${failed ? 'This note does not hold' : 'No check failed'}: total debt ${totalDebt} at ${new Date(Number(timestamp)).toISOString()}, key ${key}`;
  const list = document.createElement('ul');
  list.className = 'note-checks';
  for (const check of checks) {
    const item = document.createElement('li');
    item.dataset.status = check.status;
    item.dataset.check = check.name;
    const label = document.createElement('strong');
    label.textContent = `${WORDS[check.status]} — ${check.name}: `;
    item.append(label, check.detail);
    list.append(item);
  }
  out.append(head, list);
}

worker.onmessage = (event) => show(event.data);

$('note-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const note = $('note-json').value.trim();
  if (!note) return show({ ok: false, message: 'paste a note (its JSON) first' });
  worker.postMessage({
    note,
    trackerBox: $('tracker-box').value.trim() || undefined,
    trackerSignature: $('note-signature').value.trim() || undefined,
    proof: $('note-proof').value.trim() || undefined,
  });
});
