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


def test_the_day_is_served_by_its_own_process_with_etags_and_switches_to_the_next_day(tmp_path: Path) -> None:
    import requests
    import yaml

    _bench()  # puts bench/ on the path for day_site
    from day_site import DaySite

    site = DaySite.start(tmp_path, 0.02, 4754, with_new=True)
    try:
        channels = yaml.safe_load((tmp_path / "channels.yaml").read_text())["channels"]
        feed = next(c["url"] for c in channels if c["kind"] == "feed")
        assert feed.startswith(site.base_url) and site.process.pid and site.added >= 1
        notes = next(c for c in channels if c["kind"] == "field_notes")
        assert Path(notes["url"], "field-notes.csv").read_bytes().startswith(b"date,rm_ref")
        first = requests.get(feed, timeout=10)
        assert first.status_code == 200 and first.headers["Content-Type"] == "application/xml"
        again = requests.get(feed, headers={"If-None-Match": first.headers["ETag"]}, timeout=10)
        assert again.status_code == 304 and again.content == b""
        path = feed[len(site.base_url):]
        assert dict(site.payloads("cold", "/feeds/"))[path] == first.content
        site.switch("new")
        after = requests.get(feed, headers={"If-None-Match": first.headers["ETag"]}, timeout=10)
        assert after.status_code == 200 and after.content != first.content
        before_ids = [item.external_id for item in parse_feed(first.content).items]
        after_ids = [item.external_id for item in parse_feed(after.content).items]
        assert after_ids[-len(before_ids):] == before_ids and len(after_ids) > len(before_ids)  # new stories on top
        assert requests.get(site.base_url + "/nothing-here", timeout=10).status_code == 404
    finally:
        site.close()
    assert site.process.returncode is not None
