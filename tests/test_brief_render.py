"""Rendering a composed brief: subject, HTML email, plain text and webhook card, in English
and in Chinese (the inert-output tests are in test_brief_render_inert.py, the browser check
in test_brief_render_browser.py)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from html.parser import HTMLParser

import pytest

from mi.briefs import render_brief
from mi.briefs.text import display_width, wrap
from mi.records.briefs import SECTIONS, Rendered
from tests.brief_samples import brief, english_items, usd_cny

URL_LINE = re.compile(r"^\s*https?://\S+$")


def squash(text: str) -> str:
    """``text`` without any white space, to find words across the text part's line breaks."""
    return "".join(text.split())


def render(language: str = "en", **changes: object) -> Rendered:
    sample = dataclasses.replace(brief(language), **changes) if changes else brief(language)
    return render_brief(sample, bank_name="Acme Bank", desk_url="https://desk.acme.example/briefs",
                        time_zone="Asia/Shanghai")


class _Page(HTMLParser):
    """Start tags with their attributes, and the text a reader sees (scripts would count too)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def page(html: str) -> _Page:
    parsed = _Page()
    parsed.feed(html)
    return parsed


def test_sections_follow_the_order_of_SECTIONS_with_a_heading_each() -> None:
    rendered = render()
    ids = [attrs["id"] for tag, attrs in page(rendered.html).tags if (attrs.get("id") or "").startswith("section-")]
    assert ids == [f"section-{name}" for name in SECTIONS]
    headings = ["YOUR CUSTOMERS", "INDUSTRY PULSE", "MARKET MOVES", "COMPETITOR CHANGES", "PRODUCT SUGGESTIONS",
                "PRODUCT DECISIONS"]
    positions = [rendered.text.index(heading + "\n") for heading in headings]
    assert positions == sorted(positions)
    assert [section["key"] for section in rendered.card["sections"]] == list(SECTIONS)


def test_each_item_shows_title_summary_reason_customer_industry_tone_date_and_links() -> None:
    rendered = render()
    shown = squash(" ".join(page(rendered.html).text))
    flat_text = squash(rendered.text)
    for expected in ("Harbour Logistics wins a ten-year port concession in Ningbo",
                     "The concession covers two container berths",
                     "Why you see this:", "Names your customer Harbour Logistics Ltd.",
                     "Customer: Harbour Logistics Ltd", "Industry: H · Transportation and storage",
                     "Tone: positive", "Mar 4, 2026, 10:15 AM", "Port Daily"):
        assert squash(expected) in shown, expected
        assert squash(expected) in flat_text, expected
    hrefs = [attrs["href"] for tag, attrs in page(rendered.html).tags if tag == "a"]
    assert "https://news.example.com/harbour-ningbo" in hrefs
    assert "https://news.example.com/harbour-ningbo" in rendered.text.splitlines()[rendered.text.splitlines().index(
        "   - Port Daily") + 1]
    assert all(squash(words) in shown for words in ("Competitor: River Bank", "Before: 3.6%",
                                                    "Product: FX forward (USD/CNY)"))


def test_items_within_a_section_are_ordered_by_score() -> None:
    rendered = render()
    assert rendered.text.index("1. USD/CNY at its highest") < rendered.text.index("2. One-year loan prime rate")


def test_a_market_move_is_drawn_as_bars_of_table_cells_with_its_change_and_forecast_band() -> None:
    rendered = render()
    bars = [attrs for tag, attrs in page(rendered.html).tags
            if tag == "div" and "height:" in (attrs.get("style") or "") and attrs.get("title")]
    usd = [bar for bar in bars if bar["title"].startswith(("Feb", "Mar")) and "7.1" in bar["title"]]
    assert len(usd) == len(usd_cny().points) == 20
    heights = [int(re.search(r"height:(\d+)px", bar["style"]).group(1)) for bar in usd]
    assert heights[0] == min(heights) and heights[-1] == max(heights) == 48
    for words in ("Change: +0.95%", "Latest: 7.1688 CNY on Feb 24, 2026", "Forecast band: 7.15 to 7.19 CNY",
                  "Change: -0.35 pp", "Forecast band: 3.00 to 3.20%"):
        assert words in rendered.html and words in " ".join(rendered.text.split()), words
    assert "▁▁▂▂▂▃▃▃▄▄▄▄▅▅▅▆▆▇▇█  fx:USD/CNY" in rendered.text
    assert rendered.attachments == ()


def test_the_html_is_tables_and_inline_styles_without_scripts_svg_remote_images_or_web_fonts() -> None:
    html = render().html
    tags = {tag for tag, _ in page(html).tags}
    assert tags <= {"html", "head", "meta", "title", "body", "div", "table", "tr", "td", "h1", "h2", "p", "strong",
                    "a", "span"}, tags
    for forbidden in ("<script", "<svg", "<img", "<style", "<link", "@font-face", "@import", "url("):
        assert forbidden not in html.lower(), forbidden
    main = next(attrs for tag, attrs in page(html).tags if attrs.get("id") == "brief")
    assert main["width"] == "600" and "max-width:600px" in main["style"]
    assert "word-break:break-word" in main["style"] and "overflow-wrap:anywhere" in main["style"]
    widths = [int(width) for _, attrs in page(html).tags
              for width in re.findall(r"(?<!-)width:(\d+)px", attrs.get("style") or "")]
    assert widths and max(widths) <= 600


def test_the_text_part_carries_every_item_in_lines_of_at_most_72_columns() -> None:
    for language in ("en", "zh"):
        rendered = render(language)
        for item in brief(language).items:
            assert item.title in rendered.text.replace("\n   ", "")
        long_lines = [line for line in rendered.text.splitlines()
                      if display_width(line) > 72 and not URL_LINE.match(line)]
        assert not long_lines, long_lines


def test_wrapping_counts_chinese_characters_as_two_columns_and_keeps_numbers_with_their_unit() -> None:
    text = "特许经营范围包括两个集装箱泊位和一条铁路支线，公司预计三年内投资约12亿元人民币。" * 2
    lines = wrap(text, 40, "  ").splitlines()
    assert all(display_width(line) <= 42 for line in lines) and len(lines) >= 5
    assert not any(line.strip().startswith(("，", "。")) for line in lines)
    assert "12亿" in "".join(line.strip() for line in lines).replace("\n", "")
    assert wrap("word " * 30, 30).splitlines()[0] == "word word word word word word"


def test_a_chinese_brief_is_in_chinese_with_chinese_dates_and_numbers() -> None:
    rendered = render("zh")
    assert rendered.language == "zh"
    assert rendered.subject == "Acme Bank · 晨报 · 2026年3月4日 · 6条"
    assert '<html lang="zh-Hans">' in rendered.html
    for words in ("您的客户", "行业动态", "市场变动", "竞争对手动态", "产品建议", "产品决策", "推送原因：",
                  "致王丽 · 2026年3月4日星期三", "行业：H · 交通运输和仓储", "基调：积极", "2026年3月4日 10:15",
                  "变动：+0.95%", "预测区间：7.15至7.19 CNY"):
        assert squash(words) in squash(rendered.html), words
        assert squash(words) in squash(rendered.text), words
    assert rendered.card["sections"][0]["heading"] == "您的客户"


def test_the_subject_counts_items_and_names_the_kind_and_day() -> None:
    assert render().subject == "Acme Bank · Morning brief · Mar 4, 2026 · 7 items"
    one = render(items=english_items()[:1], kind="alert")
    assert one.subject == "Acme Bank · Intraday alert · Mar 4, 2026 · 1 item"
    assert ">Intraday alert</h1>" in one.html


def test_a_quiet_brief_renders_a_short_note_everywhere() -> None:
    rendered = render(items=())
    note = "Nothing new for your customers, their industries or your markets since the last brief."
    assert rendered.subject == "Acme Bank · Morning brief · Mar 4, 2026 · nothing new"
    assert 'id="quiet"' in rendered.html and note in rendered.html
    assert note in " ".join(rendered.text.split())
    assert rendered.card["sections"] == [] and rendered.card["text"] == note
    chinese = render("zh", items=())
    assert "暂无新内容" in chinese.subject and "自上次简报以来" in chinese.html


def test_a_brief_in_a_language_not_shipped_is_rendered_in_english() -> None:
    rendered = render_brief(dataclasses.replace(brief("en"), language="fr"), bank_name="Acme Bank")
    assert rendered.language == "en" and "Morning brief" in rendered.subject
    assert render_brief(dataclasses.replace(brief("zh"), language="zh-CN"), bank_name="B").language == "zh"


def test_times_are_shown_in_the_time_zone_given_and_naive_times_are_utc() -> None:
    naive = dataclasses.replace(english_items()[0], when=dt.datetime(2026, 3, 4, 2, 15))
    sample = dataclasses.replace(brief("en"), items=(naive,))
    # Babel puts a narrow no-break space (U+202F) before AM, as CLDR does.
    assert "Mar 4, 2026, 10:15\u202fAM" in render_brief(sample, bank_name="B", time_zone="Asia/Shanghai").html
    assert "Mar 4, 2026, 2:15\u202fAM" in render_brief(sample, bank_name="B").html


def test_the_card_holds_a_few_items_per_section_with_their_links_and_the_desk() -> None:
    many = tuple(dataclasses.replace(english_items()[0], title=f"News {n}", score=1 - n / 10) for n in range(5))
    card = render(items=many).card
    assert json.loads(json.dumps(card)) == card
    (section,) = card["sections"]
    assert [item["title"] for item in section["items"]] == ["News 0", "News 1", "News 2"] and section["more"] == 2
    assert section["items"][0]["link"] == {"label": "Port Daily", "url": "https://news.example.com/harbour-ningbo"}
    assert section["items"][0]["reason"] == "Names your customer Harbour Logistics Ltd."
    assert card["link"] == {"label": "Open the desk", "url": "https://desk.acme.example/briefs"}
    assert card["brief_key"] == "daily:RM-007:2026-03-04" and card["language"] == "en"
    assert "- [News 0](https://news.example.com/harbour-ningbo): " in card["markdown"]


def test_ascii_text_wraps_as_the_general_wrapping_does() -> None:
    """The English fast path of ``wrap`` against the general one, on random words, runs of
    punctuation and words wider than a line, at several widths and indents."""
    import random

    from mi.briefs.text import _pieces, _wrap_ascii, _wrap_pieces

    rng = random.Random(4754)
    letters = "ab cd,.;:!?)  \t\nxyzLONG-\x1f"
    for _ in range(3000):
        text = " ".join("".join(rng.choice(letters) for _ in range(rng.choice([1, 2, 3, 5, 8, 13, 40, 90])))
                        for _ in range(rng.randint(0, 30)))
        for room, indent in ((72, ""), (69, "   "), (18, "  "), (8, ""), (68, "1.  ")):
            assert _wrap_ascii(text, room, indent) == _wrap_pieces(_pieces(text), room, indent), (text, room)


def test_a_card_is_rendered_only_for_a_bank_that_posts_to_a_webhook() -> None:
    from mi.briefing import render as render_for
    from mi.settings import Settings

    email_only = Settings.from_env({})
    assert render_for(email_only, brief("en")).card == {}
    assert render_for(email_only.with_delivery_channels(["eml", "webhook"]), brief("en")).card["sections"]
    plain = render_brief(brief("en"), bank_name="Acme Bank", card=False)
    assert plain.card == {} and plain.html == render_brief(brief("en"), bank_name="Acme Bank").html


@pytest.mark.parametrize("desk_url", [None, "javascript:alert(1)", "ftp://desk.example/"])
def test_without_an_http_desk_address_there_is_no_desk_link(desk_url: str | None) -> None:
    rendered = render_brief(brief("en"), bank_name="Acme Bank", desk_url=desk_url)
    assert "Open the desk" not in rendered.html and "Open the desk" not in rendered.text
    assert rendered.card["link"] is None


def test_rendering_the_same_brief_twice_gives_the_same_message() -> None:
    assert render() == render()
    assert render().card == render().card
