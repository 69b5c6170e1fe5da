"""The limits beside ``bench/bank_day.py``'s stages: the same work done by the plainest fast
means, on the same bytes and rows, as plain calls in one thread.

- gather: feeds parsed by lxml, pages by lxml.html, CSV by ``csv``, and the documents loaded
  with raw ``sqlite3.executemany`` (PostgreSQL: psycopg ``COPY``);
- refine: industry, theme and sentiment tagging of every stored document;
- brief: composing and rendering every RM's brief (no Prefect, outbox or delivery);
- signal: reading every field note's need and grouping the window's notes (no Prefect, no
  signals written, no report or messages);
- follow_up: following up every product (its months, uptake and trend; no alerts, report
  files or Prefect).
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import tempfile
import time
from pathlib import Path
from typing import Any


def gather_limit(payloads: list[tuple[str, bytes]], database_url: str) -> dict[str, float]:
    """lxml / lxml.html / csv over the same bytes, and the documents loaded raw."""
    import lxml.html

    parse_started = time.perf_counter()
    rows = []
    for path, body in payloads:
        if path.startswith("/feeds/"):
            rows.extend(_plain_feed_rows(body))
        elif path.startswith(("/pages/", "/competitors/")):
            tree = lxml.html.fromstring(body)
            rows.append((path, path, tree.findtext(".//title"), tree.text_content(), None))
        else:
            list(csv.reader(io.StringIO(body.decode("utf-8"))))
    parse = time.perf_counter() - parse_started
    load = _raw_load(rows, database_url)
    return {"parse": parse, "load": load, "rows": len(rows)}


def _plain_feed_rows(body: bytes) -> list[tuple]:
    """One feed's items as (id, link, title, summary, published), read by lxml and nothing else."""
    from lxml import etree

    rows = []
    for item in etree.fromstring(body).iter("item", "{http://www.w3.org/2005/Atom}entry"):
        fields = {_local(child.tag): (child.text or child.get("href") or "") for child in item}
        rows.append((fields.get("guid") or fields.get("id"), fields.get("link"), fields.get("title"),
                     fields.get("description") or fields.get("summary"),
                     fields.get("pubDate") or fields.get("updated")))
    return rows


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _raw_load(rows: list[tuple], database_url: str) -> float:
    """The documents as rows, inserted with sqlite3.executemany or psycopg COPY."""
    fetched = dt.datetime.now(dt.timezone.utc).isoformat()
    data = [(1, r[0] or str(i), r[1], r[2], r[3] or "", r[4], hashlib.sha256((r[2] or "").encode()).hexdigest(),
             fetched) for i, r in enumerate(rows)]
    ddl = ("CREATE TABLE limit_documents (channel_id integer, external_id text, url text, title text, text text, "
           "published text, content_hash text, fetched_at text, UNIQUE (channel_id, external_id))")
    if database_url.startswith("postgresql"):
        import psycopg

        with psycopg.connect(database_url.replace("postgresql+psycopg://", "postgresql://")) as conn:
            conn.execute("DROP TABLE IF EXISTS limit_documents")
            conn.execute(ddl)
            started = time.perf_counter()
            with conn.cursor().copy("COPY limit_documents FROM STDIN") as copy:
                for row in data:
                    copy.write_row(row)
            conn.commit()
            elapsed = time.perf_counter() - started
            conn.execute("DROP TABLE limit_documents")
            return elapsed
    import sqlite3

    path = Path(tempfile.mkdtemp(prefix="mi-limit-")) / "limit.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(ddl)
    started = time.perf_counter()
    with conn:
        conn.executemany("INSERT OR IGNORE INTO limit_documents VALUES (?,?,?,?,?,?,?,?)", data)
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def refine_limit(engine: Any) -> float:
    """Tagging the stored documents as plain calls (industries, themes, sentiment)."""
    from sqlalchemy import select

    from mi.analysis.industries import tag_industries
    from mi.analysis.sentiment import classify_article_sentiment
    from mi.analysis.themes import tag_themes
    from mi.warehouse.models import Document

    with engine.connect() as conn:
        rows = conn.execute(select(Document.title, Document.text, Document.summary)).all()
    started = time.perf_counter()
    classify_article_sentiment([(r.title, r.text or r.summary or "") for r in rows])
    for r in rows:
        tag_industries(r.title, r.text, hints=())
        tag_themes(r.title, r.text)
    return time.perf_counter() - started


def brief_limit(engine: Any, day: dt.date) -> tuple[float, int]:
    """Composing and rendering every RM's brief as plain calls: no Prefect, outbox or delivery."""
    from mi.briefing import render
    from mi.briefs.compose import compose_briefs
    from mi.runtime import current_runtime

    settings = current_runtime().settings
    started = time.perf_counter()
    briefs = compose_briefs(engine, period=day, until=dt.datetime.now(dt.timezone.utc), record_feedback=False)
    for brief in briefs:
        render(settings, brief)
    return time.perf_counter() - started, len(briefs)


def feed_parse_figures(payloads: list[tuple[str, bytes]]) -> dict[str, tuple[float, int]]:
    """The same feed bytes: our parser (lxml fast path), our parser on feedparser, plain lxml."""
    from mi.sources.feeds.feed import parse_feed

    bodies = [body for path, body in payloads if path.startswith("/feeds/")]
    figures = {}
    for label, fast in (("parse_feed, lxml fast path", True), ("parse_feed, feedparser only", False)):
        started = time.perf_counter()
        items = sum(len(parse_feed(body, url="https://outlet.example/feed", fast=fast).items) for body in bodies)
        figures[label] = (time.perf_counter() - started, items)
    started = time.perf_counter()
    items = sum(len(_plain_feed_rows(body)) for body in bodies)
    figures["plain lxml (the limit)"] = (time.perf_counter() - started, items)
    return figures


def signal_limit(engine: Any, day: dt.date) -> tuple[float, int]:
    """Reading every field note's need and grouping the window's notes, as the signal stage does."""
    from sqlalchemy import select

    from mi.signals.build import LOOKBACK_DAYS
    from mi.signals.grouping import group_notes
    from mi.signals.needs import read_need
    from mi.signals.reading import window_notes
    from mi.warehouse.products import FieldNote

    with engine.connect() as conn:
        texts = conn.execute(select(FieldNote.text, FieldNote.tags)).all()
        notes = window_notes(conn, since=day - dt.timedelta(days=LOOKBACK_DAYS), until=day)
    started = time.perf_counter()
    for text, tags in texts:
        read_need(text, tags or ())
    group_notes([n.note for n in notes], {n.note.ref: n.reading for n in notes})
    return time.perf_counter() - started, len(texts)


def follow_up_limit(engine: Any, day: dt.date) -> tuple[float, int]:
    """Following up every followed product: the reads and the arithmetic, nothing written."""
    from mi.signals.follow_store import follow_ups

    started = time.perf_counter()
    with engine.connect() as conn:
        results = follow_ups(conn, as_of=day)
    return time.perf_counter() - started, len(results)
