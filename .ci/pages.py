#!/usr/bin/env python3
"""Opens one page of every type of a built Baton site in headless Chromium and fails when a
person could not read it.

Usage: pages.py OUTPUT_DIR [SHOTS_DIR] [AXE_JS] [MORE_SITE_DIR...]

Every page type (each top-level page, and the first page of each folder: sdr/, ae/, pod/, pair/,
review/, playbook/, handoffs/) is opened at three widths, each in light and in dark mode:

- desktop, 1400 px wide;
- a narrow desktop window, 500 px (the narrowest a desktop browser window usually allows);
- a phone, 390 px, with mobile emulation (touch, the viewport meta tag honoured).

and fails when
- the page is wider than the window (the document scrolls sideways);
- content is clipped: an element's text overflows a box that hides its overflow, or a table
  cell's content is wider than the cell;
- a table needs a sideways scroll at 1400 px (a `.table-wrap` wider than its box);
- any visible text is drawn under 9 px: HTML text by its computed font size, SVG text by its
  font size times the scale the SVG is drawn at;
- axe-core (when its script is given) reports any violation, in light and in dark mode.

Screenshots of every page at 1400 px and 390 px, light and dark, go to SHOTS_DIR when given
(an empty SHOTS_DIR takes none). PAGES=index.html,sdr/s01.html limits a run to those pages.
MORE_SITE_DIRs (.ci/run passes the sites built from the public datasets, examples/olist and
examples/zoho) are checked the same way, each named in its failures, their screenshots under
SHOTS_DIR/<folder name>. Chromium is driven through .ci/webdriver.py, as site_check.py does.
"""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webdriver import Browser, Site

out_dir = os.path.abspath(sys.argv[1])
shots = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2] else None
axe_js = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else None
# Further sites (the public-dataset examples), each checked the same way; their screenshots go
# to SHOTS_DIR/<the site folder's name>.
more = [os.path.abspath(d) for d in sys.argv[4:]]
failures = []

def fail(msg):
    failures.append(msg)
    print("FAIL", msg)

def page_types(site_dir):
    """One page of every type of the site in `site_dir`."""
    pages = []
    for name in sorted(os.listdir(site_dir)):
        path = os.path.join(site_dir, name)
        if name.endswith(".html"):
            pages.append(name)
        elif os.path.isdir(path) and name != "assets":
            inner = sorted(f for f in os.listdir(path) if f.endswith(".html"))
            if name == "playbook":
                pages += [f"{name}/{f}" for f in inner]   # each playbook page has its own layout
            elif inner:
                pages.append(f"{name}/{inner[0]}")
    # PAGES=index.html,sdr/s01.html limits the run to those pages (while working on one).
    if os.environ.get("PAGES"):
        pages = [p for p in os.environ["PAGES"].split(",") if os.path.isfile(os.path.join(site_dir, p))]
    return pages

# (name, width, height, mobile)
VIEWS = [("desktop", 1400, 900, False), ("narrow", 500, 900, False), ("phone", 390, 844, True)]
THEMES = ["light", "dark"]

# What a person cannot read, measured in the page. Returns a list of problems.
MEASURE = r"""
const desktop = arguments[0], width = arguments[1];
const problems = [];
const doc = document.documentElement;
const describe = (el) => {
  let s = el.tagName.toLowerCase();
  if (el.id) s += '#' + el.id;
  const cls = (el.getAttribute('class') || '').trim();
  if (cls) s += '.' + cls.split(/\s+/).join('.');
  const t = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
  return t ? `${s} "${t}"` : s;
};
const hidden = (el) => {
  for (let e = el; e && e !== doc; e = e.parentElement) {
    const cs = getComputedStyle(e);
    if (cs.display === 'none' || cs.visibility === 'hidden') return true;
    if (cs.clipPath === 'inset(50%)') return true;   // hidden for the eye, read aloud
    if (e.classList && (e.classList.contains('visually-hidden') || e.classList.contains('skip-link'))) return true;
  }
  return false;
};
// On a phone the layout viewport grows to fit what is too wide, so compare with the width
// the page was opened at.
if (doc.scrollWidth > width + 1 || window.innerWidth > width + 1) {
  const out = [...document.body.querySelectorAll('*')]
    .filter(e => !hidden(e) && e.getBoundingClientRect().right > width + 1)
    .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= width + 1);
  problems.push(`page is ${Math.max(doc.scrollWidth, window.innerWidth)}px wide in a ${width}px window` +
    (out.length ? `: ${out.slice(0, 3).map(describe).join('; ')}` : ''));
}
// A figures table keeps every column in view at every width (its Change column last).
for (const w of document.querySelectorAll('.table-wrap')) {
  if (w.querySelector('table.figs') && w.scrollWidth > w.clientWidth + 1)
    problems.push(`figures table needs a sideways scroll: ${describe(w.querySelector('caption') || w)} is ${w.scrollWidth}px in ${w.clientWidth}px`);
}
for (const el of document.body.querySelectorAll('*')) {
  if (hidden(el)) continue;
  const cs = getComputedStyle(el);
  const clips = ['hidden', 'clip'].includes(cs.overflowX) || cs.textOverflow === 'ellipsis';
  if (clips && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) {
    problems.push(`clipped: ${describe(el)} needs ${el.scrollWidth}px, shows ${el.clientWidth}px`);
  }
  if ((el.tagName === 'TD' || el.tagName === 'TH') && el.scrollWidth > el.clientWidth + 1) {
    problems.push(`cell overflows: ${describe(el)} needs ${el.scrollWidth}px, has ${el.clientWidth}px`);
  }
  if (el.classList.contains('table-wrap') && desktop && el.scrollWidth > el.clientWidth + 1) {
    problems.push(`table needs a sideways scroll at ${window.innerWidth}px: ${describe(el.querySelector('table') || el)} is ${el.scrollWidth}px in ${el.clientWidth}px`);
  }
}
// Text size: every element with its own visible text.
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
const seen = new Set();
for (let n = walker.nextNode(); n; n = walker.nextNode()) {
  if (!n.textContent.trim()) continue;
  const el = n.parentElement;
  if (!el || seen.has(el)) continue;
  seen.add(el);
  if (hidden(el) || el.closest('title, desc, style, script')) continue;
  let size = parseFloat(getComputedStyle(el).fontSize);
  if (el instanceof SVGElement) {
    const svg = el.ownerSVGElement || el;
    const m = el.getScreenCTM();
    if (m) size *= Math.hypot(m.a, m.b);
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
  } else {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
  }
  if (size < 9) problems.push(`text under 9px (${size.toFixed(1)}px): ${describe(el)}`);
}
return problems;
"""

axe_src = open(axe_js, encoding="utf-8").read() if axe_js else None

def check(b, site_dir, shots_dir, label):
    """Opens every page type of the site in `site_dir` at every width and theme; returns the
    number of views checked."""
    pages = page_types(site_dir)
    if shots_dir:
        os.makedirs(shots_dir, exist_ok=True)
    checked = 0
    with Site(site_dir) as site:
        for view, width, height, mobile in VIEWS:
            for theme in THEMES:
                b.emulate(width, height, mobile, theme)
                for rel in pages:
                    b.goto(site.url(rel))
                    where = f"{label}{rel} at {width}px {theme}"
                    for problem in b.js(MEASURE, view == "desktop", width):
                        fail(f"{where}: {problem}")
                    if axe_src and view in ("desktop", "phone"):
                        for v in b.axe(axe_src):
                            fail(f"{where}: axe {v[1]} {v[0]}: {v[2]} {v[3]}")
                    if shots_dir and view in ("desktop", "phone"):
                        b.screenshot(os.path.join(shots_dir, f"{rel.replace('/', '_')[:-5]}-{view}-{theme}.png"))
                    checked += 1
    print(f"pages: {label or out_dir + ' '}{len(pages)} page types, {checked} views checked")
    return checked

checked = 0
with Browser(hide_scrollbars=True) as b:
    checked += check(b, out_dir, shots, "")
    for d in more:
        name = os.path.basename(d.rstrip("/"))
        checked += check(b, d, os.path.join(shots, name) if shots else None, f"{name}: ")

print(f"pages: {1 + len(more)} site(s), {checked} views checked, {len(failures)} problems")
sys.exit(1 if failures else 0)
