"""The article-page channel kind: extraction quality on real pages, and bad input."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from mi.records.channels import ChannelConfig
from mi.sources.pages.page import PageResult, PageSource, extract_page, page_to_json, summarise
from mi.sources.registry import source_for

FIXTURES = Path(__file__).parent / "fixtures" / "pages"
EVALDATA: dict[str, dict] = json.loads((FIXTURES / "evaldata.json").read_text(encoding="utf-8"))
CASES = sorted(EVALDATA.items(), key=lambda item: item[1]["file"])
CASE_IDS = [entry["file"] for _, entry in CASES]
ENGLISH_PAGES = {"economist.com.thinking.html": "en", "observer.com-LVMH.html": "en"}

# Typography differs between annotation and page (curly vs straight quotes, dash kinds,
# no-break spaces); the comparison ignores it, the extracted text keeps it.
_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2013": "-", "\u2014": "-", "\u00a0": " ",
    }
)


def _norm(text: str) -> str:
    return " ".join(text.translate(_TYPOGRAPHY).split())


def _source() -> PageSource:
    return PageSource(ChannelConfig(name="pages", kind="page", urls=()))


@pytest.fixture(scope="module")
def extracted() -> dict[str, PageResult]:
    results = {}
    for url, entry in CASES:
        body = (FIXTURES / entry["file"]).read_bytes()
        results[entry["file"]] = extract_page(body, url=url, content_type="text/html")
    return results


# --- real pages --------------------------------------------------------------------


@pytest.mark.parametrize(("url", "entry"), CASES, ids=CASE_IDS)
def test_main_text_keeps_content_and_drops_boilerplate(extracted, url, entry):
    result = extracted[entry["file"]]
    assert result.error is None
    text = _norm(result.text)
    missing = [snippet for snippet in entry["with"] if _norm(snippet) not in text]
    leaked = [snippet for snippet in entry["without"] if _norm(snippet) in text]
    assert missing == [], f"main text lost: {missing}"
    assert leaked == [], f"boilerplate kept: {leaked}"


@pytest.mark.parametrize(("url", "entry"), CASES, ids=CASE_IDS)
def test_comments_are_not_main_text(extracted, url, entry):
    text = _norm(extracted[entry["file"]].text)
    assert [c for c in entry.get("comments", []) if _norm(c) in text] == []


@pytest.mark.parametrize(("url", "entry"), CASES, ids=CASE_IDS)
def test_title_and_date_match_annotation(extracted, url, entry):
    result = extracted[entry["file"]]
    if entry.get("title"):
        assert _norm(result.title or "") == _norm(entry["title"])
    if entry.get("date"):
        # the annotation gives the day; the page's own markup may add the time of day
        assert result.published_at.date() == dt.date.fromisoformat(entry["date"][:10])


@pytest.mark.parametrize(("url", "entry"), CASES, ids=CASE_IDS)
def test_language(extracted, url, entry):
    expected = ENGLISH_PAGES.get(entry["file"], "de")  # every other fixture is German
    assert extracted[entry["file"]].language == expected


def test_declared_language_yields_to_the_text_when_the_template_is_wrong(extracted):
    # vergleich.de ships <html lang="en-US"> on a German page.
    body = (FIXTURES / "vergleich.de.leasen.html").read_bytes()
    assert b'lang="en-US"' in body[:2000]
    assert extracted["vergleich.de.leasen.html"].language == "de"


@pytest.mark.parametrize(("url", "entry"), CASES, ids=CASE_IDS)
def test_canonical_url_when_no_url_given(url, entry):
    result = extract_page((FIXTURES / entry["file"]).read_bytes())
    assert result.url == url


def test_published_at_keeps_the_pages_time_of_day_and_zone(extracted):
    """Issue 11: the extractor dropped the time of day (16:16:03Z became midnight)."""
    published = extracted["economist.com.thinking.html"].published_at
    assert published == dt.datetime(2018, 6, 18, 16, 16, 3, tzinfo=dt.UTC)  # its JSON-LD datePublished
    assert published.utcoffset() == dt.timedelta(0)
    # a related article's stamp on the same page (2018-04-10) is not taken for this one's


def test_page_source_builds_one_article_record():
    url, entry = next((u, e) for u, e in CASES if e["file"] == "observer.com-LVMH.html")
    parsed = _source().parse((FIXTURES / entry["file"]).read_bytes(), url=url, content_type="text/html")
    assert parsed.fatal is None and parsed.problems == []
    (record,) = parsed.documents
    assert record.external_id == record.url == url
    assert record.kind == "article"
    assert record.title == entry["title"]
    assert record.language == "en"
    assert record.published_at == dt.datetime(2023, 11, 8, 22, 19, 12, tzinfo=dt.UTC)
    assert record.text.startswith("For over a year, the Louvre has fought")
    assert len(record.summary) <= 301 and record.summary.endswith("…")
    assert " ".join(record.text.split()).startswith(record.summary[:-1])


def test_snapshot_path_takes_the_canonical_url():
    entry_url, entry = next((u, e) for u, e in CASES if e["file"] == "meininger.de-wachstum.html")
    path = FIXTURES / entry["file"]
    (record,) = _source().parse(path.read_bytes(), url=str(path), content_type="text/html").documents
    assert record.external_id == record.url == entry_url


def test_page_kind_is_registered():
    assert type(source_for(ChannelConfig(name="pages", kind="page", urls=()))) is PageSource
    assert PageSource.accepted_content_types == ("html", "xhtml", "text/plain")


# --- bad input ---------------------------------------------------------------------

NAV_ONLY = (
    b"<html><head><title>Home</title></head><body><nav><ul>"
    + b"".join(b'<li><a href="/s%d">Section %d</a></li>' % (i, i) for i in range(12))
    + b"</ul></nav><footer><a href='/imprint'>Imprint</a></footer></body></html>"
)


@pytest.mark.parametrize(
    ("body", "content_type", "error"),
    [
        (b"", None, "empty body (0 bytes): nothing to extract"),
        (b"  \n\t ", "text/html", "empty body (5 bytes): nothing to extract"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "text/html", "not an HTML page: body looks like a PDF document (22 bytes)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", None, "not an HTML page: body looks like a PNG image (16 bytes)"),
        (b'{"items": [{"title": "x"}]}', "text/html", "not an HTML page: body looks like JSON (27 bytes)"),
        (NAV_ONLY, "text/html", "no main text found (page has 129 characters of visible text)"),
    ],
    ids=["empty", "whitespace", "pdf", "png", "json", "navigation-only"],
)
def test_bad_input_gives_a_specific_error(body, content_type, error):
    result = extract_page(body, url="https://example.org/x", content_type=content_type)
    assert result.error == error
    assert result.text == "" and result.title is None and result.published_at is None
    parsed = _source().parse(body, url="https://example.org/x", content_type=content_type)
    assert parsed.fatal == error
    assert parsed.documents == []


def test_garbage_never_raises():
    for body in (b"\x00" * 64, b"<html><body><p>\xff\xfe\xfa</p>", b"<" * 10_000, b"<?xml version='1.0'?><a/>"):
        assert isinstance(extract_page(body), PageResult)


def test_feed_at_a_page_url_is_named():
    feed = b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>'
    assert extract_page(feed).error == "not an HTML page: body looks like an RSS/Atom feed (81 bytes)"


# --- decoding ----------------------------------------------------------------------

_ARTICLE = (
    "Die Münchner Rückversicherung erhöht die Prämien für Großkunden deutlich. "
    "Für Gewerbeimmobilien in Überschwemmungsgebieten steigen die Beiträge um ein Fünftel. "
    "Maklerinnen und Makler berichten, dass Kündigungen zum Jahresende häufiger würden. "
)


def _german_page(head: str) -> str:
    return (
        f"<html><head>{head}<title>Prämien steigen</title></head><body>"
        f"<article><h1>Prämien steigen</h1><p>{_ARTICLE}</p><p>{_ARTICLE}</p></article></body></html>"
    )


def test_meta_declared_latin1_page_decodes_umlauts():
    body = _german_page('<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">').encode("latin-1")
    result = extract_page(body, content_type="text/html")
    assert result.error is None
    assert "Münchner Rückversicherung erhöht" in result.text
    assert "Ã" not in result.text
    assert result.title == "Prämien steigen"
    assert result.language == "de"


def test_http_charset_wins_over_guessing():
    body = _german_page("").encode("cp1252")
    result = extract_page(body, content_type="text/html; charset=windows-1252")
    assert "Überschwemmungsgebieten" in result.text


def test_undeclared_legacy_encoding_is_detected():
    body = _german_page("").encode("cp1252")
    assert "Überschwemmungsgebieten" in extract_page(body).text


def test_xhtml_with_xml_declaration():
    body = ('<?xml version="1.0" encoding="iso-8859-1"?>' + _german_page("")).encode("latin-1")
    result = extract_page(body, content_type="application/xhtml+xml")
    assert "Großkunden" in result.text


def test_plain_text_body():
    result = extract_page(_ARTICLE.encode("utf-8"), url="https://example.org/a.txt", content_type="text/plain")
    assert result.error is None
    assert result.text == _ARTICLE.strip()
    assert result.language == "de"


_CHINESE = (
    "中国人民银行今日宣布下调金融机构存款准备金率零点五个百分点，预计释放长期资金约一万亿元。"
    "分析人士认为，此举有助于降低银行资金成本，支持实体经济特别是中小企业的融资需求。"
    "多家商业银行表示，将加大对制造业和绿色产业的信贷投放，同时加强风险管理。"
)
_TRADITIONAL = (
    "中國人民銀行今日宣佈下調金融機構存款準備金率零點五個百分點，預計釋放長期資金約一萬億元。"
    "分析人士認為，此舉有助於降低銀行資金成本，支持實體經濟特別是中小企業的融資需求。"
)


def _chinese_page(head: str, text: str = _CHINESE, lang: str = "zh-CN") -> str:
    return (f'<html lang="{lang}"><head>{head}<title>央行降准</title></head><body><article><h1>央行降准</h1>'
            f"<p>{text}</p><p>{text}</p></article></body></html>")


def test_chinese_pages_in_legacy_charsets_decode_right():
    labelled = _chinese_page('<meta charset="gb2312">').encode("gb18030")
    result = extract_page(labelled, content_type="text/html")
    assert result.error is None and "存款准备金率" in result.text and result.warnings == ()
    unlabelled = extract_page(_chinese_page("").encode("gb18030"))
    assert "存款准备金率" in unlabelled.text
    assert unlabelled.warnings and "decoded as gb18030 by guessing" in unlabelled.warnings[0]
    big5 = extract_page(_chinese_page("", _TRADITIONAL, "zh-TW").encode("big5"), content_type="text/html")
    assert "存款準備金率" in big5.text and "big5" in big5.warnings[0]


def test_a_chinese_page_labelled_latin1_is_read_as_chinese_with_a_warning():
    body = _chinese_page('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">').encode("gb18030")
    parsed = _source().parse(body, url="https://news.example.cn/a", content_type="text/html; charset=ISO-8859-1")
    (record,) = parsed.documents
    assert "存款准备金率" in record.text and record.language == "zh"
    assert parsed.warnings == [("character encoding: declared ISO-8859-1, but the bytes read as gb18030 Chinese text;"
                                " decoded as gb18030 by guessing, non-ASCII text may be wrong")]


def test_a_publication_date_after_the_parse_is_left_out_with_a_warning():
    page = _german_page('<meta property="article:published_time" content="2023-11-08T10:00:00+00:00">')
    kept = extract_page(page.encode(), url="https://example.org/a", now=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    assert kept.published_at == dt.datetime(2023, 11, 8, 10, tzinfo=dt.UTC) and kept.warnings == ()
    early = extract_page(page.encode(), url="https://example.org/a", now=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert early.published_at is None and early.error is None
    assert early.warnings == (("publication date 2023-11-08 is more than 3 days after 2020-01-01; "
                               "published_at left empty"),)


# --- output shapes -----------------------------------------------------------------


def test_page_to_json_shape(extracted):
    payload = page_to_json(extracted["observer.com-LVMH.html"])
    assert set(payload) == {"url", "title", "text", "published_at", "language"}
    assert payload["published_at"] == "2023-11-08T22:19:12Z"  # the page's article:published_time
    assert payload["url"] == "https://observer.com/2023/11/bernard-arnault-lvmh-louvre-chardin/"
    json.dumps(payload)  # must be serialisable as is


def test_page_to_json_without_date():
    result = PageResult(url=None, title=None, text="x", published_at=None, language=None, error=None)
    assert page_to_json(result) == {"url": None, "title": None, "text": "x", "published_at": None, "language": None}


def test_page_to_json_converts_offsets_to_utc():
    cet = dt.timezone(dt.timedelta(hours=1))
    result = PageResult(None, None, "x", dt.datetime(2024, 1, 2, 0, 30, tzinfo=cet), "de", None)
    assert page_to_json(result)["published_at"] == "2024-01-01T23:30:00Z"


def test_summary_cuts_at_a_word_boundary():
    text = "word " * 100
    summary = summarise(text)
    assert summary.endswith("word…") and len(summary) <= 301
    assert summarise("short text") == "short text"
