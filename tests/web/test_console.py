#!/usr/bin/env python3
"""The union staff's console through a real browser and real TLS against a real hub: the set-up
link, sign-in, wrong passwords until lock-out, sign-out, the idle timeout, one county's staff
kept out of another county's fair and terminal (status, and nothing in the DOM), a supervisor
reading the counties below, requests without the CSRF token changing nothing, XSS payloads shown
as text, and a screenshot of every page in both languages left in the build tree."""
import os
import re
import sqlite3
import subprocess
import unittest

import webharness
from selenium.webdriver.common.by import By
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

SHOTS = os.path.join(webharness.BUILD, "console-screenshots")
PASSWORD = "correct horse 1"
XSS = '<img src=x id=pwned onerror="document.title=\'pwned\'"><script>document.title="pwned"</script>'


def setup_token(out):
    m = re.search(r"/console/setup\?token=([A-Z2-7]+)", out)
    assert m, out
    return m.group(1)


class Console(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.h = webharness.Harness("console")
        cls.hub = cls.h.hub
        data = cls.hub.data
        run = lambda *a: webharness.run_hub(*a, data_dir=data)
        cls.tokens = {}
        for name, union, role in (("admin", "芜湖市", "admin"), ("ww", "无为市", "staff"),
                                  ("nl", "南陵县", "staff"), ("sup", "芜湖市", "supervisor"),
                                  ("lock", "无为市", "staff"), ("idle", "无为市", "staff")):
            cls.tokens[name] = setup_token(
                run("add-user", "--name", name, "--union", union, "--role", role, "--hub-url",
                    "https://example.invalid/"))
        run("add-fair", "--id", "F-WW", "--name", "无为市春风招聘会", "--date", "20240223",
            "--unit", "无为市", "--venue", "无为市人民广场")
        run("add-fair", "--id", "F-NL", "--name", "南陵县秘密招聘会", "--date", "20240224",
            "--unit", "南陵县", "--venue", "南陵县体育馆")
        people = os.path.join(cls.h.tmp, "people.csv")
        with open(people, "w", encoding="utf-8") as f:
            f.write('编号,姓名,手机号码,单位\nP-WW,"%s张伟",13812345678,无为市\n'
                    'P-NL,南陵秘密人,13912345678,南陵县\n' % XSS.replace('"', '""'))
        run("import-attendees", people)
        cls.h.start(browser=False)
        cls.h.browser = webharness.Browser(cls.hub.pin, size=(1280, 900))
        # A terminal of each county, enrolled as terminals enrol (the real kiosk binary).
        cls.terminals = {}
        kiosk = os.path.join(webharness.BUILD, "kiosk/app/jobfair-kiosk")
        for fair in ("F-WW", "F-NL"):
            out = run("enroll", "--fair", fair, "--mode", "entrance", "--qr",
                      os.path.join(cls.h.tmp, fair + ".png"))
            code = re.search(r"enrolment code (\S+)", out).group(1)
            kdir = os.path.join(cls.h.tmp, "kiosk-" + fair)
            p = subprocess.run([kiosk, "enroll", "--hub", cls.hub.url, "--code", code, "--ca",
                                cls.hub.cert, "--data-dir", kdir],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               timeout=120)
            assert p.returncode == 0, p.stdout
        for line in run("terminals").splitlines():
            for fair in ("F-WW", "F-NL"):
                if fair in line:
                    cls.terminals[fair] = line.split()[0]
        # Every account but admin's chooses its password over plain HTTPS.
        for name in ("ww", "nl", "sup", "lock", "idle"):
            status, _, _ = cls.hub.request("POST", "/console/setup",
                                           {"token": cls.tokens[name], "password": PASSWORD,
                                            "password2": PASSWORD})
            assert status == 200, status
        os.makedirs(SHOTS, exist_ok=True)

    @classmethod
    def tearDownClass(cls):
        cls.h.close()

    # -- helpers ---------------------------------------------------------------------------
    def session(self, name):
        """Signs in over HTTPS: the session cookie ("jf_console=..")."""
        status, headers, _ = self.hub.request("POST", "/console/signin",
                                              {"name": name, "password": PASSWORD})
        self.assertEqual(status, 303)
        cookie = [c for c in headers["set-cookie"] if c.startswith("jf_console=")][0]
        return cookie.split(";")[0]

    def get(self, cookie, path):
        return self.hub.request("GET", path, headers={"Cookie": cookie})

    def csrf(self, cookie, path="/console/fairs"):
        _, _, body = self.get(cookie, path)
        return re.search(r'name="csrf" value="([0-9a-f]+)"', body.decode()).group(1)

    def click(self, element_id):
        """Clicks a button and waits until the page it leads to has loaded."""
        d = self.h.browser.d
        d.execute_script("window.jfOldPage = true")
        (d.find_element(By.ID, element_id) if isinstance(element_id, str) else element_id).click()

        def loaded(d):
            try:
                return d.execute_script(
                    "return !window.jfOldPage && document.readyState === 'complete'")
            except WebDriverException:  # between two pages
                return False

        WebDriverWait(d, 30).until(loaded)
        return d

    def browser_signin(self, name, password=PASSWORD):
        self.browser_signout()
        d = self.h.open("/console/signin")
        d.find_element(By.ID, "name").send_keys(name)
        d.find_element(By.ID, "password").send_keys(password)
        return self.click("signin-submit")

    def browser_signout(self):
        d = self.h.open("/console/")
        if d.find_elements(By.ID, "signout"):
            self.click("signout")

    def shot(self, name):
        d = self.h.browser.d
        for lang in ("zh", "en"):
            url = d.current_url.split("#")[0]
            url = re.sub(r"([?&])lang=[a-z]+&?", r"\1", url).rstrip("?&")
            d.get(url + ("&" if "?" in url else "?") + "lang=" + lang)
            self.assertNotRegex(d.page_source, r">console\.[a-z_.]+<")  # never a raw key
            d.save_screenshot(os.path.join(SHOTS, "%s-%s.png" % (name, lang)))
        d.get(url + ("&" if "?" in url else "?") + "lang=zh")

    # -- tests ---------------------------------------------------------------------------------
    def test_1_setup_link_signin_signout(self):
        d = self.h.open("/console/")
        self.assertTrue(d.current_url.endswith("/console/signin"))
        self.shot("signin")
        d = self.h.open("/console/setup?token=" + self.tokens["admin"])
        self.shot("setup")
        d.find_element(By.ID, "password").send_keys(PASSWORD)
        d.find_element(By.ID, "password2").send_keys(PASSWORD)
        self.click("setup-submit")
        self.assertIn("密码已设置", d.find_element(By.ID, "signin-message").text)
        # The link works once.
        status, _, _ = self.hub.request("POST", "/console/setup",
                                        {"token": self.tokens["admin"], "password": "x" * 12,
                                         "password2": "x" * 12})
        self.assertEqual(status, 400)
        d = self.browser_signin("admin", "wrong password")
        self.assertIn("账号或密码不对", d.find_element(By.ID, "signin-message").text)
        d = self.browser_signin("admin")
        self.assertTrue(d.current_url.endswith("/console/"))
        self.assertIn("admin", d.find_element(By.ID, "console-account").text)
        # The session cookie is out of script's reach.
        self.assertEqual(d.execute_script("return document.cookie").find("jf_console"), -1)
        self.shot("today")
        self.h.open("/console/fairs")
        self.shot("fairs")
        self.h.open("/console/fair?id=F-WW")
        self.shot("fair")
        self.h.open("/console/terminals")
        self.shot("terminals")
        self.h.open("/console/terminals/revoke?id=" + self.terminals["F-WW"])
        self.shot("revoke")
        self.h.open("/console/audit")
        self.assertIn("sign-in", d.find_element(By.ID, "audit-log").text)
        self.shot("audit")
        self.browser_signout()
        self.assertTrue(d.current_url.endswith("/console/signin"))
        d = self.h.open("/console/fairs")
        self.assertTrue(d.current_url.endswith("/console/signin"))
        # No script error or CSP violation (refusals' status codes are expected).
        self.assertEqual([e for e in self.h.browser.console_errors() if "status of" not in e], [])

    def test_2_cookie_flags(self):
        status, headers, _ = self.hub.request("POST", "/console/signin",
                                              {"name": "ww", "password": PASSWORD})
        self.assertEqual(status, 303)
        c = [c for c in headers["set-cookie"] if c.startswith("jf_console=")][0]
        for flag in ("HttpOnly", "Secure", "SameSite=Strict", "Path=/console/"):
            self.assertIn(flag, c)

    def test_3_lockout(self):
        for i in range(4):
            status, _, body = self.hub.request("POST", "/console/signin",
                                               {"name": "lock", "password": "wrong %d" % i})
            self.assertEqual(status, 401)
        status, _, body = self.hub.request("POST", "/console/signin",
                                           {"name": "lock", "password": "wrong 5"})
        self.assertEqual(status, 429)
        d = self.browser_signin("lock")  # the right password, refused while locked
        self.assertIn("锁定", d.find_element(By.ID, "signin-message").text)
        self.assertTrue(d.current_url.endswith("/console/signin"))
        self.shot("locked")

    def test_4_idle_timeout(self):
        cookie = self.session("idle")
        self.assertEqual(self.get(cookie, "/console/")[0], 200)
        # Half an hour passes without a request.
        db = sqlite3.connect(os.path.join(self.hub.data, "hub.db"), timeout=10)
        db.execute("UPDATE sessions SET last_seen = last_seen - 31*60*1000 WHERE account='idle'")
        db.commit()
        db.close()
        status, headers, _ = self.get(cookie, "/console/")
        self.assertEqual(status, 303)
        self.assertEqual(headers["location"], "/console/signin")

    def test_5_county_isolation(self):
        ww = self.session("ww")
        status, _, body = self.get(ww, "/console/fair?id=F-NL")
        self.assertEqual(status, 404)
        for secret in ("南陵县秘密招聘会", "南陵县体育馆", self.terminals["F-NL"]):
            self.assertNotIn(secret, body.decode())
            for path in ("/console/", "/console/fairs", "/console/terminals"):
                self.assertNotIn(secret, self.get(ww, path)[2].decode(), path)
        self.assertIn("无为市春风招聘会", self.get(ww, "/console/fairs")[2].decode())
        self.assertIn(self.terminals["F-WW"], self.get(ww, "/console/terminals")[2].decode())
        status, _, body = self.get(ww, "/console/terminals/revoke?id=" + self.terminals["F-NL"])
        self.assertEqual(status, 404)
        self.assertNotIn(self.terminals["F-NL"], body.decode())
        token = self.csrf(ww)
        status, _, _ = self.hub.request(
            "POST", "/console/terminals/revoke",
            {"csrf": token, "id": self.terminals["F-NL"], "confirm": "yes"},
            headers={"Cookie": ww})
        self.assertEqual(status, 404)
        self.assertNotIn("revoked", self.terminals_line("F-NL"))
        # An admin page is not there for staff.
        self.assertEqual(self.get(ww, "/console/audit")[0], 404)
        # In the browser: nothing of 南陵 in the DOM.
        d = self.browser_signin("ww")
        self.h.open("/console/fair?id=F-NL")
        self.assertNotIn("南陵县秘密招聘会", d.page_source)
        self.shot("not-found")
        self.browser_signout()
        # The city's supervisor reads both counties, changes neither.
        sup = self.session("sup")
        status, _, body = self.get(sup, "/console/fair?id=F-NL")
        self.assertEqual(status, 200)
        self.assertIn("南陵县秘密招聘会", body.decode())
        self.assertIn('id="read-only"', body.decode())
        token = self.csrf(sup)
        status, _, _ = self.hub.request(
            "POST", "/console/terminals/revoke",
            {"csrf": token, "id": self.terminals["F-NL"], "confirm": "yes"},
            headers={"Cookie": sup})
        self.assertEqual(status, 403)
        self.assertNotIn("revoked", self.terminals_line("F-NL"))

    def fair_ids(self):
        db = sqlite3.connect(os.path.join(self.hub.data, "hub.db"), timeout=10)
        try:
            return {r[0] for r in db.execute("SELECT id FROM fairs")}
        finally:
            db.close()

    def terminals_line(self, fair):
        out = webharness.run_hub("terminals", data_dir=self.hub.data)
        return [l for l in out.splitlines() if fair in l][0]

    def test_6_csrf_and_revoke(self):
        ww = self.session("ww")
        form = {"id": "F-CSRF", "name": "不该出现的招聘会", "date": "2024-03-01"}
        for bad in ({}, {"csrf": "0" * 64}, {"csrf": self.csrf(self.session("nl"))}):
            status, _, _ = self.hub.request("POST", "/console/fairs", dict(form, **bad),
                                            headers={"Cookie": ww})
            self.assertEqual(status, 403)
        self.assertNotIn("F-CSRF", self.fair_ids())
        self.assertNotIn("不该出现的招聘会", self.get(ww, "/console/fairs")[2].decode())
        status, _, _ = self.hub.request("POST", "/console/terminals/revoke",
                                        {"id": self.terminals["F-WW"], "confirm": "yes"},
                                        headers={"Cookie": ww})
        self.assertEqual(status, 403)
        self.assertNotIn("revoked", self.terminals_line("F-WW"))
        # With the token, through the browser: revoke asks for confirmation first.
        d = self.browser_signin("ww")
        self.h.open("/console/terminals")
        link = d.find_element(By.CSS_SELECTOR, "#terminal-%s a.revoke" % self.terminals["F-WW"])
        d.get(link.get_attribute("href"))
        self.click("revoke-submit")  # not confirmed: nothing happens
        self.assertIn(self.terminals["F-WW"], d.find_element(By.ID, "revoke-id").text)
        self.assertNotIn("revoked", self.terminals_line("F-WW"))
        d.find_element(By.ID, "revoke-confirm").click()
        self.click("revoke-submit")
        self.assertTrue(d.current_url.endswith("/console/terminals"))
        self.assertIn("revoked", self.terminals_line("F-WW"))
        self.browser_signout()

    def test_7_campaign_fair_and_xss(self):
        d = self.browser_signin("sup")
        self.h.open("/console/fairs")
        for field, value in (("campaign-id", "2024"), ("campaign-name", "2024年工会送岗位" + XSS),
                             ("year-from", "2024-01-01"), ("year-until", "2024-12-31"),
                             ("phase-from", "2024-01-01"), ("phase-until", "2024-04-10")):
            d.find_element(By.ID, field).send_keys(value)
        self.click("add-campaign-submit")
        for field, value in (("fair-id", "F-CITY"), ("fair-name", "市总招聘会" + XSS),
                             ("fair-date", "2024-02-23"), ("fair-venue", XSS)):
            d.find_element(By.ID, field).send_keys(value)
        self.click("add-fair-submit")
        self.assertIn("/console/fair?id=F-CITY", d.current_url)
        self.assertEqual(d.find_element(By.ID, "fair-name").text, "市总招聘会" + XSS)
        self.assertEqual(d.find_element(By.ID, "fair-venue").text, XSS)
        self.assertEqual(d.find_elements(By.ID, "pwned"), [])
        self.assertNotEqual(d.title, "pwned")
        self.h.open("/console/fairs")
        self.assertIn("2024年工会送岗位" + XSS,
                      d.find_element(By.CSS_SELECTOR, "#campaign-list .campaign-name").text)
        self.assertEqual(d.find_elements(By.ID, "pwned"), [])
        self.assertNotEqual(d.title, "pwned")
        # The fair is the city's (the supervisor's own union) and the hub's CLI sees it.
        self.assertIn("F-CITY", self.fair_ids())
        self.browser_signout()

    def test_8_report_same_bytes_as_cli(self):
        import io
        import zipfile
        ww = self.session("ww")
        status, _, body = self.get(ww, "/console/reports?kind=summary&union=%E5%8D%97%E9%99%B5%E5%8E%BF")
        self.assertEqual(status, 404)  # 南陵县's report
        query = "kind=summary&union=%E6%97%A0%E4%B8%BA%E5%B8%82&week=2024-W08"
        status, _, body = self.get(ww, "/console/reports?" + query)
        self.assertEqual(status, 200)
        self.assertIn('id="report-table"', body.decode())
        for fmt in ("csv", "xlsx"):
            status, headers, got = self.get(ww, "/console/reports/download?%s&format=%s" % (query, fmt))
            self.assertEqual(status, 200)
            self.assertIn("attachment", headers["content-disposition"])
            out = os.path.join(self.h.tmp, "cli." + fmt)
            webharness.run_hub("report", "summary", "--union", "无为市", "--week", "2024-W08",
                               "--format", fmt, "--out", out, data_dir=self.hub.data)
            want = open(out, "rb").read()
            if fmt == "csv":
                self.assertEqual(got, want)
            else:  # the same workbook; only the file's creation time may differ
                a, b = zipfile.ZipFile(io.BytesIO(got)), zipfile.ZipFile(io.BytesIO(want))
                self.assertEqual(a.namelist(), b.namelist())
                for n in a.namelist():
                    if n != "docProps/core.xml":
                        self.assertEqual(a.read(n), b.read(n), n)
        d = self.browser_signin("ww")
        self.h.open("/console/reports?" + query)
        self.assertTrue(d.find_elements(By.CSS_SELECTOR, "#report-table td"))
        self.shot("reports")
        self.browser_signout()

    def rollup(self, body):
        """The side-by-side rows of a Reports page: {union: (status, [figures])}."""
        rows = {}
        for union, status, cells in re.findall(
                r'<tr data-union="([^"]*)" data-status="([a-z]+)">(.*?)</tr>', body, re.S):
            rows[union] = (status, re.findall(r"<td>(\d+)</td>", cells))
        return rows

    def test_8b_supervisor_rollup_marks_changed_unions(self):
        import io
        import zipfile
        from urllib.parse import quote
        week = "2024-W09"  # F-WW on 02-23 and F-NL on 02-24 are in it
        query = "kind=summary&union=%s&week=%s" % (quote("芜湖市"), week)
        sup = self.session("sup")
        status, _, body = self.get(sup, "/console/reports?" + query)
        self.assertEqual(status, 200)
        rows = self.rollup(body.decode())
        self.assertEqual(list(rows)[:3], ["芜湖市", "无为市", "南陵县"])
        self.assertEqual(len(rows), 11)  # the city and the ten units below it
        self.assertEqual(rows["无为市"][0], "never")
        self.assertEqual(rows["南陵县"], ("never", ["0", "0", "0", "1", "0", "0", "0", "0", "0", "0"]))
        self.assertEqual(len(rows["无为市"][1]), 10)
        self.assertGreaterEqual(int(rows["无为市"][1][3]), 1)  # F-WW, on site
        # The city's 附件5 with its counties: the same bytes as the command's.
        for fmt in ("csv", "xlsx"):
            status, _, got = self.get(sup, "/console/reports/download?%s&format=%s" % (query, fmt))
            self.assertEqual(status, 200)
            out = os.path.join(self.h.tmp, "city." + fmt)
            webharness.run_hub("report", "summary", "--union", "芜湖市", "--week", week,
                               "--format", fmt, "--out", out, data_dir=self.hub.data)
            want = open(out, "rb").read()
            if fmt == "csv":
                self.assertEqual(got, want)
                text = got.decode("utf-8-sig")
                self.assertRegex(text, r"\n无为市,")
                self.assertRegex(text, r"\n南陵县,")
                self.assertRegex(text, r"\n总计,[^\n]*")
            else:
                a, b = zipfile.ZipFile(io.BytesIO(got)), zipfile.ZipFile(io.BytesIO(want))
                self.assertEqual(a.namelist(), b.namelist())
                for n in a.namelist():
                    if n != "docProps/core.xml":
                        self.assertEqual(a.read(n), b.read(n), n)
        rows = self.rollup(self.get(sup, "/console/reports?" + query)[2].decode())
        self.assertEqual(rows["无为市"][0], "same")
        self.assertEqual(rows["南陵县"][0], "same")
        # 南陵县 holds another fair that week: only its figures changed since the download.
        webharness.run_hub("add-fair", "--id", "F-NL2", "--name", "南陵县第二场", "--date",
                           "20240226", "--unit", "南陵县", "--venue", "南陵县文化馆",
                           data_dir=self.hub.data)
        rows = self.rollup(self.get(sup, "/console/reports?" + query)[2].decode())
        self.assertEqual(rows["无为市"][0], "same")
        self.assertEqual(rows["南陵县"], ("changed", ["0", "0", "0", "2", "0", "0", "0", "0", "0", "0"]))
        # Another account's downloads are its own: the admin has downloaded nothing.
        body = self.get(self.session("admin"), "/console/reports?" + query)[2].decode()
        self.assertEqual({status for status, _ in self.rollup(body).values()}, {"never"})
        d = self.browser_signin("sup")
        self.h.open("/console/reports?" + query)
        marked = d.find_elements(By.CSS_SELECTOR, '#rollup tr[data-status="changed"]')
        self.assertEqual([e.get_attribute("data-union") for e in marked], ["南陵县"])
        self.shot("reports-rollup")
        self.browser_signout()
        # A county's staff: the city's report is not there, and its own page has no roll-up.
        ww = self.session("ww")
        status, _, body = self.get(ww, "/console/reports?" + query)
        self.assertEqual(status, 404)
        self.assertNotIn('id="rollup"', body.decode())
        self.assertNotIn("南陵县", body.decode())
        own = "kind=summary&union=%s&week=%s" % (quote("无为市"), week)
        status, _, body = self.get(ww, "/console/reports?" + own)
        self.assertEqual(status, 200)
        self.assertNotIn('id="rollup"', body.decode())
        self.assertNotIn("南陵县", body.decode())
        d = self.browser_signin("ww")
        self.h.open("/console/reports?" + query)
        self.assertEqual(d.find_elements(By.ID, "rollup"), [])
        self.assertNotIn("南陵县", d.page_source)
        self.browser_signout()

    def test_9_enrol_from_qr_on_screen(self):
        kiosk = os.path.join(webharness.BUILD, "kiosk/app/jobfair-kiosk")
        d = self.browser_signin("ww")
        for lang in ("en", "zh"):  # the page in both languages; the Chinese one is used
            self.h.open("/console/terminals?lang=" + lang)
            self.click("enrol-submit")
            self.assertTrue(d.find_element(By.ID, "enrol-qr").get_attribute("src").startswith(
                "data:image/png;base64,"))
            d.save_screenshot(os.path.join(SHOTS, "enrol-%s.png" % lang))
        shot = os.path.join(self.h.tmp, "enrol-qr.png")
        d.find_element(By.ID, "enrol-qr").screenshot(shot)
        code = d.find_element(By.ID, "enrol-code").text
        p = subprocess.run([kiosk, "decode", shot], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stdout)
        text = p.stdout.split("\t")[1]
        self.assertTrue(text.startswith("JFENROL1|" + code + "|" + self.hub.url), text)
        kdir = os.path.join(self.h.tmp, "kiosk-qr")
        p = subprocess.run([kiosk, "enroll", "--qr-text", text, "--hub", self.hub.url, "--code",
                            code, "--ca", self.hub.cert, "--data-dir", kdir],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stdout)
        out = webharness.run_hub("terminals", data_dir=self.hub.data)
        self.assertEqual(len([l for l in out.splitlines() if " F-WW " in l]), 2)
        # A county's staff cannot make codes for another county's fair.
        ww = self.session("ww")
        status, _, _ = self.hub.request("POST", "/console/terminals/enrol",
                                        {"csrf": self.csrf(ww), "fair": "F-NL", "mode": "entrance"},
                                        headers={"Cookie": ww})
        self.assertEqual(status, 404)
        self.browser_signout()

    def test_10_people_masked_and_quarantine(self):
        ww = self.session("ww")
        status, _, body = self.get(ww, "/console/people?q=%E5%8D%97%E9%99%B5")  # 南陵
        self.assertEqual(status, 200)
        self.assertNotIn("南陵秘密人", body.decode())
        d = self.browser_signin("ww")
        self.h.open("/console/people?q=%E5%BC%A0%E4%BC%9F")  # 张伟
        self.assertEqual(d.find_element(By.CSS_SELECTOR, "#people-list .person-name").text,
                         XSS + "张伟")
        self.assertEqual(d.find_elements(By.ID, "pwned"), [])
        self.assertNotEqual(d.title, "pwned")
        self.assertNotIn("13812345678", d.page_source)  # masked
        self.assertIn("138****5678", d.page_source)
        self.shot("people")
        self.h.open("/console/quarantine")
        self.shot("quarantine")
        self.browser_signout()

    def test_10b_issue_a_code_audited(self):
        """A county's staff issues a person's check-in code for an upcoming fair of its own union:
        shown as a QR the kiosk's decoder reads, written to the audit log; nobody else may."""
        from selenium.webdriver.support.ui import Select
        run = lambda *a: webharness.run_hub(*a, data_dir=self.hub.data)
        kiosk = os.path.join(webharness.BUILD, "kiosk/app/jobfair-kiosk")
        run("add-fair", "--id", "F-WW-NEXT", "--name", "无为市下一场招聘会", "--date", "20991231",
            "--unit", "无为市", "--venue", "无为市人民广场")
        ww, sup = self.session("ww"), self.session("sup")
        # Without the CSRF token, for another county's person, or from a supervisor above:
        # nothing is issued.
        self.assertEqual(self.hub.request("POST", "/console/people/issue",
                                          {"id": "P-WW", "fair": "F-WW-NEXT"},
                                          headers={"Cookie": ww})[0], 403)
        status, _, body = self.hub.request(
            "POST", "/console/people/issue",
            {"csrf": self.csrf(ww), "id": "P-NL", "fair": "F-WW-NEXT"}, headers={"Cookie": ww})
        self.assertEqual(status, 404)
        self.assertNotIn("南陵秘密人", body.decode())
        self.assertEqual(self.hub.request(
            "POST", "/console/people/issue",
            {"csrf": self.csrf(sup), "id": "P-WW", "fair": "F-WW-NEXT"},
            headers={"Cookie": sup})[0], 403)
        self.assertNotIn("issue-code", self.get(sup, "/console/people?q=P-WW")[2].decode())
        # A past fair is no fair to issue a code for.
        self.assertEqual(self.hub.request(
            "POST", "/console/people/issue",
            {"csrf": self.csrf(ww), "id": "P-WW", "fair": "F-WW"}, headers={"Cookie": ww})[0], 400)
        self.assertNotIn("person.issue", run("audit"))
        d = self.browser_signin("ww")
        self.h.open("/console/people?q=P-WW")
        Select(d.find_element(By.CSS_SELECTOR, "#people-list select.issue-fair")).select_by_value(
            "F-WW-NEXT")
        self.click(d.find_element(By.CSS_SELECTOR, "#people-list button.issue-code"))
        self.assertEqual(d.find_elements(By.ID, "pwned"), [])
        self.assertIn("张伟", d.find_element(By.ID, "code-name").text)
        credential = d.find_element(By.ID, "code-credential").text
        shot = os.path.join(self.h.tmp, "person-qr.png")
        d.find_element(By.ID, "person-qr").screenshot(shot)
        d.save_screenshot(os.path.join(SHOTS, "code-zh.png"))
        p = subprocess.run([kiosk, "decode", shot], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stdout)
        self.assertTrue(p.stdout.split("\t")[1].startswith("JF1:"), p.stdout)
        audit = [l for l in run("audit").splitlines() if "person.issue" in l]
        self.assertEqual(len(audit), 1)
        self.assertIn("P-WW F-WW-NEXT " + credential, audit[0])
        self.assertIn("ww", audit[0])
        self.browser_signout()

    def post_file(self, cookie, path, fields, filename, data):
        """A multipart/form-data POST with one file part named "file"."""
        boundary = "jfboundary7d93"
        body = b""
        for k, v in fields.items():
            body += ('--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
                     % (boundary, k, v)).encode()
        body += ('--%s\r\nContent-Disposition: form-data; name="file"; filename="%s"\r\n'
                 'Content-Type: text/csv\r\n\r\n' % (boundary, filename)).encode()
        body += data + ("\r\n--%s--\r\n" % boundary).encode()
        return self.hub.request("POST", path, body, headers={
            "Cookie": cookie, "Content-Type": "multipart/form-data; boundary=" + boundary})

    def test_10c_badges_as_an_a4_pdf(self):
        """A sheet of badges from an uploaded attendee list: an A4 PDF whose text holds the names
        and whose printed QR codes the kiosk's decoder reads; audited; nobody else's fair."""
        run = lambda *a: webharness.run_hub(*a, data_dir=self.hub.data)
        kiosk = os.path.join(webharness.BUILD, "kiosk/app/jobfair-kiosk")
        run("add-fair", "--id", "F-WW-NEXT", "--name", "无为市下一场招聘会", "--date", "20991231",
            "--unit", "无为市", "--venue", "无为市人民广场")
        names = ["张伟", "李小红", "王芳", "刘洋", "陈静", "杨磊", "赵敏", "黄强", "周杰", "吴霞",
                 "徐涛", "孙丽"]
        csv = "编号,姓名,手机号码,单位\n" + "".join(
            "B%02d,%s,138000000%02d,无为市\n" % (i, n, i) for i, n in enumerate(names))
        data = ("\ufeff" + csv).encode()
        ww, nl = self.session("ww"), self.session("nl")
        self.assertIn('id="badges-form"', self.get(ww, "/console/people")[2].decode())
        # Without the CSRF token, for another union's fair, or a list without ids: nothing.
        status, _, _ = self.post_file(ww, "/console/people/badges", {"fair": "F-WW-NEXT"},
                                      "list.csv", data)
        self.assertEqual(status, 403)
        status, _, _ = self.post_file(nl, "/console/people/badges",
                                      {"csrf": self.csrf(nl), "fair": "F-WW-NEXT"}, "list.csv",
                                      data)
        self.assertEqual(status, 404)  # not a fair 南陵县 may see
        status, _, body = self.post_file(ww, "/console/people/badges",
                                         {"csrf": self.csrf(ww), "fair": "F-WW-NEXT"},
                                         "list.csv", "姓名\n张伟\n".encode())
        self.assertEqual(status, 400)
        self.assertIn("编号", body.decode())
        self.assertNotIn("person.badges", run("audit"))
        status, headers, pdf = self.post_file(ww, "/console/people/badges",
                                              {"csrf": self.csrf(ww), "fair": "F-WW-NEXT"},
                                              "list.csv", data)
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-type"].split(";")[0], "application/pdf")
        path = os.path.join(self.h.tmp, "badges.pdf")
        with open(path, "wb") as f:
            f.write(pdf)
        info = subprocess.run(["pdfinfo", path], stdout=subprocess.PIPE, text=True).stdout
        self.assertRegex(info, r"Pages:\s+2\n")  # ten badges a page
        self.assertIn("595.276 x 841.89 pts (A4)", info)
        text = subprocess.run(["pdftotext", path, "-"], stdout=subprocess.PIPE, text=True).stdout
        for n in names:
            self.assertIn(n, text)
        # The first badge as printed at 300 dpi, read by the kiosk's decoder.
        subprocess.run(["pdftoppm", "-r", "300", "-f", "1", "-l", "1", "-x", "70", "-y", "70",
                        "-W", "1170", "-H", "673", "-gray", "-png", "-singlefile", path,
                        os.path.join(self.h.tmp, "badge")], check=True)
        p = subprocess.run([kiosk, "decode", os.path.join(self.h.tmp, "badge.png")],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stdout)
        self.assertTrue(p.stdout.split("\t")[1].startswith("JF1:"), p.stdout)
        audit = [l for l in run("audit").splitlines() if "person.badges" in l]
        self.assertEqual(len(audit), 1)
        self.assertIn("F-WW-NEXT 12 list.csv", audit[0])
        d = self.browser_signin("ww")
        self.h.open("/console/people")
        self.assertTrue(d.find_elements(By.ID, "badges-form"))
        self.shot("people-badges")
        self.browser_signout()

    def test_11_listings_upload_commit_sync_close(self):
        """附件4 uploaded in the browser: bad rows with row, column and reason before anything is
        written; the commit; search; the listings on a terminal after its sync; closing early."""
        kiosk = os.path.join(webharness.BUILD, "kiosk/app/jobfair-kiosk")
        sheet = os.path.join(self.h.tmp, "附件4-上传.csv")
        with open(sheet, "w", encoding="utf-8") as f:
            f.write("序号,单位名称,岗位名称,招聘人数,工作地点,行业类别,薪资,性别要求,学历要求,联系人,"
                    "联系电话,邮箱,职位描述及要求,工作经验要求,招聘截止日期,备注\n"
                    '1,"%s无为电缆有限公司",装配工上传,20,无为,制造业,6000元/月,不限,不限,王先生,'
                    "13800000001,,流水线装配,不限,20991231,\n"
                    "2,无为物流有限公司,,3,无为,物流,面议,不限,不限,李女士,13800000002,,,不限,20991231,\n"
                    "3,无为纺织有限公司,挡车工上传,很多,无为,纺织,面议,不限,不限,赵女士,13800000003,,,"
                    "不限,20991231,\n"
                    '4,无为物流有限公司,"%s",2,无为,物流,面议,不限,不限,李女士,13800000002,,,不限,'
                    "20991231,\n" % (XSS.replace('"', '""'), XSS.replace('"', '""')))

        def hub_titles():
            db = sqlite3.connect(os.path.join(self.hub.data, "hub.db"), timeout=10)
            try:
                return {r[0]: r[1] for r in db.execute("SELECT title, deadline FROM listings")}
            finally:
                db.close()

        d = self.browser_signin("ww")
        self.h.open("/console/listings")
        self.shot("listings-empty")
        for lang in ("en", "zh"):  # the preview answers a POST: one upload per language
            self.h.open("/console/listings?lang=" + lang)
            d.find_element(By.ID, "listing-file").send_keys(sheet)
            self.click("listing-upload-submit")
            self.assertNotRegex(d.page_source, r">(console|err|import)\.[a-z_.]+<")
            d.save_screenshot(os.path.join(SHOTS, "listings-preview-%s.png" % lang))
        problems = [(r.find_element(By.CLASS_NAME, "problem-row").text,
                     r.find_element(By.CLASS_NAME, "problem-column").text,
                     r.find_element(By.CLASS_NAME, "problem-reason").text)
                    for r in d.find_elements(By.CSS_SELECTOR, "#upload-problems tr.problem")]
        self.assertEqual([(p[0], p[1]) for p in problems], [("3", "岗位名称"), ("4", "招聘人数")],
                         problems)
        for p in problems:
            self.assertTrue(p[2] and not p[2].startswith("err."), p)
        self.assertIn("装配工上传", d.find_element(By.ID, "upload-rows").text)
        self.assertEqual(d.find_elements(By.ID, "pwned"), [])
        self.assertNotEqual(d.title, "pwned")
        # Nothing is written before the commit.
        self.assertNotIn("装配工上传", hub_titles())
        self.click("listing-commit-submit")
        self.assertIn("/console/listings", d.current_url)
        self.assertIn("2", d.find_element(By.ID, "listings-done").text)
        titles = hub_titles()
        self.assertIn("装配工上传", titles)
        self.assertIn(XSS, titles)
        self.assertNotIn("挡车工上传", titles)
        # Search and filter.
        d.find_element(By.ID, "listing-q").send_keys("电缆")
        self.click("listing-search-submit")
        rows = d.find_elements(By.CSS_SELECTOR, "#listing-list tr.listing")
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0].find_element(By.CLASS_NAME, "listing-employer").text,
                         XSS + "无为电缆有限公司")
        self.assertEqual(d.find_elements(By.ID, "pwned"), [])
        self.shot("listings")
        # A terminal of the county's next sync brings them (a terminal gets its own union's
        # listings and those of the unions above it: 无为市's first terminal is revoked by
        # another case, so one is enrolled for another of its fairs, as staff would).
        webharness.run_hub("add-fair", "--id", "F-WWL", "--name", "无为市岗位招聘会", "--date",
                           "20240225", "--unit", "无为市", "--venue", "无为", data_dir=self.hub.data)
        out = webharness.run_hub("enroll", "--fair", "F-WWL", "--mode", "entrance", "--qr",
                                 os.path.join(self.h.tmp, "F-WWL.png"), data_dir=self.hub.data)
        code = re.search(r"enrolment code (\S+)", out).group(1)
        kdir = os.path.join(self.h.tmp, "kiosk-F-WWL")
        p = subprocess.run([kiosk, "enroll", "--hub", self.hub.url, "--code", code, "--ca",
                            self.hub.cert, "--data-dir", kdir], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stdout)

        def terminal_listings():
            p = subprocess.run([kiosk, "sync", "--data-dir", kdir], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, timeout=120)
            self.assertEqual(p.returncode, 0, p.stdout)
            db = sqlite3.connect(os.path.join(kdir, "kiosk.db"), timeout=10)
            try:
                return {r[0]: r[1] for r in db.execute("SELECT title, deadline FROM listings")}
            finally:
                db.close()

        got = terminal_listings()
        self.assertEqual(got.get("装配工上传"), 20991231)
        self.assertIn(XSS, got)
        # Closing early: the terminal's copy ends yesterday after its next sync.
        self.h.open("/console/listings?q=%E7%94%B5%E7%BC%86")  # 电缆
        self.click(d.find_element(By.CSS_SELECTOR, "#listing-list button.close-listing"))
        self.assertLess(terminal_listings()["装配工上传"], 20991231)
        self.h.open("/console/listings?state=open&q=%E7%94%B5%E7%BC%86")
        self.assertEqual(d.find_elements(By.CSS_SELECTOR, "#listing-list tr.listing"), [])
        # Another county's staff neither sees nor closes them.
        nl = self.session("nl")
        self.assertNotIn("装配工上传", self.get(nl, "/console/listings")[2].decode())
        status, _, _ = self.hub.request("POST", "/console/listings/commit",
                                        {"csrf": self.csrf(nl), "token": "0" * 32},
                                        headers={"Cookie": nl})
        self.assertEqual(status, 410)
        self.browser_signout()

    def test_13_station_notices(self):
        """A station notice written in the browser with an XSS payload shows as text, is not
        seen by another county, and ends with one button; screenshots in both languages."""
        d = self.browser_signin("ww")
        self.h.open("/console/notices")
        text = XSS + "下一场：3月1日 南陵县体育馆"
        d.find_element(By.ID, "notice-text").send_keys(text)
        for field, value in (("notice-starts", "2024-02-20T09:00"),
                             ("notice-ends", "2099-03-01T18:00")):
            d.execute_script("document.getElementById(arguments[0]).value = arguments[1]",
                             field, value)
        d.find_element(By.CSS_SELECTOR, "#notice-fairs input[value='F-WW']").click()
        self.click("notice-submit")
        rows = d.find_elements(By.CSS_SELECTOR, "#notice-list tr.notice")
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0].find_element(By.CLASS_NAME, "notice-text").text, text)
        self.assertEqual(rows[0].find_element(By.CLASS_NAME, "notice-targets").text, "F-WW")
        self.assertEqual(d.find_elements(By.ID, "pwned"), [])
        self.assertNotEqual(d.title, "pwned")
        self.shot("notices")
        nl = self.session("nl")
        status, _, body = self.get(nl, "/console/notices")
        self.assertEqual(status, 200)
        self.assertNotIn("南陵县体育馆", body.decode())
        self.h.open("/console/notices")
        self.click(d.find_element(By.CSS_SELECTOR, "#notice-list tr.notice button.end-notice"))
        self.assertEqual(d.find_elements(By.CSS_SELECTOR, "#notice-list tr.notice"), [])
        self.browser_signout()

    def test_12_today_chart_refreshes_itself(self):
        """Today draws check-ins per hour with the hub's own Chart.js and refreshes itself: a fair
        added for today while the page is open appears without anyone reloading it."""
        import datetime
        today = (datetime.datetime.utcnow() + datetime.timedelta(hours=8)).strftime("%Y-%m-%d")
        d = self.browser_signin("ww")
        self.h.open("/console/?refresh=2")
        self.assertEqual(d.find_elements(By.CSS_SELECTOR, "tr.today-fair"), [])
        webharness.run_hub("add-fair", "--id", "F-TODAY", "--name", "无为市今日招聘会" + XSS,
                           "--date", today.replace("-", ""), "--unit", "无为市", "--venue", "无为",
                           data_dir=self.hub.data)
        WebDriverWait(d, 30).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, 'tr.today-fair[data-fair="F-TODAY"]'))
        WebDriverWait(d, 30).until(lambda d: d.execute_script(
            "var c = document.querySelector('canvas.hour-chart');"
            "return !!(c && window.Chart && window.Chart.getChart(c));"))
        self.assertEqual(d.execute_script(
            "return window.Chart.getChart(document.querySelector('canvas.hour-chart'))"
            ".data.datasets[0].data.length"), 24)
        # It keeps refreshing in place (the same page, newer figures).
        first = d.find_element(By.ID, "today").get_attribute("data-refreshed")
        WebDriverWait(d, 30).until(
            lambda d: d.find_element(By.ID, "today").get_attribute("data-refreshed") not in (None, first))
        self.assertEqual(d.find_elements(By.ID, "pwned"), [])
        self.assertNotEqual(d.title, "pwned")
        # Chart.js comes from the hub: no other origin, no inline script, no CSP complaint.
        for src in [e.get_attribute("src") for e in d.find_elements(By.TAG_NAME, "script")]:
            self.assertTrue(src.startswith(self.hub.url + "/assets/"), src)
        self.assertIn("/assets/chart.min.js?v=", d.page_source)
        self.assertEqual([e for e in self.h.browser.console_errors() if "status of" not in e], [])
        # The figures as JSON are the account's only.
        nl = self.session("nl")
        self.assertNotIn(b"F-TODAY", self.get(nl, "/console/today.json")[2])
        self.shot("today-chart")
        self.browser_signout()

    def test_9b_accounts_managed_by_an_admin(self):
        """An admin creates an account, changes its role, union and permission, disables it and
        gives it a new set-up link, all in the browser and all in the audit log; staff cannot."""
        from selenium.webdriver.support.ui import Select
        run = lambda *a: webharness.run_hub(*a, data_dir=self.hub.data)
        token = setup_token(run("add-user", "--name", "admin2", "--union", "芜湖市", "--role",
                                "admin", "--hub-url", "https://example.invalid/"))
        self.assertEqual(self.hub.request("POST", "/console/setup", {
            "token": token, "password": PASSWORD, "password2": PASSWORD})[0], 200)

        def account(name):
            db = sqlite3.connect(os.path.join(self.hub.data, "hub.db"), timeout=10)
            try:
                return db.execute("SELECT union_id, role, may_open_numbers, password_hash <> '' "
                                  "FROM accounts WHERE name=?", (name,)).fetchone()
            finally:
                db.close()

        def link_token(d):
            m = re.search(r"/console/setup\?token=([A-Z2-7]+)$",
                          d.find_element(By.ID, "setup-link").text)
            self.assertTrue(m, d.find_element(By.ID, "setup-link").text)
            return m.group(1)

        d = self.browser_signin("admin2")
        self.h.open("/console/accounts")
        d.find_element(By.ID, "account-name").send_keys("newbie")
        Select(d.find_element(By.ID, "account-union")).select_by_value("南陵县")
        Select(d.find_element(By.ID, "account-role")).select_by_value("staff")
        self.click("add-account-submit")
        self.assertEqual(d.find_element(By.ID, "setup-link-for").text, "newbie")
        token = link_token(d)
        d.save_screenshot(os.path.join(SHOTS, "accounts-link.png"))
        self.assertEqual(account("newbie"), ("南陵县", "staff", 0, 0))
        self.assertEqual(self.hub.request("POST", "/console/setup", {
            "token": token, "password": PASSWORD, "password2": PASSWORD})[0], 200)
        newbie = self.session("newbie")
        self.assertEqual(self.get(newbie, "/console/")[0], 200)
        # Role, union and the open-numbers permission.
        self.h.open("/console/accounts")
        row = d.find_element(By.CSS_SELECTOR, 'tr[data-account="newbie"]')
        Select(row.find_element(By.CLASS_NAME, "account-role")).select_by_value("supervisor")
        Select(row.find_element(By.CLASS_NAME, "account-union")).select_by_value("无为市")
        row.find_element(By.CLASS_NAME, "account-open-numbers").click()
        self.click(row.find_element(By.CLASS_NAME, "account-save"))
        self.assertEqual(account("newbie"), ("无为市", "supervisor", 1, 1))
        self.shot("accounts")
        # Disabled: its session ends and its password no longer signs in.
        self.click(d.find_element(By.CSS_SELECTOR, 'tr[data-account="newbie"] .account-disable'))
        self.assertEqual(account("newbie")[3], 0)
        status, headers, _ = self.get(newbie, "/console/")
        self.assertEqual((status, headers.get("location")), (303, "/console/signin"))
        status, _, _ = self.hub.request("POST", "/console/signin",
                                        {"name": "newbie", "password": PASSWORD})
        self.assertEqual(status, 401)
        # A new set-up link brings it back.
        self.click(d.find_element(By.CSS_SELECTOR, 'tr[data-account="newbie"] .account-reset'))
        token = link_token(d)
        self.assertEqual(self.hub.request("POST", "/console/setup", {
            "token": token, "password": PASSWORD, "password2": PASSWORD})[0], 200)
        self.session("newbie")
        # Every change is in the audit log the admin reads.
        self.h.open("/console/audit")
        log = d.find_element(By.ID, "audit-log").text
        for action in ("account.add", "account.change", "account.disable", "account.reset"):
            self.assertIn(action, log)
        # Staff see no accounts page and change nothing; an admin's request without the token
        # changes nothing either.
        ww = self.session("ww")
        self.assertEqual(self.get(ww, "/console/accounts")[0], 404)
        form = {"action": "disable", "name": "newbie"}
        self.assertEqual(self.hub.request("POST", "/console/accounts", dict(form, csrf=self.csrf(ww)),
                                          headers={"Cookie": ww})[0], 404)
        admin2 = self.session("admin2")
        self.assertEqual(self.hub.request("POST", "/console/accounts", form,
                                          headers={"Cookie": admin2})[0], 403)
        self.assertEqual(account("newbie")[3], 1)
        self.browser_signout()

    def test_9c_open_numbers_with_the_permission_audited(self):
        """People: full numbers only for an account with the permission, only its own unions'
        people, each opening in the audit log before the number is shown."""
        run = lambda *a: webharness.run_hub(*a, data_dir=self.hub.data)
        token = setup_token(run("add-user", "--name", "opener", "--union", "无为市", "--role",
                                "staff", "--open-numbers", "--hub-url", "https://example.invalid/"))
        self.assertEqual(self.hub.request("POST", "/console/setup", {
            "token": token, "password": PASSWORD, "password2": PASSWORD})[0], 200)
        # Without the permission: no button, and the request is refused.
        ww = self.session("ww")
        self.assertNotIn("open-numbers", self.get(ww, "/console/people?q=P-WW")[2].decode())
        status, _, body = self.hub.request("POST", "/console/people/open",
                                           {"csrf": self.csrf(ww), "id": "P-WW"},
                                           headers={"Cookie": ww})
        self.assertEqual(status, 403)
        self.assertNotIn("13812345678", body.decode())
        # With it, not for another county's person, nor without the CSRF token.
        opener = self.session("opener")
        status, _, body = self.hub.request("POST", "/console/people/open",
                                           {"csrf": self.csrf(opener), "id": "P-NL"},
                                           headers={"Cookie": opener})
        self.assertEqual(status, 404)
        self.assertNotIn("13912345678", body.decode())
        self.assertEqual(self.hub.request("POST", "/console/people/open", {"id": "P-WW"},
                                          headers={"Cookie": opener})[0], 403)
        self.assertNotIn("console people P-WW", run("audit"))
        d = self.browser_signin("opener")
        self.h.open("/console/people?q=P-WW")
        self.click(d.find_element(By.CSS_SELECTOR, "#people-list button.open-numbers"))
        self.assertEqual(d.find_element(By.ID, "person-phone").text, "13812345678")
        self.assertEqual(d.find_elements(By.ID, "pwned"), [])
        d.save_screenshot(os.path.join(SHOTS, "person-opened.png"))
        audit = run("audit")
        self.assertIn("console people P-WW", audit)
        self.assertEqual(len([l for l in audit.splitlines() if "console people P-WW" in l]), 1)
        self.browser_signout()
        # The admin's audit page shows who opened whose numbers.
        admin = self.session("admin2")
        page = self.get(admin, "/console/audit")[2].decode()
        self.assertIn("open-numbers", page)
        self.assertIn("console people P-WW", page)

    def test_7b_targets_uploaded_with_row_errors(self):
        """A supervisor uploads the campaign's 附件1 targets: a file with bad rows is shown row by
        row and stores nothing; a good one is stored, and 附件1 progress in the console and from
        `jobfair-hub report` (without --targets) read the same targets."""
        run = lambda *a: webharness.run_hub(*a, data_dir=self.hub.data)
        head = ("单位,集中行动归集企业数（家）,全年归集企业数（家）,集中行动归集岗位数（个）,"
                "全年归集岗位数（个）,集中行动促进稳定就业人数（人）,全年促进稳定就业人数（人）\n")
        bad = os.path.join(self.h.tmp, "附件1-错.csv")
        good = os.path.join(self.h.tmp, "附件1.csv")
        with open(bad, "w", encoding="utf-8") as f:
            f.write(head + "无为市,16x,240,4800,6400,480,800\n南陵县,160,240,4800,6400,480,800\n"
                    "合计,176,480,9600,12800,960,1600\n")
        with open(good, "w", encoding="utf-8") as f:
            f.write(head + "无为市,160,240,4800,6400,480,800\n南陵县,160,240,4800,6400,480,800\n"
                    "合计,320,480,9600,12800,960,1600\n")

        def stored():
            db = sqlite3.connect(os.path.join(self.hub.data, "hub.db"), timeout=10)
            try:
                return [r[0] for r in db.execute(
                    "SELECT unit FROM campaign_targets WHERE campaign_id='2024' ORDER BY position")]
            finally:
                db.close()

        d = self.browser_signin("sup")
        for path in (bad, good):
            self.h.open("/console/fairs")
            row = d.find_element(By.CSS_SELECTOR, 'tr.campaign[data-campaign="2024"]')
            row.find_element(By.CLASS_NAME, "targets-file").send_keys(path)
            self.click(row.find_element(By.CLASS_NAME, "targets-submit"))
            if path == bad:
                rows = [(r.find_element(By.CLASS_NAME, "problem-row").text,
                         r.find_element(By.CLASS_NAME, "problem-reason").text)
                        for r in d.find_elements(By.CSS_SELECTOR, "#targets-problems tr.problem")]
                self.assertTrue(rows and rows[0][0] == "2", rows)  # 16x in 无为市's row
                self.assertTrue(all(r[1] and not r[1].startswith("err.") for r in rows), rows)
                self.assertTrue(d.find_elements(By.ID, "targets-refused"))
                self.assertEqual(stored(), [])
                d.save_screenshot(os.path.join(SHOTS, "targets-refused.png"))
        self.assertTrue(d.find_elements(By.ID, "targets-stored"))
        d.save_screenshot(os.path.join(SHOTS, "targets-stored.png"))
        self.assertEqual(stored(), ["无为市", "南陵县"])
        query = "kind=progress&union=%E6%97%A0%E4%B8%BA%E5%B8%82&week=2024-W08"  # 无为市
        self.h.open("/console/reports?" + query)
        self.assertIn("4800", d.find_element(By.ID, "report-table").text)
        sup = self.session("sup")
        status, _, got = self.get(sup, "/console/reports/download?%s&format=csv" % query)
        self.assertEqual(status, 200)
        out = os.path.join(self.h.tmp, "progress.csv")
        run("report", "progress", "--union", "无为市", "--week", "2024-W08", "--format", "csv",
            "--out", out)
        self.assertEqual(got, open(out, "rb").read())
        # Staff may not upload targets.
        ww = self.session("ww")
        status, _, _ = self.hub.request("POST", "/console/campaigns/targets",
                                        {"csrf": self.csrf(ww), "campaign": "2024"},
                                        headers={"Cookie": ww})
        self.assertEqual(status, 403)
        self.browser_signout()


if __name__ == "__main__":
    webharness.main()
