#!/usr/bin/env python3
"""The hub's web foundation over real TLS: strict headers on every answer, assets with long
caching and no way out of assets/web, one error page in both languages (never a raw message key),
and the terminal API left as it was. The language switch in a browser is in test_phone.py (one
browser per suite run keeps the suite short)."""
import re
import unittest

import webharness


class WebFoundation(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.h = webharness.Harness("foundation").start(browser=False)
        cls.hub = cls.h.hub

    @classmethod
    def tearDownClass(cls):
        cls.h.close()

    def assert_strict_headers(self, headers, no_store=True):
        csp = headers.get("content-security-policy", "")
        self.assertIn("default-src 'none'", csp)
        self.assertIn("script-src 'self'", csp)
        self.assertNotIn("unsafe-inline", csp)
        self.assertNotIn("unsafe-eval", csp)
        self.assertIn("frame-ancestors 'none'", csp)
        self.assertEqual(headers.get("x-frame-options"), "DENY")
        self.assertEqual(headers.get("referrer-policy"), "no-referrer")
        self.assertEqual(headers.get("x-content-type-options"), "nosniff")
        if no_store:
            self.assertEqual(headers.get("cache-control"), "no-store")

    def test_pages_have_strict_headers_and_no_inline_script(self):
        status, headers, body = self.hub.request("GET", "/m/")
        self.assertEqual(status, 200)
        self.assert_strict_headers(headers)
        html = body.decode()
        # Every script comes from a file the hub serves; no inline handlers either.
        for tag in re.findall(r"<script[^>]*>", html):
            self.assertRegex(tag, r'src="/assets/')
        self.assertNotRegex(html, r"<script[^>]*>[^<]+</script>")
        self.assertNotRegex(html, r"\son[a-z]+=")
        self.assertNotRegex(html, r"https?://")  # nothing from elsewhere (no CDN)

    def test_assets_cached_long_and_confined(self):
        _, _, body = self.hub.request("GET", "/m/")
        css = re.search(r'href="(/assets/web\.css\?v=[0-9a-f]+)"', body.decode()).group(1)
        status, headers, data = self.hub.request("GET", css)
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("text/css"))
        self.assertIn("max-age=31536000", headers["cache-control"])
        self.assertIn("immutable", headers["cache-control"])
        self.assert_strict_headers(headers, no_store=False)
        self.assertGreater(len(data), 100)
        for bad in ("/assets/../hub/hub.db", "/assets/%2e%2e/hub/hub.db", "/assets/templates/layout.mustache",
                    "/assets/.hidden", "/assets//etc/passwd", "/assets/web.css/../../CMakeLists.txt"):
            status, headers, data = self.hub.request("GET", bad)
            self.assertEqual(status, 404, bad)
            self.assertTrue(headers["content-type"].startswith("text/html"), bad)
            self.assertNotIn(b"SQLite", data)
            self.assertNotIn(b"{{", data)

    def test_error_page_in_both_languages_never_a_raw_key(self):
        status, headers, body = self.hub.request("GET", "/m/no-such-page")
        self.assertEqual(status, 404)
        self.assert_strict_headers(headers)
        zh = body.decode()
        self.assertIn("找不到这个页面", zh)
        self.assertIn('lang="zh-CN"', zh)
        status, _, body = self.hub.request("GET", "/m/no-such-page?lang=en")
        self.assertEqual(status, 404)
        en = body.decode()
        self.assertIn("There is no such page", en)
        for page in (zh, en):
            self.assertNotRegex(page, r"\b(web|phone)\.[a-z_]+\.[a-z_.]+")
        # Refusals the server makes itself use the same page: method, size.
        status, headers, body = self.hub.request("DELETE", "/m/")
        self.assertEqual(status, 405)
        self.assertIn("这个页面不接受这种请求", body.decode())
        self.assert_strict_headers(headers)
        status, _, body = self.hub.request("POST", "/m/", body="x" * 10)
        self.assertEqual(status, 405)
        status, _, body = self.hub.request("GET", "/m/?a=%zz")
        self.assertEqual(status, 400)
        self.assertIn("无法识别", body.decode())

    def test_terminal_api_unchanged(self):
        status, headers, body = self.hub.request("GET", "/v1/status")
        self.assertEqual(status, 401)
        self.assertEqual(headers["content-type"], "application/json")
        self.assertEqual(body, b'{"error":"unauthorised","message":"missing access token"}')
        status, _, body = self.hub.request("GET", "/healthz")
        self.assertEqual((status, body), (200, b'{"ok":true}'))
        status, headers, _ = self.hub.request("GET", "/nowhere")
        self.assertEqual(status, 404)
        self.assertEqual(headers["content-type"], "application/json")


if __name__ == "__main__":
    webharness.main()
