"""Rendered briefs in a real browser: headless Chromium lays out the HTML of a brief with every
section filled (English, Chinese, hostile), nothing is wider than the 600 px the email allows
(nor than a phone's screen), every section shows, Chinese characters are drawn with a font
that has them, and a screenshot of each is kept.

The brief itself holds no script: the test adds a probe script to a copy, which writes its
measurements into the page, and reads them back with ``--dump-dom``. Needs Debian's
``chromium`` and a CJK font (``fonts-noto-cjk``), which ``.ci/run`` installs; skipped only
where no Chromium binary exists at all.
"""
from __future__ import annotations

import html
import json
import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from mi.briefs import render_brief
from mi.records.briefs import SECTIONS, Brief
from tests.brief_samples import brief, hostile_items

CHROMIUM = next((found for name in ("chromium", "chromium-browser", "google-chrome") if (found := shutil.which(name))),
                None)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium binary on this machine: the browser check of the brief's HTML needs one "
                             "(Debian: apt-get install chromium fonts-noto-cjk, as .ci/run does)")

# The network is closed here: these flags keep Chromium from waiting on updates, sync and the like.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--hide-scrollbars",
         "--disable-extensions", "--mute-audio"]

# Measures the page it is added to and writes the result into <pre id="probe">. Glyphs are
# compared on a canvas in the brief's own font stack: a missing glyph draws the same box
# (or nothing) for every character, so two different ideographs look alike only without a font.
PROBE = """<script>
(function () {
  if (BODY_WIDTH) { document.body.style.width = BODY_WIDTH + 'px'; }
  var brief = document.getElementById('brief');
  var box = brief.getBoundingClientRect();
  var overflow = [];
  brief.querySelectorAll('*').forEach(function (el) {
    var r = el.getBoundingClientRect();
    if (r.width > 0 && (r.right > box.right + 0.5 || r.left < box.left - 0.5)) {
      overflow.push(el.tagName + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
    }
  });
  var sections = {};
  document.querySelectorAll('[id^="section-"]').forEach(function (el) {
    var r = el.getBoundingClientRect();
    sections[el.id.slice(8)] = r.width > 0 && r.height > 0 && getComputedStyle(el).visibility === 'visible';
  });
  var family = getComputedStyle(brief).fontFamily;
  function ink(text) {
    var canvas = document.createElement('canvas');
    canvas.width = 120; canvas.height = 60;
    var g = canvas.getContext('2d');
    g.font = '40px ' + family;
    g.fillText(text, 4, 46);
    return canvas.toDataURL();
  }
  var blank = ink('');
  var result = {
    innerWidth: window.innerWidth, scrollWidth: document.documentElement.scrollWidth,
    briefWidth: box.width, height: Math.ceil(document.documentElement.scrollHeight),
    overflow: overflow.slice(0, 20), sections: sections, fontFamily: family,
    cjkDrawn: ink('\\u4e2d') !== blank && ink('\\u4e2d') !== ink('\\u56fd') && ink('\\u56fd') !== ink('\\u6587')
  };
  var out = document.createElement('pre');
  out.id = 'probe';
  out.textContent = JSON.stringify(result);
  document.body.appendChild(out);
})();
</script>"""


def _chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def measure(page: Path, profile: Path, body_width: int = 0) -> dict:
    """The probe's findings in a 600 px wide window; ``body_width`` narrows the page's body
    (headless Chromium will not open a window as narrow as a phone's screen)."""
    probed = page.with_name(page.stem + f".probe{body_width}.html")
    probe = PROBE.replace("BODY_WIDTH", str(body_width))
    probed.write_text(page.read_text(encoding="utf-8").replace("</body>", probe + "</body>"), encoding="utf-8")
    dom = _chromium(["--window-size=600,900", "--virtual-time-budget=5000", "--dump-dom", probed.as_uri()],
                    profile).stdout
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    assert found, dom[-2000:]
    return json.loads(html.unescape(found.group(1)))


def screenshot(page: Path, width: int, height: int, profile: Path) -> Path:
    png = page.with_suffix(".png")
    _chromium([f"--window-size={width},{height}", f"--screenshot={png}", page.as_uri()], profile)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    shown_width, shown_height = struct.unpack(">II", png.read_bytes()[16:24])
    assert (shown_width, shown_height) == (width, height)
    if target := os.environ.get("MI_SCREENSHOT_DIR"):
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(png, Path(target) / png.name)
    return png


def fonts_with_chinese() -> list[str]:
    if not shutil.which("fc-list"):
        return []
    listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=60)
    return [line for line in listed.stdout.splitlines() if line.strip()]


CASES = {
    "en": lambda: brief("en"),
    "zh": lambda: brief("zh"),
    "hostile": lambda: brief("en", hostile_items()),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_brief_fits_600px_shows_every_section_and_draws_its_chinese(
        case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sample: Brief = CASES[case]()
    rendered = render_brief(sample, bank_name="示例银行 Acme Bank", desk_url="https://desk.acme.example/",
                            time_zone="Asia/Shanghai")
    page = tmp_path / f"brief-{case}.html"
    page.write_text(rendered.html, encoding="utf-8")
    profile = tmp_path / "chromium-profile"

    wide = measure(page, profile)
    assert wide["innerWidth"] == 600 and wide["briefWidth"] <= 600
    assert wide["scrollWidth"] <= 600, wide
    assert wide["overflow"] == [], wide["overflow"]
    expected = {item.section for item in sample.items}
    assert {key for key, visible in wide["sections"].items() if visible} == expected
    assert set(SECTIONS) & expected == set(SECTIONS) & {key for key in wide["sections"]}

    phone = measure(page, profile, body_width=360)  # a phone's mail app: the same table narrows
    assert phone["briefWidth"] <= 360 and phone["overflow"] == [], phone

    fonts = fonts_with_chinese()
    assert fonts, "no font with Chinese glyphs (fc-list :lang=zh is empty): apt-get install fonts-noto-cjk"
    assert wide["cjkDrawn"], f"Chinese characters drew as empty boxes in {wide['fontFamily']}"

    png = screenshot(page, 600, max(wide["height"], 200), profile)
    with capsys.disabled():
        print(f"\nbrief screenshot ({case}): {png}")


def test_the_probe_sees_an_overflow_when_long_words_may_not_break(tmp_path: Path) -> None:
    """The check itself must be able to fail: without the break styles a 400-letter word
    pushes past the brief's 600 px."""
    rendered = render_brief(brief("en", hostile_items()), bank_name="Acme Bank")
    unbreakable = rendered.html.replace("word-break:break-word;", "").replace("overflow-wrap:anywhere;", "")
    page = tmp_path / "unbreakable.html"
    page.write_text(unbreakable, encoding="utf-8")
    found = measure(page, tmp_path / "chromium-profile")
    assert found["overflow"] or found["scrollWidth"] > 600, found
