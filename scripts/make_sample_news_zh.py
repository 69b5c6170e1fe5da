"""Write the sample morning's Chinese news wires (``snapshot/news/cn-*.xml``).

    .venv/bin/python scripts/make_sample_news_zh.py [--shared ../shared/data/zh] [--out snapshot/news]

Real Chinese market headlines (the MIT-licensed headline pool of JINGEWU/Financial-
Sentiment-Analysis, ``data/CH.csv``) in two constructed RSS feeds, as a mainland and a Hong
Kong wire would send them:

- ``cn-finance-wire.xml``: simplified Chinese, encoded in GB18030 (declared in the XML
  prolog), headlines that name the China desk's customers (scripts/data/cn_listed_companies.csv)
  and rates, FX, PMI and policy headlines;
- ``hk-finance-wire.xml``: traditional Chinese (OpenCC s2t of some of the same headlines,
  and a few of its own), encoded in Big5, so that a story arriving in both scripts groups
  into one event.

Only this script reads ``../shared``; the project reads the files it writes. Every item's
origin (row of the pool) is in ``ORIGINS-zh.csv``. Re-running it reproduces the files.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import random
import re
import sys
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mi.analysis.zh_text import _converter  # noqa: E402

COMPANIES = ROOT / "scripts" / "data" / "cn_listed_companies.csv"
MACRO_WORDS = ("人民币", "央行", "降准", "利率", "PMI", "汇率", "外汇", "国债", "原油", "关税", "社融", "CPI", "GDP")
PER_COMPANY = 3
MACRO = 14
HK_REPEATS = 8  # headlines of the mainland wire that the Hong Kong wire also carries
HK_OWN = 6
START = dt.datetime(2026, 11, 26, 0, 30, tzinfo=dt.timezone.utc)
SPAN_MINUTES = 27 * 60


def read_pool(shared: Path) -> list[dict]:
    rows = [json.loads(line) for line in (shared / "jingewu_ch_headlines" / "dev.jsonl").read_text("utf-8").splitlines()
            if line.strip()]
    # headlines tied to their own date ("2017年", "10月12日") would date the sample morning
    return [r for r in rows if 8 <= len(r["text"]) <= 60 and "？" not in r["text"][-1:]
            and not re.search(r"20\d\d年|\d+月\d+日|新冠|疫", r["text"])]


def company_words() -> list[tuple[str, ...]]:
    with open(COMPANIES, encoding="utf-8") as handle:
        return [tuple(a for a in row["aliases"].split("|") if not a.isascii()) for row in csv.DictReader(handle)]


def pick(rng: random.Random, pool: list[dict]) -> tuple[list[dict], list[dict]]:
    chosen: dict[int, dict] = {}
    for words in company_words():
        about = [r for r in pool if any(w in r["text"] for w in words) and r["idx"] not in chosen]
        for row in sorted(rng.sample(about, min(PER_COMPANY, len(about))), key=lambda r: r["idx"]):
            chosen[row["idx"]] = row
    macro = [r for r in pool if any(w in r["text"] for w in MACRO_WORDS) and r["idx"] not in chosen]
    for row in rng.sample(macro, MACRO):
        chosen[row["idx"]] = row
    rest = [r for r in pool if r["idx"] not in chosen and any(w in r["text"] for w in MACRO_WORDS)]
    own = rng.sample(rest, HK_OWN)
    return sorted(chosen.values(), key=lambda r: r["idx"]), own


def key(wire: str, idx: int) -> str:
    return hashlib.sha256(f"{wire}:{idx}".encode()).hexdigest()[:12]


def when(rng: random.Random) -> dt.datetime:
    return START + dt.timedelta(minutes=rng.randrange(0, SPAN_MINUTES))


def rss(title: str, link: str, language: str, encoding: str, items: list[tuple[str, str, dt.datetime, str]]) -> bytes:
    lines = [f'<?xml version="1.0" encoding="{encoding}"?>', '<rss version="2.0">', "<channel>",
             f"  <title>{escape(title)}</title>", f"  <link>{link}</link>",
             "  <description>Constructed sample wire (see snapshot/news/SOURCE.md)</description>",
             f"  <language>{language}</language>"]
    for headline, guid, published, url in sorted(items, key=lambda i: i[2], reverse=True):
        lines += ["  <item>", f"    <title>{escape(headline)}</title>", f"    <link>{url}</link>",
                  f"    <description>{escape(headline)}</description>",
                  f"    <pubDate>{published.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>",
                  f'    <guid isPermaLink="false">{guid}</guid>', "  </item>"]
    lines += ["</channel>", "</rss>", ""]
    # characters outside the legacy code page travel as character references, as such wires do
    return "\n".join(lines).encode(encoding, errors="xmlcharrefreplace")


def build(shared: Path, out: Path, seed: int) -> str:
    rng = random.Random(seed)
    mainland, own = pick(rng, read_pool(shared))
    origins = []
    cn_items, hk_items = [], []
    for row in mainland:
        published = when(rng)
        guid = f"urn:sample-news:cn-finance-wire:{key('cn', row['idx'])}"
        url = f"https://cn-finance-wire.example/{published:%Y/%m/%d}/{key('cn', row['idx'])}"
        headline = row["text"].replace("\u3000", " ").strip()
        cn_items.append((headline, guid, published, url))
        origins.append(["cn-finance-wire", guid, published.isoformat().replace("+00:00", "Z"), f"CH.csv idx {row['idx']}",
                        "as written (ideographic spaces made plain)"])
    for row in rng.sample(mainland, HK_REPEATS) + own:
        repeat = row not in own
        published = when(rng)
        guid = f"urn:sample-news:hk-finance-wire:{key('hk', row['idx'])}"
        url = f"https://hk-finance-wire.example/{published:%Y/%m/%d}/{key('hk', row['idx'])}"
        headline = _converter("s2t").convert(row["text"].replace("\u3000", " ").strip())
        hk_items.append((headline, guid, published, url))
        origins.append(["hk-finance-wire", guid, published.isoformat().replace("+00:00", "Z"), f"CH.csv idx {row['idx']}",
                        "converted to traditional characters (OpenCC s2t)"
                        + ("; the mainland wire carries it too" if repeat else "")])
    (out / "cn-finance-wire.xml").write_bytes(
        rss("中国财经快讯 (sample)", "https://cn-finance-wire.example/", "zh-cn", "GB18030", cn_items))
    (out / "hk-finance-wire.xml").write_bytes(
        rss("香港財經快訊 (sample)", "https://hk-finance-wire.example/", "zh-tw", "Big5", hk_items))
    with open(out / "ORIGINS-zh.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["feed", "guid", "published", "source", "constructed"])
        writer.writerows(sorted(origins))
    return f"{len(cn_items)} mainland and {len(hk_items)} Hong Kong items written to {out}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data" / "zh")
    parser.add_argument("--out", type=Path, default=ROOT / "snapshot" / "news")
    parser.add_argument("--seed", type=int, default=1127)
    args = parser.parse_args(argv)
    if not (args.shared / "jingewu_ch_headlines").is_dir():
        parser.error(f"{args.shared} does not hold jingewu_ch_headlines/")
    print(build(args.shared, args.out, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
