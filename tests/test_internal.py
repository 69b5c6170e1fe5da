"""Channel kinds ``products`` and ``product_metrics``: the shelf and its uptake from XLSX,
CSV and real databases (SQLite made here; PostgreSQL when MI_TEST_POSTGRES_URL is set)."""
from __future__ import annotations

import datetime as dt
import io
import os
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, create_engine, select, text

from mi.gathering import ChannelResult
from mi.records.channels import ChannelConfig, ConfigError
from mi.records.limits import Limits
from mi.sources.registry import source_for
from mi.warehouse.models import RawItem
from mi.warehouse.products import Product, ProductMetric
from tests.helpers import count, gather_all, load_into
from tests.loopback import RecordedSite

DAY = dt.datetime(2026, 11, 28, 6, 0, tzinfo=dt.timezone.utc)
POSTGRES_URL = os.environ.get("MI_TEST_POSTGRES_URL")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHELF = [  # the database's and the workbook's own column names, mapped by the channels
    ("P1", "FX Forward", "FX", "2013-06-03", "corporate", "C|G|H", 180, 250000.0, "active"),
    ("P2", "Green Building Loan", "green loan", "2025-04-01", "corporate", "L; F", 45, 300000.0, "active"),
    ("P3", "ESG Bond Fund", "wealth_management", "2025-03-03", "private", "", 300, 190000.0, "active"),
]
SALES = [("P1", "2026-09", 290, 1.74e9, 260000.5), ("P1", "2026-10", 293, 1.75e9, 262000.25),
         ("P2", "2026-10", 24, 3.36e8, 44800.0)]
SALES_QUERY = "SELECT product_code, month, active_customers, volume_eur, revenue_eur FROM {table} ORDER BY 1, 2"
SALES_COLUMNS = {"product_code": "product_ref", "month": "date", "active_customers": "customers",
                 "volume_eur": "volume", "revenue_eur": "revenue"}



def gather(engine: Engine, *channels: ChannelConfig) -> list[ChannelResult]:
    return gather_all(engine, *channels, now=DAY)



def shelf_xlsx(extra_rows: list[list[object]] = ()) -> bytes:
    workbook = Workbook()
    workbook.active.title = "Notes"
    workbook.active.append(["This sheet is not the shelf"])
    sheet = workbook.create_sheet("Shelf")
    sheet.append(["Product ID", "Product name", "Category", "Launch date", "Target segment",
                  "Target industries (ISIC)", "Uptake target", "Cost (EUR)", "Status"])
    for ref, name, category, launch, segment, industries, target, cost, status in SHELF:
        sheet.append([ref, name, category, dt.date.fromisoformat(launch), segment, industries, target, cost, status])
    for row in extra_rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def shelf_channel(url: str) -> ChannelConfig:
    return ChannelConfig(name="shelf", kind="products", urls=(url,), options={
        "sheet": "Shelf", "columns": {"Product ID": "product_ref", "Product name": "name",
                                      "Target industries (ISIC)": "target_industries", "Cost (EUR)": "cost"}})


def products(engine: Engine) -> dict[str, object]:
    with engine.connect() as conn:
        return {row.product_ref: row for row in conn.execute(select(Product.__table__))}


def test_the_shelf_loads_from_xlsx_with_sheet_rows_as_line_numbers(engine: Engine, site: RecordedSite) -> None:
    bad = [["P4", "Broken Loan", "loan", "next spring", None, None, None, None, None],
           ["P5", "Odd Fund", "wealth", None, "private", "K|Z9", 12, None, None],
           ["P6", "Half Fund", "wealth", None, "private", None, "12.5", None, None]]
    result = gather(engine, shelf_channel(site.serve("/shelf.xlsx", shelf_xlsx(bad), XLSX)))[0]
    assert result.error is None and result.new == 4
    assert [p.split(": ", 1)[1] for p in result.problems] == [
        "line 5: launch_date 'next spring' is not a date; row not loaded",
        "line 6: target_industries item 'Z9' is not an ISIC section letter A-U; dropped",
        "line 7: uptake_target '12.5' is not a whole number; row not loaded",
    ]
    shelf = products(engine)
    assert set(shelf) == {"P1", "P2", "P3", "P5"} and shelf["P5"].target_industries == ["K"]
    assert shelf["P1"].category == "fx" and shelf["P1"].target_industries == ["C", "G", "H"]
    assert shelf["P2"].category == "green_loan" and shelf["P2"].target_industries == ["L", "F"]
    assert shelf["P2"].launch_date == dt.date(2025, 4, 1) and shelf["P2"].uptake_target == 45
    assert shelf["P3"].target_industries == [] and shelf["P3"].cost == 190000.0


def test_metrics_from_csv_load_once_and_a_revised_figure_updates(engine: Engine, site: RecordedSite) -> None:
    shelf = b"product_ref;name;category;status\nP1;FX Forward;fx;\nP2;Green Building Loan;green_loan;active\n"
    metrics = b"product_ref,date,customers,volume,revenue\nP1,2026-09,290,1740000000,260000.50\n" \
              b"P1,2026-10-01,293,1750000000,262000.25\nP2,2026-10,24,336000000,44800\n"
    gather(engine, ChannelConfig(name="shelf", kind="products", urls=(site.serve("/shelf.csv", shelf, "text/csv"),)))
    channel = ChannelConfig(name="metrics", kind="product_metrics",
                            urls=(site.serve("/metrics.csv", metrics, "text/csv"),))
    first = gather(engine, channel)[0]
    assert first.status == "ok" and first.new == 3 and count(engine, ProductMetric) == 3
    assert products(engine)["P1"].status == "active"
    revised = metrics.replace(b"P2,2026-10,24,", b"P2,2026-10,25,") + b"P2,2026-11,31,400000000,53000\n"
    second = gather(engine, ChannelConfig(name="metrics", kind="product_metrics",
                                          urls=(site.serve("/metrics.csv", revised, "text/csv"),)))[0]
    assert second.new == 2 and second.unchanged == 2 and count(engine, ProductMetric) == 4
    with engine.connect() as conn:
        value = conn.execute(select(ProductMetric.customers).where(ProductMetric.date == dt.date(2026, 10, 1),
                                                                   ProductMetric.volume == 336000000)).scalar_one()
    assert value == 25


def test_metrics_of_a_product_not_on_the_shelf_are_problems(engine: Engine) -> None:
    source = source_for(ChannelConfig(name="m", kind="product_metrics", urls=("m.csv",)))
    body = b"product_ref,date,customers\nP9,2026-01,1\nP9,2026-02,2\n"
    parsed = source.parse(body, url="m.csv", content_type="text/csv")
    new, problems = load_into(engine, parsed, fetched_at=DAY)
    assert new == 0
    assert problems == ["line 2: unknown product 'P9'; row not loaded",
                               "line 3: unknown product 'P9'; row not loaded"]


# -- databases -----------------------------------------------------------------------------
@dataclass(frozen=True)
class SalesDatabase:
    database_url: str  # as configured: names an environment variable
    environ: dict[str, str]
    products_table: str
    sales_table: str
    admin_url: str  # for the test to change data underneath the channel


def _fill(conn: object, products_table: str, sales_table: str) -> None:
    conn.execute(text(f"CREATE TABLE {products_table} (product_code TEXT PRIMARY KEY, product_name TEXT, "
                      "product_category TEXT, launched_on DATE, status TEXT)"))
    conn.execute(text(f"CREATE TABLE {sales_table} (product_code TEXT, month TEXT, active_customers INTEGER, "
                      "volume_eur DOUBLE PRECISION, revenue_eur DOUBLE PRECISION)"))
    conn.execute(text(f"INSERT INTO {products_table} VALUES (:r, :n, :c, :d, :s)"),
                 [{"r": r, "n": n, "c": c, "d": dt.date.fromisoformat(d), "s": s}
                  for r, n, c, d, _, _, _, _, s in SHELF])
    conn.execute(text(f"INSERT INTO {sales_table} VALUES (:r, :m, :n, :v, :e)"),
                 [{"r": r, "m": m, "n": n, "v": v, "e": e} for r, m, n, v, e in SALES])


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def sales_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SalesDatabase]:
    """The bank's internal sales database, in its own column names."""
    if request.param == "sqlite":
        path = tmp_path / "sales" / "internal_sales.sqlite"
        path.parent.mkdir()
        admin = create_engine(f"sqlite:///{path}")
        with admin.begin() as conn:
            _fill(conn, "products", "monthly_sales")
        admin.dispose()
        yield SalesDatabase("sqlite:///${SALES_DIR}/internal_sales.sqlite", {"SALES_DIR": str(path.parent)},
                            "products", "monthly_sales", f"sqlite:///{path}")
        return
    if not POSTGRES_URL:
        pytest.skip("MI_TEST_POSTGRES_URL is not set: the PostgreSQL source database needs a server")
    schema = f"sales_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        _fill(conn, f'"{schema}".products', f'"{schema}".monthly_sales')
    try:
        yield SalesDatabase("${BANK_SALES_DB_URL}", {"BANK_SALES_DB_URL": POSTGRES_URL},
                            f'"{schema}".products', f'"{schema}".monthly_sales', POSTGRES_URL)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def sql_channel(name: str, kind: str, db: SalesDatabase, query: str, columns: dict[str, str],
                url: str | None = None) -> ChannelConfig:
    return ChannelConfig(name=name, kind=kind, urls=(url,) if url else (),
                         options={"database_url": db.database_url, "query": query, "columns": columns})


def test_internal_sales_are_read_through_the_configured_url_and_query(
        engine: Engine, sales_db: SalesDatabase, site: RecordedSite, monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in sales_db.environ.items():
        monkeypatch.setenv(key, value)
    gather(engine, shelf_channel(site.serve("/shelf.xlsx", shelf_xlsx(), XLSX)))
    shelf_sql = sql_channel(
        "sales-products", "products", sales_db,
        f"SELECT product_code, product_name, product_category, launched_on, status FROM {sales_db.products_table}",
        {"product_code": "product_ref", "product_name": "name", "product_category": "category",
         "launched_on": "launch_date"}, url="sql://internal_sales/products")
    metrics_sql = sql_channel("sales-metrics", "product_metrics", sales_db,
                              SALES_QUERY.format(table=sales_db.sales_table), SALES_COLUMNS)
    results = gather(engine, shelf_sql, metrics_sql)
    assert [r.status for r in results] == ["ok", "ok"], [r.error for r in results]
    assert results[0].new == 0  # the same shelf as the workbook: nothing to change
    assert products(engine)["P2"].target_industries == ["L", "F"]  # the query has no such column: kept
    assert results[1].new == 3 and count(engine, ProductMetric) == 3
    with engine.connect() as conn:
        # No url configured: the raw item is filed under a label made from the channel name.
        raw = conn.execute(select(RawItem.payload).where(RawItem.external_id == "sql://sales-metrics")).one()
    assert raw.payload.startswith(b"product_code,month,active_customers,volume_eur,revenue_eur\nP1,2026-09,290,")

    # Unchanged query result: recognised by its hash, answered as "not modified".
    again = gather(engine, metrics_sql)[0]
    assert again.status == "ok" and again.new == 0 and again.unchanged == 1 and count(engine, RawItem) == 3

    admin = create_engine(sales_db.admin_url)
    with admin.begin() as conn:
        conn.execute(text(f"UPDATE {sales_db.sales_table} SET active_customers = 26 WHERE product_code = 'P2'"))
    admin.dispose()
    revised = gather(engine, metrics_sql)[0]
    assert revised.new == 1 and count(engine, ProductMetric) == 3


def test_a_missing_variable_or_database_file_fails_the_channel_clearly(engine: Engine, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_SUCH_SALES_DB", raising=False)
    db = SalesDatabase("${NO_SUCH_SALES_DB}", {}, "p", "s", "")
    missing = sql_channel("a", "product_metrics", db, "SELECT 1", {})
    absent_file = tmp_path / "nowhere" / "sales.sqlite"
    no_file = sql_channel("b", "product_metrics", SalesDatabase(f"sqlite:///{absent_file}", {}, "p", "s", ""),
                          "SELECT 1", {})
    first, second = gather(engine, missing, no_file)
    assert first.status == "failed" and "NO_SUCH_SALES_DB not set" in first.error
    assert second.status == "failed" and "database file not found" in second.error
    assert not absent_file.exists()  # SQLite was not allowed to create an empty database


def test_a_failing_connection_never_shows_the_password(engine: Engine) -> None:
    db = SalesDatabase("postgresql+psycopg://bank:s3cret-pw@127.0.0.1:1/sales?connect_timeout=2", {}, "p", "s", "")
    result = gather(engine, sql_channel("pg", "product_metrics", db, "SELECT 1", {}))[0]
    assert result.status == "failed" and "query failed on postgresql+psycopg://bank:***@127.0.0.1:1" in result.error
    with engine.connect() as conn:
        stored = conn.execute(select(RawItem.parse_error)).scalar_one()
    assert "s3cret-pw" not in result.error + stored


def test_a_sqlite_source_is_opened_read_only(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "sales.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE monthly_sales (product_code TEXT, month TEXT)")
        db.execute("INSERT INTO monthly_sales VALUES ('P1', '2026-10')")
    db.close()
    channel = sql_channel("rw", "product_metrics", SalesDatabase(f"sqlite:///{path}", {}, "", "", ""),
                          "DELETE FROM monthly_sales", {})
    result = gather(engine, channel)[0]
    assert result.status == "failed" and "readonly" in result.error.replace("-", "").replace(" ", "")
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM monthly_sales").fetchone() == (1,)
    db.close()


def test_a_legacy_xls_workbook_is_refused_with_a_hint(engine: Engine, site: RecordedSite) -> None:
    body = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    result = gather(engine, ChannelConfig(name="old", kind="products",
                                          urls=(site.serve("/shelf.xls", body, "application/vnd.ms-excel"),)))[0]
    assert result.status == "failed" and "save it as .xlsx or CSV" in result.error


@pytest.mark.parametrize(("kind", "options", "message"), [
    ("products", {"columns": {"Product ID": "product_id"}}, "option 'columns': maps to unknown field(s) product_id "
                                                            "(fields: product_ref, name, category,"),
    ("product_metrics", {"columns": {"Cost": "cost"}}, "option 'columns': maps to unknown field(s) cost "
                                                       "(fields: product_ref, date, customers, volume, revenue)"),
    ("products", {"database_url": "sqlite:///x.sqlite"}, "option 'database_url': goes with query: give both"),
    ("products", {"query": ["SELECT 1"]}, "option 'query': must be text, not a list"),
    ("products", {"delimiter": "tab", "sheet": "Shelf", "table": "products"},
     "option 'table': unknown option (known: columns, database_url, delimiter, query, sheet)"),
    ("product_metrics", {"delimiter": ";;"}, "option 'delimiter': ';;' is not one character"),
])
def test_table_options_are_checked_when_the_channel_is_built(kind: str, options: dict[str, object],
                                                             message: str) -> None:
    with pytest.raises(ConfigError) as error:
        source_for(ChannelConfig(name="shelf", kind=kind, urls=("shelf.csv",), options=options))
    assert str(error.value).startswith(f"channel 'shelf' ({kind}): {message}"), str(error.value)


def test_a_named_delimiter_and_a_sheet_index_are_read() -> None:
    source = source_for(ChannelConfig(name="shelf", kind="products", urls=("shelf.csv",),
                                      options={"delimiter": "semicolon", "sheet": 0}))
    assert (source.options.delimiter, source.options.sheet) == (";", 0)


def test_the_table_kinds_read_within_the_channels_own_limits_and_say_when_a_charset_was_guessed() -> None:
    config = ChannelConfig(name="p", kind="products", urls=("p.csv",))
    body = "product_ref,name,category\nP1,Festgeld € zwölf Monate,deposit\nP2,Tagesgeld,deposit\n".encode("cp1252")
    parsed = source_for(config, Limits(max_field_chars=12)).parse(body, url="p.csv", content_type="text/csv")
    assert [r.product_ref for r in parsed.records] == ["P2"] and "line 2" in parsed.problems[0]
    roomy = source_for(config).parse(body, url="p.csv", content_type="text/csv")
    assert roomy.records[0].name == "Festgeld € zwölf Monate" and any("guess" in w for w in roomy.warnings)
