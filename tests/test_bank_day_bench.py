"""The bank-day benchmark's synthetic day (bench/bank_day.py) stays deterministic and readable.

No timing here (figures are the benchmark's to print): only that the same seed gives the
same bytes, that the volumes follow the scale, and that every payload reads as the kind
its channel declares, so the benchmark measures work rather than quarantine.
"""
from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path

from mi.sources.feeds.feed import parse_feed

BENCH = Path(__file__).resolve().parents[1] / "bench" / "bank_day.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bank_day_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _digest(day) -> str:
    return hashlib.sha256(b"".join(path.encode() + body for path, (body, _) in sorted(day.payloads.items()))).hexdigest()


def test_the_day_is_deterministic_and_scales() -> None:
    bench = _bench()
    small, again = bench.build_day(0.02), bench.build_day(0.02)
    assert _digest(small) == _digest(again)
    assert _digest(bench.build_day(0.02, seed=1)) != _digest(small)
    larger = bench.build_day(0.05)
    assert larger.counts["customers"] == 250 and larger.counts["rms"] == 25 and larger.counts["notes"] == 100
    assert larger.documents == 500 and larger.counts["series"] == 15 * larger.counts["channels: series_csv"]


def test_every_feed_of_the_day_is_read_by_the_fast_path_with_its_stories() -> None:
    bench = _bench()
    day = bench.build_day(0.05)
    titles = []
    for path, items in day.feeds.items():
        body, _ = day.payloads[path]
        result = parse_feed(body, url="https://outlet.example/feed")
        assert result.reader == "lxml" and result.error is None, path
        assert [item.external_id for item in result.items] == [doc.guid for doc in items]
        titles += [item.title for item in result.items]
    pages = sum(len(channel["urls"]) for channel in day.channels if channel["kind"] == "page")
    assert len(titles) + pages == day.documents
    # syndicated and re-published stories: realistic duplication, not a day of unique items
    repeated = len(titles) - len(set(titles))
    assert 0.15 < repeated / len(titles) < 0.40
    added = bench.add_new_documents(day, 0.10)
    assert added == day.documents // 10
    assert sum(len(items) for items in day.feeds.values()) == len(titles) + added
