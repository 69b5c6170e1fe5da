"""The lxml fast path against feedparser: the same documents from every feed fixture.

Every feed payload the project holds (feedparser's own cases, rss-parser's real feeds,
the bad-input feeds, the bundled snapshot's feeds and news wires) is read twice: as ``parse_feed`` reads it (lxml
where the fast path accepts the payload) and with feedparser alone. The two must give the
same feed title and link, error, item notes and documents (ids, titles, links, dates,
text, summaries, languages). Which parser read the payload is part of the result.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from mi.sources.feeds.feed import FeedSource, parse_feed
from mi.records.channels import ChannelConfig
from tests.test_feeds_feedparser_cases import _case_content_type

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
URL = "https://feeds.example.com/markets/today.xml"
NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.timezone.utc)
_NOT_FEEDS = {"SOURCE.md", "LICENSE.txt", "LICENSE", "README.md"}


def _feed_payloads() -> list[Path]:
    paths = [path for path in (FIXTURES / "feeds").rglob("*")
             if path.is_file() and path.name not in _NOT_FEEDS
             and "json_feed" not in path.parts and "output" not in path.parts]
    paths += sorted((FIXTURES / "bad").glob("feed-*"))
    for folder in ("feeds", "news"):  # the bundled snapshot's feeds and its sample morning's wires
        paths += [path for path in (ROOT / "snapshot" / folder).iterdir() if path.suffix in (".rss", ".atom", ".xml")]
    return sorted(paths)


PAYLOADS = _feed_payloads()


def _content_type(path: Path) -> str | None:
    return _case_content_type(path) if "feedparser" in path.parts else None


def _both(path: Path):
    body, content_type = path.read_bytes(), _content_type(path)
    fast = parse_feed(body, url=URL, content_type=content_type, now=NOW)
    slow = parse_feed(body, url=URL, content_type=content_type, now=NOW, fast=False)
    return fast, slow


@pytest.mark.parametrize("path", PAYLOADS, ids=lambda path: str(path.relative_to(ROOT)))
def test_fast_path_gives_feedparsers_documents(path: Path) -> None:
    fast, slow = _both(path)
    assert (fast.title, fast.link, fast.error, fast.is_feed, fast.problems) == (
        slow.title, slow.link, slow.error, slow.is_feed, slow.problems)
    assert fast.items == slow.items  # every field of every document, in order
    if slow.is_feed:
        assert slow.reader == "feedparser: fast path off"
        assert fast.reader == "lxml" or fast.reader.startswith("feedparser: ")


def test_the_fast_path_reads_the_real_feeds_and_declines_the_broken_ones() -> None:
    both = {path: _both(path) for path in PAYLOADS}
    readers = {path: fast.reader for path, (fast, _) in both.items()}
    real = [path for path in readers if "snapshot" in path.parts or "rss-parser" in path.parts]
    fast_real = [path for path in real if readers[path] == "lxml"]
    # Every bundled snapshot feed, and most of rss-parser's real feeds (podcasts' itunes:summary
    # aside), are read by lxml; UOL's
    # undeclared windows-1252 is decoded by guessing, which the fast path does not trust.
    snapshot = {path.name: reader for path, reader in readers.items() if "snapshot" in path.parts}
    assert snapshot.pop("uolNoticias.rss") == "feedparser: the character encoding was not recovered exactly"
    assert set(snapshot.values()) == {"lxml"}, snapshot
    assert len(fast_real) >= len(real) // 2, sorted(str(p) for p in real if readers[p] != "lxml")
    # What feedparser finds broken is never read by the fast path.
    broken = [path for path, (_, slow) in both.items() if slow.error and "malformed" in slow.error]
    assert len(broken) >= 10
    for path in broken + [FIXTURES / "bad" / "feed-entity-bomb.xml"]:
        assert readers[path].startswith("feedparser: "), path
    truncated = readers[FIXTURES / "bad" / "feed-truncated.xml"]
    assert truncated.startswith("feedparser: not well-formed XML"), truncated


def test_the_reader_travels_with_the_parse_result() -> None:
    source = FeedSource(ChannelConfig(name="wire", kind="feed", urls=(URL,)))
    guardian = (ROOT / "snapshot" / "feeds" / "guardian.rss").read_bytes()
    assert source.parse(guardian, url=URL, content_type="application/rss+xml").reader == "lxml"
    broken = (FIXTURES / "bad" / "feed-truncated.xml").read_bytes()
    assert source.parse(broken, url=URL, content_type="application/rss+xml").reader.startswith("feedparser: ")


# --------------------------------------------------------------------------------------
# Edges of real payloads (issue 11): xml:base, RSS 0.91 with a legacy charset, RSS 1.0
# --------------------------------------------------------------------------------------

def _feedparser_alone(body: bytes, url: str):
    """feedparser's own reading of the bytes (its charset detection, its URI resolution)."""
    import io

    import feedparser

    from mi.sources.feeds.items import plain, safe_url

    parsed = feedparser.parse(io.BytesIO(body), response_headers={"content-location": url}, sanitize_html=False)
    return parsed, [(plain(entry.get("title_detail")) or None, safe_url(entry.get("link"), url)) for entry in parsed.entries]


@pytest.mark.parametrize("fast", [True, False], ids=["lxml", "feedparser"])
def test_relative_links_under_nested_relative_xml_base_resolve_against_the_feed_url(fast: bool) -> None:
    """heise's real Atom feed with every entry link rewritten relative to two nested relative
    xml:base values (the feed's ``developer/``, each entry's ``meldung/``): the links must come
    back exactly as the publisher wrote them. Started from nothing, feedparser kept only the
    outer base and dropped ``meldung/``."""
    original = ROOT / "snapshot" / "feeds" / "heise.atom"
    url = "http://www.heise.de/feed.xml"
    expected = [item.url for item in parse_feed(original.read_bytes(), url=url, now=NOW).items]
    prefix = "http://www.heise.de/developer/"
    assert len(expected) > 10 and all(link.startswith(prefix) for link in expected)

    def nest(entry: re.Match) -> str:  # <entry xml:base="meldung/"> ... href="Java-...html"
        section = re.search(f'href="{re.escape(prefix)}([a-z]+)/', entry.group(0)).group(1)
        body = entry.group(0).replace(f'href="{prefix}{section}/', 'href="')
        return body.replace("<entry>", f'<entry xml:base="{section}/">', 1)

    text = original.read_text("utf-8")
    text = text.replace('<feed xmlns="http://www.w3.org/2005/Atom"', '<feed xmlns="http://www.w3.org/2005/Atom" xml:base="developer/"', 1)
    text = re.sub(r"<entry>.*?</entry>", nest, text, flags=re.DOTALL)
    assert text.count("<entry xml:base=") == len(expected)
    assert not re.search(f'<link[^>]*href="{re.escape(prefix)}', text.split("<entry", 1)[1])
    result = parse_feed(text.encode("utf-8"), url=url, now=NOW, fast=fast)
    assert [item.url for item in result.items] == expected
    assert result.reader == "lxml" if fast else result.reader.startswith("feedparser")


@pytest.mark.parametrize("fast", [True, False], ids=["lxml", "feedparser"])
def test_relative_rss_links_and_permalinks_resolve_against_xml_base_and_the_feed_url(fast: bool) -> None:
    """The Guardian's real RSS 2.0 feed with its item links and permalink guids made relative
    under the channel's relative xml:base: links resolve, ids stay as written."""
    original = (ROOT / "snapshot" / "feeds" / "guardian.rss").read_bytes()
    url = "https://www.theguardian.com/feeds/us.xml"
    expected = parse_feed(original, url=url, now=NOW).items
    text = original.decode("utf-8").replace("<channel>", '<channel xml:base="/">', 1)
    text = text.replace("<link>https://www.theguardian.com/", "<link>").replace(">https://www.theguardian.com/", ">/")
    result = parse_feed(text.encode("utf-8"), url=url, now=NOW, fast=fast)
    assert [item.url for item in result.items] == [item.url for item in expected]
    assert all(item.url.startswith("https://www.theguardian.com/") for item in result.items)
    assert [item.title for item in result.items] == [item.title for item in expected]


def test_rss_091_with_a_declared_legacy_charset_reads_as_feedparser_reads_it() -> None:
    """Jornal de Notícias' real ISO-8859-1 feed as a Netscape RSS 0.91 document: its DOCTYPE,
    and its accented letters written as the HTML entities that DTD defines (``&iacute;``)."""
    body = (ROOT / "snapshot" / "feeds" / "jn-ultimas.rss").read_bytes()
    doctype = b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n'
    body = body.replace(b"<rss ", doctype + b"<rss ", 1).replace(b'version="2.0"', b'version="0.91"', 1)
    body = body.replace(b"\xed", b"&iacute;")  # í in ISO-8859-1
    url = "http://feeds.jn.pt/JN-ULTIMAS"
    theirs, documents = _feedparser_alone(body, url)
    assert theirs.version == "rss091n" and theirs.encoding == "iso-8859-1"
    result = parse_feed(body, url=url, now=NOW)
    assert result.reader.startswith("feedparser: a DOCTYPE")
    assert [(item.title, item.url) for item in result.items] == documents
    assert any("í" in (item.title or "") for item in result.items)
    assert result.title == "Jornal de Notícias - Últimas Notícias"


@pytest.mark.parametrize("fast", [True, False], ids=["lxml", "feedparser"])
def test_rss_10_reads_as_feedparser_reads_it(fast: bool) -> None:
    """Science's real RSS 1.0 (RDF) feed: titles, links, ids from rdf:about, dc:date."""
    body = (FIXTURES / "feeds" / "rss-parser" / "input" / "rss-1.rss").read_bytes()
    url = "http://science.sciencemag.org/rss/twis.xml"
    theirs, documents = _feedparser_alone(body, url)
    assert theirs.version == "rss10"
    result = parse_feed(body, url=url, now=NOW, fast=fast)
    assert [(item.title, item.url) for item in result.items] == documents
    assert [item.external_id for item in result.items] == [entry.id for entry in theirs.entries]
    dates = [item.published_at for item in result.items]
    assert all(dates) and dates == [dt.datetime(*entry.updated_parsed[:6], tzinfo=dt.timezone.utc) for entry in theirs.entries]


def test_the_fast_paths_join_is_feedparsers() -> None:
    from feedparser.urls import _urljoin

    from mi.sources.feeds.fast import _join

    bases = ["", "http://example.com/feeds/", "https://example.com/a/b.xml", "/news/", "news/"]
    uris = ["a.html", "/b.html", "../c", "http:///triple.example/x", "https:////many/y?q=1#f", "http://host/p;x?y",
            "mailto:x@example.com", "//cdn.example/z", "", "?page=2", "http://[bad", "tag:example.com,2005:1"]
    for base in bases:
        for uri in uris:
            assert _join(base, uri) == _urljoin(base, uri), (base, uri)
