"""Every channel kind, and ``mi inspect feed|page|series``, against the bad-input corpus.

The corpus (``tests/bad_corpus.py``, small files in ``tests/fixtures/bad/``) holds files in
legacy and mislabelled encodings, with placeholder dates, oversized, truncated, binary and
empty. Whatever a kind makes of a file, it ends parsed, partial with reasons, or
quarantined with a reason; nothing raises; no record is bigger than the limits allow; and
for the kinds a file is meant for, every readable row is in the result and every row set
aside is named.
"""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from mi.records.channels import ChannelConfig
from mi.records.limits import Limits
from mi.records.parsed import ParseResult
from mi.sources.registry import KINDS, source_for
from tests.bad_corpus import FOLDER, BadInput, corpus

#: The options each kind needs to be built at all; every kind of the registry is here.
KIND_OPTIONS: dict[str, dict[str, Any]] = {
    "feed": {}, "json_feed": {}, "page": {}, "ecb_daily": {}, "ecb_history": {}, "fred_csv": {}, "series_csv": {},
    "series_json": {}, "worldbank": {}, "sdmx_csv": {},
    "competitor_page": {"competitor": "Falkenried Bank", "selectors": {"item": ".product", "name": ".name"}},
    "book": {"table": "customers"}, "products": {}, "product_metrics": {}, "field_notes": {},
}
LIMITS = Limits()
# BeautifulSoup (the competitor_page kind) warns when handed XML; that is the point here.
pytestmark = pytest.mark.filterwarnings("ignore::bs4.XMLParsedAsHTMLWarning")
#: Seconds one parse may take; far above what any of these files needs, far below a hang.
SLOW = 30.0
CORPUS = corpus()
NAMES = [item.name for item in CORPUS]


def by_name(name: str) -> BadInput:
    return next(item for item in CORPUS if item.name == name)


def parse(kind: str, item: BadInput) -> ParseResult:
    url = f"tests/fixtures/bad/{item.name}"
    config = ChannelConfig(name=f"bad-{kind}", kind=kind, urls=(url,), options=KIND_OPTIONS[kind])
    return source_for(config, LIMITS).parse(item.body, url=url, content_type=item.content_type)


def test_every_kind_of_the_registry_runs_through_the_corpus() -> None:
    assert set(KIND_OPTIONS) == set(KINDS)


def test_the_committed_files_are_what_the_script_writes(tmp_path: Path) -> None:
    from tests.bad_corpus import write

    write(tmp_path)
    written = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    committed = {path.name: path.read_bytes() for path in FOLDER.iterdir() if path.name != "SOURCE.md"}
    assert written == committed
    assert sum(len(body) for body in committed.values()) < 200_000


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("name", NAMES)
def test_every_kind_ends_each_bad_input_with_a_reason_and_loses_nothing(kind: str, name: str) -> None:
    item = by_name(name)
    started = time.monotonic()
    result = parse(kind, item)  # must not raise
    assert time.monotonic() - started < SLOW
    assert isinstance(result, ParseResult)
    for message in [*result.problems, *result.warnings, *([result.fatal] if result.fatal is not None else [])]:
        assert isinstance(message, str) and message.strip()
    expect = item.expect.get(kind)
    if not result.record_count and result.fatal is None and not result.problems:
        # Parsed, but empty without a word: only where the file is meant to hold nothing.
        assert expect is not None and expect.records == 0, "nothing came out and nothing says why"
    assert_no_giant_record(result, item)
    if expect is None:
        return
    assert result.record_count == expect.records, (result.problems, result.fatal)
    for marker in expect.set_aside:
        assert any(marker in problem for problem in [*result.problems, result.fatal or ""]), marker
    if expect.warned:
        assert result.warnings, "the guess or the date left out is not reported"


def assert_no_giant_record(result: ParseResult, item: BadInput) -> None:
    """Typed records and series hold no field past the limit; documents hold no more text
    than their payload had."""
    for record in result.records:
        for value in vars(record).values():
            shown = value if isinstance(value, str) else json.dumps(value, default=str, ensure_ascii=False)
            assert len(shown) <= LIMITS.max_field_chars, type(record).__name__
    for series in result.series:
        assert len(series.key) + len(series.name) <= LIMITS.max_field_chars
    for document in result.documents:
        assert len(document.text) <= max(len(item.body), 1)


# -- mi inspect --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bad")
    for item in CORPUS:
        (folder / item.name).write_bytes(item.body)
    return folder


@pytest.mark.parametrize("what", ["feed", "page", "series"])
@pytest.mark.parametrize("name", NAMES)
def test_mi_inspect_answers_every_bad_input(files: Path, what: str, name: str) -> None:
    from mi.inspect import inspect_feed, inspect_page, inspect_series

    target = str(files / name)
    if what == "series":
        payload, ok = inspect_series(target, None, None)
    else:
        payload, ok = {"feed": inspect_feed, "page": inspect_page}[what](target)
    json.dumps(payload)  # what the command prints
    if not ok:
        assert isinstance(payload.get("error"), str) and payload["error"].strip()


def test_mi_inspect_shows_chinese_text_and_says_the_charset_was_guessed(files: Path) -> None:
    from mi.inspect import inspect_feed, inspect_page, inspect_series

    feed, ok = inspect_feed(str(files / "feed-gb18030-as-latin1.xml"))
    assert ok and [item["title"] for item in feed["items"]] == ["央行下调存款准备金率", "沪深股市收盘上涨"]
    assert "decoded as gb18030 by guessing" in feed["error"]
    dated, _ = inspect_feed(str(files / "feed-dates.xml"))
    assert [item["published_at"] for item in dated["items"]][:4] == [None] * 4
    assert len(dated["warnings"]) == 4 and "9999" in dated["warnings"][0]
    page, ok = inspect_page(str(files / "page-big5-as-latin1.html"))
    assert ok and "討論外匯套期保值需求" in page["text"] and "big5" in page["warnings"][0]
    series, ok = inspect_series(str(files / "series-gb18030.csv"), None, None)
    assert ok and series["observations"] == 5 and "gb18030" in series["warnings"][0]
