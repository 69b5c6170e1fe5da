"""The refine page (a Prefect markdown artifact) with hostile titles, series and labels.

Rendered with markdown-it-py (CommonMark, as Prefect's UI reads it) and Python-Markdown: no
link, image or HTML comes out, and the text reads as it was fetched.
"""
from __future__ import annotations

import datetime as dt
import html

import markdown
from sqlalchemy import Engine, insert

from mi.records.channels import ChannelConfig
from mi.records.series import SeriesRecord
from mi.refining.summary import day_summary
from mi.warehouse.analysis import Event, IndustryPulse, SeriesAnomaly
from mi.warehouse.loading import load_series, sync_channels
from tests.markdown_render import commonmark, tags

HOSTILE_TITLE = "[x](javascript:alert(1)) ![](https://tracker.example/p.gif) <img src=x> <b>bold</b> | `tick`"
HOSTILE_SERIES_NAME = "![](https://tracker.example/s.gif) <script>alert(1)</script>"
HOSTILE_SERIES_KEY = "k`) [y](javascript:alert(2)) `"


def _hostile_day(engine: Engine) -> str:
    day = dt.date(2026, 11, 27)
    with engine.begin() as conn:
        channel = sync_channels(conn, [ChannelConfig("fx", "series_csv", ("x",))])["fx"]
        series = load_series(conn, channel_id=channel, series=[
            SeriesRecord(HOSTILE_SERIES_KEY, HOSTILE_SERIES_NAME, "u", "B", "test")])[HOSTILE_SERIES_KEY]
        conn.execute(insert(Event).values(event_key="e1", title=HOSTILE_TITLE, document_count=2, channel_count=2,
                                          first_published_at=dt.datetime(2026, 11, 27, 6, tzinfo=dt.timezone.utc)))
        conn.execute(insert(SeriesAnomaly).values(series_id=series, date=day, value=1.0, change=0.1, score=4.0,
                                                  kind="<i>move</i>"))
        conn.execute(insert(IndustryPulse).values(section="K", day=day, documents=9, volume_z=3.0,
                                                  sentiment_trend=0.2, label="<i>hot</i>"))  # String(10)
    return day_summary(engine, day, {"documents_tagged": 4})


ALLOWED_TAGS = {"h1", "h2", "p", "ul", "li", "table", "thead", "tbody", "tr", "th", "td"}


def test_day_summary_renders_hostile_titles_and_series_as_text_only(engine: Engine) -> None:
    page = _hostile_day(engine)
    for rendered in (commonmark().render(page), markdown.markdown(page, extensions=["tables"])):
        found = tags(rendered)
        assert {tag for tag, _ in found} <= ALLOWED_TAGS, rendered
        assert not any(attrs for _, attrs in found)  # no href, src, onerror, style, ...
    text = html.unescape(commonmark().render(page))
    assert HOSTILE_TITLE in text and HOSTILE_SERIES_NAME in text and HOSTILE_SERIES_KEY in text
    assert "<i>hot</i>" in text and "<i>move</i>" in text


def test_day_summary_keeps_its_tables_whatever_the_titles_hold(engine: Engine) -> None:
    page = _hostile_day(engine)
    rows = [line for line in page.splitlines() if line.startswith("| ")]
    # Header + one row in each of the three tables; every row has as many cells as its header.
    assert len(rows) == 6
    rendered = commonmark().render(page)
    assert rendered.count("<tr>") == 6 and rendered.count("<td>") == 4 + 5 + 6
