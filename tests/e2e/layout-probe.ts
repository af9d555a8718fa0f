/**
 * What the dashboards e2e test runs inside the page to find content that does not fit: text that
 * reaches past its panel (or past a box that clips it: the cut-off "件"), a panel whose content
 * scrolls, and two labels of one chart drawn on each other (ECharts' label rectangles from the
 * zrender display list, through the `wmsjChart` test hook). Kept as page source (a string): the
 * tests compile without the DOM's types.
 *
 * Returns a list of findings, each naming the panel and the text; empty when everything fits.
 * Deliberate clipping is exempt: text cut with an ellipsis (it shows the cut), the map's own panes,
 * and boxes marked `data-clip` (the rolling digits, the scroll board), which are checked as a whole.
 */
export const LAYOUT_PROBE = `(() => {
  const SLACK = 1.5;
  const out = [];
  const inside = (r, box) =>
    r.left >= box.left - SLACK && r.right <= box.right + SLACK && r.top >= box.top - SLACK && r.bottom <= box.bottom + SLACK;
  const clips = (el) => {
    const s = getComputedStyle(el);
    return s.overflowX !== 'visible' || s.overflowY !== 'visible';
  };
  const shown = (el) => {
    const s = getComputedStyle(el);
    return s.visibility !== 'hidden' && s.display !== 'none' && Number(s.opacity) > 0.05;
  };
  const say = (text) => text.replace(/\\s+/g, ' ').trim().slice(0, 40);
  for (const panel of document.querySelectorAll('[data-panel]')) {
    const id = panel.getAttribute('data-panel');
    const frame = panel.getBoundingClientRect();
    for (const el of [panel, ...panel.querySelectorAll(':scope > *')]) {
      if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)
        out.push(id + ': content scrolls (' + el.scrollWidth + '×' + el.scrollHeight + ' in ' + el.clientWidth + '×' + el.clientHeight + ')');
    }
    const walker = document.createTreeWalker(panel, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || !node.textContent.trim()) continue;
      if (el.closest('.leaflet-container') || el.closest('[aria-hidden="true"]:not([data-clip])')) continue;
      const unit = el.closest('[data-clip]');
      let target = el;
      let rect;
      if (unit && panel.contains(unit)) {
        target = unit;
        rect = unit.getBoundingClientRect();
      } else {
        if (getComputedStyle(el).textOverflow === 'ellipsis') continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        rect = range.getBoundingClientRect();
      }
      if (rect.width < 1 || rect.height < 1) continue;
      let hidden = false;
      for (let a = target; a && a !== panel.parentElement; a = a.parentElement) if (!shown(a)) hidden = true;
      if (hidden) continue;
      if (!inside(rect, frame)) {
        out.push(id + ': "' + say(node.textContent) + '" reaches past the panel');
        continue;
      }
      for (let a = target.parentElement; a && panel.contains(a); a = a.parentElement) {
        if (clips(a) && !inside(rect, a.getBoundingClientRect())) {
          out.push(id + ': "' + say(node.textContent) + '" is cut off by its box');
          break;
        }
      }
    }
    for (const dom of panel.querySelectorAll('[_echarts_instance_]')) {
      const chart = window.wmsjChart(dom);
      if (!chart) continue;
      const labels = new Map();
      for (const el of chart.getZr().storage.getDisplayList()) {
        if (el.type !== 'tspan' || el.invisible || !el.style || !el.style.text) continue;
        const owner = el.parent || el;
        const r = el.getBoundingRect().clone();
        if (el.transform) r.applyTransform(el.transform);
        if (r.width < 1 || r.height < 1) continue;
        const prev = labels.get(owner);
        if (prev) prev.rect.union(r);
        else labels.set(owner, { text: el.style.text, rect: r });
      }
      const list = [...labels.values()];
      for (let i = 0; i < list.length; i += 1)
        for (let j = i + 1; j < list.length; j += 1) {
          const a = list[i].rect;
          const b = list[j].rect;
          const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
          const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
          if (w > SLACK && h > SLACK) out.push(id + ': chart labels "' + say(list[i].text) + '" and "' + say(list[j].text) + '" overlap');
        }
    }
  }
  return out;
})()`;
