// The two small charts of a replay, as inline SVG built element by element (no library): the
// number of entries in the tree after each record, and the mix of operations.
import { count } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';

function el(name, attributes = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** An <svg> that scales to its container, with a title and description for screen readers. */
function frame(width, height, title, description) {
  const id = `chart-${Math.random().toString(36).slice(2, 8)}`;
  const svg = el('svg', {
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-labelledby': `${id}-title ${id}-desc`,
    preserveAspectRatio: 'xMidYMid meet',
  });
  svg.append(el('title', { id: `${id}-title` }, title), el('desc', { id: `${id}-desc` }, description));
  return svg;
}

/** A round number at or above `n` (1, 2, 5 × 10^k), for the top of an axis. */
function niceCeiling(n) {
  if (n <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 2, 5, 10]) if (step * power >= n) return step * power;
  return 10 * power;
}

/**
 * Entries in the tree (y) after each record (x); `points` is `[records, entries][]`. `width` is
 * the width it will be shown at, so that its text is drawn at its real size.
 */
export function sizeChart(points, width = 640) {
  const height = 240;
  const pad = { left: 64, right: 16, top: 26, bottom: 40 };
  const lastRecords = points[points.length - 1][0];
  const peak = points.reduce((max, [, entries]) => Math.max(max, entries), 0);
  const final = points[points.length - 1][1];
  const xMax = Math.max(1, lastRecords);
  const yMax = niceCeiling(peak);
  const x = (records) => pad.left + (records / xMax) * (width - pad.left - pad.right);
  const y = (entries) => height - pad.bottom - (entries / yMax) * (height - pad.top - pad.bottom);

  const svg = frame(
    width,
    height,
    'Entries in the tree over the log',
    `After ${count(lastRecords)} records the tree holds ${count(final)} entries; at most ${count(peak)}.`,
  );
  const axes = el('g', { class: 'axes' });
  for (const fraction of [0, 0.5, 1]) {
    const value = Math.round(yMax * fraction);
    axes.append(
      el('line', { x1: pad.left, x2: width - pad.right, y1: y(value), y2: y(value), class: fraction === 0 ? 'axis' : 'grid' }),
      el('text', { x: pad.left - 8, y: y(value) + 4, 'text-anchor': 'end' }, count(value)),
    );
  }
  axes.append(
    el('line', { x1: pad.left, x2: pad.left, y1: pad.top, y2: height - pad.bottom, class: 'axis' }),
    el('text', { x: pad.left, y: height - pad.bottom + 18, 'text-anchor': 'start' }, '0'),
    el('text', { x: width - pad.right, y: height - pad.bottom + 18, 'text-anchor': 'end' }, count(lastRecords)),
    el('text', { x: (pad.left + width - pad.right) / 2, y: height - 6, 'text-anchor': 'middle', class: 'label' }, 'records'),
    el('text', { x: pad.left + 6, y: 14, 'text-anchor': 'start', class: 'label' }, 'entries'),
  );
  svg.append(axes);

  const line = points.map(([r, e], i) => `${i ? 'L' : 'M'}${x(r).toFixed(1)},${y(e).toFixed(1)}`).join('');
  const area = `${line}L${x(lastRecords).toFixed(1)},${y(0)}L${x(0)},${y(0)}Z`;
  svg.append(el('path', { d: area, class: 'size-area' }), el('path', { d: line, class: 'size-line' }));
  return svg;
}

const KINDS = [
  ['insert', 'inserts'],
  ['update', 'updates'],
  ['remove', 'removes'],
];

/** One bar split by operation type, and a legend (HTML, readable at any width) with counts and shares. */
export function mixChart(mix) {
  const width = 640;
  const height = 28;
  const total = KINDS.reduce((n, [kind]) => n + (mix[kind] || 0), 0) || 1;
  const share = (n) => `${((100 * n) / total).toFixed(n && n < total / 100 ? 1 : 0)}%`;
  const svg = frame(
    width,
    height,
    'Operations in the log',
    KINDS.map(([kind, plural]) => `${count(mix[kind] || 0)} ${plural} (${share(mix[kind] || 0)})`).join(', '),
  );
  svg.setAttribute('class', 'mix-bar');
  svg.setAttribute('preserveAspectRatio', 'none');
  const legend = document.createElement('ul');
  legend.className = 'legend';
  let at = 0;
  for (const [kind, plural] of KINDS) {
    const n = mix[kind] || 0;
    const w = (n / total) * width;
    if (w > 0) svg.append(el('rect', { x: at, y: 0, width: w, height, class: `mix-${kind}` }));
    at += w;
    const item = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = `swatch mix-${kind}`;
    swatch.setAttribute('aria-hidden', 'true');
    item.append(swatch, `${plural} ${count(n)} (${share(n)})`);
    legend.append(item);
  }
  const figure = document.createDocumentFragment();
  figure.append(svg, legend);
  return figure;
}
