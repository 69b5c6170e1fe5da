"""Market-information staff's pages: channel health (``mi channels``), the latest runs with
links into the Prefect UI, and "inspect this URL or file" (the ``mi inspect`` views).

A file to inspect is uploaded, written to a private temporary folder and read from there:
the browser never names a path on the server. A URL goes through the channels' transport
(private addresses refused unless configured, robots.txt, size cap).
"""
from __future__ import annotations

import datetime as dt
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Integer, func, select

from mi.briefs.view import safe_href
from mi.inspect import inspect_feed, inspect_page, inspect_series
from mi.records.inert import json_text
from mi.reports import channel_health
from mi.warehouse.outbox import BriefDelivery

INSPECT_KINDS = ("feed", "page", "series")
_RUN_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@dataclass(frozen=True)
class RunRow:
    run_id: str
    href: str | None  # the run in the Prefect UI, when the id is a flow run's
    started: dt.datetime
    briefs: int
    sent: int
    failed: int


def channels(engine: Engine) -> list[dict[str, Any]]:
    return channel_health(engine)


def latest_runs(engine: Engine, prefect_ui_url: str, limit: int = 20) -> list[RunRow]:
    """The latest brief runs (from the outbox, which keeps the flow run that queued each brief)."""
    table = BriefDelivery.__table__.c
    with engine.connect() as conn:
        rows = conn.execute(
            select(table.run_id, func.min(table.created_at).label("started"), func.count().label("briefs"),
                   func.sum((table.status == "sent").cast(Integer)).label("sent"),
                   func.sum((table.status == "failed").cast(Integer)).label("failed"))
            .group_by(table.run_id).order_by(func.min(table.created_at).desc()).limit(limit)).all()
    return [RunRow(r.run_id, safe_href(f"{prefect_ui_url}/runs/flow-run/{r.run_id}") if _RUN_ID.match(r.run_id)
                   else None, r.started, r.briefs, int(r.sent or 0), int(r.failed or 0)) for r in rows]


def inspect_target(kind: str, *, url: str | None = None, upload: bytes | None = None,
                   filename: str = "upload") -> tuple[str, bool]:
    """The ``mi inspect`` view of a URL or an uploaded file, as indented JSON text."""
    if kind not in INSPECT_KINDS:
        raise ValueError(f"inspect what: {', '.join(INSPECT_KINDS)}")
    if upload is not None:
        suffix = Path(filename).suffix[:10] if re.fullmatch(r"[\w.-]{1,100}", filename or "") else ""
        with tempfile.TemporaryDirectory(prefix="mi-desk-") as folder:
            path = Path(folder) / f"input{suffix}"
            path.write_bytes(upload)
            payload, ok = _inspect(kind, str(path))
    elif url and url.lower().startswith(("http://", "https://")):
        payload, ok = _inspect(kind, url.strip())
    else:
        raise ValueError("give an http(s) URL or a file")
    return json_text(payload), ok


def _inspect(kind: str, target: str) -> tuple[dict[str, Any], bool]:
    if kind == "series":
        return inspect_series(target, None, None)
    return (inspect_feed if kind == "feed" else inspect_page)(target)
