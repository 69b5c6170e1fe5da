"""Write the bundled sample bank (``snapshot/bank/``): a deterministic, fictional book.

    .venv/bin/python scripts/make_sample_bank.py [--out snapshot/bank] [--corporates 300]
        [--private 40] [--months 24] [--seed 4754]

Corporate customers are real S&P 500 constituents (names, tickers, CIKs, GICS sub-industry
codes, SIC codes from the SEC list; ``scripts/data/SOURCE.md``) plus a few fictional
Chinese, European and US companies carrying the other code schemes, and real Chinese
listed companies (``scripts/data/cn_listed_companies.csv``: Chinese legal names, 简称,
English names, A/H-share codes, GB/T 4754 codes) on a China desk whose RMs read Chinese;
RMs and private customers are fictional. Who banks with whom, balances and product uptake are invented.
A seeded RNG and fixed file metadata make two runs byte-identical; no network is used.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import math
import random
import re
import sqlite3
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a file from anywhere: mi is imported from the repo

from mi.records.identifiers import uscc_check_character  # noqa: E402
from mi.reference.industries import isic_section  # noqa: E402

DATA = Path(__file__).parent / "data"
LAST_MONTH = dt.date(2026, 10, 1)  # the sample's "latest complete month"
FIXED_ZIP_TIME = (2026, 1, 1, 0, 0, 0)

FIRST_NAMES = ("Amara", "Bjorn", "Chen", "Dalia", "Emeka", "Farah", "Giulia", "Hiroshi", "Ines", "Jonas",
               "Kavya", "Lars", "Mei", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Sanjay", "Tamsin",
               "Umar", "Vera", "Wen", "Ximena", "Yusuf", "Zofia", "Ayodele", "Bruno", "Camille", "Dmitri")
LAST_NAMES = ("Abernathy", "Bergstrom", "Castellanos", "Dimitrov", "Eklund", "Fairweather", "Gallagher",
              "Haddad", "Ishikawa", "Jovanovic", "Kowalczyk", "Lindqvist", "Moreau", "Nakamura", "Okonkwo",
              "Petrakis", "Quintero", "Rasmussen", "Sokolova", "Thorvaldsen", "Uribe", "Varga", "Whitcombe",
              "Xu", "Yilmaz", "Zielinski", "Achterberg", "Brannigan", "Coelho", "Delacroix")
# Fictional companies for the schemes the S&P list does not cover (names are invented).
FICTIONAL = (
    ("Hengrun Precision Machinery Co., Ltd.", "CN", "GBT4754", "C3311", "uscc", "310000"),
    ("Jinhai Grain Processing Co., Ltd.", "CN", "GBT4754", "C1311", "uscc", "320500"),
    ("Lanxing Pharmaceutical Materials Co., Ltd.", "CN", "GBT4754", "C2710", "uscc", "330100"),
    ("Qiaoyun Power Transformer Co., Ltd.", "CN", "GBT4754", "C3821", "uscc", "440300"),
    ("Shuguang Application Software Co., Ltd.", "CN", "GBT4754", "I6513", "uscc", "110108"),
    ("Tongda Road Freight Co., Ltd.", "CN", "GBT4754", "G5431", "uscc", "420100"),
    ("Nordlicht Logistik GmbH", "DE", "ISIC", "5229", "lei", "5299"),
    ("Vallmoll Agroalimentaria S.L.", "ES", "ISIC", "1030", "lei", "9598"),
    ("Brightwater Renewables Ltd", "GB", "ISIC", "3510", "lei", "2138"),
    ("Kestrel Ridge Construction LLC", "US", "NAICS", "236220", None, ""),
    ("Prairie Lantern Foods Inc.", "US", "NAICS", "311412", None, ""),
    ("Blue Heron Dental Partners LLC", "US", "NAICS", "621210", None, ""),
)
# GICS sector (first two digits) or ISIC section -> coverage desk.
DESK_BY_GICS = {"10": "Energy, Resources & Utilities", "15": "Energy, Resources & Utilities",
                "55": "Energy, Resources & Utilities", "20": "Industrials & Transport",
                "25": "Consumer & Retail", "30": "Consumer & Retail", "35": "Healthcare",
                "40": "Financial Institutions", "45": "Technology, Media & Telecom",
                "50": "Technology, Media & Telecom", "60": "Real Estate"}
DESK_BY_ISIC = {"A": "Consumer & Retail", "B": "Energy, Resources & Utilities", "D": "Energy, Resources & Utilities",
                "E": "Energy, Resources & Utilities", "G": "Consumer & Retail", "I": "Consumer & Retail",
                "J": "Technology, Media & Telecom", "K": "Financial Institutions", "L": "Real Estate",
                "Q": "Healthcare"}
PRIVATE_DESK = "Private Banking"
CHINA_DESK = "China Corporates"
# Fictional Chinese-speaking RMs of the China desk (name, e-mail local part).
CHINA_RMS = (("王静", "wang.jing"), ("陈志强", "chen.zhiqiang"))
US_STATES_HINT = re.compile(r"\[\d+\]")
COUNTRIES = {"Ireland": "IE", "United Kingdom": "GB", "Switzerland": "CH", "Bermuda": "BM",
             "Netherlands": "NL", "Canada": "CA"}
# "Walt Disney Company (The)", "Alphabet Inc. (Class A)": index-list qualifiers, not part of the name.
_QUALIFIER = re.compile(r"\s*\((?:The|Class [A-Z])\)$")
# What the bank's customer master also records for a few customers: the name the news and
# the RMs use, which no rule derives from the legal name (an RM writes "JPMorgan").
KNOWN_AS = {"JPM": "JPMorgan", "DIS": "Disney", "GOOGL": "Google", "GOOG": "Google", "XOM": "Exxon",
            "META": "Facebook", "GS": "Goldman Sachs", "MS": "Morgan Stanley",
            "BAC": "BofA"}
_SUFFIXES = re.compile(r"[,.]?\s+(Inc\.?|Incorporated|Corporation|Corp\.?|Company|Co\.|plc|Ltd\.?|Group|"
                       r"Holdings|N\.V\.|S\.A\.|S\.L\.|&\s+Co(?:mpany|\.)?|LLC|GmbH|Partners)$", re.IGNORECASE)


@dataclass(frozen=True)
class Customer:
    ref: str
    name: str
    segment: str
    country: str
    scheme: str
    code: str
    aliases: str
    ticker: str
    cik: str
    lei: str
    uscc: str
    desk: str


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def country_of(headquarters: str) -> str:
    place = US_STATES_HINT.sub("", headquarters).split(",")[-1].strip()
    if place in COUNTRIES:
        return COUNTRIES[place]
    return "" if place.casefold() == "none" else "US"


def short_name(name: str) -> str:
    """'Apple Inc.' is also written 'Apple': an alias entity linking can match."""
    shorter, previous = _QUALIFIER.sub("", name), ""
    while shorter != previous:  # "Co., Ltd." is two suffixes
        previous, shorter = shorter, _SUFFIXES.sub("", shorter).strip()
    return shorter if shorter and shorter != name else ""


def fake_lei(rng: random.Random, prefix: str) -> str:
    body = prefix + "00" + "".join(rng.choice("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(12))
    number = int("".join(str(int(char, 36)) for char in body + "00"))
    return body + f"{98 - number % 97:02d}"  # ISO 7064 MOD 97-10 check digits


def fake_uscc(rng: random.Random, region: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    first17 = "91" + region + "".join(rng.choice(alphabet) for _ in range(9))
    return first17 + uscc_check_character(first17)


def corporates(rng: random.Random, count: int) -> list[Customer]:
    listed = rng.sample(read_csv(DATA / "sp500_companies.csv"), count)
    listed.sort(key=lambda row: row["ticker"])
    customers = []
    for number, row in enumerate(listed, start=1):
        use_sic = bool(row["sic"]) and rng.random() < 0.25  # some books carry SEC SIC codes
        scheme, code = ("SIC", row["sic"]) if use_sic else ("GICS", row["gics_code"])
        aliases = "|".join(dict.fromkeys(a for a in (short_name(row["name"]), KNOWN_AS.get(row["ticker"], "")) if a))
        customers.append(Customer(
            f"C{10000 + number}", row["name"], "corporate", country_of(row["headquarters"]), scheme, code,
            aliases, row["ticker"], row["cik"], "", "", DESK_BY_GICS[row["gics_code"][:2]]))
    return customers


def fictional(rng: random.Random, start: int, count: int) -> list[Customer]:
    customers = []
    for offset, (name, country, scheme, code, kind, prefix) in enumerate(FICTIONAL[:count]):
        lei = fake_lei(rng, prefix) if kind == "lei" else ""
        uscc = fake_uscc(rng, prefix) if kind == "uscc" else ""
        desk = DESK_BY_ISIC.get(isic_section(scheme, code) or "", "Industrials & Transport")
        customers.append(Customer(f"C{start + offset}", name, "corporate", country, scheme, code,
                                  short_name(name), "", "", lei, uscc, desk))
    return customers


def private(rng: random.Random, start: int, count: int) -> list[Customer]:
    countries = ("US", "US", "GB", "DE", "CH", "SG", "CN", "FR")
    names = sorted({f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES})
    chosen = rng.sample(names, count)
    return [Customer(f"C{start + n}", name, "private", rng.choice(countries), "", "", "", "", "", "", "",
                     PRIVATE_DESK) for n, name in enumerate(chosen)]


def coverage(rng: random.Random, customers: Sequence[Customer]) -> tuple[list[list[object]], list[list[object]]]:
    """RMs per desk (about ten customers each) and every customer covered by exactly one."""
    desks: dict[str, list[Customer]] = {}
    for customer in customers:
        desks.setdefault(customer.desk, []).append(customer)
    small = [desk for desk, members in desks.items() if len(members) < 5]
    for desk in small:  # a desk needs enough customers for one RM's book
        desks.setdefault("Industrials & Transport", []).extend(desks.pop(desk))
    names = sorted({f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES})
    rms: list[list[object]] = []
    links: list[list[object]] = []
    used = rng.sample(names, sum(max(1, round(len(m) / 10)) for m in desks.values()))
    for desk in sorted(desks):
        members = sorted(desks[desk], key=lambda c: c.ref)
        rng.shuffle(members)
        team = [used.pop() for _ in range(max(1, round(len(members) / 10)))]
        for position, name in enumerate(team):
            ref = f"RM{len(rms) + 1:03d}"
            email = name.lower().replace(" ", ".") + "@samplebank.example"
            rms.append([ref, name, email, desk, "yes", "en"])
            for customer in members[position::len(team)]:
                since = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(0, 3800))
                links.append([ref, customer.ref, "primary", since.isoformat()])
    links.sort(key=lambda row: str(row[1]))
    # RMs with a customer based in China get their briefs in Chinese (the book's language field).
    in_china = {c.ref for c in customers if c.country == "CN"}
    for rm in rms:
        if any(rm_ref == rm[0] and customer_ref in in_china for rm_ref, customer_ref, *_ in links):
            rm[5] = "zh"
    return rms, links


def months(count: int) -> list[dt.date]:
    firsts = []
    year, month = LAST_MONTH.year, LAST_MONTH.month
    for _ in range(count):
        firsts.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return firsts[::-1]


def metrics(rng: random.Random, shelf: Sequence[dict[str, str]], window: Sequence[dt.date]) -> list[list[object]]:
    """Monthly customers/volume/revenue: a logistic uptake per product, some beating target."""
    rows: list[list[object]] = []
    for product in shelf:
        launch = dt.date.fromisoformat(product["launch_date"])
        target, factor = int(product["uptake_target"]), float(product["performance"])
        steepness = rng.uniform(0.25, 0.6)
        midpoint = 12 + math.log(0.6) / steepness  # the curve reaches target*factor at month 12
        balance, margin = float(product["avg_balance"]), float(product["margin_bps"]) / 10_000
        for month in window:
            age = (month.year - launch.year) * 12 + month.month - launch.month
            if age < 0 or product["status"] == "planned":
                continue
            level = 1.6 * target * factor / (1 + math.exp(-steepness * (age - midpoint)))
            if product["status"] == "withdrawn":
                level *= 0.85 ** max(0, (month - window[len(window) // 3]).days // 30)  # run-off
            count = max(0, round(level * rng.gauss(1.0, 0.02)))
            volume = round(count * balance * rng.gauss(1.0, 0.04), 2)
            revenue = round(volume * margin / 12, 2)
            rows.append([product["product_ref"], month.isoformat(), count, f"{volume:.2f}", f"{revenue:.2f}"])
    return rows


def holdings(rng: random.Random, customers: Sequence[Customer], shelf: Sequence[dict[str, str]]) -> list[list[object]]:
    live = [p for p in shelf if p["status"] == "active"]
    offers = {segment: [p for p in live if p["target_segment"] in segments]
              for segment, segments in (("private", ("private",)), ("listed", ("corporate",)),
                                        ("unlisted", ("corporate", "sme")))}
    rows: list[list[object]] = []
    for customer in customers:
        # Listed companies are not offered the SME range; the fictional mid-caps are.
        offer = offers["private" if customer.segment == "private" else "listed" if customer.ticker else "unlisted"]
        for product in sorted(rng.sample(offer, rng.randint(1, 3 if customer.segment == "private" else 5)),
                              key=lambda p: p["product_ref"]):
            launch = dt.date.fromisoformat(product["launch_date"])
            opened = launch + dt.timedelta(days=rng.randrange(0, max(1, (LAST_MONTH - launch).days)))
            balance = round(float(product["avg_balance"]) * rng.lognormvariate(0, 0.6), 2)
            rows.append([customer.ref, product["product_ref"], opened.isoformat(), f"{balance:.2f}"])
    return rows


XLSX_HEADER = ("Product ID", "Product name", "Category", "Launch date", "Target segment",
               "Target industries (ISIC)", "Uptake target (customers, year 1)", "Cost (EUR)", "Status")


def write_xlsx(path: Path, shelf: Sequence[dict[str, str]]) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Shelf"
    sheet.append(XLSX_HEADER)
    for p in shelf:
        sheet.append([p["product_ref"], p["name"], p["category"], dt.date.fromisoformat(p["launch_date"]),
                      p["target_segment"], p["target_industries"], int(p["uptake_target"]), float(p["cost"]),
                      p["status"]])
    fixed = dt.datetime(2026, 1, 1)
    book.properties.created = fixed
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(_stable_zip(buffer.getvalue(), fixed))


def _stable_zip(data: bytes, when: dt.datetime) -> bytes:
    """The workbook with fixed timestamps (openpyxl stamps the save time into it)."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), content)
            target.writestr(zipfile.ZipInfo(info.filename, FIXED_ZIP_TIME), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def write_sqlite(path: Path, shelf: Sequence[dict[str, str]], metric_rows: Sequence[Sequence[object]]) -> None:
    """The internal sales database, in its own column names (the channels map them)."""
    path.unlink(missing_ok=True)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE products (product_code TEXT PRIMARY KEY, product_name TEXT NOT NULL, "
                   "product_category TEXT NOT NULL, launched_on TEXT, status TEXT)")
        db.execute("CREATE TABLE monthly_sales (product_code TEXT NOT NULL REFERENCES products, month TEXT NOT NULL, "
                   "active_customers INTEGER, volume_eur REAL, revenue_eur REAL, PRIMARY KEY (product_code, month))")
        db.executemany("INSERT INTO products VALUES (?, ?, ?, ?, ?)",
                       [(p["product_ref"], p["name"], p["category"], p["launch_date"], p["status"]) for p in shelf])
        db.executemany("INSERT INTO monthly_sales VALUES (?, ?, ?, ?, ?)",
                       [(ref, str(day)[:7], count, float(volume), float(revenue))
                        for ref, day, count, volume, revenue in metric_rows])
    db.close()


def china_desk(rng: random.Random, first_rm: int) -> tuple[list[Customer], list[list[object]], list[list[object]]]:
    """The China desk: real listed companies, two Chinese-speaking RMs covering them.

    Drawn from an RNG of its own and appended after everything else, so adding the desk
    left every earlier row of the sample as it was."""
    customers = [Customer(f"C{30001 + n}", row["name"], "corporate", "CN", "GBT4754", row["gbt4754"],
                          row["aliases"], row["tickers"], "", "", "", CHINA_DESK)
                 for n, row in enumerate(read_csv(DATA / "cn_listed_companies.csv"))]
    rms = [[f"RM{first_rm + n:03d}", name, f"{local}@samplebank.example", CHINA_DESK, "yes", "zh"]
           for n, (name, local) in enumerate(CHINA_RMS)]
    links = []
    for position, customer in enumerate(customers):
        since = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(0, 3800))
        links.append([rms[position % len(rms)][0], customer.ref, "primary", since.isoformat()])
    return customers, rms, links


def build(out: Path, *, corporates_count: int, private_count: int, month_count: int, seed: int) -> None:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    book = corporates(rng, corporates_count)
    book += fictional(rng, 10000 + corporates_count + 1, max(1, min(len(FICTIONAL), corporates_count // 25)))
    book += private(rng, 20001, private_count)
    rms, links = coverage(rng, book)
    shelf = read_csv(DATA / "product_shelf.csv")
    metric_rows = metrics(rng, shelf, months(month_count))
    book_holdings = holdings(rng, book, shelf)
    cn_rng = random.Random(seed + 86)
    cn_customers, cn_rms, cn_links = china_desk(cn_rng, len(rms) + 1)
    book_holdings += holdings(cn_rng, cn_customers, shelf)
    book, rms, links = book + cn_customers, rms + cn_rms, links + cn_links
    write_csv(out / "relationship_managers.csv", ("rm_ref", "name", "email", "team", "active", "language"),
              rms)
    write_csv(out / "customers.csv", ("customer_ref", "name", "segment", "country", "industry_scheme",
                                      "industry_code", "aliases", "ticker", "cik", "lei", "uscc"),
              [[c.ref, c.name, c.segment, c.country, c.scheme, c.code, c.aliases, c.ticker, c.cik, c.lei, c.uscc]
               for c in book])
    write_csv(out / "coverage.csv", ("rm_ref", "customer_ref", "role", "since"), links)
    write_csv(out / "holdings.csv", ("customer_ref", "product_ref", "opened_on", "balance"), book_holdings)
    write_csv(out / "product_metrics.csv", ("product_ref", "date", "customers", "volume", "revenue"), metric_rows)
    write_xlsx(out / "products.xlsx", shelf)
    write_sqlite(out / "internal_sales.sqlite", shelf, metric_rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "snapshot" / "bank")
    parser.add_argument("--corporates", type=int, default=300, help="S&P 500 companies drawn as customers")
    parser.add_argument("--private", type=int, default=40, help="fictional private-banking customers")
    parser.add_argument("--months", type=int, default=24, help="months of product metrics")
    parser.add_argument("--seed", type=int, default=4754)
    args = parser.parse_args(argv)
    build(args.out, corporates_count=args.corporates, private_count=args.private, month_count=args.months,
          seed=args.seed)
    print(f"sample bank written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
