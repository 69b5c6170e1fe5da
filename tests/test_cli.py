"""`mi` commands that staff use to audit channels (no flow run needed)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from mi.cli import main
from tests.conftest import FIXTURES
from tests.loopback import RecordedSite

FEEDS = FIXTURES / "feeds" / "rss-parser" / "input"
PAGES = FIXTURES / "pages"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_inspect_feed_over_http_gives_the_documented_json(site: RecordedSite,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    url = site.serve("/guardian.rss", (FEEDS / "guardian.rss").read_bytes(), "application/rss+xml")
    code, out = run(capsys, "inspect", "feed", url, "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["error"] is None
    assert set(data) == {"feed", "items", "error"} and set(data["feed"]) == {"title", "link"}
    assert data["feed"]["title"] == "The Guardian"
    first = data["items"][0]
    assert set(first) == {"id", "title", "link", "published_at", "summary"}
    assert first["published_at"].endswith("Z")


def test_inspect_feed_on_a_web_page_says_why_and_exits_1(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "page.html"
    page.write_text("<!DOCTYPE html><html><body><p>Hello</p></body></html>")
    code, out = run(capsys, "inspect", "feed", str(page), "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["items"] == [] and data["error"].startswith("not a feed: the document is an HTML page")


def test_inspect_feed_keeps_items_before_a_break(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = (FEEDS / "guardian.rss").read_bytes()
    cut = tmp_path / "cut.rss"
    cut.write_bytes(body[: len(body) // 2])
    code, out = run(capsys, "inspect", "feed", str(cut), "--format", "json")
    data = json.loads(out)
    assert code == 0 and len(data["items"]) > 5 and "malformed XML" in data["error"]


def test_inspect_page_extracts_the_article(site: RecordedSite, capsys: pytest.CaptureFixture[str]) -> None:
    name = sorted(p.name for p in PAGES.glob("*.html"))[0]
    url = site.serve("/" + name, (PAGES / name).read_bytes(), "text/html; charset=utf-8")
    code, out = run(capsys, "inspect", "page", url, "--format", "json")
    data = json.loads(out)
    assert code == 0 and set(data) == {"url", "title", "text", "published_at", "language"}
    assert len(data["text"]) > 200 and data["url"] == url


def test_inspect_page_that_times_out_reports_it(site: RecordedSite, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.loopback import Reply

    monkeypatch.setenv("MI_HTTP_TIMEOUT", "0.5")
    url = site.add("/slow.html", Reply(body=b"<p>late</p>", content_type="text/html", delay=2.0))
    code, out = run(capsys, "inspect", "page", url, "--format", "json")
    assert code == 1 and "timed out" in json.loads(out)["error"]


@pytest.fixture
def configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, site: RecordedSite) -> RecordedSite:
    site.serve("/guardian.rss", (FEEDS / "guardian.rss").read_bytes(), "application/rss+xml")
    site.serve("/moved.rss", b"<html><body>moved</body></html>", "text/html")
    (tmp_path / "channels.yaml").write_text(yaml.safe_dump({"channels": [
        {"name": "guardian", "kind": "feed", "url": site.url("/guardian.rss")},
        {"name": "moved", "kind": "feed", "url": site.url("/moved.rss")},
    ]}))
    monkeypatch.setenv("MI_CHANNELS", str(tmp_path / "channels.yaml"))
    monkeypatch.setenv("MI_DATABASE_URL", f"sqlite:///{tmp_path / 'w.sqlite'}")
    monkeypatch.setenv("MI_HTTP_MIN_INTERVAL", "0")
    return site


def test_channels_lists_health_after_gathering(configured: RecordedSite,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from mi.gathering import gather_channel
    from mi.runtime import current_runtime

    runtime = current_runtime()
    code, _ = run(capsys, "channels")  # syncs the configuration into the warehouse
    for config in runtime.channels:
        gather_channel(runtime.engine, config, runtime.transport)
    code, out = run(capsys, "channels", "--format", "json")
    rows = {row["channel"]: row for row in json.loads(out)}
    assert code == 0
    assert rows["guardian"]["consecutive_failures"] == 0 and rows["guardian"]["new"] > 10
    assert rows["moved"]["consecutive_failures"] == 1 and "not a feed" in rows["moved"]["last_error"]
    code, out = run(capsys, "status", "--format", "json")
    data = json.loads(out)
    status = {row["channel"]: row for row in data["channels"]}
    assert {"part": "documents", "rows": rows["guardian"]["new"]} in data["picture"]
    assert status["guardian"]["documents"] == rows["guardian"]["new"]
    assert status["moved"]["quarantined"] == 1


def test_replay_reports_what_it_reparsed(configured: RecordedSite, capsys: pytest.CaptureFixture[str]) -> None:
    from mi.gathering import gather_channel
    from mi.runtime import current_runtime

    runtime = current_runtime()
    run(capsys, "channels")
    gather_channel(runtime.engine, runtime.channel("moved"), runtime.transport)
    code, out = run(capsys, "replay", "--channel", "moved", "--format", "json")
    [row] = json.loads(out)
    assert code == 1 and row["replayed"] == 1 and "not a feed" in row["error"]
    with pytest.raises(SystemExit, match="no channel named 'nope'"):
        main(["replay", "--channel", "nope"])


def test_inspect_series_reports_gaps_anomalies_and_a_forecast(capsys: pytest.CaptureFixture[str]) -> None:
    csv = FIXTURES / "series" / "sp500-2007-2008.csv"
    code, out = run(capsys, "inspect", "series", str(csv), "--date-column", "Date",
                    "--value-column", "Close", "--format", "json")
    data = json.loads(out)
    assert code == 0 and set(data) == {"observations", "missing", "anomalies", "forecast"}
    assert data["observations"] > 400
    assert "2008-10-13" in {a["date"] for a in data["anomalies"]}
    assert all(set(a) == {"date", "value", "change", "score"} for a in data["anomalies"])
    assert data["forecast"] and all(f["lower"] <= f["value"] <= f["upper"] for f in data["forecast"])


def test_inspect_series_names_a_missing_column(capsys: pytest.CaptureFixture[str]) -> None:
    csv = FIXTURES / "series" / "sp500-2007-2008.csv"
    code, out = run(capsys, "inspect", "series", str(csv), "--value-column", "Nope", "--format", "json")
    assert code == 1 and "Nope" in json.loads(out)["error"]


def test_note_add_records_once_and_explains_refusals(configured: RecordedSite,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from sqlalchemy import insert

    from mi.runtime import current_runtime
    from mi.warehouse.book import Coverage, Customer, RelationshipManager

    engine = current_runtime().engine
    with engine.begin() as conn:
        rm = conn.execute(insert(RelationshipManager).values(rm_ref="RM1", name="Ada")
                          .returning(RelationshipManager.id)).scalar_one()
        customer = conn.execute(insert(Customer).values(customer_ref="C1", name="Acme Tools Ltd",
                                                        segment="corporate").returning(Customer.id)).scalar_one()
        conn.execute(insert(Coverage).values(rm_id=rm, customer_id=customer))
    argv = ["note", "add", "--rm", "RM1", "--customer", "Acme Tools Ltd", "--date", "2026-11-20",
            "--tag", "fx", "Treasurer wants to hedge USD receivables"]
    code, out = run(capsys, *argv)
    assert code == 0 and out.startswith("added")
    code, out = run(capsys, *argv)
    assert code == 0 and out.startswith("already recorded")
    assert main(["note", "add", "--rm", "RM1", "--customer", "Nobody GmbH", "text"]) == 1
    assert "Nobody GmbH" in capsys.readouterr().err


def test_inspect_text_tags_each_line_and_links_companies_of_the_book(
        configured: RecordedSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sqlalchemy import insert

    from mi.runtime import current_runtime
    from mi.warehouse.book import Company, CompanyAlias

    with current_runtime().engine.begin() as conn:
        company = conn.execute(insert(Company).values(company_ref="CIK:93410", name="Chevron Corporation")
                               .returning(Company.id)).scalar_one()
        conn.execute(insert(CompanyAlias).values(company_id=company, kind="ticker", value="CVX"))
    lines = [
        {"id": "n1", "title": "Chevron Corporation agrees to acquire shale rival",
         "text": "Chevron Corporation (NYSE: CVX) will acquire a shale producer in an all-stock deal; "
                 "crude oil output rises."},
        {"id": "n2", "text": "Shares plunged after the lender cut its profit forecast and missed estimates."},
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps(line) for line in lines) + "\n{broken\n")
    out = tmp_path / "out.jsonl"
    code = main(["inspect", "text", "--in", str(source), "--out", str(out)])
    results = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert code == 1 and "line 3" in capsys.readouterr().err  # the broken line is reported, not fatal
    assert set(results["n1"]) == {"id", "language", "industries", "themes", "sentiment", "entities"}
    assert results["n1"]["language"] == "en"
    assert results["n1"]["entities"] == [{"name": "Chevron Corporation", "company_id": company}]
    assert "m_and_a" in results["n1"]["themes"] and "B" in results["n1"]["industries"]
    assert results["n2"]["sentiment"]["label"] == "negative" and -1 <= results["n2"]["sentiment"]["score"] < 0


def test_inspect_text_explain_shows_each_link_reason_and_each_rejection(
        configured: RecordedSite, tmp_path: Path) -> None:
    from sqlalchemy import insert

    from mi.runtime import current_runtime
    from mi.warehouse.book import Company, CompanyAlias

    with current_runtime().engine.begin() as conn:
        apple = conn.execute(insert(Company).values(company_ref="CIK:320193", name="Apple Inc.")
                             .returning(Company.id)).scalar_one()
        ford = conn.execute(insert(Company).values(company_ref="CIK:37996", name="Ford Motor Company")
                            .returning(Company.id)).scalar_one()
        conn.execute(insert(CompanyAlias).values(company_id=apple, kind="alias", value="Apple"))
        conn.execute(insert(CompanyAlias).values(company_id=ford, kind="alias", value="Ford"))
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "n1", "text": "Apple shares rose. Harrison Ford was seen."}) + "\n")
    out = tmp_path / "out.jsonl"
    assert main(["inspect", "text", "--in", str(source), "--out", str(out), "--explain"]) == 0
    result = json.loads(out.read_text())
    assert result["entities"] == [{"name": "Apple Inc.", "company_id": apple, "mention": "Apple", "confidence": 0.85,
                                   "reason": "alias 'Apple' is made of everyday words, decided by context: "
                                             "'shares' after it; finance words nearby (rose)"}]
    assert result["rejected"] == [{"name": "Ford Motor Company", "company_id": ford, "mention": "Ford",
                                   "reason": "alias 'Ford' matched, but preceded by capitalised 'Harrison'"}]


def test_inspect_text_reads_a_lines_market_as_refine_reads_its_channels(configured: RecordedSite,
                                                                         tmp_path: Path) -> None:
    """A line's "market" is what a channel's market is to refine: context for a customer of that country."""
    from sqlalchemy import insert

    from mi.runtime import current_runtime
    from mi.warehouse.book import Company

    with current_runtime().engine.begin() as conn:
        apollo = conn.execute(insert(Company).values(company_ref="LEI:335800ZQ6I4E2JXYDJ68", country="IN",
                                                     name="Apollo Hospitals Enterprise Ltd").returning(Company.id)
                              ).scalar_one()
    headline = "Apollo in focus ahead of quarterly results"
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "in", "text": headline, "market": "IN"}) + "\n"
                      + json.dumps({"id": "none", "text": headline}) + "\n")
    out = tmp_path / "out.jsonl"
    assert main(["inspect", "text", "--in", str(source), "--out", str(out), "--explain"]) == 0
    results = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert [e["company_id"] for e in results["in"]["entities"]] == [apollo]
    assert "the channel's market (IN) is the company's" in results["in"]["entities"][0]["reason"]
    assert results["none"]["entities"] == [] and results["none"]["rejected"][0]["company_id"] == apollo
