// Horizontal bar charts as inline SVG: a person sees the shape at a glance, and the numbers
// are printed on the bars for anyone who wants them. No chart library: a few bars do not
// need 300 KB.
const ns = 'http://www.w3.org/2000/svg';

function el(tag, attrs, text) {
  const e = document.createElementNS(ns, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

// bars: [{label, value, mark?, tone?}]; mark draws a target line (0..max), tone colours a bar
// ('warn', 'bad'). The widest bar is `max` (default: the largest value).
export function barChart(bars, { max, unit = '' } = {}) {
  const top = Math.max(1, max ?? Math.max(...bars.map((b) => Math.max(b.value, b.mark ?? 0)), 1));
  const row = 28, labelWidth = 110, width = 520;
  const svg = el('svg', { viewBox: `0 0 ${width} ${bars.length * row + 4}`, class: 'chart', role: 'img' });
  bars.forEach((b, i) => {
    const y = i * row + 2;
    const w = Math.round(((width - labelWidth - 60) * b.value) / top);
    svg.append(el('text', { x: 0, y: y + 18, class: 'label' }, b.label));
    svg.append(el('rect', { x: labelWidth, y, width: Math.max(w, 1), height: row - 8, rx: 3,
      class: `bar ${b.tone ?? ''}` }));
    if (b.mark !== undefined) {
      const x = labelWidth + Math.round(((width - labelWidth - 60) * b.mark) / top);
      svg.append(el('line', { x1: x, x2: x, y1: y - 2, y2: y + row - 6, class: 'mark' }));
    }
    svg.append(el('text', { x: labelWidth + Math.max(w, 1) + 6, y: y + 16, class: 'value' }, `${b.value}${unit}`));
  });
  return svg;
}

// A row of small columns, one per value (the hours of a day): the shape of a day at a glance;
// the tallest column is the largest value, each column's title tells its value.
export function sparkColumns(values, titles = []) {
  const top = Math.max(1, ...values);
  const width = 240, height = 36, gap = 2;
  const w = Math.max(2, Math.floor(width / Math.max(values.length, 1)) - gap);
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart spark', role: 'img' });
  values.forEach((v, i) => {
    const hgt = v ? Math.max(2, Math.round((height - 2) * v / top)) : 1;
    const bar = el('rect', { x: i * (w + gap), y: height - hgt, width: w, height: hgt, class: `bar${v ? '' : ' empty'}` });
    bar.append(el('title', {}, `${titles[i] ?? ''} ${v}`));
    svg.append(bar);
  });
  return svg;
}
