// Small dependency-free SVG charts: columns over time and stacked horizontal bars. Every
// chart is an image with a spoken summary; the figures are also in a table beside it.
const NS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, text = null) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== null) el.textContent = text;
  return el;
}

function niceMax(value) {
  if (value <= 5) return 5;
  const step = 10 ** Math.floor(Math.log10(value));
  return Math.ceil(value / step) * step;
}

/** Columns for a series ({label, value}), e.g. comments per hour; ticks every `every` items. */
export function columnChart(series, { label, every = 24, format = String, height = 180 } = {}) {
  const width = 900;
  const pad = { top: 12, right: 8, bottom: 28, left: 44 };
  const max = niceMax(Math.max(0, ...series.map((d) => d.value)));
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const step = innerW / Math.max(1, series.length);
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label, class: 'chart' });
  for (const f of [0, 0.5, 1]) {
    const y = pad.top + innerH * (1 - f);
    root.append(svg('line', { x1: pad.left, x2: width - pad.right, y1: y, y2: y, class: 'grid' }));
    root.append(svg('text', { x: pad.left - 6, y: y + 4, 'text-anchor': 'end', class: 'tick' }, format(max * f)));
  }
  series.forEach((d, i) => {
    const h = max ? (d.value / max) * innerH : 0;
    const bar = svg('rect', {
      x: pad.left + i * step + step * 0.1, y: pad.top + innerH - h,
      width: Math.max(1, step * 0.8), height: h, class: 'bar',
    });
    bar.append(svg('title', {}, `${d.label}: ${format(d.value)}`));
    root.append(bar);
    if (i % every === 0) {
      root.append(svg('text', { x: pad.left + i * step, y: height - 8, class: 'tick' }, d.tick || d.label));
    }
  });
  return root;
}

/** Horizontal bars split into parts ({label, parts: [{name, value, kind}]}), with a legend. */
export function stackedBars(rows, { label, names, format = String } = {}) {
  const width = 900;
  const rowH = 26;
  const left = 220;
  const height = rows.length * rowH + 34;
  const max = niceMax(Math.max(0, ...rows.map((r) => r.parts.reduce((s, p) => s + p.value, 0))));
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label, class: 'chart' });
  rows.forEach((r, i) => {
    const y = i * rowH + 4;
    root.append(svg('text', { x: left - 8, y: y + 16, 'text-anchor': 'end', class: 'tick' }, r.label));
    let x = left;
    for (const p of r.parts) {
      const w = max ? (p.value / max) * (width - left - 60) : 0;
      const bar = svg('rect', { x, y, width: w, height: rowH - 8, class: `bar ${p.kind}` });
      bar.append(svg('title', {}, `${r.label} – ${names[p.kind]}: ${format(p.value)}`));
      root.append(bar);
      x += w;
    }
    root.append(svg('text', { x: x + 6, y: y + 16, class: 'tick' },
      format(r.parts.reduce((s, p) => s + p.value, 0))));
  });
  let lx = left;
  for (const [kind, name] of Object.entries(names)) {
    const y = rows.length * rowH + 12;
    root.append(svg('rect', { x: lx, y, width: 14, height: 14, class: `bar ${kind}` }));
    root.append(svg('text', { x: lx + 20, y: y + 12, class: 'tick' }, name));
    lx += 30 + name.length * 8;
  }
  return root;
}
