"""Benchmark: RM briefs per second over a synthetic bank day, and where the time goes.

A real SQLite warehouse is filled with a deterministic day (bench/brief_day.py: by default
1,000 RMs with 5,000 customers and 10,000 documents); then every RM's brief is composed
(one batch: the day's material is read once), rendered (HTML, text, card) and delivered
to .eml files through the outbox. Prints briefs/s and each stage's share of the time.

    .venv/bin/python bench/brief.py [--rms 1000] [--documents 10000]
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from brief_day import build_day  # noqa: E402

from mi.briefing import render  # noqa: E402
from mi.briefs.compose import compose_briefs  # noqa: E402
from mi.delivery import EmlChannel, deliver  # noqa: E402
from mi.settings import Settings  # noqa: E402
from mi.warehouse.engine import create_warehouse_engine, migrate  # noqa: E402

DAY = dt.date(2026, 11, 27)
SETTINGS = Settings.from_env({})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rms", type=int, default=1000)
    parser.add_argument("--documents", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = create_warehouse_engine(f"sqlite:///{folder}/warehouse.sqlite")
        migrate(engine)
        started = time.perf_counter()
        build_day(engine, rms=args.rms, documents=args.documents, day=DAY)
        print(f"day: {args.rms} RMs, {args.rms * 5} customers, {args.documents} documents "
              f"(built in {time.perf_counter() - started:.1f} s)")
        until = dt.datetime.combine(DAY, dt.time(6, 0), dt.timezone.utc)
        started, cpu = time.perf_counter(), time.process_time()
        briefs = compose_briefs(engine, period=DAY, until=until)
        compose = time.perf_counter() - started
        items = sum(len(b.items) for b in briefs)
        print(f"compose: {len(briefs)} briefs, {items} items in {compose:.2f} s "
              f"(CPU {time.process_time() - cpu:.2f} s): {len(briefs) / compose:.0f} briefs/s")
        started = time.perf_counter()
        rendered = [render(SETTINGS, brief) for brief in briefs]
        rendering = time.perf_counter() - started
        print(f"render:  {len(rendered)} briefs in {rendering:.2f} s: {len(rendered) / rendering:.0f} briefs/s")
        started = time.perf_counter()
        results = deliver(engine, rendered, briefs, [EmlChannel(Path(folder) / "outbox", sender="b@bank.example")],
                          run_id="bench")
        delivery = time.perf_counter() - started
        sent = sum(1 for r in results if str(r.outcome) == "sent")
        print(f"deliver: {sent} .eml files through the outbox in {delivery:.2f} s: {sent / delivery:.0f} briefs/s")
        total = compose + rendering + delivery
        print(f"total:   {len(briefs) / total:.0f} briefs/s; share compose {compose / total:.0%}, render "
              f"{rendering / total:.0%}, deliver {delivery / total:.0%}; a 500-RM bank: "
              f"{total * 500 / len(briefs):.1f} s")
        engine.dispose()


if __name__ == "__main__":
    main()
