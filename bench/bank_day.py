"""Benchmark: a whole bank day through the real ``daily`` flow, each stage beside its limit.

A deterministic synthetic day (seeded RNG) is served over real HTTP on loopback and loaded
into a real warehouse (SQLite by default, ``--database-url`` for PostgreSQL). At scale 1:

* 200 channels: 140 feeds (RSS 2.0 and Atom), 20 article-page channels, 20 series channels
  (300 market series), 10 statistics channels (SDMX-CSV), 10 competitor pages; plus the
  book channels (RMs, customers, coverage, holdings, products) and the field notes;
* 10,000 documents, a quarter syndicated copies of another outlet's story and one in twenty
  re-published with an edited headline; their headlines and sentences are real finance
  headlines (``../shared/data/news/twitter_financial_sentiment``, MIT, when present; else
  the bundled snapshot's MIT headlines), so company mentions are what real news names;
* 5,000 customers (the S&P 500 companies among them), 500 RMs, 2,000 field notes, 60 products.

``--scale N`` multiplies every volume. The real ``daily`` flow (gather → refine → signal →
brief → follow_up) runs three times: cold (empty warehouse), again with nothing new
(conditional GET: every payload answers 304), and again with 10 % new documents. For each
stage and in total it prints wall and CPU seconds, items/s, peak RSS, Prefect task runs and
the orchestration share: the part of the stage's wall time when none of its task runs was
running (flow and task bookkeeping, API calls, scheduling), measured from Prefect's own
task-run start and end times.

Beside each stage of the cold run, its **limit** on the same bytes and rows: feeds parsed
by lxml, pages by lxml.html, CSV by ``csv``, plus the documents loaded with raw
``sqlite3.executemany`` (PostgreSQL: psycopg ``COPY``) for gather; industry, theme and
sentiment tagging as plain function calls for refine; composing and rendering every brief as
plain calls (no Prefect, no outbox, no delivery) for brief; reading every note's need and
grouping the window's notes for signal; following up every product for follow_up
(``bench/day_limits.py``); and ours ÷ limit.

    .venv/bin/python bench/bank_day.py --scale 0.1        # a quick run (~20 channels)
    .venv/bin/python bench/bank_day.py --scale 1          # the bank day
    .venv/bin/python bench/bank_day.py --scale 1 --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test
        (PostgreSQL: a fresh database ``mi_bank_day_<pid>`` is created on that server and dropped at the end)

Set PREFECT_API_URL to a running ``prefect server`` to use it; otherwise a warm-up flow
starts Prefect's temporary API first and its start-up time is printed apart.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import random
import re
import resource
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import mi  # noqa: E402,F401 - first: its allocator settings (mi.memory) apply before any thread starts
import yaml  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from day_limits import (brief_limit, feed_parse_figures, follow_up_limit, gather_limit,  # noqa: E402
                        refine_limit, signal_limit)
from day_site import DaySite  # noqa: E402

SHARED_HEADLINES = ROOT.parent / "shared" / "data" / "news" / "twitter_financial_sentiment"
DAY = dt.date(2026, 11, 27)
MORNING = dt.datetime.combine(DAY, dt.time(5, 30), dt.timezone.utc)
SECTIONS = "ABCDFGHJKLM"
_URL = re.compile(r"https?://\S+")
_TICKERS = re.compile(r"^(?:\$[A-Z.]+[\s,]*)+-?\s*")
_LEGAL = re.compile(r",?\s+(?:Inc\.?|Corporation|Corp\.?|Company|Co\.|plc|PLC|Ltd\.?|Group|Holdings|N\.V\.|S\.A\.|& Co\.)$")


# ----------------------------------------------------------------------------------------
# the synthetic day
# ----------------------------------------------------------------------------------------

@dataclass
class Doc:
    guid: str
    title: str
    text: str
    link: str
    published: dt.datetime


@dataclass
class Day:
    """Everything the loopback site serves, and the channel file that reads it."""

    channels: list[dict[str, Any]] = field(default_factory=list)
    payloads: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # path -> (body, content type)
    feeds: dict[str, list[Doc]] = field(default_factory=dict)  # path -> items
    documents: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def _n(base: int, scale: float) -> int:
    return max(1, round(base * scale))


def load_headlines() -> tuple[list[str], str]:
    """Real finance headlines, cleaned of tickers and links, and where they came from."""
    lines: list[str] = []
    if SHARED_HEADLINES.is_dir():
        for path in sorted(SHARED_HEADLINES.glob("*.csv")):
            with path.open(encoding="utf-8") as handle:
                lines += [row["text"] for row in csv.DictReader(handle)]
        origin = "../shared/data/news/twitter_financial_sentiment (MIT)"
    else:
        from lxml import etree

        for path in sorted((ROOT / "snapshot" / "news").glob("*-wire.*")):
            if path.suffix in (".rss", ".atom"):
                tree = etree.parse(str(path))
                lines += [t.text or "" for t in tree.iter("title", "{http://www.w3.org/2005/Atom}title")]
        origin = "snapshot/news feeds (MIT headlines)"
    cleaned = []
    for line in lines:
        line = _TICKERS.sub("", _URL.sub("", line)).strip(" -–")
        if len(line) > 25:
            cleaned.append(" ".join(line.split()))
    return sorted(set(cleaned)), origin


def build_day(scale: float, seed: int = 4754) -> Day:
    rng = random.Random(seed)
    day = Day()
    headlines, origin = load_headlines()
    day.counts["headline pool"] = len(headlines)
    companies = list(csv.DictReader((ROOT / "scripts" / "data" / "sp500_companies.csv").open(encoding="utf-8")))
    shelf = list(csv.DictReader((ROOT / "scripts" / "data" / "product_shelf.csv").open(encoding="utf-8")))

    # --- the book -------------------------------------------------------------------------
    n_rms, n_customers, n_products, n_notes = _n(500, scale), _n(5000, scale), _n(60, scale), _n(2000, scale)
    rms = [f"RM{n:05d}" for n in range(1, n_rms + 1)]
    _csv(day, "/bank/relationship_managers.csv", ["rm_ref", "name", "email", "team", "active", "language"],
         [[ref, f"Adviser {ref[2:]}", f"{ref.lower()}@bank.example", f"Desk {int(ref[2:]) % 12}", "yes", "en"]
          for ref in rms])
    customers = []
    for n in range(n_customers):
        ref = f"C{n + 1:06d}"
        if n < len(companies):
            c = companies[n]
            customers.append([ref, c["name"], "corporate", "US", "GICS", c["gics_code"], "", c["ticker"], c["cik"], "", ""])
        elif n % 10 == 0:
            customers.append([ref, f"Private client {n}", "private", "DE", "", "", "", "", "", "", ""])
        else:
            customers.append([ref, f"Northgate {rng.choice(('Components', 'Logistics', 'Foods', 'Textiles', 'Metals'))} {n} GmbH",
                              "corporate", "DE", "", "", "", "", "", "", ""])
    _csv(day, "/bank/customers.csv", ["customer_ref", "name", "segment", "country", "industry_scheme", "industry_code",
                                      "aliases", "ticker", "cik", "lei", "uscc"], customers)
    coverage = [[rms[i % n_rms], row[0], "primary", "2020-01-01"] for i, row in enumerate(customers)]
    _csv(day, "/bank/coverage.csv", ["rm_ref", "customer_ref", "role", "since"], coverage)
    products = []
    for n in range(n_products):
        row = dict(shelf[n % len(shelf)])
        row["product_ref"] = f"P{n + 1:03d}"
        if n >= len(shelf):
            row["name"] = f"{row['name']} ({n // len(shelf) + 1})"
        products.append([row[k] for k in shelf[0]])
    _csv(day, "/bank/products.csv", list(shelf[0]), products)
    holdings = [[row[0], f"P{rng.randint(1, n_products):03d}", "2021-03-01", f"{rng.lognormvariate(13, 1.5):.2f}"]
                for row in customers for _ in range(rng.randint(1, 2))]
    _csv(day, "/bank/holdings.csv", ["customer_ref", "product_ref", "opened_on", "balance"],
         [list(h) for h in {(h[0], h[1]): h for h in holdings}.values()])
    note_pool = _note_sentences()
    notes = []
    for n in range(n_notes):
        i = rng.randrange(n_customers)
        notes.append([(DAY - dt.timedelta(days=rng.randint(0, 60))).isoformat(), rms[i % n_rms], customers[i][0],
                      rng.choice(("call", "visit", "video")), " ".join(rng.sample(note_pool, 2)), "", "no"])
    _csv(day, "/notes/field-notes.csv", ["date", "rm_ref", "customer_ref", "meeting", "note", "tags", "confidential"], notes)
    day.channels += [
        {"name": "bank-rms", "kind": "book", "table": "relationship_managers", "url": day.url("/bank/relationship_managers.csv")},
        {"name": "bank-customers", "kind": "book", "table": "customers", "url": day.url("/bank/customers.csv")},
        {"name": "bank-products", "kind": "products", "url": day.url("/bank/products.csv")},
        {"name": "bank-coverage", "kind": "book", "table": "coverage", "replace": True,
         "url": day.url("/bank/coverage.csv"), "after": ["bank-rms", "bank-customers"]},
        {"name": "bank-holdings", "kind": "book", "table": "holdings", "replace": True,
         "url": day.url("/bank/holdings.csv"), "after": ["bank-customers", "bank-products"]},
        {"name": "rm-field-notes", "kind": "field_notes", "url": day.url("/notes/field-notes.csv"),
         "after": ["bank-rms", "bank-customers", "bank-coverage"]},
    ]
    day.counts.update(rms=n_rms, customers=n_customers, products=n_products, notes=n_notes)

    # --- documents: feeds and article pages ---------------------------------------------------
    n_docs, n_feeds, n_page_channels = _n(10_000, scale), _n(140, scale), _n(20, scale)
    n_pages = _n(100, scale)
    stories: list[Doc] = []
    feed_items: list[list[Doc]] = [[] for _ in range(n_feeds)]
    for n in range(n_docs - n_pages):
        feed = n % n_feeds
        roll = rng.random()
        if stories and roll < 0.25:  # syndicated: another outlet carries the same story
            base = rng.choice(stories)
            doc = Doc(f"urn:bank-day:{n}", base.title, base.text, f"https://outlet{feed}.example/{n}", base.published)
        elif stories and roll < 0.30:  # re-published with an edited headline
            base = rng.choice(stories)
            doc = Doc(f"urn:bank-day:{n}", f"UPDATE: {base.title}", base.text, f"https://outlet{feed}.example/{n}",
                      base.published + dt.timedelta(minutes=30))
        else:
            doc = _story(rng, headlines, n, feed)
            stories.append(doc)
        feed_items[feed].append(doc)
    for f, items in enumerate(feed_items):
        path = f"/feeds/{f}.{'atom' if f % 3 == 2 else 'rss'}"
        day.feeds[path] = items
        day.channels.append({"name": f"feed-{f}", "kind": "feed", "url": day.url(path)})
    day.render_feeds()
    page_urls: list[list[str]] = [[] for _ in range(n_page_channels)]
    for n in range(n_pages):
        doc = _story(rng, headlines, 900_000 + n, n)
        path = f"/pages/{n}.html"
        day.payloads[path] = (_page_html(doc).encode("utf-8"), "text/html; charset=utf-8")
        page_urls[n % n_page_channels].append(day.url(path))
    for c, urls in enumerate(page_urls):
        if urls:
            day.channels.append({"name": f"pages-{c}", "kind": "page", "urls": urls})
    day.documents = n_docs

    # --- series, statistics, competitor pages --------------------------------------------------
    n_series_channels, per_channel = _n(20, scale), 15
    dates = [d for d in (DAY - dt.timedelta(days=k) for k in range(364, 0, -1)) if d.weekday() < 5]
    for c in range(n_series_channels):
        columns = {f"S{c}_{k}": {"key": f"bench.series.{c}.{k}", "name": f"Market series {c}.{k}", "unit": "points",
                                 "frequency": "B"} for k in range(per_channel)}
        values = [100.0 + k for k in range(per_channel)]
        rows = []
        for d in dates:
            values = [v * (1 + rng.gauss(0, 0.01)) for v in values]
            rows.append([d.isoformat(), *(f"{v:.4f}" for v in values)])
        _csv(day, f"/series/{c}.csv", ["Date", *columns], rows)
        day.channels.append({"name": f"series-{c}", "kind": "series_csv", "url": day.url(f"/series/{c}.csv"),
                             "date_column": "Date", "source": "bench", "columns": columns, "industry_hints": ["K"]})
    day.counts["series"] = n_series_channels * per_channel
    n_stat_channels = _n(10, scale)
    months = [f"{y}-{m:02d}" for y in range(2016, 2027) for m in range(1, 13)][:-2]
    for c in range(n_stat_channels):
        rows = []
        for geo in ("EA20", "DE", "FR"):
            level = 100.0
            for month in months:
                level *= 1 + rng.gauss(0.002, 0.02)
                rows.append(["ESTAT:STS_INTV_M(1.0)", "01/11/26 23:00:00", "M", "TOVT", f"C{20 + c}", "I15", "NSA", geo,
                             month, f"{level:.2f}", ""])
        _csv(day, f"/statistics/{c}.csv", ["DATAFLOW", "LAST UPDATE", "freq", "indic_bt", "nace_r2", "unit", "s_adj",
                                           "geo", "TIME_PERIOD", "OBS_VALUE", "OBS_FLAG"], rows)
        day.channels.append({"name": f"statistics-{c}", "kind": "sdmx_csv", "url": day.url(f"/statistics/{c}.csv"),
                             "dataset_name": "Turnover in industry, monthly", "industry_column": "nace_r2",
                             "unit_labels": {"I15": "index 2015=100"}, "industry_hints": ["C"]})
    competitor_configs = yaml.safe_load((ROOT / "snapshot" / "competitors" / "channels.fragment.yaml").read_text())["channels"]
    for c in range(_n(10, scale)):
        template = dict(competitor_configs[c % len(competitor_configs)])
        page = (ROOT / "snapshot" / template["url"]).read_bytes()
        path = f"/competitors/{c}.html"
        day.payloads[path] = (page, "text/html; charset=utf-8")
        template.update(name=f"competitor-{c}", url=day.url(path), competitor=f"{template['competitor']} {c}")
        template.pop("sample", None)
        day.channels.append(template)
    kinds: dict[str, int] = {}
    for channel in day.channels:
        kinds[channel["kind"]] = kinds.get(channel["kind"], 0) + 1
    day.counts["channels"] = len(day.channels)
    day.counts.update({f"channels: {k}": v for k, v in sorted(kinds.items())})
    day.counts["documents"] = n_docs
    day.counts["headline origin"] = origin  # type: ignore[assignment]
    return day


def _story(rng: random.Random, headlines: list[str], n: int, outlet: int) -> Doc:
    title = rng.choice(headlines)
    body = " ".join([title + "."] + [h + "." for h in rng.sample(headlines, 4)])
    published = MORNING - dt.timedelta(minutes=rng.randint(5, 20 * 60))
    return Doc(f"urn:bank-day:{n}", title, body, f"https://outlet{outlet}.example/{n}", published)


def _note_sentences() -> list[str]:
    sentences = []
    for path in sorted((ROOT / "snapshot" / "notes" / "intake").glob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            sentences += [row["note"] for row in csv.DictReader(handle) if row.get("note")]
    return sentences[:400] or ["Discussed working capital needs with the treasurer."]


def _csv(day: Day, path: str, header: list[str], rows: list[list[Any]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    day.payloads[path] = (out.getvalue().encode("utf-8"), "text/csv; charset=utf-8")


def _rss(items: list[Doc], n: str) -> bytes:
    parts = [f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Outlet {n}</title>'
             f"<link>https://outlet{n}.example/</link><description>Finance news</description><language>en</language>"]
    for d in items:
        parts.append(f"<item><title>{escape(d.title)}</title><link>{escape(d.link)}</link>"
                     f'<guid isPermaLink="false">{d.guid}</guid><pubDate>{format_datetime(d.published)}</pubDate>'
                     f"<description>{escape(d.text)}</description></item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")


def _atom(items: list[Doc], n: str) -> bytes:
    parts = [f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">'
             f"<title>Outlet {n}</title><id>urn:outlet:{n}</id><link href=\"https://outlet{n}.example/\"/>"
             f"<updated>{MORNING.isoformat()}</updated>"]
    for d in items:
        parts.append(f"<entry><title>{escape(d.title)}</title><id>{d.guid}</id><link href=\"{escape(d.link)}\"/>"
                     f"<updated>{d.published.isoformat()}</updated><summary type=\"html\">{escape(escape(d.text))}</summary></entry>")
    parts.append("</feed>")
    return "".join(parts).encode("utf-8")


def _page_html(doc: Doc) -> str:
    paragraphs = "".join(f"<p>{escape(s.strip())}.</p>" for s in doc.text.split(".") if s.strip())
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{escape(doc.title)}</title>"
            f"<meta property=\"article:published_time\" content=\"{doc.published.isoformat()}\"></head><body>"
            f"<nav><a href=\"/\">Home</a> <a href=\"/markets\">Markets</a></nav><article><h1>{escape(doc.title)}</h1>"
            f"<time datetime=\"{doc.published.isoformat()}\"></time>{paragraphs}</article>"
            f"<footer>© Outlet</footer></body></html>")


def _day_url(self: Day, path: str) -> str:
    return "{site}" + path


Day.url = _day_url  # type: ignore[attr-defined]


def _render_feeds(self: Day) -> None:
    for path, items in self.feeds.items():
        name = path.rsplit("/", 1)[1].split(".")[0]
        self.payloads[path] = ((_atom if path.endswith(".atom") else _rss)(items, name), "application/xml")


Day.render_feeds = _render_feeds  # type: ignore[attr-defined]


def add_new_documents(day: Day, share: float, seed: int = 99) -> int:
    """10 % new: fresh stories at the top of the feeds (the rest of each feed unchanged)."""
    rng = random.Random(seed)
    headlines, _ = load_headlines()
    paths = sorted(day.feeds)
    new = max(1, round(day.documents * share))
    for n in range(new):
        path = paths[n % len(paths)]
        doc = _story(rng, headlines, 2_000_000 + n, n % len(paths))
        doc.published = MORNING + dt.timedelta(minutes=10)
        day.feeds[path].insert(0, doc)
    day.render_feeds()  # type: ignore[attr-defined]
    return new


# ----------------------------------------------------------------------------------------
# measuring the real daily flow
# ----------------------------------------------------------------------------------------

class RssSampler:
    """Peak resident memory between ``reset`` calls, sampled every 20 ms from /proc."""

    def __init__(self) -> None:
        self.peak = 0
        self.samples: list[tuple[float, int]] = []  # (epoch seconds, RSS): each task run's peak
        self._stop = threading.Event()
        self._page = os.sysconf("SC_PAGE_SIZE")
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def current(self) -> int:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * self._page

    def reset(self) -> None:
        self.peak = self.current()

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            now = self.current()
            self.peak = max(self.peak, now)
            self.samples.append((time.time(), now))

    def peak_between(self, start: float, end: float) -> int:
        return max((rss for when, rss in self.samples if start <= when <= end), default=0)

    def stop(self) -> None:
        self._stop.set()


@dataclass
class Stage:
    name: str
    wall: float = 0.0
    cpu: float = 0.0
    peak_rss: int = 0
    flow_run_id: Any = None
    task_runs: int = 0
    busy: float = 0.0  # wall seconds when at least one of its task runs was running
    items: int = 0
    task_peaks: dict[str, int] = field(default_factory=dict)  # task name -> peak RSS while one ran
    started: float = 0.0  # time.time() when the stage's flow was called
    #: its idle wall seconds: before its first task run, between task runs, after its last
    idle: tuple[float, float, float] = (0.0, 0.0, 0.0)


def instrument_daily(stages: list[Stage], sampler: RssSampler) -> Any:
    """The daily flow with every sub-flow it calls timed: wall, CPU, peak RSS, its run id.

    Each ``prefect.Flow`` the daily module calls is wrapped in place (whatever stages it
    gains, each is measured); the flow's own code is unchanged."""
    import prefect

    import mi.flows.daily as daily_module

    for name, obj in list(vars(daily_module).items()):
        if isinstance(obj, prefect.Flow) and obj is not daily_module.daily:
            setattr(daily_module, name, _timed(obj, name, stages, sampler))
    # daily runs its stages from a table of flows (brief and signal side by side, each in a
    # task's thread): the table's entries are wrapped too
    table = getattr(daily_module, "_FLOWS", None)
    if isinstance(table, dict):
        for name, obj in list(table.items()):
            if isinstance(obj, prefect.Flow):
                table[name] = _timed(obj, name, stages, sampler)
    return daily_module.daily


def parallel_stages() -> set[str]:
    """Stages daily runs side by side (each in its own thread, its tasks called in that
    thread; ``MI_DAILY_SIDE_BY_SIDE``): their CPU is the thread's, not the process's, which
    counts the other stage too."""
    from mi.settings import Settings

    return {"brief", "signal"} if Settings.from_env().daily_side_by_side else set()


def daily_own_time(stages: list[Stage], wall: float) -> float:
    """The day's wall time outside its stages; stages run side by side count as the longer
    of the two."""
    parallel = parallel_stages()
    side = [s.wall for s in stages if s.name in parallel]
    return wall - sum(s.wall for s in stages if s.name not in parallel) - max(side, default=0.0)


def _timed(subflow: Any, name: str, stages: list[Stage], sampler: RssSampler) -> Any:
    clock = time.thread_time if name in parallel_stages() else time.process_time

    def call(*args: Any, return_state: bool = False, **kwargs: Any) -> Any:
        sampler.reset()
        profile = None
        if name in os.environ.get("MI_BENCH_PROFILE", "").split(","):  # where a stage's time goes (this thread)
            import cProfile

            profile = cProfile.Profile()
            profile.enable()
        started, wall, cpu = time.time(), time.perf_counter(), clock()
        state = subflow(*args, return_state=True, **kwargs)
        if profile is not None:
            import pstats

            profile.disable()
            print(f"\n-- profile of {name} (cumulative, this thread) --")
            pstats.Stats(profile).sort_stats("cumulative").print_stats(45)
        stage = Stage(name, time.perf_counter() - wall, clock() - cpu, sampler.peak,
                      state.state_details.flow_run_id, started=started)
        stages.append(stage)
        return state if return_state else state.result()
    return call


def prefect_figures(stages: list[Stage], sampler: RssSampler) -> None:
    """Task-run counts, the time covered by running task runs, and the peak RSS while each
    task (by name) ran, from Prefect's API and the sampler's timeline."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId, FlowRunFilterParentFlowRunId

    with get_client(sync_client=True) as client:
        for stage in stages:
            ids = [stage.flow_run_id]
            runs = []
            while ids:  # the stage's flow run and any flow runs nested under it
                offset = 0
                while True:  # the API answers in pages
                    found = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=ids)),
                                                  limit=200, offset=offset)
                    runs += found
                    offset += len(found)
                    if len(found) < 200:
                        break
                children = client.read_flow_runs(
                    flow_run_filter=FlowRunFilter(parent_flow_run_id=FlowRunFilterParentFlowRunId(any_=ids)))
                ids = [child.id for child in children]
            stage.task_runs = len(runs)
            for r in runs:
                if r.start_time and r.end_time:
                    # tag-1-5000 -> tag, analyse-series-b8a (Prefect's suffix) -> analyse-series
                    name = re.sub(r"-(?:RM)?\d.*$", "", re.sub(r"-[0-9a-f]{3}$| \+\d+$", "", r.name))
                    peak = sampler.peak_between(r.start_time.timestamp(), r.end_time.timestamp())
                    stage.task_peaks[name] = max(stage.task_peaks.get(name, 0), peak)
            spans = sorted((r.start_time, r.end_time) for r in runs if r.start_time and r.end_time)
            busy, current = 0.0, None
            for start, end in spans:
                if current and start <= current[1]:
                    current = (current[0], max(current[1], end))
                    continue
                if current:
                    busy += (current[1] - current[0]).total_seconds()
                current = (start, end)
            if current:
                busy += (current[1] - current[0]).total_seconds()
            stage.busy = busy
            if spans:
                before = max(0.0, spans[0][0].timestamp() - stage.started)
                after = max(0.0, stage.started + stage.wall - max(end for _, end in spans).timestamp())
                stage.idle = (before, max(0.0, stage.wall - busy - before - after), after)


def warehouse_counts(engine: Any) -> dict[str, int]:
    from sqlalchemy import func, select

    from mi.warehouse.analysis import DocumentAnalysis, DocumentEntity
    from mi.warehouse.models import Document, Observation, RawItem

    with engine.connect() as conn:
        return {name: conn.execute(select(func.count()).select_from(model)).scalar_one()
                for name, model in (("documents", Document), ("analysed", DocumentAnalysis),
                                    ("entity links", DocumentEntity), ("observations", Observation),
                                    ("raw items", RawItem))}


def run_daily(daily: Any, stages: list[Stage], sampler: RssSampler) -> tuple[float, float, int, Any]:
    del stages[:]
    sampler.reset()
    sampler.samples.clear()
    wall, cpu = time.perf_counter(), time.process_time()
    state = daily(day=DAY, return_state=True)
    # each stage resets the sampler: the run's peak is the highest of theirs and of what followed
    peak = max([sampler.peak] + [s.peak_rss for s in stages])
    return time.perf_counter() - wall, time.process_time() - cpu, peak, state


# ----------------------------------------------------------------------------------------

def max_parallel_channels() -> int:
    from mi.flows.gather import MAX_PARALLEL_CHANNELS

    return MAX_PARALLEL_CHANNELS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--prefect-database-url", default=None,
                        help="a PostgreSQL server for the temporary Prefect API's own database (a fresh database "
                             "is created there and dropped at the end); default: Prefect's SQLite file")
    parser.add_argument("--seed", type=int, default=4754)
    parser.add_argument("--runs", type=int, default=3, choices=(1, 2, 3),
                        help="1: cold only; 2: and again with nothing new; 3: and again with 10 %% new")
    args = parser.parse_args()
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    # Prefect's own state (the temporary API's database) in a folder of this run, not ~/.prefect;
    # a loaded machine needs longer than the default to start the temporary API.
    os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="mi-bank-day-prefect-"))
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "300")
    drop_prefect_database = None
    if args.prefect_database_url:
        # Prefect's SQLite database answers two writes at once with "database is locked", its
        # API with a 503, and its client waits 2 s before asking again: with PostgreSQL (what
        # Prefect advises for a server in production) the orchestration is measured without it.
        prefect_url, drop_prefect_database = _fresh_postgres(args.prefect_database_url, "mi_bank_day_prefect")
        os.environ["PREFECT_SERVER_DATABASE_CONNECTION_URL"] = str(
            make_url(prefect_url).set(drivername="postgresql+asyncpg").render_as_string(hide_password=False))

    workdir = Path(tempfile.mkdtemp(prefix="mi-bank-day-"))
    started = time.perf_counter()
    # The day is built and served by a process of its own, so that this process's memory is
    # the pipeline's (see bench/day_site.py).
    site = DaySite.start(workdir, args.scale, args.seed, with_new=args.runs >= 3)
    drop_database = None
    if args.database_url and args.database_url.startswith("postgresql"):
        database_url, drop_database = _fresh_postgres(args.database_url)
    else:
        database_url = args.database_url or f"sqlite:///{workdir / 'warehouse.sqlite'}"
    os.environ.update({
        "MI_CHANNELS": str(workdir / "channels.yaml"), "MI_DATABASE_URL": database_url, "MI_DATA_DIR": str(workdir),
        "MI_HTTP_MIN_INTERVAL": "0", "MI_HTTP_PRIVATE_HOSTS": "127.0.0.1", "MI_DELIVERY_CHANNELS": "eml",
        "MI_OUTBOX_DIR": str(workdir / "outbox"),
        # The synthetic day's 200 channels share one loopback host; a real day's are spread
        # over many sites. Two fetches at once per host (the default, politeness towards a
        # real site) would serialise the whole day here: the host limit is the thread pool's.
        "MI_CONCURRENCY_PER_HOST": os.environ.get("MI_CONCURRENCY_PER_HOST", str(max_parallel_channels())),
    })
    print(f"bank day at scale {args.scale:g}: generated in {time.perf_counter() - started:.1f} s, served on "
          f"{site.base_url} by process {site.process.pid}")
    for key, value in site.counts.items():
        print(f"  {key}: {value}")
    print(f"  warehouse: {database_url.split('@')[-1]}")
    print(f"  Prefect API: {os.environ.get('PREFECT_API_URL') or 'temporary'}, its database: "
          f"{os.environ.get('PREFECT_SERVER_DATABASE_CONNECTION_URL', 'SQLite').split('@')[-1]}")

    from sqlalchemy import create_engine

    from prefect import flow

    @flow(name="bench-warm-up")
    def warm_up() -> int:
        return 1

    warm = time.perf_counter()
    warm_up()
    print(f"Prefect API start-up (warm-up flow, not counted below): {time.perf_counter() - warm:.1f} s")

    sampler = RssSampler()
    stages: list[Stage] = []
    daily = instrument_daily(stages, sampler)
    engine = create_engine(database_url)
    results = []
    before: dict[str, int] | None = None  # an empty warehouse
    for label in ("cold", "nothing new", "10 % new")[:args.runs]:
        if label == "10 % new":
            site.switch("new")
            print(f"\n(added {site.added} new documents to the feeds)")
        wall, cpu, peak, state = run_daily(daily, stages, sampler)
        prefect_figures(stages, sampler)
        counts = warehouse_counts(engine)
        delta = {key: value - (before or {}).get(key, 0) for key, value in counts.items()}
        before = counts
        results.append((label, wall, cpu, peak, list(stages), counts, state))
        _print_run(label, wall, cpu, peak, stages, counts, delta, state, site.counts)
        if label == "cold":
            limits = _limits(site, database_url, engine)
            _print_limits(stages, limits, counts, wall)
    site.close()
    sampler.stop()
    engine.dispose()
    if drop_database:
        drop_database()
    cold = results[0]
    _stop_prefect_api(drop_prefect_database)
    print("\nsummary")
    print(f"  cold day {cold[1]:.1f} s wall, {cold[2]:.1f} s CPU")
    for label, wall, cpu, *_ in results[1:]:
        print(f"  {label}: {wall:.1f} s wall ({wall / cold[1]:.0%} of cold), {cpu:.1f} s CPU ({cpu / cold[2]:.0%} of cold)")
    brief = next((s for s in cold[4] if s.name == "brief"), None)
    if brief:
        print(f"  brief stage share of the cold daily run at scale {args.scale:g} ({site.counts['rms']} RMs): "
              f"{brief.wall / cold[1]:.1%} of wall, {brief.cpu / cold[2]:.1%} of CPU (target < 10 %)")
    orchestration = sum(s.wall - s.busy for s in cold[4]) + daily_own_time(cold[4], cold[1])
    print(f"  orchestration share of the cold run: {orchestration / cold[1]:.1%} (target <= 5 %" + (
        "; brief and signal run side by side: their idle time is summed, an upper bound)" if parallel_stages()
        else "; brief and signal one after the other)"))
    print(f"  peak RSS of the daily runs: {max(r[3] for r in results) / 2**20:.0f} MB (the day is served by "
          f"another process); of this process, the limits' plain calls included: "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def _stop_prefect_api(drop_database: Any) -> None:
    """Drop the temporary Prefect API's PostgreSQL database, if it had one (the API is stopped
    first: it holds connections to it)."""
    if drop_database is None:
        return
    from prefect.server.api.server import SubprocessASGIServer

    SubprocessASGIServer().stop()
    drop_database()


def _fresh_postgres(url: str, prefix: str = "mi_bank_day") -> tuple[str, Any]:
    """A new, empty database on the server ``url`` names (never touching that database's
    own tables, which tests may be using), and a function that drops it afterwards."""
    import psycopg

    given = make_url(url)
    name = f"{prefix}_{os.getpid()}"
    plain = given.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        from sqlalchemy import create_engine

        create_engine(given.set(database=name)).dispose()
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return given.set(database=name).render_as_string(hide_password=False), drop


def _print_run(label: str, wall: float, cpu: float, peak: int, stages: list[Stage], counts: dict[str, int],
               delta: dict[str, int], state: Any, day_counts: dict[str, Any]) -> None:
    print(f"\n== daily, {label}: {wall:.1f} s wall, {cpu:.1f} s CPU, peak RSS {peak / 2**20:.0f} MB, "
          f"state {state.type.value}; warehouse {counts}")
    print(f"{'stage':10} {'wall s':>8} {'CPU s':>8} {'items/s':>9} {'peak MB':>8} {'tasks':>6} {'orchestr.':>9} {'share':>6}")
    items = {"gather": delta["documents"] + delta["observations"], "refine": delta["analysed"],
             "brief": day_counts["rms"], "signal": day_counts["notes"], "follow_up": day_counts["products"]}
    for s in stages:
        n = items.get(s.name, 0)
        orchestration = max(0.0, s.wall - s.busy) / s.wall if s.wall else 0.0
        print(f"{s.name:10} {s.wall:8.2f} {s.cpu:8.2f} {n / s.wall if s.wall else 0:9.0f} {s.peak_rss / 2**20:8.0f} "
              f"{s.task_runs:6d} {orchestration:9.1%} {s.wall / wall:6.1%}")
    print("  idle s (no task run running) before its first task run / between / after its last: " + "; ".join(
        f"{s.name} {s.idle[0]:.2f}/{s.idle[1]:.2f}/{s.idle[2]:.2f}" for s in stages))
    glue = daily_own_time(stages, wall)
    print(f"{'(daily)':10} {glue:8.2f} {'':8} {'':9} {'':8} {'':6} {'100.0%':>9} {glue / wall:6.1%}")
    print(f"{'total':10} {wall:8.2f} {cpu:8.2f} {delta['documents'] / wall:9.0f} {peak / 2**20:8.0f} "
          f"{sum(s.task_runs for s in stages):6d}")
    print("  peak RSS while each task ran (MB): " + "; ".join(
        f"{s.name}: " + ", ".join(f"{task} {peak / 2**20:.0f}" for task, peak in
                                  sorted(s.task_peaks.items(), key=lambda item: -item[1])[:4])
        for s in stages if s.task_peaks))
    print(f"  new this run: {delta}")
    print("  items/s: gather = new documents + observations, refine = documents analysed, brief = RMs, "
          "signal = field notes, follow_up = products, total = new documents; orchestr. = share of the stage's "
          "wall time with none of its task runs running")


def _limits(site: DaySite, database_url: str, engine: Any) -> dict[str, Any]:
    payloads = list(site.payloads("cold"))  # the cold day's bytes, read back from the site's files
    gather = gather_limit(payloads, database_url)
    feeds = feed_parse_figures(payloads)
    del payloads
    print("\nfeed parsing, the same bytes (items/s):")
    for label, (seconds, items) in feeds.items():
        print(f"  {label:32} {items / seconds:9.0f} ({items} items in {seconds:.2f} s)")
    return {"gather": gather, "refine": refine_limit(engine), "brief": brief_limit(engine, DAY),
            "signal": signal_limit(engine, DAY), "follow_up": follow_up_limit(engine, DAY)}


def _print_limits(stages: list[Stage], limits: dict[str, Any], counts: dict[str, int], wall: float) -> None:
    by_name = {s.name: s for s in stages}
    gather, refine_s, (brief_s, briefs) = limits["gather"], limits["refine"], limits["brief"]
    (signal_s, notes), (follow_s, products) = limits["signal"], limits["follow_up"]
    print("\nlimits (cold run, same bytes and rows, plain calls, one thread):")
    rows = [
        ("gather", gather["parse"] + gather["load"],
         f"lxml/lxml.html/csv parse {gather['parse']:.2f} s + raw load of {gather['rows']} rows {gather['load']:.2f} s"),
        ("refine", refine_s, f"tagging {counts['documents']} documents (industries, themes, sentiment) as plain calls"),
        ("brief", brief_s, f"composing and rendering {briefs} briefs as plain calls (no Prefect, outbox, delivery)"),
        ("signal", signal_s, f"reading {notes} notes' needs and grouping the window's as plain calls (nothing written)"),
        ("follow_up", follow_s, f"following up {products} products as plain calls (no alerts, report files)"),
    ]
    print(f"{'stage':10} {'ours s':>8} {'ours CPU':>8} {'limit s':>8} {'ours/limit':>10} {'CPU/limit':>9}  limit")
    for name, limit, what in rows:
        stage = by_name.get(name)
        ours, ours_cpu = (stage.wall, stage.cpu) if stage else (float("nan"), float("nan"))
        ratio, cpu_ratio = (ours / limit, ours_cpu / limit) if limit > 0 else (float("nan"), float("nan"))
        print(f"{name:10} {ours:8.2f} {ours_cpu:8.2f} {limit:8.2f} {ratio:10.1f} {cpu_ratio:9.1f}  {what}")

if __name__ == "__main__":
    main()
