#!/usr/bin/env python3
"""Job seekers' phone pages in a real browser at 360x640 against a real hub over TLS:
registration in both languages with bad input, the code shown and decoded by the kiosk's decoder,
coming back with the one-time code, nothing revealing whether a number is registered, rate
limits, XSS payloads in every field shown as text, page sizes, and the registration challenge."""
import base64
import csv
import hashlib
import json
import os
import re
import subprocess
import time
import unittest

import webharness
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

XSS = '"><img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
TODAY = time.strftime("%Y%m%d", time.gmtime(time.time() + 8 * 3600))


def mask(phone):
    return phone[:3] + "****" + phone[7:]


def otp_lines(log, phone):
    lines = []
    try:
        with open(log, encoding="utf-8", errors="replace") as f:
            for line in f:
                if '"sms_dev"' not in line:
                    continue
                try:
                    j = json.loads(line)
                except ValueError:
                    continue
                if j.get("to") == mask(phone):
                    lines.append(j)
    except FileNotFoundError:
        pass
    return lines


def read_otp(log, phone, before=0, timeout=15):
    """The newest one-time code the development sender wrote for `phone` (after `before` of
    them)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        lines = otp_lines(log, phone)
        if len(lines) > before:
            return re.search(r"(\d{6})", lines[-1]["text"]).group(1)
        time.sleep(0.05)
    raise AssertionError("no one-time code for %s in %s" % (mask(phone), log))


def decode_png(path):
    """The kiosk's own decoder (`jobfair-kiosk decode`), as the entrance camera reads codes."""
    kiosk = os.path.join(webharness.BUILD, "kiosk/app/jobfair-kiosk")
    out = subprocess.run([kiosk, "decode", path], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, timeout=60).stdout
    m = re.search(r"(JF1:[A-Z0-9]+)", out)
    return m.group(1) if m else None


class PhonePages(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.h = webharness.Harness("phone", config={
            "phone_sms_per_number": 3, "phone_sms_per_address": 40,
            "phone_challenge_per_minute": 25, "phone_challenge_bits": 10,
            "web_rate_per_address": 200, "web_burst_per_address": 1000})
        hub = cls.h.hub
        d = hub.data
        webharness.run_hub("add-campaign", "--id", "C1", "--name", "春风行动", "--year-from",
                           TODAY[:4] + "0101", "--year-until", TODAY[:4] + "1231", data_dir=d)
        webharness.run_hub("add-fair", "--id", "F1", "--name", "无为市招聘会" + XSS, "--date", TODAY,
                           "--unit", "无为市", "--venue", "人民广场" + XSS, "--campaign", "C1",
                           data_dir=d)
        webharness.run_hub("add-fair", "--id", "OLD", "--name", "去年的招聘会", "--date", "20200101",
                           "--unit", "无为市", data_dir=d)
        rows = [["序号", "单位名称", "岗位名称", "招聘人数", "工作地点", "行业类别", "薪资", "性别要求",
                 "学历要求", "联系人", "联系电话", "邮箱", "职位描述及要求", "工作经验要求",
                 "招聘截止日期", "备注"],
                ["1", "示例汽车零部件有限公司", "装配工", "20", "芜湖", "制造业", "5500-7000元/月", "不限",
                 "初中及以上", "王先生", "13800000001", "", "流水线装配，包食宿", "不限", "20991231", ""],
                ["2", "示例物流有限公司", "仓储管理员", "3", "无为", "物流", "6000元/月", "不限",
                 "高中及以上", "李女士", "13800000002", "", "出入库登记与盘点", "1年", "20991231", ""],
                ["3", "坏人公司" + XSS, "岗位" + XSS, "1", "芜湖" + XSS, "制造业" + XSS, "面议" + XSS,
                 "不限" + XSS, "本科" + XSS, "张" + XSS, "13800000003", "a@b.cn", "描述" + XSS,
                 "经验" + XSS, "20991231", "备注" + XSS],
                ["4", "已截止公司", "过期岗位", "1", "芜湖", "制造业", "", "", "", "", "13800000004", "",
                 "", "", "20200101", ""]]
        path = os.path.join(cls.h.tmp, "listings.csv")
        with open(path, "w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows(rows)
        webharness.run_hub("import-listings", path, data_dir=d)
        cls.h.start()
        cls.hub = hub
        cls.d = cls.h.browser.d

    @classmethod
    def tearDownClass(cls):
        cls.h.close()

    # -- helpers ----------------------------------------------------------------------

    def fill_register(self, name="", phone="", rid="", consent=True, id_consent=False, fair="F1",
                      groups=(), lang=None):
        d = self.d
        d.get(self.hub.url + "/m/register" + ("?lang=" + lang if lang else ""))
        if name:
            d.find_element(By.ID, "name").send_keys(name)
        if phone:
            d.find_element(By.ID, "phone").send_keys(phone)
        if rid:
            d.find_element(By.ID, "resident_id").send_keys(rid)
        if fair:
            Select(d.find_element(By.ID, "fair")).select_by_value(fair)
        for g in groups:
            d.find_element(By.CSS_SELECTOR, 'input[name=group][value="%d"]' % g).click()
        if consent:
            d.find_element(By.ID, "consent").click()
        if id_consent:
            d.find_element(By.ID, "id_consent").click()
        d.find_element(By.ID, "submit").click()
        WebDriverWait(d, 30).until(
            lambda x: x.find_elements(By.ID, "otp") or x.find_elements(By.CSS_SELECTOR, "#problems li")
            or x.find_elements(By.ID, "error"))

    def problems(self):
        return {li.get_attribute("data-field"): li.text
                for li in self.d.find_elements(By.CSS_SELECTOR, "#problems li")}

    def enter_otp(self, phone, before):
        d = self.d
        d.find_element(By.ID, "otp").send_keys(read_otp(self.hub.log_path, phone, before))
        d.find_element(By.ID, "submit").click()
        WebDriverWait(d, 30).until(lambda x: x.find_elements(By.ID, "qr") or
                                   x.find_elements(By.ID, "error") or
                                   x.find_elements(By.ID, "problems"))

    def shown_code(self, name):
        """Screenshot of the phone's screen with the code, decoded by the kiosk's decoder."""
        d = self.d
        d.execute_script("document.getElementById('qr').scrollIntoView({block: 'center'})")
        path = os.path.join(self.h.tmp, name + ".png")
        with open(path, "wb") as f:
            f.write(d.get_screenshot_as_png())
        text = decode_png(path)
        self.assertIsNotNone(text, "the screenshot's code did not decode")
        return text

    def register(self, name, phone, **kw):
        before = len(otp_lines(self.hub.log_path, phone))
        self.fill_register(name, phone, **kw)
        self.assertTrue(self.d.find_elements(By.ID, "otp"), self.problems())
        self.enter_otp(phone, before)
        return self.shown_code("code-" + phone)

    def register_http(self, name, phone):
        """The same steps over plain HTTPS (no browser): the code's image, decoded."""
        before = len(otp_lines(self.hub.log_path, phone))
        status, _, body = self.hub.request("POST", "/m/register", {
            "name": name, "phone": phone, "fair": "F1", "consent": "yes"})
        self.assertEqual(status, 200, body.decode())
        ticket = re.search(r'name="ticket" value="([A-Z0-9]+)"', body.decode()).group(1)
        otp = read_otp(self.hub.log_path, phone, before)
        status, _, body = self.hub.request("POST", "/m/verify", {"ticket": ticket, "otp": otp})
        self.assertEqual(status, 200)
        png = re.search(r'id="qr" src="data:image/png;base64,([A-Za-z0-9+/=]+)"', body.decode())
        path = os.path.join(self.h.tmp, "http-%s.png" % phone)
        with open(path, "wb") as f:
            f.write(base64.b64decode(png.group(1)))
        return decode_png(path)

    def assert_no_raw_keys(self):
        src = self.d.page_source
        self.assertNotRegex(src, r"\b(phone|web|desk|entrance|err)\.[a-z_]+\.[a-z_.]+")

    # -- tests --------------------------------------------------------------------------

    def test_a_language_switch_and_no_console_errors(self):
        # The web foundation in a browser: the switch, the choice kept, no console errors.
        d = self.h.open("/m/")
        self.h.browser.console_errors()
        self.assertEqual(d.find_element(By.TAG_NAME, "html").get_attribute("lang"), "zh-CN")
        self.assertEqual(d.title, "求职登记")
        d.find_element(By.ID, "lang-switch").click()
        self.assertEqual(d.title, "Job seeker sign-up")
        # The choice stays: another page comes in English too.
        d.get(self.hub.url + "/m/no-such-page")
        self.assertIn("There is no such page", self.h.text("#error-message"))
        d.find_element(By.ID, "lang-switch").click()
        self.assertIn("找不到这个页面", self.h.text("#error-message"))
        d.get(self.hub.url + "/m/")
        # Fits a 360 px screen without sideways scrolling.
        self.assertLessEqual(d.execute_script("return document.documentElement.scrollWidth"), 360)
        errors = [e for e in self.h.browser.console_errors() if "404" not in e]
        self.assertEqual(errors, [])
        d.get(self.hub.url + "/m/?lang=zh")

    def test_bad_input_in_both_languages(self):
        self.fill_register(consent=False)
        p = self.problems()
        self.assertEqual(p.get("name"), "请填写姓名")
        self.assertEqual(p.get("phone"), "请填写手机号码")
        self.assertEqual(p.get("consent"), "请确认同意登记个人信息")
        self.assert_no_raw_keys()
        status, _, body = self.hub.request("POST", "/m/register", {
            "name": "张伟", "phone": "12345678901", "resident_id": "340222199001011235",
            "fair": "F1", "consent": "yes"})
        self.assertEqual(status, 400)
        html = body.decode()
        self.assertIn('<li data-field="phone">手机号码应以13至19开头</li>', html)
        self.assertIn('<li data-field="resident_id">身份证号码校验位不正确，请核对</li>', html)
        self.assertIn('<li data-field="id_consent">填写身份证号码需要您单独同意', html)
        # What was typed stays in the form.
        self.assertIn('id="name" name="name" maxlength="40" value="张伟"', html)
        self.fill_register("Zhang Wei", "1380013800", lang="en", consent=False)
        p = self.problems()
        self.assertEqual(p.get("phone"), "A mobile number has 11 digits")
        self.assertIn("agree", p.get("consent", "").lower())
        self.assertEqual(self.d.find_element(By.TAG_NAME, "html").get_attribute("lang"), "en")
        self.assert_no_raw_keys()
        # A fair that is over, or made up, is refused.
        status, _, body = self.hub.request("POST", "/m/register", {
            "name": "张伟", "phone": "13800138000", "fair": "OLD", "consent": "yes"})
        self.assertEqual(status, 400)
        self.assertIn("请选择要参加的招聘会", body.decode())
        self.d.get(self.hub.url + "/m/register?lang=zh")

    def test_code_shown_decoded_and_again_after_one_time_code(self):
        phone = "13912340001"
        first = self.register("李娜", phone, rid="11010519491231002X", id_consent=True,
                              groups=(8, 1))
        self.assertTrue(first.startswith("JF1:"))
        d = self.d
        self.assertIn("139****0001", d.page_source)
        self.assertNotIn(phone, d.page_source)
        self.assertNotIn("11010519491231002X", d.page_source)
        self.assertTrue(d.find_element(By.ID, "save").get_attribute("href").startswith(
            "data:image/png;base64,"))
        # Large enough to scan from the screen: the code spans most of the 360 px width.
        self.assertGreaterEqual(d.find_element(By.ID, "qr").size["width"], 300)
        # Coming back: the number, then the one-time code, then the same code.
        d.get(self.hub.url + "/m/code")
        before = len(otp_lines(self.hub.log_path, phone))
        d.find_element(By.ID, "phone").send_keys(phone)
        d.find_element(By.ID, "submit").click()
        WebDriverWait(d, 30).until(lambda x: x.find_elements(By.ID, "otp"))
        ticket_page = d.find_element(By.ID, "verify-intro").text
        # A wrong code first: a clear message, and the right one still works.
        d.find_element(By.ID, "otp").send_keys("000000" if read_otp(self.hub.log_path, phone, before)
                                               != "000000" else "111111")
        d.find_element(By.ID, "submit").click()
        WebDriverWait(d, 30).until(lambda x: x.find_elements(By.ID, "problems"))
        self.assertIn("验证码不正确", d.find_element(By.ID, "problems").text)
        d.find_element(By.ID, "otp").send_keys(read_otp(self.hub.log_path, phone, before))
        d.find_element(By.ID, "submit").click()
        WebDriverWait(d, 30).until(lambda x: x.find_elements(By.ID, "qr"))
        self.assertEqual(self.shown_code("again"), first)
        self.assertTrue(ticket_page)
        # No number in any URL the browser visited, and none in the hub's log.
        self.assertNotIn(phone, d.current_url)
        log = self.hub.log_text()
        self.assertNotIn(phone, log)
        self.assertNotIn("11010519491231002X", log)

    def test_nothing_reveals_whether_a_number_is_registered(self):
        known, unknown = "13912340002", "13912340003"
        first = self.register_http("王芳", known)
        pages = {}
        for phone in (known, unknown):
            before = len(otp_lines(self.hub.log_path, phone))
            status, headers, body = self.hub.request("POST", "/m/code", {"phone": phone})
            self.assertEqual(status, 200)
            html = re.sub(r'name="ticket" value="[A-Z0-9]+"', "", body.decode())
            pages[phone] = html
            if phone == known:
                read_otp(self.hub.log_path, phone, before)
            sent = len(otp_lines(self.hub.log_path, phone)) - before
            self.assertEqual(sent, 1 if phone == known else 0)
        self.assertEqual(pages[known], pages[unknown])
        # Registering again with a known number looks like a first registration, and after the
        # one-time code shows the person's own code: no second person.
        again = self.register_http("王芳", known)
        self.assertEqual(again, first)
        # Guessing codes for an unknown number never succeeds.
        status, _, body = self.hub.request("POST", "/m/code", {"phone": unknown})
        ticket = re.search(r'name="ticket" value="([A-Z0-9]+)"', body.decode()).group(1)
        for guess in range(5):
            status, _, body = self.hub.request("POST", "/m/verify",
                                               {"ticket": ticket, "otp": "%06d" % guess})
            self.assertEqual(status, 400)
        self.assertIn("重新获取", body.decode())

    def test_zzz_rate_limits_per_number_and_address(self):
        # Last: it spends this address's budget of one-time codes.
        phone = "13912340004"
        statuses = [self.hub.request("POST", "/m/code", {"phone": phone})[0] for _ in range(4)]
        self.assertEqual(statuses[:3], [200, 200, 200])
        status, headers, body = self.hub.request("POST", "/m/code", {"phone": phone},
                                                 {"Cookie": "jf_lang=en"})
        self.assertEqual(status, 429)
        self.assertIn("Too many codes", body.decode())
        self.assertIn("no-store", headers["cache-control"])
        # From one address, many numbers: limited too (the budget is 40 at once).
        codes = [self.hub.request("POST", "/m/code", {"phone": "1370000%04d" % i})[0]
                 for i in range(45)]
        self.assertIn(429, codes)
        first = codes.index(429)
        self.assertTrue(all(c == 429 for c in codes[first:]))
        status, _, body = self.hub.request("POST", "/m/code", {"phone": "13700009999"})
        self.assertEqual(status, 429)
        self.assertIn("验证码发送太频繁", body.decode())
        # What a person on the phone sees: the limit told in the page's language, no raw key,
        # nothing sent.
        d = self.d
        for lang, told in (("en", "Too many codes"), ("zh", "验证码发送太频繁")):
            before = len(otp_lines(self.hub.log_path, "13700008888"))
            d.get(self.hub.url + "/m/code?lang=" + lang)
            d.find_element(By.ID, "phone").send_keys("13700008888")
            d.find_element(By.ID, "submit").click()
            WebDriverWait(d, 30).until(lambda x: x.find_elements(By.ID, "error-message"))
            self.assertIn(told, d.find_element(By.ID, "error-message").text)
            self.assertEqual(d.find_elements(By.ID, "otp"), [])
            self.assert_no_raw_keys()
            self.assertEqual(len(otp_lines(self.hub.log_path, "13700008888")), before)

    def test_xss_payloads_render_as_text(self):
        d = self.d
        d.get(self.hub.url + "/m/jobs")
        self.assertIn("坏人公司" + XSS, d.find_element(By.ID, "results").text)
        d.find_element(By.PARTIAL_LINK_TEXT, "岗位\"><img").click()
        WebDriverWait(d, 30).until(lambda x: x.find_elements(By.ID, "job-title"))
        self.assertEqual(d.find_element(By.ID, "job-title").text, "岗位" + XSS)
        self.assertEqual(d.find_element(By.ID, "job-description").text, "描述" + XSS)
        self.assertIn("张" + XSS, d.find_element(By.ID, "job-contact").text)
        self.assertIsNone(d.execute_script("return window.__pwned"))
        self.assertEqual(d.find_elements(By.CSS_SELECTOR, "main img"), [])
        # Search terms and filters come back escaped.
        d.get(self.hub.url + "/m/jobs?q=" + "%22%3E%3Cscript%3Ewindow.__pwned%3D3%3C%2Fscript%3E")
        self.assertEqual(d.find_element(By.ID, "q").get_attribute("value"),
                         '"><script>window.__pwned=3</script>')
        self.assertIsNone(d.execute_script("return window.__pwned"))
        # The fair's name and venue in the form, a person's name on the code page.
        self.fill_register('<b id=x>"', "13912340005", consent=False)
        self.assertEqual(d.find_element(By.ID, "name").get_attribute("value"), '<b id=x>"')
        self.assertEqual(d.find_elements(By.ID, "x"), [])
        self.assertIn("无为市招聘会" + XSS, d.find_element(By.ID, "fair").text)
        self.register('<b id=x2>"&amp;', "13912340006")
        self.assertEqual(d.find_element(By.ID, "person-name").text, '<b id=x2>"&amp;')
        self.assertEqual(d.find_elements(By.ID, "x2"), [])
        self.assertIsNone(d.execute_script("return window.__pwned"))
        # No script ran and none was even tried (a blocked inline script logs a CSP violation).
        errors = [e for e in self.h.browser.console_errors() if "Failed to load resource" not in e]
        self.assertEqual(errors, [])

    def test_listings_filters_and_details(self):
        d = self.d
        d.get(self.hub.url + "/m/jobs")
        text = d.find_element(By.ID, "results").text
        self.assertIn("装配工", text)
        self.assertIn("仓储管理员", text)
        self.assertNotIn("过期岗位", text)  # closed listings are not shown
        Select(d.find_element(By.ID, "place")).select_by_value("无为")
        d.find_element(By.ID, "search").click()
        WebDriverWait(d, 30).until(lambda x: "place=" in x.current_url and
                                   x.find_elements(By.ID, "results"))
        text = d.find_element(By.ID, "results").text
        self.assertIn("仓储管理员", text)
        self.assertNotIn("装配工", text)
        d.get(self.hub.url + "/m/jobs?lang=en&industry=%E5%88%B6%E9%80%A0%E4%B8%9A&q=%E8%A3%85%E9%85%8D")
        text = d.find_element(By.ID, "results").text
        self.assertIn("装配工", text)
        self.assertIn("Jobs found: 1", text)
        d.find_element(By.LINK_TEXT, "装配工").click()
        WebDriverWait(d, 30).until(lambda x: x.find_elements(By.ID, "job-contact"))
        self.assertIn("13800000001", d.find_element(By.ID, "job-contact").text)
        status, _, body = self.hub.request("GET", "/m/jobs/nonexistent")
        self.assertEqual(status, 404)
        self.assertIn("这个岗位不存在或已经截止", body.decode())
        d.get(self.hub.url + "/m/jobs?lang=zh")

    def test_pages_small_and_fit_a_phone(self):
        d = self.d
        for path in ("/m/", "/m/register", "/m/code", "/m/jobs"):
            d.get(self.hub.url + path)
            width = d.execute_script("return document.documentElement.scrollWidth")
            self.assertLessEqual(width, 360, path)
            size = d.execute_script(
                "return performance.getEntriesByType('navigation')[0].transferSize +"
                " performance.getEntriesByType('resource').reduce((a, r) => a + r.transferSize, 0)")
            status, _, body = self.hub.request("GET", path)
            self.assertLess(len(body) + 10000, 200 * 1024, path)
            self.assertLess(size, 200 * 1024, path)
            # No feature WeChat's browser lacks: no modules, no service workers, no inline script.
            self.assertNotIn('type="module"', body.decode())
            self.assertNotIn("serviceWorker", body.decode())

    def test_zz_challenge_when_registrations_rise(self):
        # Registrations a minute above the threshold (25) turn the challenge on.
        for _ in range(30):
            self.hub.request("POST", "/m/register", {"name": "", "phone": "", "fair": "F1"})
        status, _, body = self.hub.request("GET", "/m/register")
        m = re.search(r'data-challenge="([0-9a-f.]+)" data-bits="(\d+)"', body.decode())
        self.assertIsNotNone(m, "no challenge on the form")
        seed, bits = m.group(1), int(m.group(2))
        form = {"name": "赵强", "phone": "13912340007", "fair": "F1", "consent": "yes",
                "challenge": seed}
        status, _, body = self.hub.request("POST", "/m/register", dict(form, pow=""))
        self.assertEqual(status, 400)
        self.assertIn("请再点一次提交", body.decode())
        nonce = 0
        while True:
            digest = hashlib.sha256(("%s:%d" % (seed, nonce)).encode()).digest()
            if int.from_bytes(digest, "big") >> (256 - bits) == 0:
                break
            nonce += 1
        status, _, body = self.hub.request("POST", "/m/register", dict(form, pow=str(nonce)))
        self.assertEqual(status, 200)
        self.assertIn('name="ticket"', body.decode())
        # An answer works once.
        status, _, body = self.hub.request("POST", "/m/register", dict(form, pow=str(nonce)))
        self.assertEqual(status, 400)
        # A person's browser solves it by itself (assets/web/web.js) and registers as before.
        code = self.register("孙丽", "13912340008")
        self.assertTrue(code.startswith("JF1:"))


if __name__ == "__main__":
    webharness.main()
