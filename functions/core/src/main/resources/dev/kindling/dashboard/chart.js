// Small SVG charts, drawn here (a few dozen lines instead of a chart library the page would download).
// Each is an image with a text alternative that says what it shows.
import { h, fmt } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';

function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs ?? {})) el.setAttribute(k, String(v));
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

/**
 * Bars per day: points [{day: 'YYYY-MM-DD', value}], format for the values.
 * The caption gives the total (or the average, for rates) and the highest day.
 */
export function dailyBars(title, points, format = fmt.num, { summary = 'total' } = {}) {
  const width = 600, height = 140, left = 4, bottom = 18, top = 6;
  const max = Math.max(0, ...points.map((p) => p.value || 0));
  const total = points.reduce((sum, p) => sum + (p.value || 0), 0);
  const best = points.reduce((a, p) => (a === null || (p.value || 0) > (a.value || 0) ? p : a), null);
  const headline = summary === 'average' ? `average ${format(points.length ? total / points.length : 0)}` : `total ${format(total)}`;
  const description = `${title} per day, ${fmt.day(points[0]?.day)} to ${fmt.day(points.at(-1)?.day)}: ${headline}`
    + (best && max > 0 ? `; highest ${format(best.value)} on ${fmt.day(best.day)}` : '');
  const svg = s('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': description });
  const step = (width - left) / Math.max(points.length, 1);
  points.forEach((p, i) => {
    const bh = max > 0 ? ((p.value || 0) / max) * (height - bottom - top) : 0;
    const bar = s('rect', { class: 'bar', x: left + i * step + step * 0.12, y: height - bottom - bh, width: Math.max(step * 0.76, 1), height: bh });
    bar.append(s('title', {}, `${fmt.day(p.day)}: ${format(p.value || 0)}`));
    svg.append(bar);
  });
  svg.append(s('line', { class: 'axis', x1: 0, x2: width, y1: height - bottom, y2: height - bottom }));
  if (points.length) {
    svg.append(s('text', { x: left, y: height - 4 }, fmt.day(points[0].day)));
    svg.append(s('text', { x: width - 4, y: height - 4, 'text-anchor': 'end' }, fmt.day(points.at(-1).day)));
  }
  return h('figure', { class: 'card' }, h('figcaption', {}, h('strong', {}, title), ' · ', headline), svg);
}

/** Horizontal bars for counts by name (stages, segments): rows [{label, value}]. */
export function countBars(title, rows, format = fmt.int) {
  const max = Math.max(1, ...rows.map((r) => r.value || 0));
  return h('figure', { class: 'card' }, h('figcaption', {}, h('strong', {}, title)),
    h('div', { class: 'hbars', role: 'list' }, rows.map((r) => [
      h('span', { role: 'listitem' }, r.label),
      h('span', { class: 'track', 'aria-hidden': 'true' }, h('span', { class: 'fill', style: `width:${((r.value || 0) / max) * 100}%; display:block` })),
      h('span', { class: 'num' }, format(r.value || 0)),
    ])));
}

/** Every day of a range, with the rows' values (days with nothing are 0). */
export function perDay(from, to, rows, key) {
  const byDay = new Map(rows.map((r) => [r.day, r[key]]));
  const out = [];
  for (let d = new Date(from + 'T00:00:00Z'); d <= new Date(to + 'T00:00:00Z'); d.setUTCDate(d.getUTCDate() + 1)) {
    const day = d.toISOString().slice(0, 10);
    out.push({ day, value: Number(byDay.get(day) ?? 0) });
  }
  return out;
}
