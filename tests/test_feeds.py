"""The feed channel kind against real feeds (rss-parser) and feedparser's own test cases.

Fixtures live in tests/fixtures/feeds/ (see the SOURCE.md files there for origin and
licence). Pure parsing: no network, no database.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import random
import re
from pathlib import Path

import pytest

from mi.records.channels import ChannelConfig
from mi.sources.feeds.feed import FeedSource, feed_to_json, parse_feed
from mi.sources.registry import KINDS

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"
RSS_PARSER = FIXTURES / "rss-parser"
FEEDPARSER = FIXTURES / "feedparser"
UTC = dt.timezone.utc


def _collapse(text: str | None) -> str | None:
    return " ".join((text or "").split()) or None


# --------------------------------------------------------------------------------------
# rss-parser: real feeds with rss-parser's parsed output
# --------------------------------------------------------------------------------------


def _expected(name: str) -> dict:
    raw = (RSS_PARSER / "output" / f"{name}.json").read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        # output/encoding.json was saved in ISO-8859-1 (like its input), not UTF-8.
        text = raw.decode("latin-1")
    return json.loads(text)["feed"]


def _expected_title(title: str | None) -> str | None:
    # rss-parser keeps markup in titles (craigslist: "&#x0024;4300 ... ft<sup>2</sup>"); we
    # keep plain text. Tags are removed before unescaping so "&lt;b&gt;" stays literal.
    return _collapse(html.unescape(re.sub(r"<[^>]+>", "", title or "")))


def _matches(expected: str | None, actual: str | None) -> bool:
    """Equality, with U+FFFD in the expected string standing for any one character.

    uolNoticias.json was saved with U+FFFD where rss-parser could not decode the
    undeclared windows-1252 bytes; we must produce the real letters there.
    """
    if expected is None or actual is None:
        return expected == actual
    pattern = "".join("." if char == "\ufffd" else re.escape(char) for char in expected)
    return re.fullmatch(pattern, actual) is not None


def _expected_instant(iso: str) -> dt.datetime:
    # rss-parser (JavaScript Date) keeps milliseconds; feedparser keeps whole seconds.
    return dt.datetime.fromisoformat(iso.replace("Z", "+00:00")).replace(microsecond=0)


RSS_PARSER_CASES = sorted(path.stem for path in (RSS_PARSER / "output").glob("*.json"))


def _input_for(name: str) -> Path:
    (path,) = (RSS_PARSER / "input").glob(f"{name}.*")
    return path


@pytest.mark.parametrize("name", RSS_PARSER_CASES)
def test_rss_parser_feed_matches_expected_output(name: str) -> None:
    expected = _expected(name)
    result = parse_feed(_input_for(name).read_bytes())

    assert result.is_feed
    assert _matches(_expected_title(expected.get("title")), result.title)
    assert (expected.get("link") or None) == result.link
    assert len(result.items) == len(expected["items"])
    for position, (want, got) in enumerate(zip(expected["items"], result.items), start=1):
        assert _matches(_expected_title(want.get("title")), got.title), position
        want_link = (want.get("link") or "").strip() or None
        if want_link and want_link.startswith("/"):
            # gulp-atom: relative links; with no feed URL we resolve against the feed's link.
            want_link = "https://github.com" + want_link
        assert got.url == want_link, position
        want_id = want.get("guid") or want.get("id")
        if isinstance(want_id, str) and want_id.strip():
            # reddit-home: feedparser resolves permalink-like Atom ids against the
            # entry's xml:base ("/.rss?limit=50"), so "t3_42tizy" becomes "/t3_42tizy".
            resolved = "/" + want_id.strip() if name == "reddit-home" else want_id.strip()
            assert got.external_id == resolved, position
        if want.get("isoDate"):
            assert got.published_at == _expected_instant(want["isoDate"]), position
        assert got.published_at is None or got.published_at.tzinfo == UTC


def test_rss_parser_cases_cover_every_input_but_two() -> None:
    inputs = {path.stem for path in (RSS_PARSER / "input").iterdir()}
    assert inputs - set(RSS_PARSER_CASES) == {"unrecognized", "itunes-missing-image"}


def test_feed_with_a_blank_line_before_the_declaration_reads_cleanly() -> None:
    # itunes-missing-image.rss has no expected output: rss-parser only checks that it
    # parses. It starts with a newline before <?xml, which strict XML rejects.
    result = parse_feed((RSS_PARSER / "input" / "itunes-missing-image.rss").read_bytes())
    assert (result.is_feed, result.error, len(result.items)) == (True, None, 131)
    assert all(item.title for item in result.items)


def test_iso_8859_1_feed_decodes_accented_letters() -> None:
    result = parse_feed((RSS_PARSER / "input" / "encoding.rss").read_bytes())
    assert result.title == "Jornal de Notícias - Últimas Notícias"
    assert result.items[0].title == "Mãe de utente é a nova presidente da Raríssimas"
    assert result.error is None
    assert result.items[0].language == "pt"  # <language>pt-pt</language>


def test_undeclared_windows_1252_feed_is_decoded_and_reported_as_a_guess() -> None:
    result = parse_feed((RSS_PARSER / "input" / "uolNoticias.rss").read_bytes())
    assert result.items[0].title == "Ibope: Bolsonaro perde de Haddad, Ciro e Alckmin em simulações de 2º turno"
    assert result.error is not None and result.error.startswith("character encoding:")
    assert "decoded as cp1252 by guessing" in result.error
    # Portuguese day and month names ("Seg, 24 Set 2018 19:42:40 -0300") are read too.
    assert result.problems == ()
    assert result.items[0].published_at == dt.datetime(2018, 9, 24, 22, 42, 40, tzinfo=dt.timezone.utc)


def test_feed_source_reports_an_encoding_guess_as_a_warning_not_a_quarantine() -> None:
    parsed = FeedSource(ChannelConfig(name="uol", kind="feed", urls=("x",))).parse(
        (RSS_PARSER / "input" / "uolNoticias.rss").read_bytes(), url="x", content_type=None)
    assert parsed.problems == [] and parsed.fatal is None and len(parsed.documents) == 15
    assert parsed.warnings and "by guessing" in parsed.warnings[0]


def test_unrecognized_input_is_rejected_like_rss_parser_does() -> None:
    # rss-parser throws "Feed not recognized as RSS 1 or 2." for this "Document Moved" page.
    result = parse_feed((RSS_PARSER / "input" / "unrecognized.rss").read_bytes())
    assert result.is_feed is False
    assert result.items == []
    assert result.error == "not a feed: the document is an HTML page (<head> root)"


def test_plain_text_content_and_language_of_a_real_feed() -> None:
    result = parse_feed((RSS_PARSER / "input" / "heise.atom").read_bytes())
    item = result.items[0]
    # issue 11: feed documents had an empty language; heise declares none, its German words tell
    assert item.language == "de"
    assert parse_feed((RSS_PARSER / "input" / "customfields.rss").read_bytes()).items[0].language == "kn"
    assert "<" not in item.text and "  " not in item.text
    assert len(item.text) >= len(item.summary or "")


# --------------------------------------------------------------------------------------
# Payloads that are not feeds
# --------------------------------------------------------------------------------------

NOT_FEEDS = [
    (b"", "not a feed: empty document"),
    (b"  \r\n\t ", "not a feed: empty document"),
    (
        b"<!DOCTYPE html>\n<html lang='en'><head><title>Markets</title></head><body><p>Hi</p></body></html>",
        "not a feed: the document is an HTML page (<html> root)",
    ),
    (b'{"status": "ok", "items": [{"title": "<b>x</b>"}]}', "not a feed: the document is JSON, not RSS or Atom"),
    (
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "x", "items": []}',
        "not a feed: the document is a JSON Feed (this channel kind reads RSS and Atom only)",
    ),
    (b"Service temporarily unavailable", "not a feed: plain text with no XML markup"),
    # Bytes that look like a file name: feedparser would open a bare bytes argument as one.
    (b"/etc/hostname", "not a feed: plain text with no XML markup"),
    (
        b'<?xml version="1.0"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url/></urlset>',
        "not a feed: no RSS or Atom root element (found <urlset>)",
    ),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "not a feed: binary data (a PNG image)"),
    (
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03<rss",
        "not a feed: binary data (gzip-compressed data that was never decompressed)",
    ),
]


@pytest.mark.parametrize(("body", "error"), NOT_FEEDS, ids=[error for _, error in NOT_FEEDS])
def test_not_a_feed(body: bytes, error: str) -> None:
    result = parse_feed(body, content_type="text/html; charset=utf-8")
    assert (result.is_feed, result.items, result.error) == (False, [], error)


@pytest.mark.parametrize("seed", range(5))
def test_random_binary_is_not_a_feed_and_never_raises(seed: int) -> None:
    body = random.Random(seed).randbytes(4096)
    result = parse_feed(body, content_type="application/octet-stream")
    assert result.is_feed is False
    assert result.error in ("not a feed: binary data, not text", "not a feed: plain text with no XML markup")


# --------------------------------------------------------------------------------------
# Feeds broken part-way, and mis-declared encodings
# --------------------------------------------------------------------------------------

GUARDIAN = (RSS_PARSER / "input" / "guardian.rss").read_bytes()


def test_truncated_feed_keeps_the_items_before_the_cut() -> None:
    full = parse_feed(GUARDIAN)
    cut_at = GUARDIAN.index(b"<description>", GUARDIAN.index(b"<item>", len(GUARDIAN) // 2)) + 40
    truncated = GUARDIAN[:cut_at]
    complete = truncated.count(b"</item>")

    result = parse_feed(truncated, url="https://www.theguardian.com/us/rss")

    assert result.is_feed and 0 < complete < len(full.items)
    assert [item.title for item in result.items] == [item.title for item in full.items[:complete]]
    last_line = truncated.count(b"\n") + 1
    assert re.fullmatch(
        rf"malformed XML at line {last_line}, column \d+: no element found \(the document ends early\)"
        rf" — kept {complete} items before the break, dropped 1 item cut off by the end of the document",
        result.error or "",
    ), result.error


def test_undefined_entity_mid_feed_keeps_every_item_and_names_the_line() -> None:
    third_title = GUARDIAN.index(b"<title>", GUARDIAN.index(b"<item>") + 1)
    for _ in range(2):
        third_title = GUARDIAN.index(b"<title>", GUARDIAN.index(b"<item>", third_title) + 1)
    broken = GUARDIAN[: third_title + 7] + b"Markets&nbsp;today: " + GUARDIAN[third_title + 7 :]
    line = broken[:third_title].count(b"\n") + 1

    result = parse_feed(broken)

    assert len(result.items) == len(parse_feed(GUARDIAN).items)
    assert result.items[2].title.startswith("Markets today: ")
    assert result.error.startswith(f"malformed XML at line {line}, column ")
    assert "undefined entity" in result.error
    assert "(2 before the break, 53 read leniently at or after it)" in result.error


def test_mismatched_tag_location_in_a_small_feed() -> None:
    body = (
        b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>T</title>\n'
        b"<item><title>one</title></item>\n"
        b"<item><title>two</titel></item>\n"
        b"</channel></rss>\n"
    )
    result = parse_feed(body)
    assert result.error == (
        "malformed XML at line 4, column 19: mismatched tag"
        " — kept 2 items (1 before the break, 1 read leniently at or after it)"
    )
    assert result.items[0].title == "one"


def test_junk_before_the_root_still_yields_the_feed_with_an_error() -> None:
    warning = b"<b>Warning</b>: mysql_connect() failed in <b>/var/www/rss.php</b> on line <b>3</b><br />\n"
    result = parse_feed(warning + (RSS_PARSER / "input" / "heraldsun.rss").read_bytes())
    assert (result.is_feed, len(result.items)) == (True, 2)
    assert result.error == (
        "malformed XML at line 1, column 15: junk after document element"
        " — kept 2 items (0 before the break, 2 read leniently at or after it)"
    )


def test_utf8_body_labelled_latin1_is_read_as_utf8_without_error() -> None:
    # The quotes and euro sign matter: read as windows-1252 they become "â€˜...â‚¬", which
    # feedparser's own latin-1 round-trip repair cannot undo.
    title = "Notícias: ‘Preços’ sobem 5 €"
    body = f'<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel><title>{title}</title></channel></rss>'
    result = parse_feed(body.encode("utf-8"), content_type="application/rss+xml; charset=iso-8859-1")
    assert (result.title, result.error) == (title, None)


def test_latin1_body_labelled_utf8_is_decoded_but_reported_as_guessed() -> None:
    title = "Notícias de Économie à Genève"
    body = f'<?xml version="1.0" encoding="utf-8"?><rss><channel><title>{title}</title></channel></rss>'
    result = parse_feed(body.encode("latin-1"), content_type="text/xml; charset=utf-8")
    assert result.title == title
    assert result.error == (
        "character encoding: the bytes are not valid UTF-8 or any declared charset (declared utf-8);"
        " decoded as cp1252 by guessing, non-ASCII text may be wrong"
    )


def test_blank_lines_before_the_declaration_and_a_bom_are_tolerated() -> None:
    body = b"\xef\xbb\xbf\n\n" + (RSS_PARSER / "input" / "heraldsun.rss").read_bytes()
    result = parse_feed(body)
    assert (result.error, len(result.items)) == (None, 2)


def test_links_are_http_only_and_relative_ones_are_resolved() -> None:
    body = (
        b'<rss version="2.0"><channel><title>T</title>'
        b"<item><title>a</title><link>javascript:alert(1)</link></item>"
        b"<item><title>b</title><link>/news/2024/b.html</link></item>"
        b"<item><title>c</title><link>mailto:desk@example.com</link></item>"
        b"</channel></rss>"
    )
    result = parse_feed(body, url="https://example.com/feeds/all.xml")
    assert [item.url for item in result.items] == [None, "https://example.com/news/2024/b.html", None]


def test_external_id_falls_back_to_link_then_a_hash_of_title_and_summary() -> None:
    body = (
        b'<rss version="2.0"><channel>'
        b"<item><guid isPermaLink='false'>abc-1</guid><link>https://e.com/1</link></item>"
        b"<item><title>t</title><link>https://e.com/2</link></item>"
        b"<item><title>t</title><description>s</description></item>"
        b"</channel></rss>"
    )
    ids = [item.external_id for item in parse_feed(body).items]
    assert ids[:2] == ["abc-1", "https://e.com/2"]
    assert re.fullmatch(r"[0-9a-f]{40}", ids[2])
    assert ids[2] == parse_feed(body).items[2].external_id  # stable


# --------------------------------------------------------------------------------------
# FeedSource and feed_to_json
# --------------------------------------------------------------------------------------


def _source() -> FeedSource:
    return FeedSource(ChannelConfig(name="news", kind="feed", urls=("https://example.com/rss",)))


def test_feed_source_is_registered() -> None:
    assert KINDS["feed"] is FeedSource
    assert "html" in FeedSource.accepted_content_types


def test_feed_source_quarantines_a_non_feed() -> None:
    parsed = _source().parse(b"<html><body>Login</body></html>", url="https://example.com/rss", content_type="text/html")
    assert parsed.documents == []
    assert parsed.fatal == "not a feed: the document is an HTML page (<html> root)"


def test_feed_source_keeps_items_of_a_broken_feed_and_lists_the_break_as_a_problem() -> None:
    truncated = GUARDIAN[: GUARDIAN.index(b"<description>", GUARDIAN.index(b"<item>", len(GUARDIAN) // 2)) + 40]
    parsed = _source().parse(truncated, url="https://www.theguardian.com/us/rss", content_type="application/rss+xml")
    assert parsed.fatal is None
    assert len(parsed.documents) == truncated.count(b"</item>")
    assert parsed.problems[0].startswith("malformed XML at line ")


def test_feed_source_fatal_when_a_broken_feed_yields_nothing() -> None:
    parsed = _source().parse(
        (FEEDPARSER / "illformed" / "undeclared_namespace.xml").read_bytes(), url="x.xml", content_type=None
    )
    assert parsed.fatal == "malformed XML at line 8, column 1: unbound prefix — no items recovered"


def test_feed_source_drops_empty_items_with_their_position() -> None:
    parsed = _source().parse(
        (RSS_PARSER / "input" / "incomplete-fields.atom").read_bytes(), url="x.atom", content_type="application/atom+xml"
    )
    assert parsed.documents == []
    assert parsed.problems == ["item 1: no title, text or link — dropped"]
    assert parsed.fatal is None


def test_feed_to_json_shape_and_utc_z_timestamps() -> None:
    view = feed_to_json(parse_feed((RSS_PARSER / "input" / "encoding.rss").read_bytes()))
    assert set(view) == {"feed", "items", "error"}
    assert view["feed"] == {"title": "Jornal de Notícias - Últimas Notícias", "link": "http://www.jn.pt"}
    assert view["error"] is None
    first = view["items"][0]
    assert set(first) == {"id", "title", "link", "published_at", "summary"}
    assert first["published_at"] == "2018-01-03T13:47:00Z"  # "Wed, 03 Jan 2018 13:47:00 GMT"
    json.dumps(view)  # serialisable as is


def test_feed_to_json_converts_offsets_to_z_and_keeps_missing_dates_null() -> None:
    body = (
        b'<rss version="2.0"><channel><title>T</title>'
        b"<item><title>a</title><pubDate>Tue, 02 Jan 2018 23:30:00 -0300</pubDate></item>"
        b"<item><title>b</title></item></channel></rss>"
    )
    view = feed_to_json(parse_feed(body))
    assert [item["published_at"] for item in view["items"]] == ["2018-01-03T02:30:00Z", None]
    not_feed = feed_to_json(parse_feed(b""))
    assert not_feed == {"feed": {"title": None, "link": None}, "items": [], "error": "not a feed: empty document"}


# --------------------------------------------------------------------------------------
# Chinese charsets, mislabelled; implausible dates
# --------------------------------------------------------------------------------------

CHINESE_ITEMS = [("央行下调存款准备金率", "释放长期资金约一万亿元，支持实体经济。"),
                 ("沪深股市收盘上涨", "上证指数收于三千点，成交额明显放大。")]
TRADITIONAL_ITEMS = [("央行下調存款準備金率", "釋放長期資金約一萬億元，支持實體經濟。")]


def _rss(items: list[tuple[str, str]], declared: str, dates: tuple[str, ...] = ()) -> str:
    title = "財經新聞" if items is TRADITIONAL_ITEMS else "财经新闻"
    entries = "".join(
        f"<item><title>{title}</title><description>{text}</description><guid>n{n}</guid>"
        + (f"<pubDate>{dates[n]}</pubDate>" if n < len(dates) else "") + "</item>"
        for n, (title, text) in enumerate(items))
    return (f'<?xml version="1.0" encoding="{declared}"?>\n<rss version="2.0"><channel><title>{title}</title>'
            f"<link>https://news.example.cn/</link>{entries}</channel></rss>")


@pytest.mark.parametrize(("items", "codec", "label"), [
    (CHINESE_ITEMS, "gb18030", "ISO-8859-1"), (CHINESE_ITEMS, "gb18030", "windows-1252"),
    (TRADITIONAL_ITEMS, "big5", "ISO-8859-1"),
])
def test_a_chinese_feed_labelled_single_byte_is_read_as_chinese_with_a_warning(
        items: list[tuple[str, str]], codec: str, label: str) -> None:
    body = _rss(items, label).encode(codec)
    result = parse_feed(body, content_type=f"application/rss+xml; charset={label}")
    assert [(item.title, item.text) for item in result.items] == items
    assert result.error == (f"character encoding: declared {label}, but the bytes read as {codec} Chinese text;"
                            f" decoded as {codec} by guessing, non-ASCII text may be wrong")
    parsed = _source().parse(body, url="https://news.example.cn/rss", content_type=None)
    assert parsed.problems == [] and parsed.fatal is None and len(parsed.documents) == len(items)
    assert parsed.warnings == [result.error]


def test_correctly_labelled_chinese_feeds_need_no_note() -> None:
    for items, codec in ((CHINESE_ITEMS, "gb2312"), (CHINESE_ITEMS, "gbk"), (TRADITIONAL_ITEMS, "big5")):
        result = parse_feed(_rss(items, codec).encode(codec))
        assert result.error is None and result.items[0].title == items[0][0]


def test_implausible_dates_are_left_out_with_a_note_and_the_item_loads() -> None:
    dates = ("Fri, 31 Dec 9999 23:59:59 GMT", "0001-01-01T00:00:00Z", "2026-02-30T08:00:00Z",
             "Mon, 01 Jan 1883 00:00:00 GMT", "Fri, 27 Nov 2026 08:00:00 GMT")
    items = [(f"title {n}", f"text {n}") for n in range(5)]
    now = dt.datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    result = parse_feed(_rss(items, "utf-8", dates).encode(), now=now)
    assert [item.published_at for item in result.items] == [None] * 4 + [dt.datetime(2026, 11, 27, 8, tzinfo=UTC)]
    assert list(result.problems) == [
        "item 1: date 'Fri, 31 Dec 9999 23:59:59 GMT' is more than 3 days after 2026-11-29; published_at left empty",
        "item 2: date '0001-01-01T00:00:00Z' is before 1900; published_at left empty",
        "item 3: date '2026-02-30T08:00:00Z' does not exist; published_at left empty",
        "item 4: date 'Mon, 01 Jan 1883 00:00:00 GMT' is before 1900; published_at left empty",
    ]
    parsed = FeedSource(ChannelConfig(name="t", kind="feed", urls=("x",))).parse(
        _rss(items, "utf-8", dates).encode(), url="x", content_type=None)
    assert len(parsed.documents) == 5 and parsed.problems == [] and len(parsed.warnings) == 4


def test_a_year_rewritten_by_the_date_parser_is_not_kept() -> None:
    # Portuguese day names go through our RFC 822 handler, whose two-digit-year rule would
    # turn the year 0001 into 2001.
    body = _rss([("a", "b")], "utf-8", ("Seg, 01 Jan 0001 10:00:00 GMT",)).encode()
    (item,) = parse_feed(body).items
    result = parse_feed(body)
    assert item.published_at is None
    assert result.problems[0].startswith("item 1: date 'Seg, 01 Jan 0001 10:00:00 GMT' ")


def test_an_updated_date_stands_in_for_an_implausible_published_one() -> None:
    body = (b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>a</title><id>x</id>'
            b"<published>9999-12-31T00:00:00Z</published><updated>2026-11-02T10:00:00Z</updated></entry></feed>")
    result = parse_feed(body, now=dt.datetime(2026, 11, 29, tzinfo=UTC))
    assert result.items[0].published_at == dt.datetime(2026, 11, 2, 10, tzinfo=UTC)
    assert result.problems == (("item 1: date '9999-12-31T00:00:00Z' is more than 3 days after 2026-11-29;"
                                " the updated date is used"),)
