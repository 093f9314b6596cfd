#!/usr/bin/env python3
"""Checks a built Baton site as a person and a validator see it.

Usage: site_check.py OUTPUT_DIR SHOTS_DIR [AXE_JS [PACKET_SITE...]]

- every internal link and src resolves to a file (no broken links);
- headless Chromium (driven through .ci/webdriver.py, stdlib only) opens the
  dashboard, an SDR page, a pair page and the review packet from a local static server and
  asserts what a person looks for: the funnel's numbers equal metrics.json, every chart is drawn
  at a non-zero size, the 1:1 agenda sections come in the playbook's order;
- the review packet prints on a cover and one page per pod, on Letter and on A4, for the site
  and for every PACKET_SITE given that exists (the sites .ci/run builds from the public Olist
  and Zoho exports, whose pods are far bigger than the example's);
- axe-core, when its script is given, reports no serious or critical violation;
- screenshots at desktop and phone widths are written to SHOTS_DIR.
"""
import base64, json, os, re, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webdriver import Browser, Site

out_dir, shots = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
axe_js = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else None
packet_sites = [os.path.abspath(d) for d in sys.argv[4:]]
os.makedirs(shots, exist_ok=True)
failures = []

def fail(msg):
    failures.append(msg)
    print("FAIL", msg)

# 1. Links.
pages = []
for root, _, files in os.walk(out_dir):
    for f in files:
        if f.endswith(".html"):
            pages.append(os.path.join(root, f))
for page in pages:
    html = open(page, encoding="utf-8").read()
    for ref in re.findall(r'(?:href|src)="([^"]+)"', html):
        ref = ref.replace("&#x2F;", "/")
        if re.match(r"^(https?:|mailto:|#|data:)", ref):
            continue
        target = os.path.normpath(os.path.join(os.path.dirname(page), ref.split("#")[0]))
        if not os.path.isfile(target):
            fail(f"{os.path.relpath(page, out_dir)}: broken link {ref}")
print(f"links: {len(pages)} pages checked")

# 2. A static server on loopback, as a team hosts the folder, and Chromium through chromedriver
# (.ci/webdriver.py).
site = Site(out_dir)
b = Browser(timeout=60)
call, js = b.call, b.js
S = b.s
def goto(rel, width=1280, height=900):
    b.window(width, height)
    b.goto(site.url(rel))
def shot(name):
    h = js("return Math.min(document.documentElement.scrollHeight, 6000)")
    w = js("return window.innerWidth")
    b.window(w, h)
    open(os.path.join(shots, name + ".png"), "wb").write(base64.b64decode(call("GET", S + "/screenshot")))

metrics = json.load(open(os.path.join(out_dir, "metrics.json")))
team = metrics["current"]["team"]

def print_packet(name, where=out_dir):
    """The open review packet printed on Letter and A4 (WebDriver's print): a cover and one
    page per pod on each; the PDFs are kept in SHOTS_DIR as NAME-PAPER.pdf."""
    pods = js("return document.querySelectorAll('.pod-break').length")
    for paper, (w, h) in {"Letter": (21.59, 27.94), "A4": (21.0, 29.7)}.items():
        pdf = b.print_pdf(w, h)
        open(os.path.join(shots, f"{name}-{paper}.pdf"), "wb").write(pdf)
        n = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        if n != pods + 1:
            fail(f"{where}: review packet prints on {n} {paper} pages, not {pods + 1} (a cover and {pods} pods)")
        else:
            print(f"{where}: review packet prints on {n} {paper} pages (a cover and {pods} pods)")

try:
    # Dashboard: the funnel's numbers as metrics.json has them; charts drawn.
    goto("index.html")
    text = js("return document.body.innerText")
    # The funnel's data table: one row per stage, in this order, its count in the first cell.
    counts = js("return [...document.querySelectorAll('#funnel table tbody tr')].map(r => r.querySelector('td').innerText.trim())")
    keys = ["meetings_booked", "held", "accepted", "opportunities", "won"]
    if len(counts) != len(keys):
        fail(f"dashboard funnel has {len(counts)} stages, not {len(keys)}: {counts}")
    for key, cell in zip(keys, counts):
        if cell != f"{team[key]:,}":
            fail(f"dashboard funnel shows {key}={cell!r}, metrics.json has {team[key]}")
    sr = team["show_rate"]
    if f"({sr['num']}/{sr['den']})" not in text:
        fail(f"dashboard lacks the show rate counts ({sr['num']}/{sr['den']})")
    sizes = js("return [...document.querySelectorAll('svg[role=img]')].map(s => [s.getBoundingClientRect().width, s.getBoundingClientRect().height])")
    if len(sizes) < 3 or any(w < 100 or h < 50 for w, h in sizes):
        fail(f"dashboard charts not drawn at a visible size: {sizes}")
    shot("dashboard-desktop")
    goto("index.html", 390, 844); shot("dashboard-phone")

    # An SDR page: name, funnel, feedback sections.
    sdr_pages = sorted(os.listdir(os.path.join(out_dir, "sdr")))
    goto("sdr/" + sdr_pages[0])
    t = js("return document.body.innerText")
    for needle in ["Funnel", "Feedback from AEs", "Rejected after the meeting", "Comp statement"]:
        if needle not in t:
            fail(f"SDR page lacks {needle!r}")
    if js("return document.querySelector('svg[role=img]').getBoundingClientRect().width") < 100:
        fail("SDR funnel chart has no size")
    shot("sdr-desktop")
    goto("sdr/" + sdr_pages[0], 390, 844); shot("sdr-phone")

    # A pair page: the agenda sections in the playbook's order.
    pair_pages = sorted(os.listdir(os.path.join(out_dir, "pair"))) if os.path.isdir(os.path.join(out_dir, "pair")) else []
    if pair_pages:
        goto("pair/" + pair_pages[0])
        heads = js("return [...document.querySelectorAll('.agenda-sections > li > h3')].map(h => h.innerText)")
        order = [re.sub(r"\s*\(\d+ min\)$", "", h) for h in heads]
        expected = re.findall(r"<th scope=\"row\">([^<]+)</th><td class=\"num\">\d+</td>",
                              open(os.path.join(out_dir, "playbook/one-on-one.html"), encoding="utf-8").read())
        if order != [e.replace("&amp;", "&") for e in expected]:
            fail(f"agenda sections {order} not in the playbook's order {expected}")
        shot("pair-desktop")

    # The review packet.
    review = f"review/{metrics['period']}.html"
    goto(review)
    if js("return document.querySelectorAll('.pod-break').length") < 1:
        fail("review packet has no per-pod sections")
    shot("review-desktop")
    print_packet("review")
    # The same on the sites built from the public exports, whose pods have tens of SDRs and
    # up to 121 pairs: each pod's page lists the top rows and still fits one sheet.
    for d in packet_sites:
        if not os.path.isdir(os.path.join(d, "review")):
            print(f"review packet: {d} not built, not checked")
            continue
        other = Site(d)
        try:
            rel = "review/" + sorted(os.listdir(os.path.join(d, "review")))[-1]
            b.window(1280, 900)
            b.goto(other.url(rel))
            print_packet("review-" + os.path.basename(os.path.dirname(d) if os.path.basename(d) == "output" else d), d)
        finally:
            other.close()

    # The e-mail digest: self-contained, so it loads no resource at all, and renders its charts.
    if os.path.isfile(os.path.join(out_dir, "digest.html")):
        goto("digest.html")
        # A browser asks for /favicon.ico by itself; a mail client does not.
        loaded = [u for u in js("return performance.getEntriesByType('resource').map(r => r.name)") if not u.endswith('/favicon.ico')]
        if loaded:
            fail(f"digest.html loads resources: {loaded}")
        # Mail clients strip SVG: the bars are table cells, drawn at a visible width.
        if js("return document.querySelectorAll('svg').length"):
            fail("digest.html draws with SVG, which Gmail strips and Outlook ignores")
        bars = js("return [...document.querySelectorAll('td.fill')].map(td => td.getBoundingClientRect().width)")
        if not bars or max(bars) < 100:
            fail(f"digest bars not drawn: {bars}")
        shot("digest-desktop")

    # axe-core on the pages a manager opens.
    if axe_js:
        src = open(axe_js, encoding="utf-8").read()
        for rel in ["index.html", "sdr/" + sdr_pages[0], review, "handoffs.html", "comp.html", "matrix.html", "history.html", "digest.html"] + (["pair/" + pair_pages[0]] if pair_pages else []):
            goto(rel)
            res = b.axe(src)
            bad = [v for v in res if v[1] in ("serious", "critical")]
            for v in bad:
                fail(f"axe {rel}: {v[1]} {v[0]} ({v[4]} nodes): {v[2]}")
            print(f"axe {rel}: {len(res)} violations, {len(bad)} serious or critical: {[(v[0], v[1], v[4]) for v in res]}")
finally:
    b.close()
    site.close()

print(f"site check: {len(failures)} failed")
sys.exit(1 if failures else 0)
