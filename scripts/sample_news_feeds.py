"""Writers of the sample news feeds (``make_sample_news.py``): RSS 2.0, Atom 1.0 and JSON
Feed 1.1 documents, and the list of where every item came from.

Output depends only on the items given (no clock, sorted keys, fixed layout), so the files
are byte-identical from run to run.
"""
from __future__ import annotations

import csv
import datetime as dt
import email.utils
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from sample_news_corpus import Source


@dataclass(frozen=True)
class Feed:
    name: str  # the channel name; the host is <name>.example
    title: str
    description: str
    file: str  # under snapshot/news/
    layout: str  # rss, atom, json

    @property
    def home(self) -> str:
        return f"https://{self.name}.example/"


@dataclass(frozen=True)
class Item:
    feed: Feed
    title: str
    text: str
    published: dt.datetime
    source: Source
    constructed: str  # what the generator made up or changed, for ORIGINS.csv
    copy_of: str = ""  # a republished story: the key of the first publication

    @property
    def key(self) -> str:
        """Stable whatever else is picked: the feed and the source text's place."""
        seed = f"{self.feed.name}|{self.source.dataset}|{self.source.where}|{self.copy_of}"
        return hashlib.sha1(seed.encode()).hexdigest()[:12]

    @property
    def link(self) -> str:
        words = re.findall(r"[a-z0-9]+", self.title.casefold())[:8]
        return f"{self.feed.home}{self.published:%Y/%m/%d}/{'-'.join(words)}-{self.key[:8]}"

    @property
    def guid(self) -> str:
        return f"urn:sample-news:{self.feed.name}:{self.key}"


def _newest_first(items: Sequence[Item]) -> list[Item]:
    return sorted(items, key=lambda i: (i.published, i.key), reverse=True)


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def rss(feed: Feed, items: Sequence[Item]) -> str:
    ordered = _newest_first(items)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<rss version="2.0">', "<channel>",
             f"  <title>{escape(feed.title)}</title>", f"  <link>{feed.home}</link>",
             f"  <description>{escape(feed.description)}</description>", "  <language>en</language>",
             f"  <lastBuildDate>{email.utils.format_datetime(ordered[0].published)}</lastBuildDate>"]
    for item in ordered:
        lines += ["  <item>", f"    <title>{escape(item.title)}</title>", f"    <link>{item.link}</link>",
                  f"    <description>{escape(item.text)}</description>",
                  f"    <pubDate>{email.utils.format_datetime(item.published)}</pubDate>",
                  f'    <guid isPermaLink="false">{item.guid}</guid>', "  </item>"]
    return "\n".join([*lines, "</channel>", "</rss>", ""])


def atom(feed: Feed, items: Sequence[Item]) -> str:
    ordered = _newest_first(items)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">',
             f"  <title>{escape(feed.title)}</title>", f"  <subtitle>{escape(feed.description)}</subtitle>",
             f"  <link href={quoteattr(feed.home)}/>", f"  <id>{feed.home}</id>",
             f"  <updated>{_iso(ordered[0].published)}</updated>",
             f"  <author><name>{escape(feed.title)}</name></author>"]
    for item in ordered:
        lines += ["  <entry>", f"    <title>{escape(item.title)}</title>",
                  f"    <link rel=\"alternate\" href={quoteattr(item.link)}/>", f"    <id>{item.guid}</id>",
                  f"    <published>{_iso(item.published)}</published>",
                  f"    <updated>{_iso(item.published)}</updated>",
                  f"    <summary type=\"text\">{escape(item.text)}</summary>", "  </entry>"]
    return "\n".join([*lines, "</feed>", ""])


def json_feed(feed: Feed, items: Sequence[Item]) -> str:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.title,
        "description": feed.description,
        "home_page_url": feed.home,
        "feed_url": f"{feed.home}feed.json",
        "language": "en",
        "items": [{"id": item.guid, "url": item.link, "title": item.title, "content_text": item.text,
                   "date_published": _iso(item.published)} for item in _newest_first(items)],
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


WRITERS = {"rss": rss, "atom": atom, "json": json_feed}


def write_origins(path: Path, items: Sequence[Item]) -> None:
    """One row per item: where its text came from and what was constructed around it."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("feed", "guid", "published", "dataset", "source", "source_label", "constructed"))
        for item in sorted(items, key=lambda i: (i.feed.name, i.published, i.key)):
            writer.writerow((item.feed.name, item.guid, _iso(item.published), item.source.dataset,
                             item.source.where, item.source.label, item.constructed))
