"""The inert-output helpers: fetched text stays data in terminal (Rich), markdown, JSON and CSV.

``mi.records.inert`` and ``mi.console``; the markdown cases are rendered with real renderers
(markdown-it-py, which Rich depends on, and Python-Markdown).
"""
from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json

import markdown
import pytest
from rich.console import Console
from rich.table import Table

from mi.console import InertConsole, json_renderable, literal, make_console
from mi.records.inert import csv_cell, csv_row, json_text, md_link, md_text, visible_controls
from tests.markdown_render import commonmark, tags

ESC_COLOUR = "\x1b[31mred\x1b[0m"
OSC8_LINK = "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\"
HOSTILE_TEXT = [
    "[/bold]", "[red]red[/red]", "[link=https://evil.example]x[/link]", ":warning: :smile:",
    "[x](javascript:alert(1))", "![](https://tracker.example/p.gif)", "![beacon][t]\n\n[t]: https://t.example/p.gif",
    "<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "<a href='javascript:alert(1)'>a</a>",
    "&lt;b&gt; &amp; &#106;avascript:", "`code` ``two``", "| pipe | cells |", "*em* _u_ **b** ~~s~~",
    "https://evil.example www.evil.example a@b.example <https://auto.example>", "# heading", "1. list",
    "- item", "> quote", "\\[escaped\\]", "$x$ ^sup^ ==mark== {#id}", "line one\nline two\r\n\u2028three",
]


# --- control characters -------------------------------------------------------------------

def test_visible_controls_writes_out_escape_sequences_c1_and_bidi_controls() -> None:
    assert visible_controls(ESC_COLOUR) == "\\x1b[31mred\\x1b[0m"
    assert visible_controls(OSC8_LINK) == "\\x1b]8;;http://evil\\x1b\\click\\x1b]8;;\\x1b\\"
    assert visible_controls("a\x9b31mb\x7f\x00") == "a\\x9b31mb\\x7f\\x00"
    assert visible_controls("abc\u202edef\u2066") == "abc\\u202edef\\u2066"
    assert visible_controls("one\r\ntwo\tthree") == "one\\x0d\\x0atwo\\x09three"


def test_visible_controls_keeps_what_it_is_told_to_and_all_printable_text() -> None:
    assert visible_controls("one\ntwo\tthree\r", keep="\n\t") == "one\ntwo\tthree\\x0d"
    printable = "Zürich ¥ € 東京 👩‍💻 [/bold] \\x1b"  # the emoji holds a zero-width joiner, which stays
    assert visible_controls(printable) == printable


def test_every_character_written_out_is_unprintable_so_printable_text_can_skip_the_search() -> None:
    """``visible_controls`` returns text that ``str.isprintable`` accepts as it is."""
    from mi.records.inert import _CONTROL

    written_out = [c for c in map(chr, range(0x110000)) if _CONTROL.fullmatch(c)]
    assert len(written_out) > 60 and not any(c.isprintable() for c in written_out)


# --- markdown -----------------------------------------------------------------------------

@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_md_text_renders_as_exactly_the_characters_it_holds(text: str) -> None:
    rendered = commonmark().render(md_text(text))
    assert tags(rendered) == [("p", {})]
    assert html.unescape(rendered.removeprefix("<p>").removesuffix("</p>\n")) == " ".join(text.split())


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_md_text_makes_no_link_image_or_html_in_python_markdown_either(text: str) -> None:
    rendered = markdown.markdown(f"| a |\n|---|\n| {md_text(text)} |\n", extensions=["tables"])
    assert {tag for tag, _ in tags(rendered)} <= {"table", "thead", "tbody", "tr", "th", "td"}


def test_md_text_leaves_nothing_a_gfm_renderer_would_autolink() -> None:
    escaped = md_text("see https://evil.example, www.evil.example or mail a@b.example")
    assert "https://" not in escaped and "www." not in escaped and "a@" not in escaped


def test_md_text_keeps_one_line_and_cuts_before_escaping() -> None:
    assert md_text("a\nb\r\n\tc\u2028d") == "a b c d"
    assert md_text(None) == "" and md_text(42) == "42"
    cut = md_text("<" * 200, limit=10)
    assert cut == "&lt;" * 9 + "…"  # no entity cut in half
    assert md_text("a" + ESC_COLOUR) == "a\\\\x1b\\[31mred\\\\x1b\\[0m"


def test_md_link_links_only_http_urls_built_by_the_code() -> None:
    link = md_link("The [report]", "https://example.org/a b/(c)?q=<x>&r='1'\"")
    [(tag, attrs)] = [t for t in tags(commonmark().render(link)) if t[0] != "p"]
    assert tag == "a" and attrs["href"] == "https://example.org/a%20b/%28c%29?q=%3Cx%3E&r=%271%27%22"
    assert "The [report]" in html.unescape(commonmark().render(link))
    for url in ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "data:text/html,<b>",
                "file:///etc/passwd", "/relative/path", "//evil.example/x", "https:evil", "http://[::1",
                "https://ok.example/\x1b]8;;", None, ""]:
        assert md_link("label [x](y)", url) == md_text("label [x](y)"), url


def test_md_link_renders_no_image_or_second_link_from_its_label() -> None:
    rendered = commonmark().render(md_link("![](https://t.example/p.gif) [x](javascript:1)", "https://ok.example"))
    assert [tag for tag, _ in tags(rendered)] == ["p", "a"]


# --- JSON ---------------------------------------------------------------------------------

def test_json_text_escapes_what_json_leaves_raw_and_parses_back_to_the_same_data() -> None:
    data = {"title": "Zürich \x9b31m\x7f \u202eevil\u2028 " + ESC_COLOUR, "when": dt.date(2026, 1, 2)}
    text = json_text(data)
    assert json.loads(text) == {**data, "when": "2026-01-02"}
    assert "Zürich" in text and "\\u009b31m\\u007f \\u202eevil\\u2028" in text and "\\u001b[31m" in text
    assert not any(c in text for c in "\x1b\x9b\x7f\u202e\u2028")
    assert json_text([1], indent=None) == "[1]"


# --- CSV ----------------------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://evil\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
                                  "\t=1", "\r=1", "  =1+1"])
def test_csv_cell_turns_a_formula_into_text(cell: str) -> None:
    assert csv_cell(cell) == "'" + cell


def test_csv_cell_leaves_numbers_and_plain_text_alone() -> None:
    assert csv_cell(-1.5) == -1.5 and csv_cell(-3) == -3 and csv_cell(None) == ""
    assert csv_cell("Acme - Tools") == "Acme - Tools" and csv_cell("a=b") == "a=b"
    assert csv_cell("-1.5", numeric=True) == "-1.5" and csv_cell("+2e3", numeric=True) == "+2e3"
    assert csv_cell("-1+cmd", numeric=True) == "'-1+cmd"  # a numeric column holding no number is text
    assert csv_cell("-1.5") == "'-1.5"  # a column not known to be numeric


def test_csv_row_keeps_formulas_inert_after_a_round_trip_through_the_csv_module() -> None:
    row = {"channel": "=cmd|'/C calc'!A0", "change": "-0.4", "count": 3, "note": "@evil"}
    out = io.StringIO()
    csv.writer(out).writerow(csv_row(row, ["channel", "change", "count", "note"], numeric={"change", "count"}))
    [read] = list(csv.reader(io.StringIO(out.getvalue())))
    assert read == ["'=cmd|'/C calc'!A0", "-0.4", "3", "'@evil"]
    assert csv_row(["=1", "-2"], ["a", "b"], numeric={"b"}) == ["'=1", "-2"]
    with pytest.raises(ValueError):
        csv_row({"a": 1})


# --- Rich ---------------------------------------------------------------------------------

RICH_HOSTILE = "[/bold] [red]r[/red] [link=https://evil.example]x[/link] :smile: " + ESC_COLOUR + " " + OSC8_LINK
RICH_SHOWN = ("[/bold] [red]r[/red] [link=https://evil.example]x[/link] :smile: \\x1b[31mred\\x1b[0m "
              "\\x1b]8;;http://evil\\x1b\\click\\x1b]8;;\\x1b\\")


def _plain_console(cls: type[Console] = Console) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return cls(file=out, width=400, force_terminal=False, color_system=None), out


def test_literal_shows_markup_emoji_codes_and_escapes_as_they_read() -> None:
    console, out = _plain_console()
    console.print(literal(RICH_HOSTILE))
    assert out.getvalue() == RICH_SHOWN + "\n"
    assert literal(None).plain == "" and literal("a\nb\tc").plain == "a\nb\tc"


def test_literal_draws_no_hyperlink_on_a_colour_terminal() -> None:
    out = io.StringIO()
    Console(file=out, width=400, force_terminal=True, color_system="truecolor").print(literal(RICH_HOSTILE))
    assert "\x1b]8;" not in out.getvalue() and "[link=https://evil.example]" in out.getvalue()


def test_inert_console_shows_plain_strings_literally_even_when_asked_for_markup() -> None:
    console, out = _plain_console(InertConsole)
    console.print(RICH_HOSTILE)
    console.print("[/bold]", markup=True, emoji=True)
    table = Table(title="[red]" + ESC_COLOUR)
    table.add_column("[/bold]")
    table.add_row(RICH_HOSTILE)
    console.print(table)
    lines = out.getvalue().splitlines()
    assert lines[:2] == [RICH_SHOWN, "[/bold]"]
    assert "[red]\\x1b[31mred\\x1b[0m" in lines[2] and "[/bold]" in lines[4] and RICH_SHOWN in out.getvalue()
    assert "\x1b" not in out.getvalue()


def test_json_renderable_is_the_json_text_coloured() -> None:
    payload = {"title": RICH_HOSTILE + "\x9b"}
    assert json_renderable(payload).plain == json_text(payload)
    console, out = _plain_console()
    console.print(json_renderable(payload))
    assert json.loads(out.getvalue()) == payload and "\x1b" not in out.getvalue()


def test_make_console_is_inert_and_wide_when_piped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    console = make_console()
    assert isinstance(console, InertConsole) and console.width == 160
    monkeypatch.setenv("COLUMNS", "321")
    assert make_console(stderr=True).width == 321
