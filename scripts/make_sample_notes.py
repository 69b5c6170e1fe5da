"""Write the bundled sample field notes (``snapshot/notes/intake/``) for the sample bank.

    .venv/bin/python scripts/make_sample_notes.py [--bank snapshot/bank] [--out snapshot/notes/intake]
        [--seed 2611] [--first 2026-06-01] [--last 2026-11-27]

Run after ``scripts/make_sample_bank.py``: each note is written by an RM about a customer
that RM covers (``coverage.csv``). The notes are fictional, generated from this script's
own templates; files are split per team and month the way desks would drop them: CSV
exports (comma, ISO dates, customer refs), XLSX trackers (customer names, date cells),
CRM JSON exports (with note ids) and a semicolon CSV with day.month.year dates. A seeded
RNG and fixed workbook metadata make two runs byte-identical; every file is read back
with the channel's own parser before the script finishes, so the snapshot loads cleanly.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import random
import re
import sys
import zipfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a file from anywhere: mi is imported from the repo
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sample_note_phrases import (  # noqa: E402  (beside this script)
    COMPETITORS,
    CONTACTS,
    COUNTRIES,
    GREEN,
    HOME_CURRENCIES,
    KPIS,
    MARKETS,
    NEXT_STEPS,
    OPENERS,
    PERIODS,
    PRIVATE_CONTACTS,
    PRIVATE_NEXT_STEPS,
    PRIVATE_OPENERS,
    PRIVATE_THEMES,
    REGIONS,
    SEASONS,
    TEAM_FORMATS,
    TEAM_THEMES,
    THEMES,
    Theme,
)

from mi.sources.notes.rows import NoteFileOptions, read_note_file  # noqa: E402

FIXED_TIME = dt.datetime(2026, 1, 1)
_LEGAL_FORMS = re.compile(r",?\s+(Inc\.|Corp\.|Corporation|Co\., Ltd\.|Ltd\.?|LLC|plc|GmbH|S\.L\.|Group|Holdings|"
                          r"Company|Companies|& Co\.)$")


@dataclass(frozen=True)
class Customer:
    ref: str
    name: str
    segment: str
    country: str
    listed: bool  # listed companies have no owners to offer wealth products to


@dataclass(frozen=True)
class Note:
    rm_ref: str
    team: str
    customer: Customer
    day: dt.date
    text: str
    meeting: str
    tags: tuple[str, ...]
    confidential: bool


def read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        raise SystemExit(f"{path} not found: run scripts/make_sample_bank.py first")
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def unique_names(customers: list[dict[str, str]]) -> set[str]:
    """Customer names that identify one customer (names and aliases, case aside)."""
    owners: dict[str, set[str]] = defaultdict(set)
    for row in customers:
        for name in [row["name"], *re.split(r"[|;]", row["aliases"] or "")]:
            if name.strip():
                owners[" ".join(name.split()).casefold()].add(row["customer_ref"])
    return {name for name, refs in owners.items() if len(refs) == 1}


def short_name(name: str) -> str:
    return _LEGAL_FORMS.sub("", name).strip() or name


def money(rng: random.Random, ccy: str, low: int, high: int) -> str:
    value = rng.choice([v for v in (1, 2, 3, 5, 8, 10, 12, 15, 20, 25, 30, 40, 50, 75, 100, 150) if low <= v <= high])
    return f"{ccy} {value}m"


def render(rng: random.Random, theme: Theme, customer: Customer) -> tuple[str, str]:
    """The note's text and the meeting type its opening sentence names ("" if none)."""
    private = customer.segment == "private"
    ccy = rng.choice(("EUR", "GBP", "JPY")) if customer.country == "US" else "USD"
    home = HOME_CURRENCIES.get(customer.country, "EUR")
    rate = round(rng.uniform(2.4, 3.6), 1)
    slots = {
        "short": short_name(customer.name), "ccy": ccy, "share": rng.choice((20, 30, 35, 40, 55, 60)),
        "pct": rng.choice((40, 50, 60, 70, 75, 80)),
        "amount": money(rng, home, 1, 20) if private else money(rng, home, 2, 150),
        "contact": rng.choice(PRIVATE_CONTACTS if private else CONTACTS),
        "competitor": rng.choice(COMPETITORS), "rate": f"{rate:.1f}",
        "our_rate": f"{rate - rng.choice((0.3, 0.4, 0.5)):.1f}",
        "tenor": rng.choice(("3-month", "6-month", "12-month", "12-month", "2-year")),
        "market": rng.choice(MARKETS), "region": rng.choice(REGIONS), "countries": rng.choice(COUNTRIES),
        "green": rng.choice(GREEN), "kpi": rng.choice(KPIS), "season": rng.choice(SEASONS),
        "period": rng.choice(PERIODS), "years": rng.choice((3, 5, 7, 10)), "n": rng.choice((6, 8, 12, 20, 35, 60)),
        "days": rng.choice((60, 75, 90, 120)), "d1": rng.choice((38, 42, 45)), "d2": rng.choice((55, 61, 68)),
    }
    template = rng.choice(theme.bodies)
    body = template.format(**slots)
    opener, meeting = rng.choice(PRIVATE_OPENERS if private else OPENERS)
    if "{contact}" in template:  # the body already says whom the RM spoke to
        opener = ""
    steps = (PRIVATE_NEXT_STEPS if private else NEXT_STEPS) + theme.next_steps * 2
    parts = [opener.format(**slots), body[0].upper() + body[1:], rng.choice(steps)]
    return " ".join(part for part in parts if part), meeting


def working_days(first: dt.date, last: dt.date) -> list[dt.date]:
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    return [day for day in days if day.weekday() < 5]


def make_notes(rng: random.Random, rms: list[dict[str, str]], customers: dict[str, Customer],
               coverage: dict[str, list[str]], days: list[dt.date]) -> list[Note]:
    notes = []
    for rm in rms:
        covered = [customers[ref] for ref in coverage.get(rm["rm_ref"], [])]
        if not covered or rm["team"] == CHINA_DESK:  # written in Chinese by hand: write_china_notes
            continue
        # A few customers get most of an RM's attention; some get none in the period.
        focus = rng.sample(covered, k=max(1, (2 * len(covered)) // 3))
        for _ in range(rng.randint(7, 14)):
            customer = rng.choice(focus)
            private = customer.segment == "private"
            themes = PRIVATE_THEMES if private else THEMES
            names = tuple(PRIVATE_THEMES) if private else TEAM_THEMES.get(rm["team"], tuple(THEMES))
            names = tuple(n for n in names if not (n == "wealth" and customer.listed)) or names
            name = "deal" if not private and rng.random() < 0.03 else rng.choice(names)
            theme = themes[name]
            extra_tags = (customer.country.lower(),) if name in ("fx", "trade") and rng.random() < 0.3 else ()
            confidential = theme.always_confidential or rng.random() < 0.03
            text, meeting = render(rng, theme, customer)
            notes.append(Note(rm["rm_ref"], rm["team"], customer, rng.choice(days), text, meeting,
                              theme.tags + extra_tags, confidential))
    return sorted(notes, key=lambda n: (n.day, n.rm_ref, n.customer.ref, n.text))


CHINA_DESK = "China Corporates"
CHINA_NOTES = Path(__file__).parent / "data" / "cn_field_notes.csv"


def write_china_notes(out: Path) -> dict[str, int]:
    """The China desk's notes (issue 13): written in Chinese by hand, not from the English
    templates; copied into one CSV per month as the desk would drop them."""
    with open(CHINA_NOTES, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        by_month: dict[str, list[list[str]]] = defaultdict(list)
        for row in reader:
            by_month[row[0][:7]].append(row)
    written = {}
    for month, rows in sorted(by_month.items()):
        name = f"{month}_{slug(CHINA_DESK)}.csv"
        (out / name).write_bytes(csv_bytes(header, rows))
        written[name] = len(rows)
    return written


def slug(team: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", team.lower().replace("&", "")).strip("-")


def csv_bytes(header: Sequence[str], rows: list[list[str]], delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def write_csv_export(notes: list[Note]) -> bytes:
    """A CRM list export: refs, ISO dates, a meeting-type column the channel keeps as extra."""
    return csv_bytes(("date", "rm_ref", "customer_ref", "meeting", "note", "tags", "confidential"), [
        [n.day.isoformat(), n.rm_ref, n.customer.ref, n.meeting, n.text, ", ".join(n.tags),
         "yes" if n.confidential else "no"] for n in notes])


def write_eu_csv(notes: list[Note], names: set[str]) -> bytes:
    """A desk spreadsheet saved as CSV in a European locale: ';' and day.month.year."""
    return csv_bytes(("Date", "RM", "Client", "Note", "Tags", "Confidential"), [
        [n.day.strftime("%d.%m.%Y"), n.rm_ref, customer_label(n.customer, names), n.text, "; ".join(n.tags),
         "Y" if n.confidential else "N"] for n in notes], delimiter=";")


def customer_label(customer: Customer, names: set[str]) -> str:
    """The name an RM would type, when it identifies the customer; else the ref."""
    return customer.name if " ".join(customer.name.split()).casefold() in names else customer.ref


def write_json_export(notes: list[Note], first_id: int) -> bytes:
    records = [{"id": f"N-2026-{first_id + i:05d}", "rm": n.rm_ref, "customer_id": n.customer.ref,
                "date": n.day.isoformat(), "text": n.text, "tags": list(n.tags), "confidential": n.confidential}
               for i, n in enumerate(notes)]
    document = {"source": "CRM mobile app export", "notes": records}
    return (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def write_xlsx(notes: list[Note], names: set[str]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Notes"
    sheet.append(("Date", "RM", "Customer", "Note", "Tags", "Confidential"))
    for n in notes:
        sheet.append((n.day, n.rm_ref, customer_label(n.customer, names), n.text, ", ".join(n.tags),
                      "Yes" if n.confidential else "No"))
    book.properties.created = book.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    book.save(buffer)
    return stable_zip(buffer.getvalue())


def stable_zip(data: bytes) -> bytes:
    """The workbook with fixed entry times and save stamp, so reruns give the same bytes."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, content)
            target.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME.timetuple()[:6]), content,
                            zipfile.ZIP_DEFLATED)
    return out.getvalue()


def write_files(out: Path, notes: list[Note], names: set[str]) -> dict[str, int]:
    groups: dict[tuple[str, str], list[Note]] = defaultdict(list)
    for note in notes:
        groups[(note.team, note.day.strftime("%Y-%m"))].append(note)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        if old.is_file():
            old.unlink()  # a rerun with other options must not leave stale files behind
    written: dict[str, int] = {}
    next_id = 1
    for (team, month), group in sorted(groups.items()):
        kind = TEAM_FORMATS.get(team, "csv")
        if kind == "xlsx":
            name, body = f"{month}_{slug(team)}_tracker.xlsx", write_xlsx(group, names)
        elif kind == "json":
            name, body = f"crm-export_{month}_{slug(team)}.json", write_json_export(group, next_id)
            next_id += len(group)
        elif kind == "csv_eu":
            name, body = f"{month}_{slug(team)}.csv", write_eu_csv(group, names)
        else:
            name, body = f"{month}_{slug(team)}.csv", write_csv_export(group)
        (out / name).write_bytes(body)
        written[name] = len(group)
    return written


def check(out: Path, written: dict[str, int]) -> None:
    """Read every file back with the channel's parser: the snapshot must load without problems."""
    for name, expected in written.items():
        body = (out / name).read_bytes()
        parsed = read_note_file(body, url=str(out / name), content_type=None, options=NoteFileOptions())
        if parsed.fatal or parsed.problems or len(parsed.records) != expected:
            raise SystemExit(f"{name}: {parsed.fatal or parsed.problems[:3] or len(parsed.records)}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bank", type=Path, default=ROOT / "snapshot" / "bank")
    parser.add_argument("--out", type=Path, default=ROOT / "snapshot" / "notes" / "intake")
    parser.add_argument("--seed", type=int, default=2611)
    parser.add_argument("--first", type=dt.date.fromisoformat, default=dt.date(2026, 6, 1))
    parser.add_argument("--last", type=dt.date.fromisoformat, default=dt.date(2026, 11, 27))
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    rms = read_csv(args.bank / "relationship_managers.csv")
    customer_rows = read_csv(args.bank / "customers.csv")
    customers = {r["customer_ref"]: Customer(r["customer_ref"], r["name"], r["segment"], r["country"],
                                             bool(r["ticker"])) for r in customer_rows}
    coverage: dict[str, list[str]] = defaultdict(list)
    for row in read_csv(args.bank / "coverage.csv"):
        if row["customer_ref"] in customers:
            coverage[row["rm_ref"]].append(row["customer_ref"])
    notes = make_notes(rng, [r for r in rms if r.get("active", "yes") != "no"], customers, coverage,
                       working_days(args.first, args.last))
    written = write_files(args.out, notes, unique_names(customer_rows))
    written.update(write_china_notes(args.out))
    check(args.out, written)
    size = sum((args.out / name).stat().st_size for name in written)
    print(f"{sum(written.values())} field notes in {len(written)} files ({size // 1024} KB) written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
