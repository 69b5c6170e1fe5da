"""RM field notes: the ``field_notes`` channel kind (CSV, XLSX, JSON files in an intake
folder) and ``add_note`` for ``mi note add``, on SQLite and PostgreSQL.

The book rows are inserted directly, so these tests do not depend on the book loaders.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, func, insert, select

from mi.gathering import ChannelResult, gather_channel, replay_channel
from mi.notes import add_note
from mi.records.channels import ChannelConfig, ConfigError
from mi.records.limits import Limits
from mi.records.notes import NoteError
from mi.records.parsed import ParseResult
from mi.sources.config import load_channels
from mi.sources.notes.intake import FieldNotesSource
from mi.sources.notes.rows import NoteFileOptions, read_note_file
from mi.sources.notes.values import normalise_tags, read_flag, read_note_date
from mi.sources.registry import source_for
from mi.warehouse.book import Company, CompanyAlias, Coverage, Customer, RelationshipManager
from mi.warehouse.loading import sync_channels
from mi.warehouse.models import RawItem
from mi.warehouse.products import FieldNote
from tests.helpers import make_transport
from tests.workbooks import workbook

ROOT = Path(__file__).parent.parent
SNAPSHOT = ROOT / "snapshot"
DAY = dt.datetime(2026, 11, 28, 6, 0, tzinfo=dt.timezone.utc)
# RM001 covers Apple Inc., Apple Hospitality REIT and Nordlicht; RM002 covers Ärztehaus.
BOOK = {
    "rms": [("RM001", "Nadia Castellanos"), ("RM002", "Jonas Delacroix")],
    "customers": [("C0012", "Apple Inc.", ["Apple", "Apple Computer"]),
                  ("C0458", "Apple Hospitality REIT", ["Apple"]),
                  ("C0042", "Nordlicht Logistik GmbH", []),
                  ("C0077", "Ärztehaus Süd GmbH", [])],
    "coverage": [("RM001", "C0012"), ("RM001", "C0458"), ("RM001", "C0042"), ("RM002", "C0077")],
}

# Line numbers: header 1; good 2, 3 (by name, any case); unknown RM 4; unknown customer 5;
# missing date 6; bad flag 7; good 8 (an accented name, any case).
MIXED_CSV = """date,rm,customer,note,tags,confidential,channel
2026-11-02,RM001,C0012,CFO wants to hedge half of next year's USD receivables,fx; hedging,no,visit
03.11.2026,RM001,nordlicht logistik gmbh,Needs a EUR 5m working-capital line before the peak season,\
Working Capital,yes,call
2026-11-03,RM999,C0012,Asked about cash pooling for the EU subsidiaries,cash-pooling,no,
2026-11-04,RM001,Globex Corporation,Export finance for Vietnam,trade-finance,,
,RM001,C0042,Treasurer asked about supply-chain finance for 40 suppliers,scf,no,
2026-11-05,RM001,C0042,Falkenried Bank offers 3.2% on 12-month deposits,deposits,maybe,
5 Nov 2026,RM002,ärztehaus süd gmbh,Owners want to talk about wealth planning after the sale,wealth,1,
"""



def setup_book(engine: Engine) -> None:
    with engine.begin() as conn:
        rm_ids = {ref: conn.execute(insert(RelationshipManager).values(rm_ref=ref, name=name)
                                    .returning(RelationshipManager.id)).scalar_one()
                  for ref, name in BOOK["rms"]}
        customer_ids = {}
        for ref, name, aliases in BOOK["customers"]:
            company_id = conn.execute(insert(Company).values(company_ref=f"CUSTOMER:{ref}", name=name)
                                      .returning(Company.id)).scalar_one()
            for alias in [name, *aliases]:
                conn.execute(insert(CompanyAlias).values(company_id=company_id, kind="name", value=alias))
            customer_ids[ref] = conn.execute(insert(Customer).values(
                customer_ref=ref, name=name, segment="corporate", company_id=company_id)
                .returning(Customer.id)).scalar_one()
        for rm, customer in BOOK["coverage"]:
            conn.execute(insert(Coverage).values(rm_id=rm_ids[rm], customer_id=customer_ids[customer]))


@pytest.fixture
def book(engine: Engine) -> Engine:
    setup_book(engine)
    return engine


@pytest.fixture
def intake(tmp_path: Path) -> Path:
    folder = tmp_path / "intake"
    folder.mkdir()
    return folder


def gather(engine: Engine, folder: Path, **options: object) -> ChannelResult:
    channel = ChannelConfig(name="rm-field-notes", kind="field_notes", urls=(str(folder),), options=options)
    with engine.begin() as conn:
        sync_channels(conn, [channel])
    return gather_channel(engine, channel, make_transport(timeout=1.0), now=DAY)


def notes(engine: Engine) -> list:
    with engine.connect() as conn:
        return conn.execute(select(FieldNote.__table__).order_by(FieldNote.id)).all()


def count_notes(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(FieldNote)).scalar_one()


def refs_of(engine: Engine) -> dict[int, str]:
    with engine.connect() as conn:
        return dict(conn.execute(select(Customer.id, Customer.customer_ref)).all())


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# -- files ---------------------------------------------------------------------------------
def test_a_csv_with_bad_rows_loads_the_good_ones_and_names_each_bad_line(book: Engine, intake: Path) -> None:
    (intake / "2026-w45.csv").write_text(MIXED_CSV, encoding="utf-8")
    result = gather(book, intake)
    assert result.status == "partial" and result.new == 3 and result.quarantined == 4
    problems = "\n".join(result.problems)
    for expected in ("line 4: unknown RM 'RM999'; note not loaded",
                     "line 5: unknown customer 'Globex Corporation' (no customer id, name or alias matches)",
                     "line 6: missing date; note not loaded",
                     "line 7: confidential 'maybe' is not yes/no"):
        assert expected in problems
    assert len(result.problems) == 4
    with book.connect() as conn:
        raw = conn.execute(select(RawItem.__table__)).one()
    assert raw.parse_status == "partial"
    assert all(f"line {n}:" in raw.parse_error for n in (4, 5, 6, 7))
    loaded = notes(book)
    refs = refs_of(book)
    assert [refs[n.customer_id] for n in loaded] == ["C0012", "C0042", "C0077"]
    first, second, third = loaded
    assert first.tags == ["fx", "hedging"] and not first.confidential and first.noted_on == dt.date(2026, 11, 2)
    assert second.tags == ["working-capital"] and second.confidential and second.noted_on == dt.date(2026, 11, 3)
    assert second.source == "2026-w45.csv line 3" and second.raw_item_id == raw.id
    assert second.extra == {"channel": "call"}  # an unrecognised column is kept, not lost
    assert third.confidential and third.noted_on == dt.date(2026, 11, 5)


def test_an_ambiguous_customer_name_names_the_candidates(book: Engine, intake: Path) -> None:
    (intake / "notes.csv").write_text(
        "date,rm_ref,customer_name,text\n"
        "2026-11-02,RM001,apple,Wants a green capex loan for the new campus\n"
        "2026-11-02,RM001,Apple Computer,Asked for FX forward pricing\n", encoding="utf-8")
    result = gather(book, intake)
    assert result.problems == (
        f"{intake / 'notes.csv'}: line 2: customer name 'apple' is ambiguous: matches C0012 (Apple Inc.), "
        "C0458 (Apple Hospitality REIT) — use the customer id; note not loaded",)
    assert result.new == 1 and [refs_of(book)[n.customer_id] for n in notes(book)] == ["C0012"]


def test_a_note_about_a_customer_the_rm_does_not_cover_is_rejected(book: Engine, intake: Path) -> None:
    (intake / "notes.csv").write_text(
        "date,rm_ref,customer_ref,text\n"
        "2026-11-02,RM002,C0042,Needs trade finance for a new export market in Mexico\n"
        "2026-11-02,RM002,C0077,Asked about deposit rates\n", encoding="utf-8")
    result = gather(book, intake)
    assert result.new == 1 and result.quarantined == 1
    assert "line 2: RM RM002 does not cover the customer given as 'C0042'; note not loaded" in result.problems[0]
    # The refusal must not tell the RM who the customer outside their book is.
    assert "Nordlicht" not in "\n".join(result.problems)


def test_xlsx_and_json_files_are_read_and_other_files_ignored(book: Engine, intake: Path) -> None:
    (intake / "industrials-2026-11.xlsx").write_bytes(xlsx_bytes([
        ["Date", "RM", "Customer", "Note", "Tags", "Confidential"],
        [dt.date(2026, 11, 9), "RM001", "Nordlicht Logistik GmbH", "Interest-rate swap after the rate move",
         "IRS, hedging", True],
        [dt.datetime(2026, 11, 10, 15, 30), "rm001", "c0012", "Cash pooling across six countries", None, "no"],
        [None, "RM001", "C0012", "Undated note", None, None],
    ]))
    (intake / "crm-export.json").write_text(json.dumps({"notes": [
        {"id": "N-1001", "rm": "RM002", "customer_id": "C0077", "date": "2026-11-11",
         "text": "Owner asks about an ESG bond fund for the family holding", "tags": ["Wealth", "#ESG"],
         "confidential": True, "product": "ESG Bond Fund"},
        {"id": "N-1002", "rm": "RM002", "customer_id": "C0077", "text": "No date here"},
        "not a note",
    ]}), encoding="utf-8")
    for ignored in ("~$industrials-2026-11.xlsx", ".sync.csv", "readme.txt"):
        (intake / ignored).write_bytes(b"junk")
    result = gather(book, intake)
    assert result.fetched == 2 and result.new == 3 and result.quarantined == 3
    problems = "\n".join(result.problems)
    assert "industrials-2026-11.xlsx: line 4: missing date" in problems
    assert "crm-export.json: record 2: missing date" in problems
    assert "crm-export.json: record 3: not an object" in problems
    by_ref = {n.note_ref.rpartition(":")[2]: n for n in notes(book)}  # a file's own id, without its scope
    assert by_ref["N-1001"].tags == ["wealth", "esg"] and by_ref["N-1001"].confidential
    assert by_ref["N-1001"].extra == {"product": "ESG Bond Fund"}
    workbook_notes = [n for ref, n in by_ref.items() if ref != "N-1001"]
    assert sorted(n.noted_on for n in workbook_notes) == [dt.date(2026, 11, 9), dt.date(2026, 11, 10)]
    assert any(n.tags == ["irs", "hedging"] and n.confidential for n in workbook_notes)


def test_an_unquoted_separator_in_a_note_refuses_the_row_instead_of_cutting_it(book: Engine, intake: Path) -> None:
    (intake / "notes.csv").write_text(
        "date,rm_ref,customer_ref,text,tags\n"
        "2026-11-02,RM001,C0012,Needs a EUR 5m line, urgent,credit\n"
        "2026-11-02,RM001,C0012,\"Needs a EUR 5m line, urgent\",credit,,\n", encoding="utf-8")
    result = gather(book, intake)
    assert result.new == 1 and len(result.problems) == 1
    assert "line 2: 6 cells but the header has 5" in result.problems[0]
    assert notes(book)[0].text == "Needs a EUR 5m line, urgent"


def test_a_header_without_the_needed_columns_is_quarantined(book: Engine, intake: Path) -> None:
    (intake / "notes.csv").write_text("when,who,about,what\n2026-11-02,RM001,C0012,Hello\n", encoding="utf-8")
    result = gather(book, intake)
    assert result.status == "failed" and "header lacks rm_ref, customer_ref or customer, date, text" in result.error
    # The kept payload is re-read once the channel maps the columns.
    mapped = ChannelConfig(name="rm-field-notes", kind="field_notes", urls=(str(intake),), options={
        "columns": {"when": "date", "who": "rm_ref", "about": "customer", "what": "text"}})
    replayed = replay_channel(book, mapped)
    assert replayed.status == "ok" and replayed.new == 1 and count_notes(book) == 1


def test_the_same_folder_twice_and_the_same_note_in_two_files_add_one_row_each(book: Engine, intake: Path) -> None:
    (intake / "a.csv").write_text(MIXED_CSV, encoding="utf-8")
    first = gather(book, intake)
    second = gather(book, intake)
    assert first.new == 3 and second.new == 0 and second.unchanged == second.fetched == 1
    # The same note in another file, naming the customer by alias and with other spacing.
    (intake / "b.csv").write_text(
        "date,rm,customer,note\n"
        "2026-11-02,RM001,APPLE INC.,CFO wants to hedge half of  next year's USD receivables\n"
        "2026-11-06,RM001,C0012,Asked for a supply-chain finance proposal\n", encoding="utf-8")
    third = gather(book, intake)
    assert third.new == 1 and third.unchanged == 2 and count_notes(book) == 4
    with book.connect() as conn:
        assert conn.execute(select(func.count()).select_from(RawItem)).scalar_one() == 2


def test_resent_copies_update_but_never_lift_confidential(book: Engine, intake: Path) -> None:
    header = "note_id,date,rm_ref,customer_ref,text,confidential\n"
    (intake / "crm.csv").write_text(header + "7,2026-11-02,RM001,C0012,Plans an acquisition in Spain,yes\n",
                                    encoding="utf-8")
    gather(book, intake)
    (intake / "crm.csv").write_text(header + "7,2026-11-02,RM001,C0012,Plans an acquisition in Spain (Q1),no\n",
                                    encoding="utf-8")
    edited = gather(book, intake)
    (note,) = notes(book)
    assert edited.new == 1 and note.text.endswith("(Q1)") and note.confidential
    # Within one file an id names one note: reused for another RM's note, it is refused.
    (intake / "crm.csv").write_text(header + "7,2026-11-02,RM001,C0012,Plans an acquisition in Spain (Q1),no\n"
                                    "7,2026-11-03,RM002,C0077,Asked about cash pooling,no\n", encoding="utf-8")
    clash = gather(book, intake)
    assert clash.new == 0 and "line 3: note id '7' already belongs to a note by another RM" in clash.problems[0]
    assert count_notes(book) == 1


def test_two_trackers_numbering_rows_from_one_keep_both_sets(book: Engine, intake: Path) -> None:
    """Regression: ids shared one namespace, so a second file's note 1 overwrote the first's."""
    header = "note_id,date,rm_ref,customer_ref,text\n"
    (intake / "tracker-a.csv").write_text(header + "1,2026-11-02,RM001,C0012,Wants cash pooling\n"
                                          "2,2026-11-02,RM001,C0012,Asks about FX forwards\n", encoding="utf-8")
    (intake / "tracker-b.csv").write_text(header + "1,2026-11-05,RM001,C0012,Plans a plant in Mexico\n"
                                          "2,2026-11-05,RM001,C0012,Needs a guarantee line\n", encoding="utf-8")
    result = gather(book, intake)
    assert result.new == 4 and count_notes(book) == 4
    assert sorted(n.text for n in notes(book)) == ["Asks about FX forwards", "Needs a guarantee line",
                                                  "Plans a plant in Mexico", "Wants cash pooling"]
    # Read again, nothing changes; an edit in one tracker changes only its own note 1.
    (intake / "tracker-b.csv").write_text(header + "1,2026-11-05,RM001,C0012,Plans a plant in Monterrey\n"
                                          "2,2026-11-05,RM001,C0012,Needs a guarantee line\n", encoding="utf-8")
    again = gather(book, intake)
    assert again.new == 1 and sorted(n.text for n in notes(book))[2:] == ["Plans a plant in Monterrey",
                                                                         "Wants cash pooling"]


def test_a_file_reusing_a_crm_note_id_does_not_overwrite_it(book: Engine, intake: Path) -> None:
    header = "note_id,date,rm_ref,customer_ref,text\n"
    (intake / "crm-export.csv").write_text(header + "N-1,2026-11-02,RM001,C0012,Board approved the bond\n",
                                           encoding="utf-8")
    gather(book, intake)
    (intake / "my-notes.csv").write_text(header + "N-1,2026-11-09,RM001,C0012,Lunch with the treasurer\n",
                                         encoding="utf-8")
    result = gather(book, intake)
    assert result.new == 1 and sorted(n.text for n in notes(book)) == ["Board approved the bond",
                                                                      "Lunch with the treasurer"]


def test_a_missing_intake_folder_fails_the_channel_with_its_path(book: Engine, tmp_path: Path) -> None:
    result = gather(book, tmp_path / "nowhere")
    assert result.status == "failed" and "intake folder" in result.error and "nowhere" in result.error


# -- mi note add ---------------------------------------------------------------------------
def test_add_note_records_once_and_says_so(book: Engine) -> None:
    day = dt.date(2026, 11, 20)
    first = add_note(book, rm="RM001", customer="Apple Inc.", text="Wants cash pooling for EU entities",
                     noted_on=day, tags=["cash pooling", "eu"])
    again = add_note(book, rm="rm001", customer="C0012", text="wants cash pooling for EU  entities", noted_on=day)
    assert (first.status, again.status) == ("added", "already recorded")
    assert first.note_ref == again.note_ref and first.customer_ref == "C0012"
    assert "added: note by RM001 about C0012 (Apple Inc.) on 2026-11-20" in first.message
    flagged = add_note(book, rm="RM001", customer="C0012", text="Wants cash pooling for EU entities",
                       noted_on=day, confidential=True)
    (note,) = notes(book)
    assert flagged.status == "updated" and note.confidential and note.source == "cli"
    assert note.tags == ["cash-pooling", "eu"] and note.raw_item_id is None  # the first copy's tags stay


def test_add_note_and_a_file_share_identity(book: Engine, intake: Path) -> None:
    add_note(book, rm="RM001", customer="Nordlicht Logistik GmbH", noted_on=dt.date(2026, 11, 3),
             text="Needs a EUR 5m working-capital line before the peak season")
    (intake / "a.csv").write_text(MIXED_CSV, encoding="utf-8")
    result = gather(book, intake)
    # Line 3's note was already recorded: no second row, but its confidential flag is raised
    # (2 notes added + 1 updated).
    assert result.new == 3 and count_notes(book) == 3
    (nordlicht,) = [n for n in notes(book) if refs_of(book)[n.customer_id] == "C0042"]
    assert nordlicht.confidential and nordlicht.source == "cli"


@pytest.mark.parametrize(("rm", "customer", "text", "message"), [
    ("RM999", "C0012", "Hello", "unknown RM 'RM999'"),
    ("RM001", "Globex", "Hello", "unknown customer 'Globex' (no customer id, name or alias matches)"),
    ("RM001", "Apple", "Hello", "customer name 'Apple' is ambiguous: matches C0012 (Apple Inc.), "
                                "C0458 (Apple Hospitality REIT) — use the customer id"),
    ("RM002", "C0012", "Hello", "RM RM002 does not cover the customer given as 'C0012'"),
    ("RM001", "C0012", "   ", "the note text is empty"),
])
def test_add_note_errors_are_clear(book: Engine, rm: str, customer: str, text: str, message: str) -> None:
    with pytest.raises(NoteError) as error:
        add_note(book, rm=rm, customer=customer, text=text)
    assert str(error.value) == message and count_notes(book) == 0


# -- cell readers --------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "day"), [
    ("2026-11-05", dt.date(2026, 11, 5)), ("2026-11-05T09:30:00Z", dt.date(2026, 11, 5)),
    ("05.11.2026", dt.date(2026, 11, 5)), ("5 Nov 2026", dt.date(2026, 11, 5)),
    ("Nov 5, 2026", dt.date(2026, 11, 5)), ("13/04/2026", dt.date(2026, 4, 13)),
    ("04/13/2026", dt.date(2026, 4, 13)), ("2026/11/05", dt.date(2026, 11, 5)),
])
def test_note_dates_in_common_spellings(text: str, day: dt.date) -> None:
    assert read_note_date(text) == day


@pytest.mark.parametrize(("text", "message"), [
    ("03/04/2026", "ambiguous"), ("2026-02-30", "does not exist"), ("2026-11", "not a date"),
    ("", "missing date"), ("soon", "not a date"),
])
def test_unreadable_note_dates_say_why(text: str, message: str) -> None:
    with pytest.raises(NoteError, match=message):
        read_note_date(text)
    assert read_note_date("03/04/2026", "%d/%m/%Y") == dt.date(2026, 4, 3)


def test_tags_and_flags() -> None:
    assert normalise_tags("FX Hedging; #fx_hedging, trade finance|") == ("fx-hedging", "trade-finance")
    assert normalise_tags(["Wealth", "esg, bonds"]) == ("wealth", "esg", "bonds")
    assert [read_flag(v) for v in ("Yes", "no", "TRUE", "0", 1, False, None, "")] == \
        [True, False, True, False, True, False, False, False]
    with pytest.raises(NoteError, match="not yes/no"):
        read_flag("maybe")


# -- the bundled sample ----------------------------------------------------------------------
def sample_csv(name: str) -> list[dict[str, str]]:
    with (SNAPSHOT / "bank" / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_sample_book(engine: Engine) -> None:
    """The sample bank's RMs, customers (names and aliases) and coverage, inserted directly."""
    with engine.begin() as conn:
        rm_ids = {row["rm_ref"]: conn.execute(insert(RelationshipManager).values(
            rm_ref=row["rm_ref"], name=row["name"]).returning(RelationshipManager.id)).scalar_one()
            for row in sample_csv("relationship_managers.csv")}
        customer_ids = {}
        for row in sample_csv("customers.csv"):
            company_id = conn.execute(insert(Company).values(company_ref=f"CUSTOMER:{row['customer_ref']}",
                                                             name=row["name"]).returning(Company.id)).scalar_one()
            names = {row["name"], *(a for a in re.split(r"[|;]", row["aliases"]) if a)}
            conn.execute(insert(CompanyAlias),
                         [{"company_id": company_id, "kind": "name", "value": name} for name in names])
            customer_ids[row["customer_ref"]] = conn.execute(insert(Customer).values(
                customer_ref=row["customer_ref"], name=row["name"], segment=row["segment"],
                company_id=company_id).returning(Customer.id)).scalar_one()
        conn.execute(insert(Coverage), [
            {"rm_id": rm_ids[row["rm_ref"]], "customer_id": customer_ids[row["customer_ref"]]}
            for row in sample_csv("coverage.csv")])


def test_the_bundled_sample_notes_load_cleanly(engine: Engine) -> None:
    load_sample_book(engine)
    (channel,) = load_channels(SNAPSHOT / "notes" / "channels.fragment.yaml")
    intake = SNAPSHOT / "notes" / "intake"
    assert channel.kind == "field_notes" and channel.urls == (str(intake.resolve()),)
    with engine.begin() as conn:
        sync_channels(conn, [channel])
    result = gather_channel(engine, channel, make_transport(timeout=1.0), now=DAY)
    assert result.status == "ok" and result.problems == () and result.fetched == len(list(intake.iterdir()))
    assert result.new == count_notes(engine) >= 300
    with engine.connect() as conn:
        confidential = conn.execute(
            select(func.count()).select_from(FieldNote).where(FieldNote.confidential)).scalar_one()
    assert 0 < confidential < result.new // 10
    assert {Path(n.source.split(" ")[0]).suffix for n in notes(engine)} == {".csv", ".xlsx", ".json"}


def test_the_sample_script_rewrites_the_bundled_files_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "intake"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_sample_notes.py"), "--out", str(out)],
                   check=True, capture_output=True)
    bundled = SNAPSHOT / "notes" / "intake"
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in bundled.iterdir())
    assert all((out / p.name).read_bytes() == p.read_bytes() for p in bundled.iterdir())
    assert sum(p.stat().st_size for p in bundled.iterdir()) < 500_000
    sample = bundled / sorted(p.name for p in bundled.iterdir() if p.suffix == ".csv")[0]
    parsed = read_note_file(sample.read_bytes(), url=str(sample), content_type=None, options=NoteFileOptions())
    assert parsed.records and not parsed.problems


@pytest.mark.parametrize(("options", "message"), [
    ({"date_format": ["%d/%m/%Y"]}, "option 'date_format': must be text, not a list"),
    ({"columns": {"Kunde": "client"}}, "option 'columns': maps to unknown field(s) client (fields: note_id, rm_ref,"),
    ({"query": "SELECT * FROM notes"}, "option 'query': unknown option (known: columns, date_format, delimiter, "
                                       "sheet)"),
])
def test_field_notes_options_are_checked_when_the_channel_is_built(tmp_path: Path, options: dict[str, object],
                                                                   message: str) -> None:
    with pytest.raises(ConfigError) as error:
        FieldNotesSource(ChannelConfig(name="notes", kind="field_notes", urls=(str(tmp_path),), options=options))
    assert str(error.value).startswith(f"channel 'notes' (field_notes): {message}"), str(error.value)


def test_field_notes_options_become_the_note_file_options(tmp_path: Path) -> None:
    source = FieldNotesSource(ChannelConfig(name="notes", kind="field_notes", urls=(str(tmp_path),), options={
        "columns": {"Kunde": "customer"}, "sheet": "Notes", "delimiter": "tab", "date_format": "%d/%m/%Y"}))
    assert source.file_options == NoteFileOptions({"Kunde": "customer"}, "Notes", "\t", "%d/%m/%Y")


def test_a_payload_holding_a_confidential_note_is_flagged_in_the_raw_layer(book: Engine, intake: Path) -> None:
    (intake / "open.csv").write_text("date,rm_ref,customer_ref,text,confidential\n"
                                     "2026-11-02,RM001,C0012,Wants cash pooling,no\n", encoding="utf-8")
    (intake / "secret.csv").write_text("date,rm_ref,customer_ref,text,confidential\n"
                                       "2026-11-02,RM001,C0012,Plans to sell the Spanish unit,yes\n",
                                       encoding="utf-8")
    (intake / "broken.csv").write_text("when,who\n2026-11-02,RM001\n", encoding="utf-8")  # unreadable: may hold any
    gather(book, intake)
    with book.connect() as conn:
        flags = {Path(r.external_id).name: r.confidential
                 for r in conn.execute(select(RawItem.external_id, RawItem.confidential))}
    assert flags == {"open.csv": False, "secret.csv": True, "broken.csv": True}


# -- bad files: limits, encodings, NaN (parsing only) ----------------------------------------
def parse_notes(body: bytes, name: str) -> ParseResult:
    source = source_for(ChannelConfig(name="rm-field-notes", kind="field_notes", urls=("intake",)))
    return source.parse(body, url=f"intake/{name}", content_type=None)


NOTE_HEADER = ["date", "rm_ref", "customer_ref", "text"]


def test_an_xlsx_that_inflates_into_a_giant_note_is_quarantined_with_the_limit() -> None:
    # The reported file: 616 KB on disk, one cell of 629 MB once inflated. This one is ~70 KB
    # and 70 MB, past the 64 MiB default; openpyxl never sees it.
    bomb = workbook([NOTE_HEADER, ["2026-11-02", "RM001", "C0012", "x" * 70_000_000]])
    tracemalloc.start()
    try:
        parsed = parse_notes(bomb, "bomb.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000  # refused from the zip's directory, nothing inflated
    assert parsed.records == [] and parsed.fatal is not None
    assert "over the limit of 67,108,864 bytes (MI_LIMIT_MAX_UNPACKED_BYTES)" in parsed.fatal


def test_an_over_long_note_is_refused_by_line_and_the_others_load() -> None:
    rows = [NOTE_HEADER] + [[f"2026-11-0{day}", "RM001", "C0012", f"note {day}"] for day in range(1, 6)]
    rows[3][3] = "y" * 150_000  # line 4
    for name, body in (("long.xlsx", workbook(rows)),
                       ("long.csv", "\n".join(",".join(row) for row in rows).encode())):
        parsed = parse_notes(body, name)
        assert parsed.fatal is None and [draft.text for draft in parsed.records] == [
            "note 1", "note 2", "note 4", "note 5"], name
        assert parsed.problems == [("line 4: column 'text' has 150,000 characters, over the limit of 100,000 "
                                    "(MI_LIMIT_MAX_FIELD_CHARS); note not loaded")], name


def test_a_workbook_with_a_stale_dimension_loads_every_note() -> None:
    rows = [NOTE_HEADER] + [[f"2026-11-0{day}", "RM001", "C0012", f"note {day}"] for day in range(1, 8)]
    parsed = parse_notes(workbook(rows, dimension="A1:C2"), "stale.xlsx")
    assert parsed.problems == [] and len(parsed.records) == 7
    assert parsed.records[-1].text == "note 7" and parsed.records[-1].where == "line 8"


def test_notes_in_gb18030_and_big5_come_out_as_chinese_with_a_warning() -> None:
    text = {"gb18030": "客户计划扩大出口，需要美元贷款。", "big5": "客戶計劃擴大出口，需要美元貸款。"}
    for codec, note in text.items():
        body = f"date,rm_ref,customer_ref,text\n2026-11-02,RM001,C0012,{note}\n".encode(codec)
        parsed = parse_notes(body, f"notes-{codec}.csv")
        assert parsed.records[0].text == note and parsed.problems == []
        assert len(parsed.warnings) == 1 and f"decoded as {codec} by guessing" in parsed.warnings[0]
        as_json = json.dumps([{"date": "2026-11-02", "rm": "RM001", "customer_ref": "C0012", "text": note}],
                             ensure_ascii=False).encode(codec)
        assert parse_notes(as_json, f"notes-{codec}.json").records[0].text == note


def test_nan_infinity_and_empty_values_in_json_are_missing_not_text() -> None:
    body = (b'[{"date": "2026-11-02", "rm": "RM001", "customer_ref": "C0012", "text": NaN},'
            b' {"date": "2026-11-03", "rm": "RM001", "customer_ref": "C0012", "text": "Real note",'
            b'  "tags": ["fx", NaN], "confidential": NaN, "note_id": Infinity, "channel": -Infinity},'
            b' {"date": "2026-11-04", "rm": "RM001", "customer_ref": "C0012", "text": "  "}]')
    parsed = parse_notes(body, "crm.json")
    assert parsed.problems == ["record 1: missing text; note not loaded", "record 3: missing text; note not loaded"]
    (draft,) = parsed.records
    assert (draft.text, draft.tags, draft.confidential, draft.note_id, draft.extra) == (
        "Real note", ("fx",), False, None, {})


def test_implausible_note_dates_are_refused_by_line() -> None:
    body = (b"date,rm_ref,customer_ref,text\n9999-12-31,RM001,C0012,placeholder\n0001-01-01,RM001,C0012,typo\n"
            b"2026-02-30,RM001,C0012,no such day\n2026-11-02,RM001,C0012,fine\n")
    parsed = parse_notes(body, "dates.csv")
    assert [draft.text for draft in parsed.records] == ["fine"]
    assert parsed.problems[0].startswith("line 2: date 9999-12-31 is more than 3 days after ")
    assert parsed.problems[1] == "line 3: date 0001-01-01 is before 1900; note not loaded"
    assert parsed.problems[2] == "line 4: date '2026-02-30' does not exist; note not loaded"


def test_too_many_json_notes_stop_the_read_keeping_the_first() -> None:
    notes_json = [{"date": "2026-11-02", "rm": "RM001", "customer_ref": "C0012", "text": f"n{n}"} for n in range(5)]
    parsed = read_note_file(json.dumps(notes_json).encode(), url="crm.json", content_type=None,
                            options=NoteFileOptions(), limits=Limits(max_rows=3))
    assert [draft.text for draft in parsed.records] == ["n0", "n1", "n2"]
    assert parsed.fatal == "more than 3 (MI_LIMIT_MAX_ROWS) notes; record 4 and the records after it were not read"


def test_other_columns_too_big_to_keep_refuse_the_note() -> None:
    header = NOTE_HEADER + [f"extra_{n}" for n in range(12_000)]
    row = ["2026-11-02", "RM001", "C0012", "many columns"] + ["value"] * 12_000
    small = ["2026-11-03", "RM001", "C0012", "few columns"] + [""] * 12_000
    body = "\n".join(",".join(cells) for cells in (header, row, small)).encode()
    parsed = parse_notes(body, "wide.csv")
    assert [draft.text for draft in parsed.records] == ["few columns"]
    assert parsed.problems[0].startswith("line 2: the 12,000 other columns hold ")
    assert parsed.problems[0].endswith("over the limit of 100,000 (MI_LIMIT_MAX_FIELD_CHARS); note not loaded")


def test_the_notes_kind_reads_within_the_channels_own_limits() -> None:
    config = ChannelConfig(name="rm-field-notes", kind="field_notes", urls=("intake",))
    body = (b"date,rm_ref,customer_ref,text\n2026-11-02,RM001,C0012,Wants cash pooling\n"
            b"2026-11-03,RM001,C0012,Asks about FX forwards\n")
    capped = source_for(config, Limits(max_rows=1)).parse(body, url="intake/notes.csv", content_type="text/csv")
    assert len(capped.records) == 1 and "MI_LIMIT_MAX_ROWS" in " ".join([*capped.problems, capped.fatal or ""])
    assert len(source_for(config).parse(body, url="intake/notes.csv", content_type="text/csv").records) == 2
