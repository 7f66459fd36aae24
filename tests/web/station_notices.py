#!/usr/bin/env python3
"""The browser half of the station notices test (test_station_notices.cpp): union staff write a
station notice on the console in chromium, or end it.

usage: station_notices.py URL PIN create SETUP_TOKEN FAIR_ID TEXT SCREENSHOT.png
       station_notices.py URL PIN end TEXT SCREENSHOT.png
"""
import sys
import time

import webharness
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

NAME, PASSWORD = "ww", "correct horse 1"


def submit(d, element):
    """Clicks and waits for the next page."""
    d.execute_script("window.jfOldPage = true")
    element.click()
    WebDriverWait(d, 30).until(lambda x: x.execute_script(
        "return !window.jfOldPage && document.readyState === 'complete'"))


def main():
    url, pin, action = sys.argv[1:4]
    b = webharness.Browser(pin, size=(1280, 900))
    try:
        d = b.d
        if action == "create":
            token = sys.argv[4]
            d.get(url + "/console/setup?token=" + token)
            d.find_element(By.ID, "password").send_keys(PASSWORD)
            d.find_element(By.ID, "password2").send_keys(PASSWORD)
            submit(d, d.find_element(By.ID, "setup-submit"))
        d.get(url + "/console/signin")
        d.find_element(By.ID, "name").send_keys(NAME)
        d.find_element(By.ID, "password").send_keys(PASSWORD)
        submit(d, d.find_element(By.ID, "signin-submit"))
        d.get(url + "/console/notices")
        if action == "create":
            fair, text, shot = sys.argv[5:8]
            d.find_element(By.ID, "notice-text").send_keys(text)
            # From an hour ago to tomorrow, China Standard Time, as the date pickers would set it.
            now = time.time() + 8 * 3600
            fmt = lambda t: time.strftime("%Y-%m-%dT%H:%M", time.gmtime(t))
            for field, t in (("notice-starts", now - 3600), ("notice-ends", now + 86400)):
                d.execute_script("document.getElementById(arguments[0]).value = arguments[1]",
                                 field, fmt(t))
            d.find_element(By.CSS_SELECTOR, "#notice-fairs input[value='%s']" % fair).click()
            submit(d, d.find_element(By.ID, "notice-submit"))
            rows = d.find_elements(By.CSS_SELECTOR, "#notice-list tr.notice")
            assert len(rows) == 1, d.page_source
            shown = rows[0].find_element(By.CLASS_NAME, "notice-text").text
            assert shown == text, shown  # the text as written, markup and all, never run
            assert d.title != "pwned"
            assert not d.find_elements(By.ID, "pwned")
            print("state " + rows[0].find_element(By.CLASS_NAME, "notice-state").text)
        else:
            text, shot = sys.argv[4:6]
            rows = d.find_elements(By.CSS_SELECTOR, "#notice-list tr.notice")
            assert len(rows) == 1, d.page_source
            submit(d, rows[0].find_element(By.CLASS_NAME, "end-notice"))
            assert not d.find_elements(By.CSS_SELECTOR, "#notice-list tr.notice"), d.page_source
        d.save_screenshot(shot)
        print(action + " done")
    finally:
        b.quit()


if __name__ == "__main__":
    main()
