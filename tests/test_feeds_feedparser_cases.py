"""The feed channel kind against feedparser's own test cases (BSD-2-Clause, see
tests/fixtures/feeds/feedparser/SOURCE.md): each file's leading comment gives the HTTP
headers it was served with and an ``Expect:`` line that is the ground truth here.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from mi.sources.feeds.feed import parse_feed
from tests.test_feeds import FEEDPARSER, UTC

# --------------------------------------------------------------------------------------
# feedparser test cases: headers and expectations from each file's leading comment
# --------------------------------------------------------------------------------------


def _case_comment(path: Path) -> str:
    raw = path.read_bytes()
    for codec in ("utf-8", "utf-16", "utf-16-be", "utf-32", "utf-32-be"):
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        if "Description:" in text or "Expect:" in text:
            return text
    return raw.decode("latin-1")


def _case_content_type(path: Path) -> str | None:
    match = re.search(r"^\s*Header:\s*Content-type:\s*(.*?)\s*$", _case_comment(path), re.MULTILINE | re.IGNORECASE)
    return match.group(1) if match else None


def _case_expect(path: Path) -> str:
    match = re.search(r"^\s*Expect:\s*(.*?)\s*$", _case_comment(path), re.MULTILINE)
    return match.group(1) if match else ""


def _parse_case(relative: str):
    path = FEEDPARSER / relative
    return parse_feed(path.read_bytes(), content_type=_case_content_type(path))


def _says_bozo(expect: str) -> bool:
    return re.match(r"^bozo\b", expect) is not None


ENCODING_CASES = sorted(path.name for path in (FEEDPARSER / "encoding").iterdir())

# Cases whose Expect says "bozo" but whose text we recover exactly, so ``error`` stays None
# (our rule: report encoding trouble only when text was lost or guessed).
ENCODING_RECOVERED = {
    "bozo_bogus_encoding.xml": "declared charset 'bogus' is unknown; the document is ASCII",
    "bozo_http_i18n.xml": "text/xml means us-ascii by RFC 3023; the body is valid UTF-8",
    "bozo_http_text_plain.xml": "text/plain is not an XML type; the body is ASCII",
    "bozo_http_text_plain_charset.xml": "text/plain is not an XML type; the body is ASCII",
}
# Cases where we do report a problem, and the start of the error we give.
ENCODING_ERRORS = {
    "bozo_double-encoded-html.xml": "malformed XML at line 9, column 18: undefined entity",
    "bozo_invalid-bytes-with-bom.xml": "character encoding: 1 invalid byte sequence(s) in utf-8",
    "bozo_linenoise.xml": "character encoding: 1 invalid byte sequence(s) in utf-8",
    # No declaration and not UTF-8: the lone non-ASCII byte is decoded by guessing.
    "bozo_encoding_mismatch_crash.xml": "character encoding: the bytes are not valid UTF-8",
}
# Decoded text named by the Expect line (or, for the http_i18n pair, by the document).
ENCODING_TEXT = {
    "euc-kr.xml": ("feed title", "\ub144"),
    "euc-kr-item.xml": ("summary", "\ub144"),
    "http_text_xml_charset_2.xml": ("summary", "This is a \xa3\u201ctest.\u201d"),
    "http_text_xml_charset_overrides_encoding_2.xml": ("summary", "This is a \xa3\u201ctest.\u201d"),
    "demoronize-1.xml": ("summary", "don\u2019t"),
    "demoronize-2.xml": ("summary", "don\u2019t"),
    "demoronize-3.xml": ("summary", "don\u2019t"),  # Expect: 'don&#x2019;t' as HTML
    "double-encoded-html.xml": ("summary", "\u2026"),  # ord(...) == 8230
    "bozo_double-encoded-html.xml": ("summary", "\u2026"),
    "http_i18n.xml": ("feed title", "Iñtërnâtiônàlizætiøn"),
    "bozo_http_i18n.xml": ("feed title", "Iñtërnâtiônàlizætiøn"),
    # feedparser's Expect is its own windows-1252 guess ('\xe2\u20ac\u2122...'); the bytes
    # are UTF-8 with one stray byte, which we read as UTF-8 and report.
    # feedparser's sanitiser also deleted the "<>" between the quotes; HTML parsing keeps it
    # as literal text (it is not a tag), and so do we now that sanitising is left to our own
    # plain-text step.
    "bozo_linenoise.xml": ("summary", "\u2019<>\u201d\ufffd"),
    "bozo_invalid-bytes-with-bom.xml": ("feed title", "Valid UTF8: \u0468Invalid UTF8: Espa\ufffda"),
}


def _field(result, field: str) -> str | None:
    if field == "feed title":
        return result.title
    return getattr(result.items[0], field)


@pytest.mark.parametrize("name", ENCODING_CASES)
def test_feedparser_encoding_case(name: str) -> None:
    expect = _case_expect(FEEDPARSER / "encoding" / name)
    result = _parse_case(f"encoding/{name}")

    assert result.is_feed
    if name in ENCODING_ERRORS:
        assert result.error is not None and result.error.startswith(ENCODING_ERRORS[name])
    else:
        # Either feedparser agrees it is clean, or we recover the text exactly.
        assert expect.startswith("not bozo") or name in ENCODING_RECOVERED or expect == "1" or not expect
        assert result.error is None
    if name in ENCODING_TEXT:
        field, text = ENCODING_TEXT[name]
        assert text in (_field(result, field) or "")


def test_every_bozo_encoding_case_is_classified() -> None:
    bozo = {name for name in ENCODING_CASES if _says_bozo(_case_expect(FEEDPARSER / "encoding" / name))}
    assert bozo <= set(ENCODING_RECOVERED) | set(ENCODING_ERRORS)
    assert set(ENCODING_RECOVERED) <= bozo
    assert not set(ENCODING_RECOVERED) & set(ENCODING_ERRORS)


def test_utf16_and_utf32_cases_are_read() -> None:
    # These files carry no title; being recognised as feeds at all needs the right codec.
    wide = [name for name in ENCODING_CASES if re.match(r"u(tf)?[-_]?(16|32)", name)]
    assert len(wide) == 16
    for name in wide:
        result = _parse_case(f"encoding/{name}")
        assert (result.is_feed, result.error) == (True, None), name


ILLFORMED_CASES = sorted(str(path.relative_to(FEEDPARSER)) for path in (FEEDPARSER / "illformed").rglob("*.xml"))
# Decoded text from the chardet cases, which declare no encoding at all.
CHARDET_TEXT = {
    "illformed/chardet/eucjp.xml": "ゲーム三昧な正月",
    "illformed/chardet/euckr.xml": "한글닉네임",
    "illformed/chardet/gb2312.xml": "不归移民漫画系列：专业工作",
    "illformed/chardet/koi8r.xml": "Как пережить новогоднюю ночь",
    "illformed/chardet/shiftjis.xml": "DrecomRSSに記事投稿が反映されない",
    "illformed/chardet/windows1255.xml": "האם תדפיס נייר",
}


@pytest.mark.parametrize("case", ILLFORMED_CASES)
def test_feedparser_illformed_case(case: str) -> None:
    expect = _case_expect(FEEDPARSER / case)
    result = _parse_case(case)  # must not raise

    if _says_bozo(expect):
        assert result.error, f"{case}: Expect says bozo but we report nothing"
    if expect.startswith("not bozo"):
        assert result.error is None
    if case in CHARDET_TEXT:
        texts = [item.title or "" for item in result.items] + [item.text for item in result.items]
        assert any(CHARDET_TEXT[case] in text for text in texts)


def test_illformed_cases_with_specific_outcomes() -> None:
    assert _parse_case("illformed/always_strip_doctype.xml").title == "found"
    ampersands = _parse_case("illformed/rss_item_link_corrupted_ampersands.xml")
    assert ampersands.items[0].url == "http://link/get?a=1&b=2"
    assert ampersands.error == (
        "malformed XML at line 12, column 1: unclosed token (the document ends inside a tag)"
        " — kept 1 item before the break"
    )
    empty = _parse_case("illformed/rss_empty_document.xml")
    assert (empty.is_feed, empty.error) == (False, "not a feed: empty document (no elements, only a prolog or comments)")
    namespace = _parse_case("illformed/undeclared_namespace.xml")
    assert namespace.error == "malformed XML at line 8, column 1: unbound prefix — no items recovered"


T = dt.datetime(2003, 12, 31, 10, 14, 55, tzinfo=UTC)
T2 = dt.datetime(2004, 1, 1, 19, 48, 21, tzinfo=UTC)
# (case, what, expected) derived from each case's Expect line.
WELLFORMED = [
    ("rss/item_dc_date_parsed.xml", "published_at", T),
    ("rss/item_dc_date.xml", "published_at", T),
    ("rss/item_dcterms_created_parsed.xml", "published_at", T),
    ("rss/item_dcterms_issued_parsed.xml", "published_at", T),
    ("rss/item_dcterms_modified_parsed.xml", "published_at", T),
    ("rss/item_pubDate_map_updated_parsed.xml", "published_at", T2),
    ("rss/item_pubDate.xml", "published_at", T2),
    ("rss/item_title.xml", "title", "Item 1 title"),
    ("rss/item_dc_title.xml", "title", "Example title"),
    ("rss/item_link.xml", "url", "http://example.com/"),
    ("rss/item_guid.xml", "external_id", "http://guid.example.com/"),
    ("rss/item_guid_map_link.xml", "url", "http://guid.example.com/"),
    ("rss/item_guid_isPermaLink_map_link.xml", "url", "http://guid.example.com/"),
    ("rss/item_guid_not_permalink.xml", "url", None),
    ("rss/entity_in_doctype.xml", "external_id", "tag:example.com,2006-05-04:/blog/"),
    ("rss/item_description.xml", "summary", "Example description"),
    ("rss/item_dc_description.xml", "summary", "Example description"),
    ("rss/item_description_escaped_markup.xml", "summary", "Example description"),
    ("rss/item_description_naked_markup.xml", "summary", "Example description"),
    ("rss/item_description_br.xml", "summary", "article title article byline text of article"),
    # A browser reads "<!' <a href=...>" as one bogus comment (HTML5 tokenizer), so no text is
    # visible; feedparser's Expect is about the escaped HTML it keeps, not the visible text.
    ("rss/item_description_not_a_doctype.xml", "summary", None),
    ("rss/item_content_encoded.xml", "text", "Example content"),
    ("rss/item_fullitem.xml", "text", "Example content"),
    ("rss/item_xhtml_body.xml", "text", "Example content"),
    ("rss/channel_title.xml", "feed title", "Example feed"),
    ("rss/channel_title_lt.xml", "feed title", "1 < 2"),
    ("rss/channel_link.xml", "feed link", "http://example.com/"),
    ("atom10/atom10_namespace.xml", "feed title", "Example Atom"),
    ("atom10/feed_title.xml", "feed title", "Example Atom"),
    ("atom10/feed_title_escaped_markup.xml", "feed title", "Example Atom"),
    ("atom10/feed_title_inline_markup.xml", "feed title", "Example Atom"),
    ("atom10/relative_uri.xml", "feed title", "Example test"),
    ("atom10/feed_link_href.xml", "feed link", "http://www.example.com/"),
    ("atom10/entry_title.xml", "title", "Example Atom"),
    ("atom10/entry_title_escaped_markup.xml", "title", "Example Atom"),
    ("atom10/entry_title_inline_markup.xml", "title", "Example Atom"),
    ("atom10/entry_title_text_plain_brackets.xml", "title", "History of the <blink> tag"),
    ("atom10/entry_title_type_empty-no-crash.xml", "title", "evil"),
    ("atom10/qna.xml", "title", "Q&A session"),
    ("atom10/entry_content_escaped_markup.xml", "text", "Example Atom"),
    ("atom10/entry_content_inline_markup.xml", "text", "Example Atom"),
    ("atom10/entry_content_text_plain.xml", "text", "Example Atom"),
    ("atom10/entry_content_text_plain_brackets.xml", "text", "History of the <blink> tag"),
    ("atom10/entry_content_value.xml", "text", "Example Atom"),
    ("atom10/entry_content_and_summary.xml", "summary", "Summary"),
    ("atom10/entry_summary.xml", "summary", "Example Atom"),
    ("atom10/entry_summary_escaped_markup.xml", "summary", "Example Atom"),
    ("atom10/entry_summary_text_plain.xml", "summary", "Example Atom"),
    ("atom10/entry_id.xml", "external_id", "http://example.com/"),
    ("atom10/entry_link_alternate_map_link.xml", "url", "http://www.example.com/"),
    ("atom10/entry_link_href.xml", "url", "http://www.example.com/"),
    ("atom10/entry_link_no_rel.xml", "url", "http://www.example.com/"),
]


@pytest.mark.parametrize(("case", "what", "expected"), WELLFORMED, ids=[case for case, _, _ in WELLFORMED])
def test_feedparser_wellformed_value(case: str, what: str, expected: object) -> None:
    result = _parse_case(f"wellformed/{case}")
    if what == "feed title":
        assert result.title == expected
    elif what == "feed link":
        assert result.link == expected
    else:
        assert getattr(result.items[0], what) == expected


WELLFORMED_FILES = sorted(str(path.relative_to(FEEDPARSER)) for path in (FEEDPARSER / "wellformed").rglob("*.xml"))


@pytest.mark.parametrize("case", WELLFORMED_FILES)
def test_feedparser_wellformed_case_is_a_clean_feed(case: str) -> None:
    assert not _says_bozo(_case_expect(FEEDPARSER / case))
    result = _parse_case(case)
    assert (result.is_feed, result.error) == (True, None)


