"""The query reader: passwords that stay passwords and hidden, and a reader that cannot write.

Runs on SQLite and, when ``MI_TEST_POSTGRES_URL`` is set, on PostgreSQL in a schema of its own.
"""
from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from mi.transport import FetchError, QueryReader
from mi.transport.sql import expand
from tests.conftest import POSTGRES_URL


@dataclass(frozen=True)
class Bank:
    database_url: str  # as a channel configures it
    variables: dict[str, str]
    table: str  # qualified name of a table with three rows
    admin_url: str


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def bank(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Bank]:
    if request.param == "sqlite":
        path = tmp_path / "bank.sqlite"
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE sales (product TEXT, amount INTEGER)")
            db.executemany("INSERT INTO sales VALUES (?, ?)", [("P1", 1), ("P2", 2), ("P3", 3)])
        db.close()
        yield Bank("sqlite:///${BANK_DIR}/bank.sqlite", {"BANK_DIR": str(tmp_path)}, "sales", f"sqlite:///{path}")
        return
    if not POSTGRES_URL:
        pytest.skip("MI_TEST_POSTGRES_URL is not set: the PostgreSQL bank database needs a server")
    schema = f"reader_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        conn.execute(text(f'CREATE TABLE "{schema}".sales (product TEXT, amount INTEGER)'))
        conn.execute(text(f"""INSERT INTO "{schema}".sales VALUES ('P1', 1), ('P2', 2), ('P3', 3)"""))
    url = make_url(POSTGRES_URL)
    # The password goes in through a variable, the way a bank configures it; the test
    # server trusts loopback, so any password connects once it is read as a password.
    template = f"{url.drivername}://{url.username}:${{DWH_PASSWORD}}@{url.host}:{url.port or 5432}/{url.database}"
    try:
        yield Bank(template, {"DWH_PASSWORD": "p@ss/w:rd#1?x"}, f'"{schema}".sales', POSTGRES_URL)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def rows(bank: Bank) -> int:
    engine = create_engine(bank.admin_url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(f"SELECT count(*) FROM {bank.table}")).scalar_one()
    finally:
        engine.dispose()


def run(bank: Bank, query: str) -> bytes:
    return QueryReader(variables=bank.variables).query("sql://bank", bank.database_url, query).body


def test_a_query_reads_the_rows(bank: Bank) -> None:
    assert run(bank, f"SELECT product, amount FROM {bank.table} ORDER BY product;") == \
        b"product,amount\nP1,1\nP2,2\nP3,3\n"


@pytest.mark.parametrize("tail", ["; DELETE FROM {t}; COMMIT", ";DELETE FROM {t}", "; /* x */ DELETE FROM {t} -- y"])
def test_more_than_one_statement_is_refused_and_nothing_is_written(bank: Bank, tail: str) -> None:
    with pytest.raises(FetchError, match="must be one statement"):
        run(bank, f"SELECT product FROM {bank.table}" + tail.format(t=bank.table))
    assert rows(bank) == 3


@pytest.mark.parametrize("statement", ["DELETE FROM {t}", "UPDATE {t} SET amount = 0",
                                       "WITH gone AS (DELETE FROM {t} RETURNING product) SELECT * FROM gone"])
def test_a_single_writing_statement_fails_read_only(bank: Bank, statement: str) -> None:
    if statement.startswith("WITH") and bank.database_url.startswith("sqlite"):
        pytest.skip("SQLite has no data-modifying WITH")
    with pytest.raises(FetchError, match="(?i)read.?only"):
        run(bank, statement.format(t=bank.table))
    assert rows(bank) == 3


def test_a_semicolon_inside_a_string_is_not_a_second_statement(bank: Bank) -> None:
    assert run(bank, f"SELECT 'a;b' AS text_value FROM {bank.table} WHERE product = 'P1'") == b"text_value\na;b\n"


def test_a_password_variable_is_encoded_into_the_userinfo() -> None:
    expanded = expand("postgresql+psycopg://reader:${PW}@db.bank.example:5432/sales?sslmode=${MODE}",
                      {"PW": "p@ss/w:rd#1?x", "MODE": "require"})
    url = make_url(expanded)
    assert url.password == "p@ss/w:rd#1?x" and url.host == "db.bank.example" and url.database == "sales"
    assert url.query == {"sslmode": "require"}
    # A whole URL in one variable is the operator's own, taken as it is.
    assert expand("${URL}", {"URL": "sqlite:///a b/x.sqlite"}) == "sqlite:///a b/x.sqlite"


def test_a_failing_connection_shows_neither_the_password_nor_its_tail() -> None:
    reader = QueryReader(variables={"PW": "s3cr@t-tail/more"})
    with pytest.raises(FetchError) as caught:
        reader.query("sql://x", "postgresql+psycopg://bank:${PW}@127.0.0.1:1/sales?connect_timeout=2", "SELECT 1")
    message = str(caught.value)
    assert "query failed on postgresql+psycopg://bank:***@127.0.0.1:1/sales" in message
    for piece in ("s3cr", "tail", "more", "%40"):
        assert piece not in message


def test_a_sqlite_reader_commits_nothing_even_when_the_file_is_writable(tmp_path: Path) -> None:
    path = tmp_path / "bank.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (a INTEGER)")
    db.close()
    reader = QueryReader()
    for statement in ("INSERT INTO t VALUES (1)", "CREATE TABLE u (a INTEGER)", "PRAGMA query_only = OFF"):
        try:
            reader.query("sql://t", f"sqlite:///{path}", statement)
        except FetchError:
            pass
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM t").fetchone() == (0,)
        assert db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'u'").fetchone() == (0,)
    db.close()
