"""The browser test harness: a real hub over TLS on loopback and Debian's chromium driven by
python3-selenium, both stopped when the test file ends.

Each test file makes one `Harness` (one hub, one browser session) in setUpClass. The browser trusts
exactly the test hub's key (--ignore-certificate-errors-spki-list with the hub's pin), nothing
else; plain HTTPS requests from Python trust the test certificate as their only CA.

Environment: JF_BUILD_DIR (the build tree, set by ctest), JF_HUB_BINARY (another build of the hub),
JF_WEB_KEEP (keep the temporary directory, for a look at the hub's log and screenshots).
"""
import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
import unittest

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

BUILD = os.environ.get("JF_BUILD_DIR", os.path.join(os.path.dirname(__file__), "../../build"))
HUB = os.environ.get("JF_HUB_BINARY") or os.path.join(BUILD, "sync/hub/jobfair-hub")
PHONE = (360, 640)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_hub(*args, data_dir=None, check=True):
    """`jobfair-hub ARGS` to completion; its output (stdout and stderr)."""
    cmd = [HUB, *args]
    if data_dir:
        cmd += ["--data-dir", data_dir]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
    if check and p.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (" ".join(cmd), p.returncode, p.stdout))
    return p.stdout


class Hub:
    """`jobfair-hub serve` on a free loopback port with a fresh test certificate."""

    def __init__(self, root, config=None):
        self.root = root
        self.data = os.path.join(root, "hub")
        self.cert = os.path.join(root, "hub-cert.pem")
        self.key = os.path.join(root, "hub-key.pem")
        self.log_dir = os.path.join(root, "log")
        os.makedirs(self.log_dir, exist_ok=True)
        out = run_hub("dev-cert", "--cert", self.cert, "--key", self.key)
        self.pin = re.search(r"pin sha256//(\S+)", out).group(1)
        self.port = free_port()
        self.config = os.path.join(root, "serve.conf")
        with open(self.config, "w") as f:
            for k, v in (config or {}).items():
                f.write("%s = %s\n" % (k, v))
        self.proc = None

    @property
    def url(self):
        return "https://127.0.0.1:%d" % self.port

    @property
    def log_path(self):
        return os.path.join(self.log_dir, "hub.log")

    def start(self):
        self.out = open(os.path.join(self.root, "serve.out"), "a")
        self.proc = subprocess.Popen(
            [HUB, "serve", "--config", self.config, "--data-dir", self.data, "--cert", self.cert,
             "--key", self.key, "--port", str(self.port), "--metrics-port", "-1",
             "--log-dir", self.log_dir],
            stdout=self.out, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("hub exited: " + open(os.path.join(self.root, "serve.out")).read())
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("hub did not start")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def log_text(self):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def request(self, method, path, body=None, headers=None):
        """One HTTPS request trusting only the test certificate: (status, headers dict, body)."""
        ctx = ssl.create_default_context(cafile=self.cert)
        c = http.client.HTTPSConnection("127.0.0.1", self.port, context=ctx, timeout=30)
        h = dict(headers or {})
        if isinstance(body, dict):
            from urllib.parse import urlencode
            body = urlencode(body)
            h.setdefault("Content-Type", "application/x-www-form-urlencoded")
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read()
        hdrs = {}
        for k, v in r.getheaders():
            hdrs.setdefault(k.lower(), []).append(v)
        c.close()
        return r.status, {k: ", ".join(v) if k != "set-cookie" else v for k, v in hdrs.items()}, data


class Browser:
    """Headless chromium at phone size (360 x 640, one CSS pixel per device pixel)."""

    def __init__(self, pin, size=PHONE):
        o = webdriver.ChromeOptions()
        o.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--no-first-run", "--disable-extensions", "--lang=zh-CN",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-default-browser-check", "--mute-audio",
                  # Trust exactly the test hub's key: any other certificate error stays an error.
                  "--ignore-certificate-errors-spki-list=" + pin):
            o.add_argument(a)
        o.add_experimental_option(
            "mobileEmulation",
            {"deviceMetrics": {"width": size[0], "height": size[1], "pixelRatio": 1.0}})
        o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = shutil.which("chromedriver") or "/usr/bin/chromedriver"
        self.d = webdriver.Chrome(service=Service(driver), options=o)
        self.d.set_page_load_timeout(60)

    def quit(self):
        try:
            self.d.quit()
        except Exception:
            pass

    def console_errors(self):
        """Browser console messages at SEVERE level since the last call (CSP violations, script
        errors, failed loads)."""
        return [m["message"] for m in self.d.get_log("browser") if m["level"] == "SEVERE"]


class Harness:
    def __init__(self, name, config=None, keep=None):
        self.tmp = tempfile.mkdtemp(prefix="jf-web-%s-" % name)
        self.keep = keep if keep is not None else bool(os.environ.get("JF_WEB_KEEP"))
        self.hub = Hub(self.tmp, config)
        self.browser = None

    def start(self, browser=True):
        self.hub.start()
        if browser:
            self.browser = Browser(self.hub.pin)
        return self

    def close(self):
        if self.browser:
            self.browser.quit()
        self.hub.stop()
        if not self.keep:
            shutil.rmtree(self.tmp, ignore_errors=True)
        else:
            print("kept", self.tmp)

    def open(self, path):
        self.browser.d.get(self.hub.url + path)
        return self.browser.d

    def text(self, css):
        return self.browser.d.find_element(By.CSS_SELECTOR, css).text


def main():
    unittest.main(verbosity=2)
