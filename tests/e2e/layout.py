"""What a phone screen must never show, measured in Chromium (issue 20).

`layout_problems(page)` lists, for the page as laid out now:
- a list bullet beside a card;
- horizontal overflow: the document wider than the viewport (sideways scrolling),
  with the elements that stick out;
- tap targets (visible links, buttons, disclosure summaries, selects and text inputs)
  smaller than 24 × 24 CSS px (WCAG 2.2, 2.5.8: a link inside a sentence is exempt)
  or whose boxes intersect another target's. Targets in a fixed or sticky bar are
  compared with their own bar only: the page scrolls under it. A target whose link
  another, faultless target also offers (a map marker and the list below the map)
  is exempt (WCAG's "equivalent" exception).
"""

from __future__ import annotations

MIN_TARGET_PX = 24

_CHECK = """(minPx) => {
  const doc = document.documentElement;
  const width = doc.clientWidth;
  const problems = [];
  const text = (el) => (el.innerText ?? el.textContent ?? '').trim();
  const name = (el) => {
    const label = (text(el) || el.value || el.getAttribute('aria-label') || '')
      .replace(/\\s+/g, ' ').slice(0, 40);
    const cls = el.className && typeof el.className === 'string'
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    return `<${el.tagName.toLowerCase()}${cls}> "${label}"`;
  };
  if (doc.scrollWidth > width) {
    const out = [...document.body.querySelectorAll('*')].filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && (r.right > width + 1 || r.left < -1)
        && el.checkVisibility({checkVisibilityCSS: true});
    }).filter((el, _i, all) => !all.includes(el.parentElement)).slice(0, 4);
    problems.push(`sideways scrolling: the page is ${doc.scrollWidth} px wide in a `
      + `${width} px viewport (${out.map(name).join(', ')})`);
  }
  for (const li of document.querySelectorAll('li')) {
    const cs = getComputedStyle(li);
    const card = li.matches('.card, .tile') || li.querySelector(':scope > .card');
    if (card && cs.display === 'list-item' && cs.listStyleType !== 'none'
        && li.checkVisibility({checkVisibilityCSS: true})) {
      problems.push(`a list bullet beside a card: ${name(li)}`);
    }
  }
  const layer = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const p = getComputedStyle(e).position;
      if (p === 'fixed' || p === 'sticky') return e;
    }
    return null;
  };
  const selector = 'a[href], button, summary, select, textarea, [role=button], '
    + 'input:not([type=hidden]):not([type=checkbox]):not([type=radio])';
  const targets = [...document.querySelectorAll(selector)].map((el) => {
    const rects = [...el.getClientRects()].filter((r) => r.width > 1 && r.height > 1);
    return {el, rects, layer: layer(el)};
  }).filter(({el, rects}) => rects.length
    && el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})
    && rects.some((r) => r.right > 0 && r.left < width));
  const inSentence = (el) => getComputedStyle(el).display === 'inline'
    && el.parentElement
    && text(el.parentElement).length > text(el).length + 3;
  // each finding names the targets it is about; reported at the end
  const found = [];
  for (const {el} of targets) {
    const r = el.getBoundingClientRect();
    if ((r.width < minPx || r.height < minPx) && !inSentence(el)) {
      found.push({els: [el], text: `tap target ${Math.round(r.width)}×`
        + `${Math.round(r.height)} px (under ${minPx}×${minPx}): ${name(el)}`});
    }
  }
  const meet = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1
    && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  for (let i = 0; i < targets.length; i++) {
    for (let j = i + 1; j < targets.length; j++) {
      const a = targets[i], b = targets[j];
      if (a.layer !== b.layer || a.el.contains(b.el) || b.el.contains(a.el)) continue;
      if (a.rects.some((ra) => b.rects.some((rb) => meet(ra, rb)))) {
        found.push({els: [a.el, b.el],
          text: `tap targets overlap: ${name(a.el)} and ${name(b.el)}`});
      }
    }
  }
  // WCAG 2.5.8's "equivalent" exception: a target (a map's marker) whose link is
  // also offered by a target without any finding (the list under the map) is not
  // counted, nor is what it overlaps.
  const flagged = new Set(found.flatMap((f) => f.els));
  // (an SVG link's `href` is no string: resolve the attribute for both kinds)
  const href = (el) => el.hasAttribute('href')
    ? new URL(el.getAttribute('href'), document.baseURI).href : null;
  const clean = new Set(targets.filter(({el}) => !flagged.has(el) && href(el))
    .map(({el}) => href(el)));
  const covered = (el) => href(el) !== null && clean.has(href(el));
  for (const f of found) {
    if (!f.els.some(covered)) problems.push(f.text);
  }
  return problems;
}"""


def layout_problems(page) -> list[str]:
    """Overflow and tap-target problems of the page as it is laid out now."""
    return page.evaluate(_CHECK, MIN_TARGET_PX)
