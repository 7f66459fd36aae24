#!/usr/bin/env python3
"""The browser half of the door test (test_phone_door.cpp): a person registers on the hub's
phone page in chromium at 360x640, enters the one-time code the development sender wrote to the
hub's log, and the page with their code is saved as a screenshot of the phone's screen.

usage: phone_door.py URL PIN HUB_LOG PHONE NAME FAIR_ID SCREENSHOT.png
"""
import sys

import webharness
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from test_phone import read_otp


def main():
    url, pin, log, phone, name, fair, out = sys.argv[1:8]
    b = webharness.Browser(pin)
    try:
        d = b.d
        d.get(url + "/m/register")
        d.find_element(By.ID, "name").send_keys(name)
        d.find_element(By.ID, "phone").send_keys(phone)
        Select(d.find_element(By.ID, "fair")).select_by_value(fair)
        d.find_element(By.ID, "consent").click()
        d.find_element(By.ID, "submit").click()
        WebDriverWait(d, 30).until(lambda x: x.find_elements(By.ID, "otp"))
        d.find_element(By.ID, "otp").send_keys(read_otp(log, phone))
        d.find_element(By.ID, "submit").click()
        WebDriverWait(d, 30).until(lambda x: x.find_elements(By.ID, "qr"))
        # The code fills the phone's screen width; bring it into view as a person would.
        d.execute_script("document.getElementById('qr').scrollIntoView({block: 'center'})")
        with open(out, "wb") as f:
            f.write(d.get_screenshot_as_png())
        size = d.execute_script("return [window.innerWidth, window.innerHeight]")
        print("viewport %dx%d" % tuple(size))
    finally:
        b.quit()


if __name__ == "__main__":
    main()
