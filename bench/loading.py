"""Benchmark: the warehouse's bulk writes beside the plainest fast means on the same rows.

Issue 15 asks for COPY or multi-row inserts where they beat executemany. This loads a day's
worth of documents and observations (scale 1 of ``bench/bank_day.py``: 10,010 documents,
300 series of 273 business days) through the project's own loaders (``mi.warehouse.loading``:
idempotent inserts, ON CONFLICT, the new rows' ids returned) into a fresh warehouse, then the
same rows three plainer ways into a bare table with the same unique key:

- ``executemany``: one INSERT per row, handed to the driver at once (sqlite3; psycopg 3
  pipelines them);
- multi-row ``INSERT ... VALUES (...), (...)``, 1,000 rows a statement, ON CONFLICT DO NOTHING;
- ``COPY`` (PostgreSQL only), which cannot skip rows already there: an idempotent load would
  COPY into a temporary table and INSERT ... SELECT ... ON CONFLICT from it, also timed.

    .venv/bin/python bench/loading.py                                  # SQLite
    .venv/bin/python bench/loading.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test

For PostgreSQL a database ``mi_loading_<pid>`` is created on that server and dropped at the
end. Figures are throughput on this machine; nothing is tuned on them.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DAY = dt.date(2026, 11, 27)
FETCHED = dt.datetime(2026, 11, 27, 6, tzinfo=dt.timezone.utc)
CHUNK = 1_000


def documents(n: int) -> list[Any]:
    from mi.records.documents import DocumentRecord

    return [DocumentRecord(external_id=f"https://news.example/{i}", url=f"https://news.example/{i}",
                           title=f"Company {i % 997} reports quarter {i % 4 + 1} results, shares move {i % 13} %",
                           text=("Revenue rose on demand for its products; the board kept the dividend. " * 6)
                           + str(i), summary="Results.", language="en",
                           published_at=FETCHED - dt.timedelta(minutes=i))
            for i in range(n)]


def observations(series: int, days: int) -> tuple[list[Any], list[Any]]:
    from mi.records.series import ObservationRecord, SeriesRecord

    keys = [SeriesRecord(key=f"bench.series.{s}", name=f"Series {s}", unit="index", frequency="B",
                         source="bench") for s in range(series)]
    dates, day = [], DAY
    while len(dates) < days:
        if day.weekday() < 5:
            dates.append(day)
        day -= dt.timedelta(days=1)
    obs = [ObservationRecord(k.key, d, 100.0 + s * 0.5 + i * 0.01)
           for s, k in enumerate(keys) for i, d in enumerate(dates)]
    return keys, obs


def ours(url: str, docs: list[Any], keys: list[Any], obs: list[Any]) -> dict[str, float]:
    """The project's loaders, in one transaction each, into a migrated warehouse."""
    from mi.records.channels import ChannelConfig
    from mi.warehouse.engine import create_warehouse_engine, migrate
    from mi.warehouse.loading import load_documents, load_observations, load_series, sync_channels

    engine = create_warehouse_engine(url)
    migrate(engine)
    times: dict[str, float] = {}
    try:
        with engine.begin() as conn:
            wire = ChannelConfig(name="bench-wire", kind="rss", urls=("https://news.example/rss",))
            channel = sync_channels(conn, [wire])
        started = time.perf_counter()
        with engine.begin() as conn:
            new = load_documents(conn, channel_id=channel["bench-wire"], raw_item_id=None, documents=docs,
                                 fetched_at=FETCHED)
        times["documents"] = time.perf_counter() - started
        assert new == len(docs), new
        started = time.perf_counter()
        with engine.begin() as conn:
            ids = load_series(conn, channel_id=channel["bench-wire"], series=keys)
            added = load_observations(conn, series_ids=ids, observations=obs, vintage=DAY, raw_item_id=None)
        times["observations"] = time.perf_counter() - started
        assert added == len(obs), added
        started = time.perf_counter()
        with engine.begin() as conn:  # the same rows again: nothing new, nothing written
            again = load_documents(conn, channel_id=channel["bench-wire"], raw_item_id=None, documents=docs,
                                   fetched_at=FETCHED)
        times["documents again"] = time.perf_counter() - started
        assert again == 0, again
    finally:
        engine.dispose()
    return times


DOC_DDL = ("CREATE TABLE plain_documents (channel_id integer, external_id text, url text, title text, text text, "
           "summary text, published_at text, language text, content_hash text, fetched_at text, "
           "UNIQUE (channel_id, external_id))")
OBS_DDL = "CREATE TABLE plain_observations (series_id integer, date text, vintage text, value real, " \
          "UNIQUE (series_id, date, vintage))"


def plain_rows(docs: list[Any], obs: list[Any]) -> tuple[list[tuple], list[tuple]]:
    doc_rows = [(1, d.external_id, d.url, d.title, d.text, d.summary, d.published_at.isoformat(), d.language,
                 hashlib.sha256(f"{d.title}\n{d.text}".encode()).hexdigest(), FETCHED.isoformat()) for d in docs]
    index = {}
    obs_rows = [(index.setdefault(o.series_key, len(index) + 1), o.date.isoformat(), DAY.isoformat(), o.value)
                for o in obs]
    return doc_rows, obs_rows


def _values(width: int, rows: int, mark: str) -> str:
    row = "(" + ", ".join([mark] * width) + ")"
    return ", ".join([row] * rows)


def plain_sqlite(doc_rows: list[tuple], obs_rows: list[tuple]) -> dict[str, float]:
    times: dict[str, float] = {}
    for name, ddl, table, rows in (("documents", DOC_DDL, "plain_documents", doc_rows),
                                   ("observations", OBS_DDL, "plain_observations", obs_rows)):
        width = len(rows[0])
        for way in ("executemany", "multi-row"):
            path = Path(tempfile.mkdtemp(prefix="mi-loading-")) / "plain.sqlite"
            conn = sqlite3.connect(path)
            conn.execute(ddl)
            started = time.perf_counter()
            with conn:
                if way == "executemany":
                    conn.executemany(f"INSERT OR IGNORE INTO {table} VALUES ({', '.join('?' * width)})", rows)
                else:
                    step = min(CHUNK, 32_766 // width)  # SQLite's bound-parameter limit
                    for start in range(0, len(rows), step):
                        chunk = rows[start:start + step]
                        conn.execute(f"INSERT OR IGNORE INTO {table} VALUES {_values(width, len(chunk), '?')}",
                                     [value for row in chunk for value in row])
            times[f"{name}, {way}"] = time.perf_counter() - started
            conn.close()
    return times


def plain_postgres(url: str, doc_rows: list[tuple], obs_rows: list[tuple]) -> dict[str, float]:
    import psycopg

    times: dict[str, float] = {}
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        for name, ddl, table, rows in (("documents", DOC_DDL, "plain_documents", doc_rows),
                                       ("observations", OBS_DDL, "plain_observations", obs_rows)):
            width = len(rows[0])
            for way in ("executemany", "multi-row", "COPY", "COPY + INSERT ON CONFLICT"):
                conn.execute(f"DROP TABLE IF EXISTS {table}")
                conn.execute(ddl)
                conn.commit()
                started = time.perf_counter()
                with conn.cursor() as cur:
                    if way == "executemany":
                        cur.executemany(f"INSERT INTO {table} VALUES ({', '.join(['%s'] * width)}) "
                                        "ON CONFLICT DO NOTHING", rows)
                    elif way == "multi-row":
                        for start in range(0, len(rows), CHUNK):
                            chunk = rows[start:start + CHUNK]
                            cur.execute(f"INSERT INTO {table} VALUES {_values(width, len(chunk), '%s')} "
                                        "ON CONFLICT DO NOTHING", [value for row in chunk for value in row])
                    elif way == "COPY":
                        with cur.copy(f"COPY {table} FROM STDIN") as copy:
                            for row in rows:
                                copy.write_row(row)
                    else:
                        cur.execute(f"CREATE TEMPORARY TABLE incoming (LIKE {table}) ON COMMIT DROP")
                        with cur.copy("COPY incoming FROM STDIN") as copy:
                            for row in rows:
                                copy.write_row(row)
                        cur.execute(f"INSERT INTO {table} SELECT * FROM incoming ON CONFLICT DO NOTHING")
                conn.commit()
                times[f"{name}, {way}"] = time.perf_counter() - started
            conn.execute(f"DROP TABLE {table}")
            conn.commit()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="a PostgreSQL URL (a database is created on that server); "
                                               "default a SQLite file")
    parser.add_argument("--documents", type=int, default=10_010)
    parser.add_argument("--series", type=int, default=300)
    parser.add_argument("--days", type=int, default=273)
    args = parser.parse_args()
    docs = documents(args.documents)
    keys, obs = observations(args.series, args.days)
    drop = None
    if args.database_url:
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        given = make_url(args.database_url)
        name = f"mi_loading_{os.getpid()}"
        admin = create_engine(given, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = given.set(database=name).render_as_string(hide_password=False)

        def drop() -> None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    else:
        url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='mi-loading-')) / 'warehouse.sqlite'}"
    try:
        mine = ours(url, docs, keys, obs)
        doc_rows, obs_rows = plain_rows(docs, obs)
        plain = plain_postgres(url, doc_rows, obs_rows) if args.database_url else plain_sqlite(doc_rows, obs_rows)
    finally:
        if drop:
            drop()
    print(f"warehouse: {url.split('@')[-1]}; {len(docs)} documents, {len(obs)} observations "
          f"({args.series} series x {args.days} days)")
    print(f"{'load':48} {'s':>7} {'rows/s':>9}  ours / this")
    for what, rows in (("documents", len(docs)), ("observations", len(obs))):
        print(f"{'ours: ' + what:48} {mine[what]:7.3f} {rows / mine[what]:9.0f}")
        for key, seconds in plain.items():
            if key.startswith(what):
                print(f"{'  ' + key:48} {seconds:7.3f} {rows / seconds:9.0f}  {mine[what] / seconds:5.1f}")
    print(f"{'ours: documents again (nothing new)':48} {mine['documents again']:7.3f}")


if __name__ == "__main__":
    main()
