/**
 * The dashboard page's script, as the browser runs it (no build step, no dependency): it polls
 * `/dashboard/data` every 2 s and draws each panel as an SVG line chart with a legend of totals.
 * Colours live in the page's style sheet (classes `c0`…`c7`, `dashed`): the CSP allows no style
 * attributes.
 */
export const DASHBOARD_SCRIPT = `
'use strict';
const SVG = 'http://www.w3.org/2000/svg';
const W = 360;
const H = 120;
const COLOURS = 8;
const panelsEl = document.getElementById('panels');
const statusEl = document.getElementById('status');
const rangeEl = document.getElementById('range');
const cards = new Map();
let timer;

const node = (tag, attrs, text) => {
  const made = tag.startsWith('svg:') ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) made.setAttribute(name, String(value));
  if (text !== undefined) made.textContent = text;
  return made;
};

const format = (value, unit) => {
  if (value === null || value === undefined) return '\\u2013';
  const text = Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 1 : 0);
  return unit === 'Milliseconds' ? text + ' ms' : text;
};

/** A round top for the y axis: 1, 2 or 5 times a power of ten. */
const roundUp = (value) => {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((n) => n * power).find((n) => n >= value);
};

const cardFor = (panel) => {
  let card = cards.get(panel.id);
  if (card) return card;
  const section = node('section', { class: 'panel', 'data-panel': panel.id });
  const svg = node('svg:svg', { viewBox: '0 0 ' + W + ' ' + (H + 16), role: 'img', 'aria-label': panel.title });
  const legend = node('ul', { class: 'legend' });
  section.append(node('h2', {}, panel.title), svg, legend);
  panelsEl.append(section);
  card = { svg, legend };
  cards.set(panel.id, card);
  return card;
};

const draw = (panel, data) => {
  const { svg, legend } = cardFor(panel);
  const unit = panel.unit;
  const values = panel.lines.flatMap((line) => line.values).filter((v) => v !== null);
  const top = roundUp(Math.max(0, ...values));
  const x = (n) => (data.points > 1 ? (n / (data.points - 1)) * W : W / 2);
  const y = (v) => H - (v / top) * (H - 4);
  svg.replaceChildren();
  for (const share of [0, 0.5, 1]) {
    svg.append(node('svg:line', { class: 'grid', x1: 0, x2: W, y1: y(top * share), y2: y(top * share) }));
  }
  svg.append(node('svg:text', { class: 'axis', x: 2, y: 10 }, format(top, unit)));
  svg.append(node('svg:text', { class: 'axis', x: 2, y: H + 14 }, '-' + Math.round((data.points * data.step) / 60) + ' min'));
  svg.append(node('svg:text', { class: 'axis', x: W - 2, y: H + 14, 'text-anchor': 'end' }, 'now'));
  legend.replaceChildren();
  // A series' p50 and p99 share its colour; the p99 is dashed.
  const bases = [];
  panel.lines.forEach((line) => {
    const base = line.label.replace(/(^| )p(50|99)$/, '');
    if (!bases.includes(base)) bases.push(base);
    const colour = 'c' + (bases.indexOf(base) % COLOURS) + (/p99$/.test(line.label) ? ' dashed' : '');
    let path = '';
    let pen = 'M';
    line.values.forEach((v, n) => {
      if (v === null) {
        pen = 'M';
        return;
      }
      path += pen + x(n).toFixed(1) + ' ' + y(v).toFixed(1) + ' ';
      pen = 'L';
    });
    if (path) svg.append(node('svg:path', { class: 'series ' + colour, d: path }));
    const item = node('li', { 'data-line': line.label });
    item.append(node('span', { class: 'swatch ' + colour }), node('span', { class: 'label' }, line.label + ' '));
    item.append(node('b', { class: 'value' }, format(line.total, unit)));
    legend.append(item);
  });
  if (panel.lines.length === 0) legend.append(node('li', { class: 'none' }, 'none yet'));
};

const poll = async () => {
  clearTimeout(timer);
  try {
    const answer = await fetch('/dashboard/data?range=' + rangeEl.value, { cache: 'no-store' });
    if (!answer.ok) throw new Error('HTTP ' + answer.status);
    const data = await answer.json();
    for (const panel of data.panels) draw(panel, data);
    statusEl.className = '';
    statusEl.textContent = 'Updated ' + new Date().toLocaleTimeString() + ', ' + data.step + ' s a point; totals over the range';
  } catch (error) {
    statusEl.className = 'error';
    statusEl.textContent = 'Cannot reach the emulator (' + error.message + '); retrying';
  }
  timer = setTimeout(poll, 2000);
};
rangeEl.addEventListener('change', poll);
poll();
`;
