"""Hostile text through the real ``mi`` command: shown literally, never obeyed, never a crash.

Each test runs the installed ``mi`` entry point in a subprocess (stdout is a pipe, so Rich
adds no colour codes of its own: any ESC byte in the output came from the data) against a
real SQLite warehouse in a temporary MI_DATA_DIR and a channel file naming crafted local
files. The payloads: Rich markup that used to crash the command (``[/bold]``) or draw a hidden
hyperlink (``[link=...]``), ANSI colour (ESC[31m), an OSC 8 terminal hyperlink, and C1 CSI.
"""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from rich.console import Console
from sqlalchemy import insert

from mi import reports
from mi.warehouse.book import Coverage, Customer, RelationshipManager
from mi.warehouse.engine import create_warehouse_engine, migrate

MARKUP = "[/bold] [red]r[/red] [link=http://ev.il]x[/link]"
ANSI = "\x1b[31mESC"
OSC8 = "\x1b]8;;http://evil\x1b\\x\x1b]8;;\x1b\\"
C1 = "\x9b31mC1"
# How each reads on screen: markup as written, control characters as their escapes.
ANSI_SHOWN = "\\x1b[31mESC"
OSC8_SHOWN = "\\x1b]8;;http://evil\\x1b\\x\\x1b]8;;\\x1b\\"
C1_SHOWN = "\\x9b31mC1"

CHANNEL = f"evil {MARKUP} {ANSI}"
CHANNEL_SHOWN = f"evil {MARKUP} {ANSI_SHOWN}"
# A CSV header quoted by the error message (at most 30 characters a column are quoted).
HEADER = ["Stamp", "[/bold]", "[red]r[/red]", "[link=http://ev.il]x[/link]", ANSI, OSC8, C1]
HEADER_SHOWN = ", ".join(["Stamp", "[/bold]", "[red]r[/red]", "[link=http://ev.il]x[/link]", ANSI_SHOWN,
                          OSC8_SHOWN, C1_SHOWN])


def _mi_command() -> list[str]:
    script = Path(sys.executable).with_name("mi")
    return [str(script)] if script.exists() else [sys.executable, "-m", "mi.cli"]


def assert_inert(output: str) -> None:
    """No terminal control sequence and no crash in what the command printed."""
    assert "\x1b" not in output and "\x9b" not in output and "\x07" not in output
    assert "Traceback" not in output and "MarkupError" not in output


class Mi:
    """The ``mi`` command in a temporary working area."""

    def __init__(self, tmp_path: Path) -> None:
        self.data_dir = tmp_path / "data"
        self.channels = tmp_path / "channels.yaml"
        self.env = {**{k: v for k, v in os.environ.items() if not k.startswith("MI_")},
                    "MI_DATA_DIR": str(self.data_dir), "MI_CHANNELS": str(self.channels),
                    "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                    "COLUMNS": "1000"}  # wide enough that no cell is folded across lines

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*_mi_command(), *args], env=self.env, capture_output=True, encoding="utf-8",
                              timeout=300, check=False)


@pytest.fixture
def hostile(tmp_path: Path) -> Mi:
    """A series channel whose name holds the payloads and whose CSV header makes it fail with
    an error that quotes them."""
    csv = tmp_path / "evil.csv"
    csv.write_text(",".join(HEADER) + "\n2026-01-02,1,2,3,4,5,6\n", encoding="utf-8")
    mi = Mi(tmp_path)
    mi.channels.write_text(yaml.safe_dump({"channels": [
        {"name": CHANNEL, "kind": "series_csv", "url": str(csv), "date_column": "Date",
         "description": f"{MARKUP} {OSC8}"}]}, allow_unicode=True), encoding="utf-8")
    return mi


def _gather_here(mi: Mi, monkeypatch: pytest.MonkeyPatch) -> None:
    """Gather every channel in this process (no Prefect), into the warehouse ``mi`` reads."""
    from mi.gathering import gather_channel
    from mi.runtime import current_runtime

    for name, value in mi.env.items():
        if name.startswith("MI_"):
            monkeypatch.setenv(name, value)
    runtime = current_runtime()
    for config in runtime.channels:
        gather_channel(runtime.engine, config, runtime.transport)
    runtime.engine.dispose()


def test_mi_channels_and_status_show_names_and_errors_literally(hostile: Mi,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    assert hostile("channels").returncode == 0  # writes the channel into the warehouse
    _gather_here(hostile, monkeypatch)
    table = hostile("channels")
    assert table.returncode == 0, table.stderr
    assert_inert(table.stdout + table.stderr)
    assert CHANNEL_SHOWN in table.stdout and f"(columns: {HEADER_SHOWN})" in table.stdout
    as_json = hostile("channels", "--format", "json")
    assert as_json.returncode == 0 and "\\u001b[31mESC" in as_json.stdout and "\\u009b31mC1" in as_json.stdout
    assert_inert(as_json.stdout)
    [row] = json.loads(as_json.stdout)
    assert row["channel"] == CHANNEL and f"(columns: {', '.join(HEADER)})" in row["last_error"]  # data intact
    status = hostile("status")
    assert status.returncode == 0 and CHANNEL_SHOWN in status.stdout
    assert_inert(status.stdout + status.stderr)


@pytest.mark.flow
def test_mi_run_gather_reports_a_hostile_channel_literally(hostile: Mi, prefect_harness: None) -> None:
    from prefect.settings import PREFECT_API_URL

    hostile.env["PREFECT_API_URL"] = str(PREFECT_API_URL.value())  # the session's test server
    run = hostile("run", "gather")
    assert run.returncode == 1, run.stderr  # the channel failed; the command did not crash
    assert_inert(run.stdout)
    assert CHANNEL_SHOWN in run.stdout and "header has no date column 'Date'" in run.stdout
    # Prefect's own log lines on stderr are not the CLI's; the CLI's verdict is this line.
    [verdict] = [line for line in run.stderr.splitlines() if "channel(s) failed" in line]
    assert verdict.startswith(f"1 channel(s) failed: {CHANNEL_SHOWN} — see `mi channels`")
    assert_inert(verdict)


def test_mi_note_add_shows_names_and_refusals_literally(tmp_path: Path) -> None:
    mi = Mi(tmp_path)
    mi.channels.write_text("channels: []\n")
    engine = create_warehouse_engine(f"sqlite:///{mi.data_dir / 'warehouse.sqlite'}")
    migrate(engine)
    with engine.begin() as conn:
        rm = conn.execute(insert(RelationshipManager).values(rm_ref="RM1", name="Ada")
                          .returning(RelationshipManager.id)).scalar_one()
        customer = conn.execute(insert(Customer).values(customer_ref="C1", name=f"Acme {MARKUP} {OSC8}",
                                                        segment="corporate").returning(Customer.id)).scalar_one()
        conn.execute(insert(Coverage).values(rm_id=rm, customer_id=customer))
    engine.dispose()
    added = mi("note", "add", "--rm", "RM1", "--customer", "C1", "--date", "2026-11-20", f"Hedge USD {MARKUP} {ANSI}")
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith(f"added: note by RM1 about C1 (Acme {MARKUP} {OSC8_SHOWN}) on 2026-11-20")
    assert_inert(added.stdout + added.stderr)
    refused = mi("note", "add", "--rm", "RM1", "--customer", f"{MARKUP} {ANSI}", "text")
    assert refused.returncode == 1 and f"note not recorded: unknown customer '{MARKUP} {ANSI_SHOWN}'" in refused.stderr
    assert_inert(refused.stdout + refused.stderr)


def test_mi_inspect_feed_shows_a_hostile_title_literally(tmp_path: Path) -> None:
    title = f"{MARKUP} \u202eevil"  # (a C1 byte would not survive: feeds read it as windows-1252)
    feed = tmp_path / "evil.rss"
    feed.write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>{MARKUP}</title><link>https://example.org/</link>
<item><title>{title}</title><link>https://example.org/1</link><description>x</description></item>
</channel></rss>""", encoding="utf-8")
    mi = Mi(tmp_path)
    shown = mi("inspect", "feed", str(feed))
    assert shown.returncode == 0, shown.stderr
    assert f'"title": "{MARKUP} \\u202eevil"' in shown.stdout
    assert_inert(shown.stdout + shown.stderr)
    assert "\u202e" not in shown.stdout
    as_json = mi("inspect", "feed", str(feed), "--format", "json")
    assert json.loads(as_json.stdout)["items"][0]["title"] == title
    assert_inert(as_json.stdout)
    assert "\u202e" not in as_json.stdout


def test_reports_render_is_literal_on_any_console() -> None:
    out = io.StringIO()
    console = Console(file=out, width=400, force_terminal=False, color_system=None)  # reads markup in strings
    reports.render(console, f"[bold]{ANSI}", [{"channel": CHANNEL, "new": 3, "error": OSC8}],
                   ["channel", "new", "error"])
    assert f"[bold]{ANSI_SHOWN}" in out.getvalue() and CHANNEL_SHOWN in out.getvalue()
    assert OSC8_SHOWN in out.getvalue()
    assert_inert(out.getvalue())
