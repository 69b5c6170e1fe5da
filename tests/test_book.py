"""The ``book`` channel kind: RMs, customers (with companies and aliases), coverage and
holdings from CSV and XLSX, over loopback HTTP and snapshot files, on SQLite and PostgreSQL.
"""
from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from openpyxl import Workbook
from sqlalchemy import Engine, func, inspect, select, text

from mi.gathering import ChannelResult
from mi.records.channels import ChannelConfig, ConfigError
from mi.sources.bank.book import BookSource
from mi.sources.config import load_channels
from mi.sources.registry import source_for
from mi.warehouse.book import Company, CompanyAlias, Coverage, Customer, Holding, RelationshipManager
from mi.warehouse.engine import alembic_config, migrate
from mi.warehouse.products import Product, ProductMetric
from tests.helpers import count, gather_all, load_into
from tests.loopback import RecordedSite

ROOT = Path(__file__).parent.parent
DAY = dt.datetime(2026, 11, 28, 6, 0, tzinfo=dt.timezone.utc)
CSV = "text/csv"

RMS = b"""rm_ref,name,email,team
RM1,Ada Okafor,ada@bank.example,TMT
RM2,Bo Lindqvist,bo@bank.example,Industrials
"""
# Line numbers: header 1, Apple 2, Jane 3, no-ref 4, bad segment 5, Siemens-like 6.
CUSTOMERS = b"""Kundennummer,name,segment,country,industry_scheme,industry_code,aliases,ticker,cik,lei
C1,Apple Inc.,corporate,us,GICS,45202030,Apple|Apple Computer,AAPL,0000320193,
C2,Jane Doe,Private,GB,,,,,,
,Nameless Corp,corporate,US,,,,,,
C3,Corner Shop,retail,US,,,,,,
C4,Nordlicht Logistik GmbH,corporate,DE,NAICS,488510,,,,NOTALEI
"""
COVERAGE = b"""rm_ref,customer_ref,since
RM1,C1,2020-01-15
RM2,C4,2021-03-01
RM1,C2,
"""
PRODUCTS = b"product_ref,name,category\nP1,FX Forward,fx\nP2,Cash Pooling,cash management\n"
HOLDINGS = b"customer_ref,product_ref,opened_on,balance\nC1,P1,2024-05-01,\"1,250,000.00\"\nC2,P2,,100\n"



def book(name: str, url: str, table: str, **options: object) -> ChannelConfig:
    return ChannelConfig(name=name, kind="book", urls=(url,), options={"table": table, **options})


def gather(engine: Engine, *channels: ChannelConfig) -> list[ChannelResult]:
    return gather_all(engine, *channels, now=DAY)



def rows(engine: Engine, model: type) -> list:
    with engine.connect() as conn:
        return conn.execute(select(model.__table__)).all()


def customers_channel(url: str) -> ChannelConfig:
    return book("customers", url, "customers", columns={"Kundennummer": "customer_ref"})


def load_basic_book(engine: Engine, site: RecordedSite) -> list[ChannelResult]:
    return gather(
        engine,
        book("rms", site.serve("/rms.csv", RMS, CSV), "relationship_managers"),
        customers_channel(site.serve("/customers.csv", CUSTOMERS, CSV)),
        ChannelConfig(name="products", kind="products", urls=(site.serve("/products.csv", PRODUCTS, CSV),)),
        book("coverage", site.serve("/coverage.csv", COVERAGE, CSV), "coverage"),
        book("holdings", site.serve("/holdings.csv", HOLDINGS, CSV), "holdings"),
    )


def test_the_book_loads_over_http_with_companies_and_aliases(engine: Engine, site: RecordedSite) -> None:
    results = load_basic_book(engine, site)
    assert [r.error for r in results] == [None] * 5
    by_ref = {c.customer_ref: c for c in rows(engine, Customer)}
    assert set(by_ref) == {"C1", "C2", "C4"}
    apple = by_ref["C1"]
    assert (apple.segment, apple.country, apple.industry_scheme, apple.isic_section) == ("corporate", "US", "GICS", "C")
    assert by_ref["C2"].segment == "private" and by_ref["C2"].company_id is None
    assert by_ref["C4"].isic_section == "H"  # NAICS 488510 freight arrangement
    companies = {c.id: c for c in rows(engine, Company)}
    assert companies[apple.company_id].company_ref == "CIK:320193"
    assert companies[by_ref["C4"].company_id].company_ref == "CUSTOMER:C4"
    aliases = {(a.kind, a.value) for a in rows(engine, CompanyAlias) if a.company_id == apple.company_id}
    assert aliases == {("name", "Apple Inc."), ("name", "Apple"), ("name", "Apple Computer"),
                       ("ticker", "AAPL"), ("cik", "320193")}
    assert count(engine, Coverage) == 3 and count(engine, Holding) == 2
    holding = next(h for h in rows(engine, Holding) if h.balance and h.balance > 1000)
    assert holding.balance == 1_250_000.0 and holding.opened_on == dt.date(2024, 5, 1)


def test_bad_rows_are_reported_with_line_numbers_and_the_good_rows_load(engine: Engine, site: RecordedSite) -> None:
    result = load_basic_book(engine, site)[1]
    assert result.status == "partial" and result.error is None
    problems = [p.split(": ", 1)[1] for p in result.problems]
    assert "line 4: missing customer_ref; row not loaded" in problems
    assert "line 5: segment 'retail' is not one of corporate, private; row not loaded" in problems
    assert any(p.startswith("line 6: lei 'NOTALEI' is not a valid LEI") for p in problems)
    assert count(engine, Customer) == 3


def test_unknown_rm_customer_and_product_are_problems_with_line_numbers(engine: Engine, site: RecordedSite) -> None:
    load_basic_book(engine, site)
    # Line 5 repeats line 2 (a warning: nothing is lost); line 6's NAICS code is unmapped
    # (a warning too). Unknown RM and customer are only found against the warehouse.
    body = b"rm_ref,customer_ref,role\nRM1,C4,\nRM9,C1,\nRM2,C99,\nRM1,C4,secondary\n"
    result = gather(engine, book("coverage-2", site.serve("/coverage-2.csv", body, CSV), "coverage"))[0]
    assert result.status == "partial" and result.new == 1 and result.quarantined == 2
    assert [p.split(": ", 1)[1] for p in result.problems] == [
        "line 3: unknown RM 'RM9'; row not loaded",
        "line 4: unknown customer 'C99'; row not loaded",
    ]
    assert [w.split(": ", 1)[1] for w in result.warnings] == [
        "warning: line 5: repeats line 2; the later row is used",
    ]
    with engine.connect() as conn:
        roles = conn.execute(select(Coverage.role).join(Customer, Customer.id == Coverage.customer_id)
                             .where(Customer.customer_ref == "C4")).scalars().all()
    assert sorted(roles) == ["primary", "secondary"]  # RM2 primary from before, RM1 now secondary
    unmapped = b"customer_ref,name,segment,industry_scheme,industry_code\nC5,Odd Co,corporate,SIC,9999\n"
    result = gather(engine, customers_channel(site.serve("/c5.csv", unmapped, CSV)))[0]
    assert result.status == "ok" and result.new == 2  # the customer and its company
    assert result.problems == ()
    assert result.warnings == (f"{site.url('/c5.csv')}: warning: line 2: SIC code '9999' maps to no ISIC section; "
                               "loaded without one",)
    holdings = source_for(book("h", "h.csv", "holdings"))
    parsed = holdings.parse(b"customer_ref,product_ref\nC1,P404\n", url="h.csv", content_type=CSV)
    new, problems = load_into(engine, parsed, fetched_at=DAY)
    assert new == 0
    assert problems == ["line 2: unknown product 'P404'; row not loaded"]


def test_loading_twice_adds_nothing_and_a_changed_attribute_updates(engine: Engine, site: RecordedSite) -> None:
    load_basic_book(engine, site)
    before = {m: count(engine, m) for m in (Company, CompanyAlias, Customer, Coverage, Holding, RelationshipManager)}
    with engine.connect() as conn:
        stamp = conn.execute(select(Customer.updated_at).where(Customer.customer_ref == "C2")).scalar_one()
    # Same rows in another order, one attribute changed and a new alias: a new payload, so
    # it is parsed and loaded again; nothing may be duplicated.
    lines = CUSTOMERS.decode().splitlines()
    changed = [lines[0], lines[3], lines[2], lines[1].replace("Apple Inc.", "Apple Inc").replace(",us,", ",IE,"),
               lines[5]]
    channel = customers_channel(site.serve("/customers.csv", "\n".join(changed).encode(), CSV))
    result = gather(engine, channel)[0]
    assert result.error is None and result.new == 1  # one customer row changed
    after = {m: count(engine, m) for m in before}
    assert after[CompanyAlias] == before[CompanyAlias] + 1  # the new spelling is an alias too
    assert {m: n for m, n in after.items() if m is not CompanyAlias} == \
        {m: n for m, n in before.items() if m is not CompanyAlias}
    with engine.connect() as conn:
        apple = conn.execute(select(Customer.__table__).where(Customer.customer_ref == "C1")).one()
        company = conn.execute(select(Company.__table__).where(Company.id == apple.company_id)).one()
        untouched = conn.execute(select(Customer.updated_at).where(Customer.customer_ref == "C2")).scalar_one()
    assert (apple.name, apple.country) == ("Apple Inc", "IE")
    assert (company.name, company.country, company.company_ref) == ("Apple Inc", "IE", "CIK:320193")
    assert untouched == stamp  # unchanged rows are not rewritten
    # The unchanged payload on a later run is recognised and not parsed at all.
    again = gather(engine, channel)[0]
    assert again.new == 0 and again.unchanged == 1


def test_a_company_known_by_its_cik_is_reused_not_duplicated(engine: Engine, site: RecordedSite) -> None:
    companies = b"company_ref,name,cik,ticker\n,Apple Inc.,320193,AAPL\n"
    gather(engine, book("companies", site.serve("/companies.csv", companies, CSV), "companies"))
    load_basic_book(engine, site)
    apple = [c for c in rows(engine, Company) if c.company_ref == "CIK:320193"]
    assert len(apple) == 1
    assert next(c for c in rows(engine, Customer) if c.customer_ref == "C1").company_id == apple[0].id


def test_customers_read_from_xlsx_with_mapped_columns(engine: Engine, site: RecordedSite) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Kunden"
    sheet.append(["Customer No", "Customer name", "Segment", "Country", "Industry scheme", "Industry code", "USCC"])
    sheet.append(["C10", "Hengrun Precision Machinery Co., Ltd.", "corporate", "CN", "GBT4754", "C3311",
                  "91310000MFM2PBMPA0"])
    sheet.append([None] * 7)  # a blank row keeps the numbering: the next row is sheet row 4
    sheet.append(["C11", "No Segment Ltd", None, "CN", "GBT4754", "E4710", None])
    sheet.append([20012, "Wei Zhang", "private", "CN", None, None, None])  # numeric ref cell
    buffer = io.BytesIO()
    workbook.save(buffer)
    url = site.serve("/customers.xlsx", buffer.getvalue(),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    channel = book("xlsx", url, "customers", sheet="Kunden",
                   columns={"Customer No": "customer_ref", "Customer name": "name"})
    result = gather(engine, channel)[0]
    assert result.error is None
    assert [p.split(": ", 1)[1] for p in result.problems] == ["line 4: missing segment; row not loaded"]
    by_ref = {c.customer_ref: c for c in rows(engine, Customer)}
    assert set(by_ref) == {"C10", "20012"}
    assert by_ref["C10"].isic_section == "C"
    company = next(c for c in rows(engine, Company) if c.id == by_ref["C10"].company_id)
    assert company.company_ref == "USCC:91310000MFM2PBMPA0"


def test_coverage_with_replace_moves_a_customer_to_its_new_rm(engine: Engine, site: RecordedSite) -> None:
    load_basic_book(engine, site)
    moved = b"rm_ref,customer_ref\nRM2,C1\n"
    result = gather(engine, book("coverage", site.serve("/coverage.csv", moved, CSV), "coverage", replace=True))[0]
    assert result.error is None and result.new == 2  # one link added, one removed
    with engine.connect() as conn:
        links = conn.execute(select(RelationshipManager.rm_ref, Customer.customer_ref)
                             .join(Coverage, Coverage.rm_id == RelationshipManager.id)
                             .join(Customer, Customer.id == Coverage.customer_id)).all()
    assert sorted(links) == [("RM1", "C2"), ("RM2", "C1"), ("RM2", "C4")]  # C2 and C4 untouched


def test_an_rm_language_is_read_from_its_tag_and_an_unknown_one_loads_as_english(
        engine: Engine, site: RecordedSite) -> None:
    load_basic_book(engine, site)  # RMS has no language column: everyone reads English
    assert {r.rm_ref: r.language for r in rows(engine, RelationshipManager)} == {"RM1": "en", "RM2": "en"}
    extract = b"rm_ref,name,language\nRM1,Ada Okafor,zh-CN\nRM2,Bo Lindqvist,fr\nRM3,Chen Wei,ZH\n"
    result = gather(engine, book("rms", site.serve("/rms2.csv", extract, CSV), "relationship_managers"))[0]
    assert result.status == "partial" and result.new == 2  # RM1 changed, RM3 added
    assert [p.split(": ", 1)[1] for p in result.problems] == ["line 3: language 'fr' is not one of en, zh; en used"]
    by_ref = {r.rm_ref: r for r in rows(engine, RelationshipManager)}
    assert {ref: r.language for ref, r in by_ref.items()} == {"RM1": "zh", "RM2": "en", "RM3": "zh"}
    assert by_ref["RM1"].team == "TMT"  # the extract had no team column: the team is kept
    # An extract without the column leaves the languages as they are.
    gather(engine, book("rms", site.serve("/rms3.csv", b"rm_ref,name\nRM1,Ada Okafor-Lee\n", CSV),
                        "relationship_managers"))
    assert next(r for r in rows(engine, RelationshipManager) if r.rm_ref == "RM1").language == "zh"


def test_rms_loaded_before_the_language_revision_read_english_and_it_goes_down_and_up(engine: Engine) -> None:
    command.downgrade(alembic_config(engine), "0007_signals")
    assert "language" not in {c["name"] for c in inspect(engine).get_columns("relationship_managers")}
    with engine.begin() as conn:
        # only the columns the old revision had (the model would add the language)
        conn.execute(text("INSERT INTO relationship_managers (rm_ref, name, active) "
                          "VALUES ('RM1', 'Ada Okafor', :yes)"), {"yes": True})
    migrate(engine)
    assert [(r.rm_ref, r.language) for r in rows(engine, RelationshipManager)] == [("RM1", "en")]


def test_misconfigured_book_channels_fail_with_their_name(engine: Engine) -> None:
    results = gather(engine, book("x", "x.csv", "accounts"),
                     book("y", "y.csv", "customers", columns={"Name": "full_name"}),
                     ChannelConfig(name="z", kind="book", urls=("z.csv",),
                                   options={"table": "customers", "query": "SELECT 1"}))
    assert "channel 'x' (book): option 'table': 'accounts' is not one of relationship_managers" in results[0].error
    assert "channel 'y' (book): option 'columns': maps to unknown field(s) full_name (fields: customer_ref, " \
           "name," in results[1].error
    assert "channel 'z' (book): option 'query': goes with database_url" in results[2].error


@pytest.mark.parametrize(("options", "message"), [
    ({"table": "customers", "replace": True}, "option 'replace': only coverage and holdings channels may replace"),
    ({"table": "coverage", "replace": "yes"}, "option 'replace': must be yes or no (true/false), not 'yes'"),
    ({"table": "coverage", "replaces": True}, "option 'replaces': unknown option (known: columns, database_url, "
                                              "delimiter, query, replace, sheet, table)"),
    ({"table": "coverage", "sheet": -1}, "option 'sheet': must be a worksheet name or a 0-based index, not -1"),
    ({}, "option 'table': is required"),
])
def test_book_options_are_checked_when_the_channel_is_built(options: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as error:
        BookSource(ChannelConfig(name="b", kind="book", urls=("b.csv",), options=options))
    assert str(error.value).startswith(f"channel 'b' (book): {message}")


def test_a_header_without_the_required_columns_is_quarantined(engine: Engine, site: RecordedSite) -> None:
    result = gather(engine, book("rms", site.serve("/rms.csv", b"id,full name\n1,Ann\n", CSV),
                                 "relationship_managers"))[0]
    assert result.status == "failed" and "header lacks rm_ref, name" in result.error


# -- the bundled sample bank ---------------------------------------------------------------
def test_the_sample_bank_fragment_loads_in_its_order_twice(engine: Engine) -> None:
    channels = load_channels(ROOT / "snapshot" / "bank" / "channels.fragment.yaml")
    first = gather(engine, *channels)
    assert all(r.status == "ok" for r in first), [(r.channel, r.error, r.problems[:3]) for r in first]
    counts = {m: count(engine, m) for m in (RelationshipManager, Customer, Company, Coverage, Holding, Product,
                                            ProductMetric)}
    assert counts[Coverage] == counts[Customer] > 300 and counts[Product] >= 25
    assert 20 <= counts[RelationshipManager] <= 50
    with engine.connect() as conn:
        per_rm = conn.execute(select(func.count()).select_from(Coverage).group_by(Coverage.rm_id)).scalars().all()
    assert 5 <= min(per_rm) and max(per_rm) <= 15
    with engine.connect() as conn:
        languages = dict(conn.execute(select(RelationshipManager.language, func.count())
                                      .group_by(RelationshipManager.language)).all())
        in_china = set(conn.execute(select(RelationshipManager.rm_ref).join(Coverage).join(Customer)
                                    .where(Customer.country == "CN")).scalars())
        chinese = set(conn.execute(select(RelationshipManager.rm_ref)
                                   .where(RelationshipManager.language == "zh")).scalars())
    assert set(languages) == {"en", "zh"} and 0 < languages["zh"] < languages["en"]
    assert chinese == in_china  # the sample's rule: RMs with a customer in China read Chinese
    by_name = {r.channel: r for r in first}
    # The SQL channels read the same figures as the files: nothing changes.
    assert by_name["internal-sales-metrics"].new == 0 and by_name["internal-sales-products"].new == 0
    assert by_name["internal-sales-metrics"].unchanged == counts[ProductMetric]
    second = gather(engine, *channels)
    assert all(r.new == 0 and r.status == "ok" for r in second)
    assert {m: count(engine, m) for m in counts} == counts


def test_the_sample_bank_script_is_deterministic(tmp_path: Path) -> None:
    script = ROOT / "scripts" / "make_sample_bank.py"
    outputs = []
    for run in ("a", "b"):
        out = tmp_path / run
        subprocess.run([sys.executable, str(script), "--out", str(out), "--corporates", "30", "--private", "6",
                        "--months", "6", "--seed", "7"], check=True, capture_output=True)
        outputs.append(out)
    names = sorted(path.name for path in outputs[0].iterdir())
    assert {"customers.csv", "relationship_managers.csv", "coverage.csv", "holdings.csv", "product_metrics.csv",
            "products.xlsx", "internal_sales.sqlite"} <= set(names)
    for name in names:
        assert (outputs[0] / name).read_bytes() == (outputs[1] / name).read_bytes(), name
    customers = (outputs[0] / "customers.csv").read_text().splitlines()
    # header, listed, one fictional, private, and the China desk's 16 listed companies (issue 13)
    assert len(customers) == 1 + 30 + 1 + 6 + 16
