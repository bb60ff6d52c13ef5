#!/usr/bin/python3
"""Drives anchor's operator console, replay page and morning report in headless Chromium
(Debian's chromium + chromium-driver, python3-selenium) and prints what it saw as JSON.

  console-browser.py console BASE TOKEN [SHOTS_DIR]   the console: charts, blocked review,
                                                      pause/resume, say now, add as FAQ
  console-browser.py replay URL [SHOTS_DIR]           click a product node, read the player
  console-browser.py report FILE [SHOTS_DIR]          colours in light, dark and print
The Swift test asserts on the JSON and on what anchor stored; this script only reports."""
import json, sys, time, urllib.request
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By


def browser(width=1400, height=1000):
    o = Options()
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--mute-audio", "--hide-scrollbars",
              f"--window-size={width},{height}", "--autoplay-policy=no-user-gesture-required"]:
        o.add_argument(a)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)


def wait(what, timeout=15, step=0.2):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            v = what()
            if v:
                return v
        except Exception:
            pass
        time.sleep(step)
    return None


def http(method, url, token=None, body=None):
    req = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body is not None else None)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=5) as r:
        return json.loads(r.read() or b"null")


def shot(d, folder, name):
    if folder:
        h = d.execute_script("return document.documentElement.scrollHeight")
        d.set_window_size(1400, min(max(h, 600) + 10, 3000))
        time.sleep(0.4)
        d.save_screenshot(f"{folder}/{name}")


def console(base, token, shots):
    out = {}
    d = browser()
    try:
        # ?token= (a port off loopback wants it for every read); the page keeps it and drops it from the URL.
        d.get(f"{base}/?token={token}")
        out["connected"] = bool(wait(lambda: d.find_element(By.ID, "conn").text == "live"))
        out["tokenLeftTheURL"] = "token" not in d.current_url
        last = lambda: float(d.find_element(By.ID, "c-chat").get_attribute("data-last") or "nan")
        wait(lambda: d.find_element(By.ID, "c-chat").get_attribute("data-points"))
        out["chatBefore"] = last()
        http("POST", f"{base}/chat", token, {"user": "ann", "text": "how much is the serum?"})
        out["chatAfter"] = wait(lambda: last() > out["chatBefore"] and last(), timeout=10)
        out["chartPoints"] = int(d.find_element(By.ID, "c-chat").get_attribute("data-points") or 0)

        # A blocked message shows in the review list; Unblock lets it through.
        http("POST", f"{base}/chat", token, {"user": "bea", "text": "is the badword serum any good?"})
        item = wait(lambda: [li for li in d.find_elements(By.CSS_SELECTOR, "#blocked li[data-id]") if "badword serum" in li.text])
        out["blockedShown"] = item[0].text if item else None
        if item:
            item[0].find_element(By.CSS_SELECTOR, "button.unblock").click()
            out["unblocked"] = bool(wait(lambda: "let through" in d.find_element(By.CSS_SELECTOR, "#blocked li[data-id]").text, timeout=8))
            out["unblockResult"] = d.find_element(By.ID, "result").text

        # Pause: the badge, the status, and the show holding.
        d.find_element(By.ID, "b-pause").click()
        out["pausedBadge"] = bool(wait(lambda: d.find_element(By.ID, "state").text == "PAUSED", timeout=10))
        time.sleep(1.5)
        a = http("GET", f"{base}/status", token)
        time.sleep(3)
        b = http("GET", f"{base}/status", token)
        out["paused"] = {"status": b["paused"], "framesBefore": a["framesSent"], "framesAfter": b["framesSent"],
                         "positionBefore": a["position"], "positionAfter": b["position"]}
        d.find_element(By.ID, "b-resume").click()
        out["resumedBadge"] = bool(wait(lambda: d.find_element(By.ID, "state").text == "ON AIR", timeout=10))

        # Say now.
        line = "This line was typed at the console."
        d.find_element(By.ID, "say-text").send_keys(line)
        before = d.find_element(By.ID, "result").text  # the resume's answer, still shown
        d.find_element(By.ID, "b-say").click()
        out["sayResult"] = wait(lambda: (lambda t: t if t and t != before else None)(d.find_element(By.ID, "result").text), timeout=10)
        out["sayLine"] = line

        # A question nobody answers → Add as FAQ → the next viewer gets the answer.
        question = "is the moonlit serum vegan?"
        http("POST", f"{base}/chat", token, {"user": "cat", "text": question})
        row = wait(lambda: [li for li in d.find_elements(By.CSS_SELECTOR, "#unanswered li") if question in li.text], timeout=15)
        out["unansweredShown"] = bool(row)
        if row:
            answer = "Yes, it is fully vegan and cruelty free."
            row[0].find_element(By.CSS_SELECTOR, "input.faq-answer").send_keys(answer)
            row[0].find_element(By.CSS_SELECTOR, "button.add-faq").click()
            out["faqResult"] = wait(lambda: "added" in d.find_element(By.ID, "result").text and d.find_element(By.ID, "result").text, timeout=5)
            time.sleep(1)
            http("POST", f"{base}/chat", token, {"user": "dan", "text": "Is the Moonlit serum vegan?"})
            out["faqAnswered"] = wait(lambda: [e for e in http("GET", f"{base}/status", token)["chat"]["recent"]
                                               if e["user"] == "dan" and "vegan" in (e.get("reply") or "")], timeout=15)
        time.sleep(1.5)
        shot(d, shots, "console.png")
        out["errors"] = [e["message"] for e in d.get_log("browser") if e["level"] == "SEVERE" and "favicon" not in e["message"]]
    finally:
        d.quit()
    return out


def replay(url, shots):
    out = {}
    d = browser(1200, 800)
    try:
        d.get(url)
        out["ready"] = bool(wait(lambda: d.execute_script("return document.body.dataset.ready")))
        buttons = d.find_elements(By.CSS_SELECTOR, "#nodes button:not([disabled])")
        nodes = d.execute_script("return data.nodes")
        out["nodes"] = len(nodes)
        # The last product node that starts inside its file (not at its start): a real seek.
        pick = max((i for i, n in enumerate(nodes) if n.get("media") and (n.get("offset") or 0) > 1 and n.get("sku")), default=None)
        if pick is None:
            return out
        n = nodes[pick]
        later = [m.get("offset") for m in nodes[pick + 1:] if m.get("media") == n["media"]]
        out["node"] = {"sku": n["sku"], "offset": n["offset"], "next": later[0] if later else None}
        d.find_elements(By.CSS_SELECTOR, "#nodes button")[pick].click()
        time.sleep(1.5)
        out["currentTime"] = d.execute_script("return document.getElementById('player').currentTime")
        out["duration"] = d.execute_script("return document.getElementById('player').duration")
        out["mediaError"] = d.execute_script("const e = document.getElementById('player').error; return e && (e.code + ' ' + e.message)")
        out["card"] = d.find_element(By.ID, "card").text
        out["current"] = d.find_element(By.CSS_SELECTOR, "#nodes button.current").text
        shot(d, shots, "replay.png")
    finally:
        d.quit()
    return out


def report(path, shots):
    out = {}
    d = browser(1300, 900)
    try:
        d.get("file://" + path)
        probe = "const b = document.querySelector('svg .bar'); return [getComputedStyle(document.body).backgroundColor, b && getComputedStyle(b).fill, document.querySelectorAll('.finding').length]"
        out["light"] = d.execute_script(probe)
        shot(d, shots, "report.png")
        d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
        out["dark"] = d.execute_script(probe)
        shot(d, shots, "report-dark.png")
        d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print", "features": [{"name": "prefers-color-scheme", "value": "dark"}]})
        out["print"] = d.execute_script(probe)
        out["svgs"] = d.execute_script("return [...document.querySelectorAll('svg.chart')].map(s => s.getBoundingClientRect().width > 100)")
    finally:
        d.quit()
    return out


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "console":
        result = console(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None)
    elif mode == "replay":
        result = replay(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
    else:
        result = report(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
    print(json.dumps(result))
