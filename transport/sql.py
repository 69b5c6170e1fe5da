"""Fetching a channel's rows from a database: run the configured query, keep the result as CSV.

Internal data (sales, product metrics) often lives in a database rather than a file. The
query result is serialised to CSV bytes so that it lands in the raw layer like any other
payload, parses through the same table reader, and is recognised as unchanged on the next
run by its hash (the etag). Connection strings carry secrets, so the configured
``database_url`` names variables (``${BANK_DWH_URL}``) instead of holding them; their
values come from the settings (``mi.settings``), never from the environment directly,
and no message repeats a password. A value put into the userinfo or the query string
of the template (``postgresql://reader:${DWH_PASSWORD}@dwh/sales``) is percent-encoded,
so a password holding ``@``, ``/`` or ``:`` stays a password.

A reader only reads, by construction: the query must be one statement
(``mi.transport.sqltext``); it runs in a read-only transaction (PostgreSQL, MySQL and
MariaDB, Oracle), on SQLite on a file opened ``mode=ro`` with ``PRAGMA query_only``; and
the transaction is rolled back, never committed. Other backends get the one-statement
rule and the rollback: give the channel a database user that can only read.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote, quote_plus

from sqlalchemy import Connection, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from mi.transport.responses import FetchError, Response, local_response
from mi.transport.sqltext import NotOneStatement, check_one_statement

# ``${NAME}`` (the environment) or ``${secret:block-name}`` (a Prefect Secret block).
_VARIABLE = re.compile(r"\$\{((?:secret:[a-z0-9][a-z0-9-]*)|[A-Za-z_][A-Za-z0-9_]*)\}")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


class MissingVariable(ValueError):
    pass


#: Statements that make the rest of the session's transactions read-only, per backend.
_READ_ONLY = {
    "postgresql": ("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", "SET TRANSACTION READ ONLY"),
    "mysql": ("SET SESSION TRANSACTION READ ONLY",),
    "mariadb": ("SET SESSION TRANSACTION READ ONLY",),
    "oracle": ("SET TRANSACTION READ ONLY",),
}


def expand(template: str, variables: Mapping[str, str]) -> str:
    """Replace ``${NAME}`` with its value; refuse if one is not set.

    A value that lands in the userinfo (``user:password@``) or the query string of the
    template is percent-encoded; elsewhere (a whole URL in one variable, a host, a path)
    it is put in as it is.
    """
    absent = sorted({name for name in _VARIABLE.findall(template) if name not in variables})
    secrets = [name.removeprefix("secret:") for name in absent if name.startswith("secret:")]
    names = [name for name in absent if not name.startswith("secret:")]
    if absent:
        missing = ([f"environment variable(s) {', '.join(names)} not set"] if names else []) + \
                  ([f"Prefect Secret block(s) {', '.join(secrets)} not found"] if secrets else [])
        raise MissingVariable("; ".join(missing) + " (needed by database_url)")
    encoded = _encoded_spans(template)

    def value(match: re.Match[str]) -> str:
        if any(start <= match.start() < end for start, end in encoded):
            return quote(variables[match[1]], safe="")
        return variables[match[1]]

    return _VARIABLE.sub(value, template)


def _encoded_spans(template: str) -> list[tuple[int, int]]:
    """Where in the template a substituted value must be percent-encoded: userinfo, query."""
    spans = []
    scheme = re.match(r"[A-Za-z][A-Za-z0-9+.\-]*://", template)
    if scheme:
        start = scheme.end()
        ends = [found for found in (template.find(stop, start) for stop in "/?#") if found >= 0]
        at = template.rfind("@", start, min(ends, default=len(template)))
        if at >= 0:
            spans.append((start, at))
    query = template.find("?")
    if query >= 0:
        spans.append((query, len(template)))
    return spans


class QueryReader:
    """Runs a channel's configured query on the bank's database, with variables from the settings."""

    def __init__(self, variables: Mapping[str, str] | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.variables: Mapping[str, str] = variables if variables is not None else {}
        self.max_bytes = max_bytes

    def query(self, target: str, database_url: str, query: str, *, etag: str | None = None) -> Response:
        return fetch_query(target, database_url, query, etag=etag, max_bytes=self.max_bytes,
                           variables=self.variables)


def fetch_query(target: str, database_url: str, query: str, *, etag: str | None = None,
                max_bytes: int = DEFAULT_MAX_BYTES, variables: Mapping[str, str] | None = None) -> Response:
    """Run ``query`` on the database and answer like an HTTP server (304 if unchanged)."""
    try:
        check_one_statement(query)
    except NotOneStatement as exc:
        raise FetchError(f"query refused: {exc}", url=target) from None
    url = _database_url(target, database_url, variables or {})
    shown = url.render_as_string(hide_password=True)
    engine = create_engine(url, poolclass=NullPool)  # one query per run: keep no pool open
    backend = url.get_backend_name()
    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_query_only)
    try:
        with engine.connect() as conn:
            _read_only(conn, backend)
            result = conn.execute(text(query))
            body = _as_csv(list(result.keys()), result, max_bytes, target)
            conn.rollback()  # a reader: nothing is ever committed
    except SQLAlchemyError as exc:
        reason = _hide(str(getattr(exc, "orig", None) or exc).splitlines()[0], url.password)
        raise FetchError(f"query failed on {shown}: {type(exc).__name__}: {reason[:300]}", url=target) from None
    finally:
        engine.dispose()
    return local_response(target, body, CSV_CONTENT_TYPE, etag)


def _read_only(conn: Connection, backend: str) -> None:
    for statement in _READ_ONLY.get(backend, ()):
        conn.execute(text(statement))


def _sqlite_query_only(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA query_only = ON")
    cursor.close()


def _hide(text_: str, password: object) -> str:
    """``text_`` without the password, as given or as it appears encoded in a URL."""
    if not password:
        return text_
    secret = str(password)
    for form in (secret, quote(secret, safe=""), quote_plus(secret)):
        text_ = text_.replace(form, "***")
    return text_


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
