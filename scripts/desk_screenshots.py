"""Screenshots of the desk on the sample bank for the README: an RM's morning page and the
signals board, written to docs/screenshots/ (desk-rm-morning.png, desk-signals-board.png).

Run after `make run` (it reads the warehouse of MI_DATA_DIR, default var/), with Debian's
chromium and chromium-driver installed:

    .venv/bin/python scripts/desk_screenshots.py [--rm RM004]

The sample accounts are (re)created; the desk is served on a free loopback port for the
length of the run.
"""
from __future__ import annotations

import argparse
import shutil
import socket
import threading
import time
from pathlib import Path

import uvicorn
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from mi.desk.accounts import sample_accounts
from mi.desk.app import create_app
from mi.runtime import current_runtime

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rm", default="RM004", help="the RM whose morning page is shown")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    runtime = current_runtime()
    sample_accounts(runtime.engine)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(runtime.engine, runtime.settings), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1500", "--lang=en-US"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=shutil.which("chromedriver")), options=options)
    out = Path(args.out)
    try:
        for username, page, name in ((args.rm.lower(), "/today", "desk-rm-morning.png"),
                                     ("product", "/signals", "desk-signals-board.png")):
            driver.delete_all_cookies()
            driver.get(f"http://127.0.0.1:{port}/sign-in")
            driver.find_element(By.ID, "username").send_keys(username)
            driver.find_element(By.ID, "password").send_keys(f"{username}-sample")
            driver.find_element(By.ID, "sign-in-button").click()
            driver.get(f"http://127.0.0.1:{port}{page}")
            driver.save_screenshot(str(out / name))
            print(f"written: {out / name}")
    finally:
        driver.quit()
        server.should_exit = True
        thread.join(timeout=10)


if __name__ == "__main__":
    main()
