"""A brief made of hostile items renders inert: fetched text never becomes markup, script,
a link or reordered text in the HTML, the plain text, the subject or the webhook card."""
from __future__ import annotations

import dataclasses
import json
import re

import pytest

from mi.briefs import render_brief
from mi.briefs.view import safe_href
from mi.records.briefs import Rendered
from mi.records.inert import json_text
from tests.brief_samples import IMG, LONG_WORD, RTL, SCRIPT, brief, hostile_items
from tests.markdown_render import commonmark, tags
from tests.test_brief_render import page

RAW_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
SAFE_HREFS = {"https://ok.example.com/a?b=1&c=%222%22%3E%3Cscript%3E", "https://good.example.com/story"}


@pytest.fixture(scope="module")
def hostile() -> Rendered:
    sample = brief("en", hostile_items(), rm_name="Eve\r\nBcc: all@bank.example <script>")
    return render_brief(sample, bank_name="Acme\nBank", desk_url="https://desk.example/\u202e")


def test_hostile_titles_and_summaries_are_text_in_the_html_never_tags_or_handlers(hostile: Rendered) -> None:
    parsed = page(hostile.html)
    assert {tag for tag, _ in parsed.tags} <= {"html", "head", "meta", "title", "body", "div", "table", "tr", "td",
                                              "h1", "h2", "p", "strong", "a", "span"}
    for tag, attrs in parsed.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert not any("alert(" in (value or "") for value in attrs.values()), (tag, attrs)
    shown = "".join(parsed.text)
    assert SCRIPT in shown and IMG in shown  # shown as the characters they are
    assert "[click me](javascript:alert(3))" in shown and "**bold** <b>b</b>" in shown
    assert "<script>" not in hostile.html and "&lt;script&gt;" in hostile.html


def test_only_http_links_become_links_and_the_others_are_shown_as_text(hostile: Rendered) -> None:
    hrefs = {attrs["href"] for tag, attrs in page(hostile.html).tags if tag == "a"}
    assert hrefs == SAFE_HREFS
    shown = "".join(page(hostile.html).text)
    for label in ("js link", "data link", "mixed-case js", "bidi url", "no scheme"):
        assert f"{label} (link removed)" in shown
    for scheme in ("javascript:", "data:", "JaVaScRiPt:"):
        assert not any(line.strip().lower().startswith(scheme.lower()) for line in hostile.text.splitlines())
        assert scheme.lower() not in json.dumps(hostile.card).lower().replace("javascript:alert(3)", "")
    assert "   - js link (link removed)" in hostile.text


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "vbscript:x", "file:///etc/passwd",
                                 "//example.com/x", "/relative", "https://", "http://[::1", "https://a.example/\x00",
                                 "https://a.example/\u202e", " JAVASCRIPT:alert(1)"])
def test_safe_href_refuses_anything_but_an_absolute_http_url(url: str) -> None:
    assert safe_href(url) is None


def test_safe_href_encodes_what_could_end_an_attribute() -> None:
    assert safe_href('https://a.example/x?q="><b>\'') == "https://a.example/x?q=%22%3E%3Cb%3E%27"
    assert safe_href("HTTPS://a.example/path ok") == "HTTPS://a.example/path%20ok"


def test_no_raw_control_or_bidi_character_reaches_any_part(hostile: Rendered) -> None:
    for part in (hostile.html, hostile.text, hostile.subject, json_text(hostile.card)):
        assert not RAW_CONTROLS.search(part)
    assert RTL.replace("\u202e", "\\u202e") in hostile.html and RTL.replace("\u202e", "\\u202e") in hostile.text
    assert "\\x1b[31mred" in hostile.text and "\\u2066" in hostile.text


def test_line_breaks_in_fetched_text_cannot_fake_lines_of_the_text_part_or_a_header(hostile: Rendered) -> None:
    assert "\n" not in hostile.subject and "\r" not in hostile.subject
    assert hostile.subject.startswith("Acme Bank · Morning brief")
    assert not any(line.startswith(("SECTION: fake", "Bcc:")) for line in hostile.text.splitlines())
    assert "Title SECTION: fake" in hostile.text


def test_very_long_words_are_cut_in_the_text_and_breakable_in_the_html(hostile: Rendered) -> None:
    assert LONG_WORD not in hostile.text and LONG_WORD in hostile.text.replace("\n   ", "")  # cut, not lost
    assert max(len(line) for line in hostile.text.splitlines()) <= 72
    assert "x" * 5000 not in hostile.html and "…" in hostile.html  # the 5,000-character summary was cut
    item_cells = [attrs["style"] for tag, attrs in page(hostile.html).tags
                  if tag == "td" and attrs.get("class") == "item"]
    assert item_cells and all("overflow-wrap:anywhere" in style for style in item_cells)


def test_a_hostile_sentiment_or_industry_cannot_reach_a_style(hostile: Rendered) -> None:
    styles = [attrs.get("style") or "" for _, attrs in page(hostile.html).tags]
    assert not any("style=" in style or "onerror" in style or '"' in style for style in styles)
    assert any("border-left:3px solid #d1d5db" in style for style in styles)


def test_a_move_with_missing_numbers_renders_a_dash_instead_of_failing(hostile: Rendered) -> None:
    assert "Change: –" in hostile.html
    assert "Forecast band: 0.50 to 1.50" in hostile.html


def test_an_item_in_an_undeclared_section_is_still_shown_under_its_name(hostile: Rendered) -> None:
    assert "An item in a section nobody declared" in hostile.html
    assert "made-up&lt;section&gt;" in hostile.html


def test_the_card_is_plain_data_and_its_markdown_is_inert(hostile: Rendered) -> None:
    card = hostile.card
    assert json.loads(json.dumps(card)) == card
    assert json.loads(json_text(card)) == card
    first = card["sections"][0]["items"][0]
    assert first["link"] == {"label": "quoted url", "url": "https://ok.example.com/a?b=1&c=%222%22%3E%3Cscript%3E"}
    assert card["link"] is None  # the desk address held a bidi control
    rendered = commonmark().render(card["markdown"])
    found = tags(rendered)
    assert {tag for tag, _ in found} <= {"p", "strong", "ul", "li", "a"}
    assert all(attrs["href"].startswith("https://") for tag, attrs in found if tag == "a")
    assert "<script>" not in rendered and "<img" not in rendered


def test_a_brief_of_hostile_chinese_text_is_inert_too() -> None:
    items = tuple(dataclasses.replace(item, title="标题" + item.title) for item in hostile_items())
    rendered = render_brief(brief("zh", items), bank_name="银行")
    assert "<script>" not in rendered.html and not RAW_CONTROLS.search(rendered.text)
    assert "（链接已移除）" in rendered.html
