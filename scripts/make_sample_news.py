"""Write the bundled sample news (``snapshot/news/``): a bank's morning of finance news about
the sample book's customers, their industries and their markets.

    .venv/bin/python scripts/make_sample_news.py [--shared ../shared/data/news] [--bank snapshot/bank]
        [--out snapshot/news] [--seed 1127]

Run after ``scripts/make_sample_bank.py``: stories are picked because they name customers of
``customers.csv`` (checked with the project's own entity linker, as refine will link them),
spread over the RMs of ``coverage.csv``. The texts are real and redistributable (MIT finance
headlines, ODC-BY-1.0 FinEntity paragraphs, see ``sample_news_corpus``); the three wires,
their links, ids, publication times (from the day before to the early morning of 2026-11-27),
the titles cut from paragraphs and the re-publications are constructed here (``snapshot/news/SOURCE.md``). A
seeded RNG and a fixed layout make two runs byte-identical; every feed is read back with the
channel kinds' own parsers before the script finishes. Only this script reads ``../shared``:
the project reads the files it wrote.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import re
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a file from anywhere: mi is imported from the repo
sys.path.insert(0, str(Path(__file__).resolve().parent))

import sample_news_corpus as corpus  # noqa: E402  (beside this script)
from sample_news_feeds import WRITERS, Feed, Item, write_origins  # noqa: E402

from mi.analysis.linking import CompanyName, Linker  # noqa: E402
from mi.records.channels import ChannelConfig  # noqa: E402
from mi.sources.registry import source_for  # noqa: E402

UTC = dt.timezone.utc
FIRST = dt.datetime(2026, 11, 26, 6, 30, tzinfo=UTC)  # the day before, 07:30 in Frankfurt
LAST = dt.datetime(2026, 11, 27, 4, 15, tzinfo=UTC)  # 05:15 in Frankfurt, before the 05:30 daily run
MARKETS = Feed("markets-wire", "Markets Wire (sample)",
               "Constructed sample wire: rates, FX, oil and market headlines, and company stories re-run "
               "from the other wires (see snapshot/news/SOURCE.md)", "markets-wire.rss", "rss")
COMPANIES = Feed("company-wire", "Company News Wire (sample)",
                 "Constructed sample wire: company headlines tagged with their tickers "
                 "(see snapshot/news/SOURCE.md)", "company-wire.atom", "atom")
SECTORS = Feed("sector-wire", "Sector Wire (sample)",
               "Constructed sample wire: industry news, company stories by name and news paragraphs "
               "(see snapshot/news/SOURCE.md)", "sector-wire.json", "json")
FEEDS = (MARKETS, COMPANIES, SECTORS)
CONTENT_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json"}


@dataclass(frozen=True)
class Book:
    rm_of: dict[str, str]  # corporate customer ref -> covering RM
    linker: Linker
    ref_of: dict[int, str]  # linker company id -> customer ref
    written: dict[str, tuple[str, ...]]  # customer ref -> its name and aliases, squashed; its cashtag

    def linked(self, title: str | None, text: str) -> frozenset[str]:
        return frozenset(self.ref_of[link.company_id] for link in self.linker.link(title, text))

    def spells(self, ref: str, text: str) -> bool:
        """The text writes the customer's name or an alias (not only its ticker)."""
        squashed = _squash(text)
        return any(not w.startswith("$") and w in squashed for w in self.written[ref])

    def named(self, title: str | None, text: str) -> frozenset[str]:
        """Linked customers the text names or tags: "ASX:ALL" (Aristocrat Leisure) is not Allstate."""
        full = f"{title or ''}\n{text}"
        squashed = _squash(full)
        return frozenset(ref for ref in self.linked(title, text)
                         if any(re.search(re.escape(w) + r"(?![\w.])", full) if w.startswith("$") else w in squashed
                                for w in self.written[ref]))


def _squash(text: str) -> str:
    """Letters and digits only: "CH Robinson" and "C.H. Robinson" compare equal."""
    return re.sub(r"[\W_]+", "", text.casefold())


@dataclass(frozen=True)
class Story:
    """A first publication: its text, the wire it fits and the customers it names."""

    source: corpus.Source
    feed: Feed
    title: str
    text: str
    customers: frozenset[str]
    constructed: str


def read_book(folder: Path) -> Book:
    """Corporate customers as the warehouse hands them to the linker: name, aliases, ticker, CIK."""
    with open(folder / "customers.csv", newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["segment"] == "corporate"]
    with open(folder / "coverage.csv", newline="", encoding="utf-8") as handle:
        rm_of = {r["customer_ref"]: r["rm_ref"] for r in csv.DictReader(handle)}
    companies = [CompanyName(n, r["name"], tuple(a for a in (r["name"], *r["aliases"].split("|")) if a),
                             (r["ticker"],) if r["ticker"] else (), tuple(v for v in (r["cik"],) if v))
                 for n, r in enumerate(rows)]
    written = {row["customer_ref"]: (*(_squash(a) for a in company.aliases), *(f"${t}" for t in company.tickers))
               for company, row in zip(companies, rows, strict=True)}
    return Book({r["customer_ref"]: rm_of[r["customer_ref"]] for r in rows}, Linker(companies),
                {n: r["customer_ref"] for n, r in enumerate(rows)}, written)


def stories(book: Book, tweets: Sequence[corpus.Source], paragraphs: Sequence[corpus.Source]
            ) -> tuple[list[Story], list[Story], list[Story]]:
    """(company stories, market stories, industry stories), in source order."""
    company, market, industry = [], [], []
    for source in tweets:
        if source.cashtags:
            title = corpus.headline_of_tweet(source.text)
            if title is None or not any(book.spells(ref, title) for ref in book.linked(title, source.text)):
                continue  # "$WRI: Compass Point ups to Buy": a headline that does not say who
            story = Story(source, COMPANIES, title, source.text, book.named(title, source.text),
                          "title: the headline without its leading tickers")
        else:
            story = Story(source, SECTORS, source.text, source.text, book.named(None, source.text),
                          "text repeats the headline")
        if 1 <= len(story.customers) <= 3:
            company.append(story)
        elif not book.linked(story.title, story.text) and not source.cashtags:
            if corpus.MARKET.search(source.text) and not corpus.COMPANY_STORY.search(source.text):
                market.append(Story(source, MARKETS, source.text, source.text, frozenset(), story.constructed))
            elif corpus.SECTOR.search(source.text):
                industry.append(story)
    for source in paragraphs:
        title = corpus.title_from_paragraph(source.text)
        about = book.named(None, corpus.first_sentence(source.text))  # the story is about them
        if about and len(book.linked(title, source.text)) <= 3:
            company.append(Story(source, SECTORS, title, source.text, book.named(title, source.text),
                                 "title: cut from the paragraph's first sentence"))
    return company, market, industry


def pick(rng: random.Random, book: Book, company: Sequence[Story]) -> list[Story]:
    """Company stories spread over the RMs: a few customers of every RM that has news, some
    of them with good and bad news on the same morning, some named without their ticker."""
    by_customer: dict[str, list[Story]] = defaultdict(list)
    for story in company:
        for ref in sorted(story.customers):
            by_customer[ref].append(story)
    chosen: dict[str, Story] = {}  # source place -> story, in the order picked

    def take(story: Story) -> None:
        chosen.setdefault(story.source.where, story)

    for rm in sorted(set(book.rm_of.values())):
        refs = sorted(ref for ref in by_customer if book.rm_of[ref] == rm)
        for ref in rng.sample(refs, min(4, len(refs))):
            # one story of the customer: tagged with its ticker where there is one, else by name
            take(min(by_customer[ref], key=lambda s: (s.feed is not COMPANIES, s.source.dataset != corpus.TWEETS)))
        paragraphs = [s for ref in refs for s in by_customer[ref] if s.source.dataset == corpus.FINENTITY]
        if paragraphs:
            take(rng.choice(paragraphs))
    mixed = [ref for ref in sorted(by_customer)
             if {"bearish", "bullish"} <= {s.source.label for s in by_customer[ref]}]
    for ref in rng.sample(mixed, min(8, len(mixed))):
        for label in ("bearish", "bullish"):
            take(next(s for s in by_customer[ref] if s.source.label == label))
    by_name = [s for s in company if s.feed is SECTORS and s.source.dataset == corpus.TWEETS]
    for story in held_out_first(rng, by_name, 14):
        take(story)
    return list(chosen.values())


def held_out_first(rng: random.Random, stories: Sequence[Story], count: int) -> list[Story]:
    """``count`` stories drawn from the validation split's headlines before the training
    split's: the sentiment model is trained on the latter, so it has not seen these."""
    held_out = [s for s in stories if s.source.where.startswith("sent_valid")]
    rest = [s for s in stories if not s.source.where.startswith("sent_valid")]
    drawn = rng.sample(held_out, min(count, len(held_out)))
    return drawn + rng.sample(rest, min(count - len(drawn), len(rest)))


def when(rng: random.Random) -> dt.datetime:
    return FIRST + dt.timedelta(minutes=rng.randrange(int((LAST - FIRST).total_seconds() // 60)))


def publish(rng: random.Random, picked: Sequence[Story], market: Sequence[Story], industry: Sequence[Story]
            ) -> list[Item]:
    """Every story once on its wire, and a few re-run with small changes (on the markets
    wire, some on all three), as wires do: the same event from several channels."""
    firsts = [Item(s.feed, s.title, s.text, when(rng), s.source, s.constructed)
              for s in [*picked, *held_out_first(rng, market, 36), *held_out_first(rng, industry, 20)]]
    items = list(firsts)
    headlines = [i for i in firsts if i.feed is COMPANIES]
    for number, item in enumerate(rng.sample(headlines, min(14, len(headlines)))):  # "UPDATE 1-" in front
        items.append(Item(MARKETS, f"UPDATE 1-{item.title}", item.text, _later(rng, item.published), item.source,
                          "re-run of the company-wire item: title prefixed 'UPDATE 1-'", item.key))
        if number < 4:  # a story all three wires carry
            items.append(Item(SECTORS, f"BRIEF-{item.title}", item.text, _later(rng, item.published), item.source,
                              "re-run of the company-wire item: title prefixed 'BRIEF-'", item.key))
    paragraphs = [i for i in firsts if i.source.dataset == corpus.FINENTITY and corpus.RIC.search(i.text)]
    for item in rng.sample(paragraphs, min(6, len(paragraphs))):  # syndicated without instrument codes
        text = " ".join(corpus.RIC.sub("", item.text).split())
        items.append(Item(MARKETS, item.title, text, _later(rng, item.published), item.source,
                          "re-run of the sector-wire item without its <RIC> codes", item.key))
    return items


def _later(rng: random.Random, first: dt.datetime) -> dt.datetime:
    return min(LAST, first + dt.timedelta(minutes=rng.randrange(20, 150)))


def read_back(out: Path, book: Book, items: Sequence[Item]) -> tuple[int, set[str]]:
    """Parse every written feed as its channel will; returns (documents, customers linked)."""
    documents, customers = 0, set()
    for feed in FEEDS:
        kind = "json_feed" if feed.layout == "json" else "feed"
        source = source_for(ChannelConfig(name=feed.name, kind=kind, urls=(feed.file,)))
        body = (out / feed.file).read_bytes()
        result = source.parse(body, url=feed.home, content_type=CONTENT_TYPES[feed.layout])
        expected = sum(1 for i in items if i.feed is feed)
        if result.fatal or result.problems or len(result.documents) != expected:
            raise SystemExit(f"{feed.file} does not read back cleanly: {result.fatal} {result.problems[:3]} "
                             f"({len(result.documents)} of {expected} items)")
        documents += expected
        for document in result.documents:
            customers |= book.linked(document.title, document.text)
    return documents, customers


def build(shared: Path, bank: Path, out: Path, seed: int) -> str:
    rng = random.Random(seed)
    book = read_book(bank)
    company, market, industry = stories(book, corpus.read_tweets(shared / "twitter_financial_sentiment"),
                                        corpus.read_finentity(shared / "finentity" / "FinEntity.json"))
    items = publish(rng, pick(rng, book, company), market, industry)
    out.mkdir(parents=True, exist_ok=True)
    for feed in FEEDS:
        written = WRITERS[feed.layout](feed, [i for i in items if i.feed is feed])
        (out / feed.file).write_text(written, encoding="utf-8")
    write_origins(out / "ORIGINS.csv", items)
    documents, customers = read_back(out, book, items)
    rms = {book.rm_of[ref] for ref in customers}
    per_feed = ", ".join(f"{f.file} {sum(1 for i in items if i.feed is f)}" for f in FEEDS)
    return (f"{documents} items ({per_feed}); {len(customers)} customers of {len(set(book.rm_of.values()))} "
            f"corporate RMs' books linked, {len(rms)} of those RMs covered")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data" / "news")
    parser.add_argument("--bank", type=Path, default=ROOT / "snapshot" / "bank")
    parser.add_argument("--out", type=Path, default=ROOT / "snapshot" / "news")
    parser.add_argument("--seed", type=int, default=1127)
    args = parser.parse_args(argv)
    if not (args.shared / "twitter_financial_sentiment").is_dir():
        parser.error(f"{args.shared} does not hold the news sets (twitter_financial_sentiment/, finentity/)")
    print(build(args.shared, args.bank, args.out, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
