"""Benchmark: items/s through fetch → land → parse → load, with and without Prefect.

A few hundred recorded real feeds and article pages (the project's own fixtures and
snapshot, each served at many URLs with its item ids made unique) are served on loopback.
The same corpus then goes through:

  A. the `gather` flow (Prefect, ThreadPoolTaskRunner, SQLite warehouse), cold and warm;
  B. the same gathering functions called directly (no Prefect, same fetch/land/load),
     one channel after another (B) and on the flow's thread count (B');
  C. parsing alone (no Prefect, no HTTP, no database).

Prints items/s for each, the ratios, and Prefect's share of wall time (A_warm - B) / A_warm.
Run: .venv/bin/python bench/gather.py [--feeds 300] [--pages 60] [--channels 12]
(set PREFECT_API_URL to a running `prefect server` to measure without the temporary API)
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

import yaml  # noqa: E402

from tests.loopback import RecordedSite  # noqa: E402

FEED_FILES = sorted((ROOT / "snapshot" / "feeds").glob("*.rss")) + sorted((ROOT / "snapshot" / "feeds").glob("*.atom"))
PAGE_FILES = sorted((ROOT / "snapshot" / "pages").glob("*.html")) + sorted((ROOT / "tests" / "fixtures" / "pages").glob("*.html"))
_ID_TAGS = re.compile(rb"(<(?:guid|id|link)[^>]*>)([^<]+)(</(?:guid|id|link)>)")
_CDATA_ID_TAGS = re.compile(rb"(<(?:guid|id|link)[^>]*><!\[CDATA\[)([^\]]+)(\]\]>)")
_LINK_HREF = re.compile(rb'(<link[^>]*href=")([^"]+)(")')


def unique_copy(body: bytes, copy: int) -> bytes:
    """The same feed with every item id and link made unique to this copy."""
    suffix = f"#copy{copy}".encode()
    body = _ID_TAGS.sub(lambda m: m.group(1) + m.group(2).strip() + suffix + m.group(3), body)
    body = _CDATA_ID_TAGS.sub(lambda m: m.group(1) + m.group(2).strip() + suffix + m.group(3), body)
    return _LINK_HREF.sub(lambda m: m.group(1) + m.group(2) + suffix + m.group(3), body)


def build_corpus(site: RecordedSite, feeds: int, pages: int, channels: int) -> list[dict]:
    feed_urls = []
    for i in range(feeds):
        source = FEED_FILES[i % len(FEED_FILES)]
        feed_urls.append(site.serve(f"/feeds/{i}{source.suffix}", unique_copy(source.read_bytes(), i),
                                    "application/xml"))
    page_urls = []
    for i in range(pages):
        source = PAGE_FILES[i % len(PAGE_FILES)]
        page_urls.append(site.serve(f"/pages/{i}/{source.name}", source.read_bytes(), "text/html; charset=utf-8"))
    config = []
    feed_channels = max(1, channels - max(1, channels // 4))
    for c in range(feed_channels):
        config.append({"name": f"feeds-{c}", "kind": "feed", "urls": feed_urls[c::feed_channels]})
    page_channels = channels - feed_channels
    for c in range(page_channels):
        config.append({"name": f"pages-{c}", "kind": "page", "urls": page_urls[c::page_channels]})
    return [c for c in config if c["urls"]]


def count_items(database_url: str) -> int:
    from sqlalchemy import create_engine, func, select

    from mi.warehouse.models import Document

    engine = create_engine(database_url)
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Document)).scalar_one()


def use_fresh_database(workdir: Path, label: str) -> str:
    url = f"sqlite:///{workdir / (label + '.sqlite')}"
    os.environ["MI_DATABASE_URL"] = url
    return url


def run_flow(workdir: Path, label: str) -> tuple[float, int]:
    from mi.flows.gather import gather

    url = use_fresh_database(workdir, label)
    started = time.perf_counter()
    results = gather()
    elapsed = time.perf_counter() - started
    failed = [r.channel for r in results if r.error]
    if failed:
        raise SystemExit(f"benchmark corpus failed on {failed}")
    return elapsed, count_items(url)


def run_plain(workdir: Path, label: str) -> tuple[float, int]:
    from mi.gathering import gather_channel
    from mi.runtime import current_runtime
    from mi.warehouse.loading import sync_channels

    url = use_fresh_database(workdir, label)
    runtime = current_runtime()
    started = time.perf_counter()
    with runtime.engine.begin() as conn:
        sync_channels(conn, runtime.channels)
    for config in runtime.channels:
        gather_channel(runtime.engine, config, runtime.transport)
    return time.perf_counter() - started, count_items(url)


def run_plain_threads(workdir: Path, label: str) -> tuple[float, int]:
    """B with the flow's own parallelism (same thread count), to tell Prefect's cost apart
    from what running channels side by side costs on two cores (GIL, SQLite write locks)."""
    from concurrent.futures import ThreadPoolExecutor

    from mi.flows.gather import MAX_PARALLEL_CHANNELS
    from mi.gathering import gather_channel
    from mi.runtime import current_runtime
    from mi.warehouse.loading import sync_channels

    url = use_fresh_database(workdir, label)
    runtime = current_runtime()
    started = time.perf_counter()
    with runtime.engine.begin() as conn:
        sync_channels(conn, runtime.channels)
    with ThreadPoolExecutor(MAX_PARALLEL_CHANNELS) as pool:
        list(pool.map(lambda c: gather_channel(runtime.engine, c, runtime.transport), runtime.channels))
    return time.perf_counter() - started, count_items(url)


def run_parse_only(site: RecordedSite) -> tuple[float, int]:
    from mi.runtime import current_runtime
    from mi.sources.registry import source_for

    runtime = current_runtime()
    bodies = []
    for config in runtime.channels:
        source = source_for(config)
        for url in config.urls:
            path = url.removeprefix(site.base_url)
            bodies.append((source, site.routes[path][0].body, url))
    started = time.perf_counter()
    items = sum(source.parse(body, url=url, content_type=None).record_count for source, body, url in bodies)
    return time.perf_counter() - started, items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--feeds", type=int, default=300)
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--channels", type=int, default=12)
    args = parser.parse_args()

    site = RecordedSite()
    workdir = Path(tempfile.mkdtemp(prefix="mi-bench-"))
    channels = build_corpus(site, args.feeds, args.pages, args.channels)
    (workdir / "channels.yaml").write_text(yaml.safe_dump({"channels": channels}))
    os.environ["MI_CHANNELS"] = str(workdir / "channels.yaml")
    os.environ["MI_HTTP_MIN_INTERVAL"] = "0"  # one loopback host; the per-host limit would dominate
    os.environ["MI_HTTP_PRIVATE_HOSTS"] = "127.0.0.1"  # the transport refuses loopback hosts otherwise
    payloads = sum(len(c["urls"]) for c in channels)
    print(f"corpus: {args.feeds} feeds + {args.pages} pages in {len(channels)} channels, served on {site.base_url}")

    parse_s, parse_items = run_parse_only(site)
    plain_s, plain_items = run_plain(workdir, "plain")
    threads_s, threads_items = run_plain_threads(workdir, "plain-threads")
    cold_s, cold_items = run_flow(workdir, "flow-cold")
    warm_s, warm_items = run_flow(workdir, "flow-warm")
    site.close()

    rows = [
        ("C. parse only (no Prefect, no HTTP, no DB)", parse_s, parse_items),
        ("B. fetch+land+parse+load, no Prefect", plain_s, plain_items),
        ("B'. the same, channels on the flow's thread count", threads_s, threads_items),
        ("A. gather flow, first run in process (starts Prefect's API)", cold_s, cold_items),
        ("A. gather flow, warm", warm_s, warm_items),
    ]
    print(f"\n{'path':62} {'seconds':>8} {'items':>7} {'items/s':>9}")
    for label, seconds, items in rows:
        print(f"{label:62} {seconds:8.2f} {items:7d} {items / seconds:9.0f}")
    print(f"\npayloads per run: {payloads}")
    print(f"B / C (fetch + land + load cost over parsing alone): {plain_s / parse_s:.2f}x")
    print(f"A warm / B (Prefect orchestration over plain calls):  {warm_s / plain_s:.2f}x")
    print(f"Prefect's share of warm flow wall time: {(warm_s - plain_s) / warm_s:.1%}")
    print(f"  of which running channels on threads costs (B' - B) / A warm: {(threads_s - plain_s) / warm_s:.1%}")
    print(f"  and Prefect itself (A warm - B') / A warm: {(warm_s - threads_s) / warm_s:.1%}")
    print(f"Prefect's share of the first flow run in a process:  {(cold_s - plain_s) / cold_s:.1%}")


if __name__ == "__main__":
    main()
