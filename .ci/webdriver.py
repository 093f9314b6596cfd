"""The headless Chromium that .ci/site_check.py and .ci/pages.py drive: a static server on
loopback serving a built site (as a team hosts the folder), and a chromedriver session spoken to
through its WebDriver API and its Chrome DevTools bridge, with the standard library only.

    with Site(out_dir) as site, Browser() as b:
        b.goto(site.url("index.html"))
        b.js("return document.title")
"""
import base64, functools, http.server, json, socket, subprocess, tempfile, threading, time
import urllib.request


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass


class Site:
    """A built site served from `directory` on a free loopback port until closed."""

    def __init__(self, directory):
        handler = functools.partial(_Quiet, directory=directory)
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def url(self, rel):
        return self.base + rel

    def close(self):
        self.server.shutdown()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage"]


class Browser:
    """One Chromium session through chromedriver. `hide_scrollbars` draws pages without
    scrollbars, so a screenshot and a width measured are the page's own."""

    def __init__(self, binary="/usr/bin/chromium", hide_scrollbars=False, timeout=120):
        self.timeout = timeout
        port = free_port()
        self.driver = subprocess.Popen(["chromedriver", f"--port={port}"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.wd = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                self.call("GET", "/status")
                break
            except Exception:
                time.sleep(0.1)
        self.profile = tempfile.mkdtemp(prefix="baton-chromium-")
        args = ARGS + (["--hide-scrollbars"] if hide_scrollbars else []) + [f"--user-data-dir={self.profile}"]
        caps = {"browserName": "chrome", "goog:chromeOptions": {"binary": binary, "args": args}}
        self.session = self.call("POST", "/session", {"capabilities": {"alwaysMatch": caps}})["sessionId"]
        self.s = f"/session/{self.session}"

    def call(self, method, path, body=None):
        """A WebDriver command; returns its `value`."""
        req = urllib.request.Request(self.wd + path, method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=self.timeout) as r:
            return json.load(r)["value"]

    def cdp(self, cmd, params=None):
        """A Chrome DevTools command."""
        return self.call("POST", self.s + "/goog/cdp/execute", {"cmd": cmd, "params": params or {}})

    def js(self, script, *args):
        return self.call("POST", self.s + "/execute/sync", {"script": script, "args": list(args)})

    def js_async(self, script, *args):
        return self.call("POST", self.s + "/execute/async", {"script": script, "args": list(args)})

    def goto(self, url):
        self.call("POST", self.s + "/url", {"url": url})

    def window(self, width, height):
        self.call("POST", self.s + "/window/rect", {"width": width, "height": height})

    def emulate(self, width, height, mobile=False, theme="light"):
        """The page's viewport, touch (a phone honours the viewport meta tag) and colour scheme."""
        self.cdp("Emulation.setDeviceMetricsOverride",
                 {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
        self.cdp("Emulation.setTouchEmulationEnabled", {"enabled": mobile})
        self.cdp("Emulation.setEmulatedMedia",
                 {"media": "screen", "features": [{"name": "prefers-color-scheme", "value": theme}]})

    def screenshot(self, path, max_height=8000):
        """The whole page (up to `max_height` px) at the current viewport's width, as PNG."""
        h = min(self.js("return document.documentElement.scrollHeight"), max_height)
        w = self.js("return window.innerWidth")
        shot = self.cdp("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                   "clip": {"x": 0, "y": 0, "width": w, "height": h, "scale": 1}})
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))

    def print_pdf(self, width_cm, height_cm):
        """The page printed on paper of that size (WebDriver's print), as PDF bytes."""
        return base64.b64decode(self.call("POST", self.s + "/print",
                                          {"page": {"width": width_cm, "height": height_cm}, "background": True}))

    def axe(self, axe_src):
        """axe-core's violations on the open page: [id, impact, help, nodes (up to 3), count]."""
        self.js(axe_src)
        return self.js_async("const done = arguments[arguments.length-1];"
                             "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map("
                             "v => [v.id, v.impact, v.help, v.nodes.slice(0, 3).map(n => n.target.join(' ')), v.nodes.length])));")

    def close(self):
        try:
            self.call("DELETE", self.s)
        except Exception:
            pass
        self.driver.terminate()
        self.driver.wait(timeout=30)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
