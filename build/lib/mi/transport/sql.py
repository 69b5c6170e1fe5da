"""Fetching a channel's rows from a database: run the configured query, keep the result as CSV.

Internal data (sales, product metrics) often lives in a database rather than a file. The
query result is serialised to CSV bytes so that it lands in the raw layer like any other
payload, parses through the same table reader, and is recognised as unchanged on the next
run by its hash (the etag). Connection strings carry secrets, so the configured
``database_url`` names variables (``${BANK_DWH_URL}``) instead of holding them; their
values come from the settings (``mi.settings``), never from the environment directly,
and no message repeats a password.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from mi.transport.responses import FetchError, Response, local_response

_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


class MissingVariable(ValueError):
    pass


def expand(template: str, variables: Mapping[str, str]) -> str:
    """Replace ``${NAME}`` with its value; refuse if one is not set."""
    absent = sorted({name for name in _VARIABLE.findall(template) if name not in variables})
    if absent:
        raise MissingVariable(f"environment variable(s) {', '.join(absent)} not set (needed by database_url)")
    return _VARIABLE.sub(lambda match: variables[match[1]], template)


class QueryReader:
    """Runs a channel's configured query on the bank's database, with variables from the settings."""

    def __init__(self, variables: Mapping[str, str] | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.variables = dict(variables or {})
        self.max_bytes = max_bytes

    def query(self, target: str, database_url: str, query: str, *, etag: str | None = None) -> Response:
        return fetch_query(target, database_url, query, etag=etag, max_bytes=self.max_bytes,
                           variables=self.variables)


def fetch_query(target: str, database_url: str, query: str, *, etag: str | None = None,
                max_bytes: int = DEFAULT_MAX_BYTES, variables: Mapping[str, str] | None = None) -> Response:
    """Run ``query`` on the database and answer like an HTTP server (304 if unchanged)."""
    url = _database_url(target, database_url, variables or {})
    secret = url.password
    shown = url.render_as_string(hide_password=True)
    engine = create_engine(url, poolclass=NullPool)  # one query per run: keep no pool open
    try:
        with engine.connect() as conn:
            result = conn.execute(text(query))
            body = _as_csv(list(result.keys()), result, max_bytes, target)
            conn.rollback()  # a reader: whatever the query might have changed is not kept
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        if secret:
            reason = reason.replace(str(secret), "***")
        raise FetchError(f"query failed on {shown}: {type(exc).__name__}: {reason[:300]}", url=target) from None
    finally:
        engine.dispose()
    return local_response(target, body, CSV_CONTENT_TYPE, etag)


def _database_url(target: str, template: str, variables: Mapping[str, str]) -> URL:
    try:
        url = make_url(expand(template, variables))
    except MissingVariable as exc:
        raise FetchError(str(exc), url=target) from None
    except ArgumentError:
        # The expanded URL may hold a password: name only the configured template.
        raise FetchError(f"database_url {template!r} is not a valid SQLAlchemy URL", url=target) from None
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return url
    path = Path(url.database.removeprefix("file:"))
    if not path.is_file():
        # SQLite would silently create an empty database and the query would then fail
        # with a confusing "no such table".
        raise FetchError(f"database file not found: {path}", url=target)
    # Read-only by construction: the bank's file must never be modified by a reader.
    return make_url(f"sqlite:///file:{path.resolve()}?mode=ro&uri=true")


def _as_csv(header: list[str], rows: object, max_bytes: int, target: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:  # type: ignore[attr-defined]
        writer.writerow([_cell(value) for value in row])
        if buffer.tell() > max_bytes:
            raise FetchError(f"query result exceeds the {max_bytes}-byte cap", url=target)
    return buffer.getvalue().encode("utf-8")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    return str(value)
