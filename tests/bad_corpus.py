"""The bad-input corpus: files every channel kind and ``mi inspect`` must survive.

Each input is a real file of the kind that goes wrong in practice: legacy encodings
(GB18030, Big5, windows-1252, UTF-16 with and without a byte-order mark, Chinese labelled
ISO-8859-1), placeholder and impossible dates (9999-12-31, 0001-01-01, 2026-02-30), sizes
(a zip bomb, one huge field, twenty thousand columns, a workbook that inflates a
thousandfold, a thousand archive members), stale workbook dimensions, truncated, binary
and empty files, NaN in JSON. ``expect`` says, for the kinds a file is meant for, how many
records must come out and which rows must be named as set aside: nothing readable is lost.

The small files are committed under ``tests/fixtures/bad/`` so they can be inspected by
hand (``mi inspect feed tests/fixtures/bad/feed-gb18030-as-latin1.xml``); run
``python -m tests.bad_corpus`` to rewrite them (a test checks they match). The large ones
are made at test time. Every text was written for these tests.
"""
from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import random
import sys
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from tests.workbooks import workbook

FOLDER = Path(__file__).parent / "fixtures" / "bad"
HUGE = 200_000  # characters: past the 100,000 of max_field_chars

HANS = ["客户计划扩大出口，需要美元贷款", "讨论外汇套期保值需求", "企业希望提前还款并降低利率",
        "关注跨境人民币结算业务", "董事会批准新的投资计划"]
HANT = ["客戶計劃擴大出口，需要美元貸款", "討論外匯套期保值需求", "企業希望提前還款並降低利率",
        "關注跨境人民幣結算業務", "董事會批准新的投資計劃"]
LATIN = ["Café crème pour le trésorier", "Naïve “hedging” question — résumé", "Grüße aus München: Exportfinanzierung",
         "Société Générale façade, €3,400", "Niño: cotización en pesos"]
NAMES = {"hans": ["华为技术", "招商银行", "比亚迪", "中国石化", "宁德时代"],
         "hant": ["台積電", "鴻海精密", "國泰金控", "中華電信", "長榮海運"],
         "latin": ["Société Générale", "Nestlé", "Müller GmbH", "Café de Paris", "Ærø Shipping"]}
TEXTS = {"hans": HANS, "hant": HANT, "latin": LATIN}
SERIES_HEADERS = {"hans": ["Date", "美元指数", "人民币"], "hant": ["Date", "美元指數", "新臺幣"],
                  "latin": ["Date", "Índice €", "Zürich"]}
PLACES = {"hans": "北京", "hant": "臺北", "latin": "Zürich"}


@dataclass(frozen=True)
class Expect:
    """What a kind must make of a file meant for it."""

    records: int  # documents, observations or typed records
    set_aside: tuple[str, ...] = ()  # each must be named by a problem ("line 3", "record 2")
    warned: bool = False  # a warning on the payload (a guessed charset, a date left out)


@dataclass(frozen=True)
class BadInput:
    name: str
    what: str
    body: bytes
    content_type: str | None = None
    expect: Mapping[str, Expect] = field(default_factory=dict)
    large: bool = False  # made at test time, not committed


# -- tables ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Family:
    """One kind of table, the kinds that read it, and what each makes of one data row."""

    name: str
    rows: Callable[[str], list[list[str]]]  # script -> header and five data rows
    kinds: Mapping[str, int]  # kind -> records per data row
    date_column: int | None = None
    text_column: int = 1
    #: Kinds that keep the payload's warnings (the bank's table kinds do not pass them on).
    warns: frozenset[str] = frozenset()


def _notes(script: str) -> list[list[str]]:
    return [["date", "rm_ref", "customer_ref", "text"]] + [
        [f"2026-11-{day + 2:02d}", f"RM00{day % 2 + 1}", f"C00{day + 10}", TEXTS[script][day]] for day in range(5)]


def _products(script: str) -> list[list[str]]:
    return [["product_ref", "name", "category", "cost"]] + [
        [f"P-{n + 1:03d}", NAMES[script][n], "deposit", "€3,400" if script == "latin" else f"{1200 + n}"]
        for n in range(5)]


def _customers(script: str) -> list[list[str]]:
    return [["customer_ref", "name", "segment"]] + [[f"C{n + 1:04d}", NAMES[script][n], "corporate"] for n in range(5)]


def _metrics(script: str) -> list[list[str]]:
    return [["product_ref", "date", "customers"]] + [[f"P-{n + 1:03d}", f"2026-0{n + 1}", str(10 * n + 5)]
                                                     for n in range(5)]


def _series(script: str) -> list[list[str]]:
    return [SERIES_HEADERS[script]] + [[f"2024-01-{day + 2:02d}", f"{100 + day}.5", f"{7 + day / 10:.2f}"]
                                       for day in range(5)]


def _sdmx(script: str) -> list[list[str]]:
    return [["DATAFLOW", "freq", "geo", "TIME_PERIOD", "OBS_VALUE"]] + [
        ["ESTAT:TEST(1.0)", "M", PLACES[script], f"2024-{month + 1:02d}", f"{month + 1}.5"] for month in range(5)]


FAMILIES = (
    Family("notes", _notes, {"field_notes": 1}, date_column=0, text_column=3, warns=frozenset({"field_notes"})),
    Family("products", _products, {"products": 1}),
    Family("customers", _customers, {"book": 1}),
    Family("metrics", _metrics, {"product_metrics": 1}, date_column=1, text_column=2),
    Family("series", _series, {"series_csv": 2, "fred_csv": 2, "ecb_history": 2}, date_column=0,
           warns=frozenset({"series_csv", "fred_csv", "ecb_history"})),
    Family("sdmx", _sdmx, {"sdmx_csv": 1}, date_column=3, text_column=4, warns=frozenset({"sdmx_csv"})),
)
TEXT_FAMILIES = [family for family in FAMILIES if family.name != "metrics"]


def csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _expect(family: Family, rows: int, set_aside: tuple[str, ...] = (), warned: bool = False) -> dict[str, Expect]:
    """Each reading kind's count when ``rows`` of the five data rows load."""
    return {kind: Expect(per_row * rows, set_aside, warned and kind in family.warns)
            for kind, per_row in family.kinds.items()}


def _encoded_tables() -> list[BadInput]:
    found = []
    encodings = (("gb18030", "hans", "gb18030", True), ("big5", "hant", "big5", True),
                 ("cp1252", "latin", "cp1252", True), ("utf16-bom", "hans", "utf-16", False))
    for family in TEXT_FAMILIES:
        for label, script, codec, guessed in encodings:
            body = csv_text(family.rows(script)).encode(codec)  # Python's utf-16 writes a BOM
            found.append(BadInput(f"{family.name}-{label}.csv", f"{family.name} table in {codec}", body,
                                  "text/csv", _expect(family, 5, warned=guessed)))
    notes = next(family for family in FAMILIES if family.name == "notes")
    found.append(BadInput("notes-utf16le-no-bom.csv", "notes in UTF-16 without a byte-order mark",
                          csv_text(notes.rows("latin")).encode("utf-16-le"), "text/csv", _expect(notes, 5)))
    # Cut inside the last note's last character: the note loads, the lost byte is named.
    cut = csv_text(notes.rows("hans")).encode("gb18030")[:-2]
    found.append(BadInput("notes-gb18030-cut-mid-character.csv", "GB18030 notes cut inside a character", cut,
                          "text/csv", {"field_notes": Expect(5, ("1 invalid byte sequence(s)",))}))
    return found


def _broken_tables() -> list[BadInput]:
    found = []
    for family in FAMILIES:
        rows = family.rows("hans")
        text = csv_text(rows)
        # The last row cut off right after its first cell, as by an interrupted export.
        last = text.rstrip("\n").rsplit("\n", 1)
        cut = last[0] + "\n" + rows[-1][0] + ","
        found.append(BadInput(f"{family.name}-truncated.csv", f"{family.name} table cut off in its last row",
                              cut.encode("utf-8"), "text/csv", _expect(family, 4, ("line 6",))))
        if family.date_column is not None:
            dated = [list(row) for row in rows]
            bad = ("9999-12", "0001-01", "2026-13") if family.name in ("sdmx", "metrics") else (
                "9999-12-31", "0001-01-01", "2026-02-30")
            for row, day in zip(dated[2:5], bad, strict=True):
                row[family.date_column] = day
            found.append(BadInput(f"{family.name}-dates.csv", f"{family.name} rows dated {', '.join(bad)}",
                                  csv_text(dated).encode("utf-8"), "text/csv",
                                  _expect(family, 2, ("line 3", "line 4", "line 5"))))
    return found


def _workbooks() -> list[BadInput]:
    found = []
    for family in FAMILIES[:4]:  # the kinds that read workbooks
        found.append(BadInput(f"{family.name}-stale-dimension.xlsx", "workbook whose <dimension> says A1:B2",
                              workbook(family.rows("hans"), dimension="A1:B2"), None, _expect(family, 5)))
    notes = FAMILIES[0]
    found.append(BadInput("notes-truncated.xlsx", "workbook cut off half-way",
                          workbook(notes.rows("hans"))[:1200]))
    broken = workbook(notes.rows("hans"), truncate_sheet=True)
    with zipfile.ZipFile(io.BytesIO(broken)) as archive:
        complete = archive.read("xl/worksheets/sheet1.xml").count(b"</row>") - 1  # the header is one
    found.append(BadInput("notes-broken-sheet.xlsx", "workbook whose sheet XML stops half-way", broken, None,
                          {"field_notes": Expect(complete)}))
    return found


# -- JSON --------------------------------------------------------------------------------------

def _json_inputs() -> list[BadInput]:
    notes = (b'{"notes": [{"date": "2026-11-02", "rm": "RM001", "customer_ref": "C0012", "text": NaN},\n'
             b'  {"date": "2026-11-03", "rm": "RM001", "customer_ref": "C0012", "text": "Hedging call",'
             b' "tags": ["fx", NaN], "confidential": Infinity},\n'
             b'  {"date": "2026-11-04", "rm": "RM002", "customer_ref": "C0077", "text": "", "note_id": null}]}\n')
    zh = json.dumps([{"date": "2026-11-02", "rm": "RM001", "customer_ref": "C0012", "text": text}
                     for text in HANS[:2]], ensure_ascii=False).encode("gb18030")
    series = (b'[{"date": "2024-01-02", "value": NaN}, {"date": "2024-01-03", "value": 1.5},\n'
              b' {"date": "2024-01-04", "value": "2.5"}, {"date": "2024-01-05", "value": Infinity},\n'
              b' {"date": "2024-01-08", "value": 3.5}, {"date": "9999-12-31", "value": 4.5}]\n')
    record = '{{"indicator": {{"id": "NY.GDP", "value": "GDP"}}, "country": {{"id": "CN", "value": "中国"}}, ' \
             '"countryiso3code": "CHN", "date": "{date}", "value": {value}}}'
    worldbank = ('[{"page": 1, "pages": 1, "per_page": 50, "total": 4}, [\n'
                 + ",\n".join(record.format(date=date, value=value) for date, value in
                              (("2023", "5.2"), ("2022", "NaN"), ("2021", "8.4"), ("2020", "-Infinity")))
                 + "]]\n").encode("utf-8")
    return [
        BadInput("notes-nan.json", "field notes with NaN, Infinity, null and blank values", notes,
                 "application/json", {"field_notes": Expect(1, ("record 1", "record 3"))}),
        BadInput("notes-gb18030.json", "field notes JSON in GB18030", zh, "application/json",
                 {"field_notes": Expect(2, (), True)}),
        BadInput("series-nan.json", "series records with NaN and Infinity values and a 9999 date", series,
                 "application/json", {"series_json": Expect(3, ("record 6",))}),
        BadInput("series-utf16.json", "series records in UTF-16",
                 codecs.BOM_UTF16_LE + series.decode().encode("utf-16-le"), "application/json",
                 {"series_json": Expect(3, ("record 6",))}),
        BadInput("worldbank-nan.json", "World Bank page with NaN and -Infinity values", worldbank,
                 "application/json", {"worldbank": Expect(2)}),
        BadInput("notes-truncated.json", "field notes JSON cut off", notes[: len(notes) // 2], "application/json"),
    ]


# -- feeds, XML, pages -------------------------------------------------------------------------

def _rss(items: list[tuple[str, str]], declared: str, dates: tuple[str, ...] = (), title: str = "财经新闻") -> str:
    entries = "".join(
        f"<item><title>{head}</title><description>{text}</description><guid>item-{n}</guid>"
        + (f"<pubDate>{dates[n]}</pubDate>" if n < len(dates) else "") + "</item>\n"
        for n, (head, text) in enumerate(items))
    return (f'<?xml version="1.0" encoding="{declared}"?>\n<rss version="2.0"><channel><title>{title}</title>'
            f"<link>https://news.example.cn/</link>\n{entries}</channel></rss>\n")


def _ecb(days: list[str]) -> str:
    cubes = "".join(f'<Cube time="{day}"><Cube currency="USD" rate="1.08{n}"/><Cube currency="CNY" rate="7.8{n}"/>'
                    f"</Cube>\n" for n, day in enumerate(days))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<gesmes:Envelope xmlns:gesmes='
            '"http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">\n'
            f"<gesmes:subject>Reference rates</gesmes:subject>\n<Cube>\n{cubes}</Cube>\n</gesmes:Envelope>\n")


def _page(head: str, text: str, lang: str = "zh-CN", title: str = "央行降准") -> str:
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head>{head}<title>{title}</title></head><body>\n'
            f"<article><h1>{title}</h1>\n<p>{text}</p>\n<p>{text}</p>\n</article></body></html>\n")


def _markup_inputs() -> list[BadInput]:
    hans = list(zip(["央行下调存款准备金率", "沪深股市收盘上涨"], HANS[:2], strict=True))
    hant = list(zip(["央行下調存款準備金率", "滬深股市收盤上漲"], HANT[:2], strict=True))
    latin1 = "application/rss+xml; charset=ISO-8859-1"
    dated = [(f"Titre {n}", LATIN[n]) for n in range(5)]
    dates = ("Fri, 31 Dec 9999 23:59:59 GMT", "0001-01-01T00:00:00Z", "2026-02-30T08:00:00Z",
             "Mon, 01 Jan 1883 00:00:00 GMT", "Fri, 27 Nov 2026 08:00:00 GMT")
    three = _rss([(f"标题{n}", HANS[n]) for n in range(3)], "utf-8")
    cut = three[: three.index("<description>", three.index("item-1")) + 20]  # inside the third item
    lol = ('<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
           + "".join(f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">' for n in range(9))
           + ']>\n<rss version="2.0"><channel><title>&j;</title><item><title>x &j;</title></item></channel></rss>\n')
    article = "".join(HANS) * 4
    ecb = _ecb(["2024-01-04", "2024-01-03", "2024-01-02"]).encode()
    gb_feed = _rss(hans, "gb18030").encode("gb18030")
    traditional = "".join(HANT) * 4
    return [
        BadInput("feed-gb18030-as-latin1.xml", "GB18030 feed labelled ISO-8859-1",
                 _rss(hans, "ISO-8859-1").encode("gb18030"), latin1, {"feed": Expect(2, (), True)}),
        BadInput("feed-big5-as-latin1.xml", "Big5 feed labelled ISO-8859-1",
                 _rss(hant, "ISO-8859-1", title="財經新聞").encode("big5"), latin1, {"feed": Expect(2, (), True)}),
        BadInput("feed-gbk-undeclared.xml", "GBK feed with no charset anywhere",
                 _rss(hans, "utf-8").replace(' encoding="utf-8"', "").encode("gbk"), "application/rss+xml",
                 {"feed": Expect(2, (), True)}),
        BadInput("feed-gb18030-cut-mid-character.xml", "GB18030 feed cut inside a character of its second item",
                 gb_feed[: gb_feed.index("沪深".encode("gb18030")) + 3], "application/rss+xml",
                 {"feed": Expect(1, ("malformed XML",))}),
        BadInput("feed-utf16.xml", "feed in UTF-16 with a byte-order mark",
                 _rss(hans, "UTF-16").encode("utf-16"), "application/rss+xml", {"feed": Expect(2)}),
        BadInput("feed-dates.xml", "feed items dated 9999, 0001, 2026-02-30, 1883 and a good date",
                 _rss(dated, "utf-8", dates, "Nouvelles").encode("utf-8"), "application/rss+xml",
                 {"feed": Expect(5, (), True)}),
        BadInput("feed-truncated.xml", "feed cut off inside its third item", cut.encode("utf-8"),
                 "application/rss+xml", {"feed": Expect(2, ("malformed XML",))}),
        BadInput("feed-entity-bomb.xml", "feed with a billion-laughs DOCTYPE", lol.encode(), "application/rss+xml"),
        BadInput("not-a-feed.xml", "XML of another kind", b'<?xml version="1.0"?><inventory><item/></inventory>\n',
                 "application/xml"),
        BadInput("ecb-truncated.xml", "ECB reference rates cut off in the third day",
                 ecb[: ecb.index(b'time="2024-01-02"') + 40], "text/xml", {"ecb_daily": Expect(4)}),
        BadInput("ecb-dates.xml", "ECB reference rates dated 9999-12-31, 0001-01-01 and 2026-02-30",
                 _ecb(["9999-12-31", "0001-01-01", "2026-02-30", "2024-01-02"]).encode(), "text/xml",
                 {"ecb_daily": Expect(2, ("line 5", "line 6", "line 7"))}),
        BadInput("page-gb18030.html", "GB18030 page without a charset", _page("", article).encode("gb18030"),
                 "text/html", {"page": Expect(1, (), True)}),
        BadInput("page-big5-as-latin1.html", "Big5 page whose meta says ISO-8859-1",
                 _page('<meta charset="iso-8859-1">', traditional, "zh-TW").encode("big5"), "text/html",
                 {"page": Expect(1, (), True)}),
        BadInput("page-utf16.html", "page in UTF-16 with a byte-order mark", _page("", article).encode("utf-16"),
                 "text/html", {"page": Expect(1)}),
        BadInput("page-date-9999.html", "page whose metadata dates it 9999-12-31",
                 _page('<meta property="article:published_time" content="9999-12-31T00:00:00Z">',
                       article).encode(), "text/html", {"page": Expect(1)}),
        BadInput("page-truncated.html", "page cut off mid-paragraph",
                 _page("", article).encode()[: len(_page("", article).encode()) // 2], "text/html",
                 {"page": Expect(1)}),
    ]


# -- nothing, noise, bombs ---------------------------------------------------------------------

def _noise() -> list[BadInput]:
    rng = random.Random(20261129)
    notes = FAMILIES[0]
    return [
        BadInput("empty.csv", "no bytes at all", b"", "text/csv"),
        BadInput("blank.txt", "only whitespace", b" \n\t\r\n  \n", "text/plain"),
        BadInput("binary.bin", "random bytes", bytes(rng.randrange(256) for _ in range(4096)),
                 "application/octet-stream"),
        BadInput("notes-header-only.csv", "a header and no rows", b"date,rm_ref,customer_ref,text\n", "text/csv",
                 {"field_notes": Expect(0)}),
        BadInput("notes-nul-bytes.csv", "a CSV with NUL bytes in it",
                 csv_text(notes.rows("latin")).encode().replace(b"RM002", b"RM\x00\x0002"), "text/csv"),
        BadInput("legacy.xls", "an old binary Excel file", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
                 "application/vnd.ms-excel"),
    ]


def _large() -> list[BadInput]:
    found = []
    for family in FAMILIES:
        rows = [list(row) for row in family.rows("latin")]
        rows[2][family.text_column] = "9" * HUGE if family.name in ("series",) else "x" * HUGE  # line 3
        lost = 2 if family.name == "series" else 1
        found.append(BadInput(f"{family.name}-huge-field.csv", f"{family.name} table with one field of {HUGE:,}"
                              " characters", csv_text(rows).encode(), "text/csv", large=True,
                              expect={kind: Expect(per_row * 5 - lost, ("line 3",))
                                      for kind, per_row in family.kinds.items()}))
    notes = FAMILIES[0]
    wide = [row + ([f"extra_{n}" for n in range(20_000)] if i == 0 else [""] * 20_000)
            for i, row in enumerate(notes.rows("latin"))]
    found.append(BadInput("notes-many-columns.csv", "notes with twenty thousand (empty) extra columns",
                          csv_text(wide).encode(), "text/csv", large=True, expect={"field_notes": Expect(5)}))
    series_wide = [["Date", *[f"S{n}" for n in range(20_000)]], ["2024-01-02", *["1.5"] * 20_000]]
    found.append(BadInput("series-many-columns.csv", "one row of twenty thousand series", csv_text(series_wide).encode(),
                          "text/csv", large=True, expect={kind: Expect(20_000) for kind in ("series_csv", "fred_csv", "ecb_history")}))
    long_note = [list(row) for row in notes.rows("hans")]
    long_note[2][3] = "长" * 150_000
    found.append(BadInput("notes-long-cell.xlsx", "workbook with one note of 150,000 characters",
                          workbook(long_note), None, large=True, expect={"field_notes": Expect(4, ("line 3",))}))
    bomb_rows = [notes.rows("latin")[0], ["2026-11-02", "RM001", "C0012", "x" * 70_000_000]]
    found.append(BadInput("notes-many-members.xlsx", "workbook zip with over a thousand parts",
                          workbook(notes.rows("hans"), extra_members=1_000), large=True))
    found.append(BadInput("deep.json", "JSON nested a hundred thousand levels", b"[" * 100_000, "application/json",
                          large=True))
    found.append(BadInput("notes-bomb.xlsx", "workbook of ~70 KB holding a 70 MB note", workbook(bomb_rows),
                          None, large=True))
    inflated = b"Date,USD\n" + b"2024-01-02,1.5\n" * 5_000_000
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("rates.csv", (2024, 1, 1, 0, 0, 0)), inflated, zipfile.ZIP_DEFLATED)
    found.append(BadInput("rates-bomb.zip", "zipped CSV inflating to 75 MB", zipped.getvalue(), "application/zip",
                          large=True))
    found.append(BadInput("rates-bomb.csv.gz", "gzipped CSV inflating to 75 MB",
                          gzip.compress(inflated, mtime=0), "application/gzip", large=True))
    notes_json = [{"date": f"2026-11-0{day + 2}", "rm": "RM001", "customer_ref": "C0012",
                   "text": "x" * HUGE if day == 1 else LATIN[day]} for day in range(3)]
    found.append(BadInput("notes-huge.json", "field notes JSON with one text of 200,000 characters",
                          json.dumps(notes_json).encode(), "application/json", large=True,
                          expect={"field_notes": Expect(2, ("record 2",))}))
    return found


@cache
def corpus() -> tuple[BadInput, ...]:
    small = [*_encoded_tables(), *_broken_tables(), *_workbooks(), *_json_inputs(), *_markup_inputs(), *_noise()]
    return (*small, *_large())


def write(folder: Path = FOLDER) -> None:
    """Rewrite the committed (small) files."""
    folder.mkdir(parents=True, exist_ok=True)
    for item in corpus():
        if not item.large:
            (folder / item.name).write_bytes(item.body)


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else FOLDER)
