"""Readable tables for the terminal, and the same data as JSON-ready rows.

Every cell, header and title goes into the table as ``mi.console.literal`` text: channel
names, errors quoting a payload and descriptions are data, never Rich markup."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine, func, select

from mi.console import literal
from mi.gathering import ChannelResult
from mi.refining.health import open_conditions
from mi.warehouse.models import Channel, Document, Observation, RawItem, Series


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


def render(console: Console, title: str, rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
    """Print ``rows`` as a table of ``columns``; any console shows the values literally."""
    table = Table(title=literal(title), title_justify="left")
    for column in columns:
        numeric = bool(rows) and isinstance(rows[0].get(column), int)
        table.add_column(literal(column), justify="right" if numeric else "left", overflow="fold")
    for row in rows:
        table.add_row(*(literal(row.get(c)) for c in columns))
    console.print(table)


def gather_rows(results: Sequence[ChannelResult]) -> list[dict[str, Any]]:
    rows = [r.as_row() for r in results]
    for row in rows:
        row["error"] = (row["error"][:117] + "...") if len(row["error"]) > 120 else row["error"]
    return rows


def channel_health(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        channels = conn.execute(select(Channel.__table__).order_by(Channel.name)).all()
    conditions = open_conditions(engine)
    return [
        {
            "channel": c.name, "kind": c.kind, "enabled": c.enabled,
            "health": "; ".join(conditions.get(c.id, [])) or ("failing" if c.consecutive_failures else "ok"),
            "last_success": _when(c.last_success_at), "last_error_at": _when(c.last_error_at),
            "consecutive_failures": c.consecutive_failures, "fetched": c.items_fetched,
            "new": c.items_new, "quarantined": c.items_quarantined, "last_error": c.last_error or "",
        }
        for c in channels
    ]


def warehouse_summary(engine: Engine) -> list[dict[str, Any]]:
    """Per channel: what landed (raw payloads by status) and what loaded (records)."""
    with engine.connect() as conn:
        names = dict(conn.execute(select(Channel.id, Channel.name)).all())
        kinds = dict(conn.execute(select(Channel.id, Channel.kind)).all())
        raw = conn.execute(select(RawItem.channel_id, RawItem.parse_status, func.count())
                           .group_by(RawItem.channel_id, RawItem.parse_status)).all()
        docs = dict(conn.execute(select(Document.channel_id, func.count()).group_by(Document.channel_id)).all())
        series = dict(conn.execute(select(Series.channel_id, func.count()).group_by(Series.channel_id)).all())
        # Two channels may feed one series (the ECB's daily file and its history): each
        # observation counts for the channel whose payload wrote it.
        obs = dict(conn.execute(select(RawItem.channel_id, func.count()).join(
            Observation, Observation.raw_item_id == RawItem.id).group_by(RawItem.channel_id)).all())
        records = dict(conn.execute(select(RawItem.channel_id, func.sum(RawItem.record_count))
                                    .group_by(RawItem.channel_id)).all())
    payloads: dict[int, dict[str, int]] = {}
    for channel_id, status, count in raw:
        payloads.setdefault(channel_id, {})[status] = count
    rows = []
    for channel_id, name in sorted(names.items(), key=lambda item: item[1]):
        landed = payloads.get(channel_id, {})
        rows.append({
            "channel": name, "kind": kinds[channel_id], "payloads": sum(landed.values()),
            "quarantined": landed.get("quarantined", 0) + landed.get("fetch_error", 0),
            "documents": docs.get(channel_id, 0), "series": series.get(channel_id, 0),
            "observations": obs.get(channel_id, 0), "records_read": int(records.get(channel_id) or 0),
        })
    return rows


def picture_summary(engine: Engine) -> list[dict[str, Any]]:
    """How many rows each part of the integrated picture holds."""
    from mi.warehouse.book import Company, Coverage, Customer, Holding, RelationshipManager
    from mi.warehouse.products import CompetitorOffer, CompetitorOfferChange, FieldNote, Product, ProductMetric

    parts = [
        ("documents", Document), ("series", Series), ("observations", Observation),
        ("relationship managers", RelationshipManager), ("customers", Customer), ("companies", Company),
        ("coverage", Coverage), ("holdings", Holding), ("products", Product), ("product metrics", ProductMetric),
        ("competitor offers", CompetitorOffer), ("competitor offer changes", CompetitorOfferChange),
        ("field notes", FieldNote),
    ]
    with engine.connect() as conn:
        return [{"part": label, "rows": conn.execute(select(func.count()).select_from(model)).scalar_one()}
                for label, model in parts]
