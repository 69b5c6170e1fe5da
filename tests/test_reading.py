"""The shared readers (``mi.sources.reading``): one charset decoder, CSV and XLSX within limits.

Each test builds the real bytes a bad file has (an encoding, a workbook with a stale
``<dimension>``, a zip bomb, one huge field) and checks what reading them gives.
"""
from __future__ import annotations

import codecs
import random

import pytest

from mi.records.channels import ChannelConfig
from mi.records.limits import Limits
from mi.sources.reading.charset import decode
from mi.sources.reading.tables import read_table
from mi.sources.registry import source_for
from tests.workbooks import workbook

SIMPLIFIED = "日期,客户,备注\n2026-11-02,华为,客户经理拜访：讨论外汇套期保值需求，计划扩大出口。\n"
TRADITIONAL = "日期,客戶,備註\n2026-11-02,台積電,客戶經理拜訪：討論外匯套期保值需求，計劃擴大出口。\n"
WESTERN = "Date,Product,Cost,Note\n2026-11-02,FX forward,€3,400,Café crème — “naïve” façade\n"


# -- the charset decoder -------------------------------------------------------------------

@pytest.mark.parametrize(("text", "codec"), [
    (SIMPLIFIED, "gb18030"), (SIMPLIFIED, "gbk"), (TRADITIONAL, "big5"), (TRADITIONAL, "gb18030"),
    (WESTERN, "cp1252"), ("银行", "gb18030"), ("銀行", "big5"),
], ids=["gb18030", "gbk", "big5", "traditional-in-gb18030", "cp1252", "two-simplified", "two-traditional"])
def test_undeclared_legacy_text_is_guessed_right_and_the_guess_is_noted(text: str, codec: str) -> None:
    decoded = decode(text.encode(codec))
    assert decoded.text == text
    assert decoded.guessed and decoded.lost == 0
    assert decoded.note is not None and decoded.note.startswith("character encoding: the bytes are not valid UTF-8")
    assert "by guessing" in decoded.note


@pytest.mark.parametrize(("body", "encoding"), [
    (codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), "utf-8"),
    (SIMPLIFIED.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF16_LE + SIMPLIFIED.encode("utf-16-le"), "utf-16-le"),
    (WESTERN.encode("utf-16-le"), "utf-16-le"),  # no byte-order mark: the zero bytes tell
    (WESTERN.encode("utf-16-be"), "utf-16-be"),
    (codecs.BOM_UTF32_LE + TRADITIONAL.encode("utf-32-le"), "utf-32-le"),
], ids=["utf8-bom", "utf8", "utf16-bom", "utf16le-no-bom", "utf16be-no-bom", "utf32-bom"])
def test_unicode_is_recognised_exactly_without_a_note(body: bytes, encoding: str) -> None:
    decoded = decode(body)
    assert decoded.encoding == encoding and decoded.note is None
    assert decoded.text.lstrip("\ufeff") in (SIMPLIFIED, TRADITIONAL, WESTERN)


def test_a_single_byte_label_on_chinese_bytes_is_overruled_with_a_note() -> None:
    decoded = decode(SIMPLIFIED.encode("gb18030"), ["ISO-8859-1"])
    assert decoded.text == SIMPLIFIED and decoded.encoding == "gb18030"
    assert decoded.note == ("character encoding: declared ISO-8859-1, but the bytes read as gb18030 Chinese text;"
                            " decoded as gb18030 by guessing, non-ASCII text may be wrong")
    big5 = decode(TRADITIONAL.encode("big5"), ["windows-1252"])
    assert big5.text == TRADITIONAL and big5.guessed


def test_a_true_single_byte_label_is_kept_and_a_multibyte_label_is_trusted() -> None:
    latin = "Notícias de Économie à Genève: 3 400 €"
    assert decode(latin.encode("cp1252"), ["iso-8859-1"]) == decode(latin.encode("cp1252"), ["cp1252"])
    assert decode(latin.encode("cp1252"), ["iso-8859-1"]).text == latin
    assert decode(latin.encode("cp1252"), ["iso-8859-1"]).note is None
    assert decode(TRADITIONAL.encode("big5"), ["big5"]).note is None
    # A valid UTF-8 body is UTF-8 whatever the label says, and nothing needs reporting.
    assert decode(SIMPLIFIED.encode("utf-8"), ["gb2312"]).note is None


def test_korean_and_japanese_are_not_taken_for_chinese() -> None:
    korean, japanese = "한국은행은 기준금리를 동결했다", "日本銀行は政策金利を据え置いた"
    assert decode(korean.encode("euc_kr")).encoding != "gb18030"
    assert decode(japanese.encode("euc_jp")).encoding not in ("gb18030", "big5")
    assert decode(korean.encode("euc_kr"), ["iso-8859-1"]).encoding == "cp1252"


def test_western_text_is_never_read_as_chinese() -> None:
    rng = random.Random(7)
    letters = "abcdefghijklmnopqrstuvwxyz     ,.0123456789" + "àáâãäçèéêëìíîïñòóôöùúûüßÀÉÖÜ€“”—"
    for _ in range(500):
        text = "".join(rng.choice(letters) for _ in range(rng.randint(5, 300)))
        assert decode(text.encode("cp1252")).encoding not in ("gb18030", "big5"), text


def test_chinese_cut_off_mid_character_is_still_chinese_and_the_loss_counted() -> None:
    body = SIMPLIFIED.encode("gb18030")[:-2]  # a download that stopped inside the final "。"
    decoded = decode(body)
    assert decoded.encoding == "gb18030" and decoded.text.startswith(SIMPLIFIED[:40])
    assert decoded.lost == 1 and decoded.note is not None
    assert decoded.note.endswith("by guessing, non-ASCII text may be wrong; 1 invalid byte sequence(s) replaced "
                                 "with U+FFFD")
    labelled = decode(body, ["iso-8859-1"])
    assert labelled.encoding == "gb18030" and labelled.lost == 1


def test_invalid_bytes_in_mostly_utf8_text_are_replaced_and_counted() -> None:
    decoded = decode("Zürich — Genève ".encode() * 5 + b"\xff")
    assert decoded.lost == 1 and decoded.text.endswith("\ufffd")
    assert decoded.note == ("character encoding: 1 invalid byte sequence(s) in utf-8 (nothing declared, "
                            "mostly UTF-8) replaced with U+FFFD")


# -- CSV -----------------------------------------------------------------------------------

def test_a_cp1252_euro_amount_loads_instead_of_becoming_mojibake() -> None:
    body = "product_ref,name,category,cost\nFXF-1,FX forward,fx,€3,400\n".encode("cp1252")
    body = body.replace(b"\x803,400", b'"\x803,400"')
    table = read_table(body)
    assert table.rows[0].cells[3] == "€3,400"
    assert table.warnings and "decoded as cp1252 by guessing" in table.warnings[0]
    products = source_for(ChannelConfig(name="shelf", kind="products", urls=("x",)))
    parsed = products.parse(body, url="shelf.csv", content_type="text/csv")
    assert parsed.problems == [] and parsed.records[0].cost == 3400.0


def test_gb18030_and_big5_csv_come_out_as_chinese() -> None:
    for text, codec in ((SIMPLIFIED, "gb18030"), (TRADITIONAL, "big5")):
        table = read_table(text.encode(codec))
        assert table.header[1] in ("客户", "客戶") and table.rows[0].cells[2].startswith("客")
        assert len(table.warnings) == 1 and f"decoded as {codec}" in table.warnings[0]


def test_a_huge_field_sets_its_row_aside_and_every_other_row_loads() -> None:
    rows = [f"2026-11-0{day},RM001,C0012,note {day}" for day in range(1, 6)]
    rows[1] = "2026-11-02,RM001,C0012," + "x" * 200_000  # line 3
    table = read_table(("date,rm_ref,customer_ref,text\n" + "\n".join(rows) + "\n").encode())
    assert table.error is None
    assert [row.line for row in table.rows] == [2, 3, 4, 5, 6]
    assert [row.cells[3] for row in table.rows if not row.problem] == ["note 1", "note 3", "note 4", "note 5"]
    assert table.rows[1].problem == ("column 'text' has 200,000 characters, over the limit of 100,000 "
                                     "(MI_LIMIT_MAX_FIELD_CHARS)")


def test_an_unclosed_quote_is_named_with_the_lines_it_swallowed() -> None:
    body = ('a,b\n1,"starts here\n' + "more\n" * 30 + "2,end\n").encode()
    table = read_table(body, limits=Limits(max_field_chars=100))
    assert table.rows[0].problem == ("column 'b' has 168 characters, over the limit of 100 (MI_LIMIT_MAX_FIELD_CHARS)"
                                     " (lines 2 to 33: an unclosed quote?)")


def test_too_many_rows_or_cells_stop_the_read_keeping_the_rows_before() -> None:
    body = ("a,b\n" + "".join(f"{n},x\n" for n in range(10))).encode()
    rows = read_table(body, limits=Limits(max_rows=4))
    assert len(rows.rows) == 4 and rows.error == ("more than 4 (MI_LIMIT_MAX_ROWS) data rows; line 6 and the rows "
                                                  "after it were not read")
    cells = read_table(body, limits=Limits(max_cells=7))
    assert len(cells.rows) == 2 and cells.error.startswith("more than 7 (MI_LIMIT_MAX_CELLS) cells; line 4")


def test_very_many_columns_load_within_the_default_limits() -> None:
    header = ",".join(f"c{n}" for n in range(20_000))
    table = read_table(f"{header}\n{','.join('1' * 20_000)}\n".encode())
    assert table.error is None and len(table.header) == 20_000 and len(table.rows[0].cells) == 20_000


# -- XLSX ----------------------------------------------------------------------------------

NOTE_ROWS = [["date", "rm_ref", "customer_ref", "text"]] + [
    [f"2026-11-0{day}", "RM001", "C0012", f"note {day}"] for day in range(1, 8)]


def test_a_stale_dimension_loses_no_row_or_column() -> None:
    table = read_table(workbook(NOTE_ROWS, dimension="A1:B3"))
    assert table.error is None and table.header == tuple(NOTE_ROWS[0])
    assert [row.cells for row in table.rows] == [tuple(row) for row in NOTE_ROWS[1:]]


def test_a_workbook_that_unpacks_past_the_limit_is_refused_before_it_is_read() -> None:
    # ~70 KB on disk, 70 MB of shared strings once inflated: a note a thousand times its file.
    bomb = workbook([NOTE_ROWS[0], ["2026-11-02", "RM001", "C0012", "x" * 70_000_000]])
    assert len(bomb) < 200_000
    table = read_table(bomb)
    assert table.rows == () and table.error is not None
    assert table.error.startswith("XLSX workbook unpacks to 70,0")
    assert "over the limit of 67,108,864 bytes (MI_LIMIT_MAX_UNPACKED_BYTES)" in table.error


def test_a_workbook_with_too_many_members_is_refused() -> None:
    table = read_table(workbook(NOTE_ROWS, extra_members=1_000))
    assert table.error == "XLSX workbook holds 1,006 files, over the limit of 1,000 (MI_LIMIT_MAX_ARCHIVE_MEMBERS)"


def test_an_over_long_cell_sets_its_row_aside_and_the_limits_on_rows_and_cells_hold() -> None:
    rows = [list(row) for row in NOTE_ROWS]
    rows[2][3] = "y" * 100_001  # line 3
    table = read_table(workbook(rows))
    assert [row.line for row in table.rows if row.problem] == [3]
    assert "column 'text' has 100,001 characters" in (table.rows[1].problem or "")
    assert len([row for row in table.rows if not row.problem]) == 6
    capped = read_table(workbook(NOTE_ROWS), limits=Limits(max_rows=3))
    assert len(capped.rows) == 3 and capped.error is not None and "line 5 and the rows after it" in capped.error
    assert read_table(workbook(NOTE_ROWS), limits=Limits(max_cells=9)).error.startswith("more than 9 (MI_LIMIT")


def test_a_broken_workbook_is_an_error_not_a_crash() -> None:
    for body in (workbook(NOTE_ROWS)[:300], workbook(NOTE_ROWS, truncate_sheet=True)):
        table = read_table(body)
        assert table.error is not None


def test_numbers_too_large_for_a_float_are_not_numbers() -> None:
    from mi.sources.reading.values import parse_number, to_number

    assert parse_number("9" * 400) is None and parse_number("1e999") is None and to_number("-1e400") is None
    assert parse_number("1,234.5") == 1234.5 and to_number(1e308) == 1e308


def test_placeholder_years_are_no_dates() -> None:
    from mi.sources.reading.values import parse_date

    assert [parse_date(text) for text in ("9999-12-31", "0001-01-01", "2026-02-30", "1234")] == [None] * 4
    assert parse_date("1871-01-01") is not None and parse_date("2150-12-31", "%Y-%m-%d") is not None
