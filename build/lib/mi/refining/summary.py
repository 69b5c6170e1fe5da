"""The day in one markdown page: top events, anomalies, industries heating up or cooling down.

Published as a Prefect markdown artifact, so every string in it that was fetched or
configured (event titles, series keys and names, industry names, labels) goes in through
``md_text``: it renders as the characters it holds, never as a link, an image or HTML. The
page emits no links.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, desc, func, select

from mi.analysis.industries import section_name
from mi.records.inert import md_text
from mi.warehouse.analysis import DocumentAnalysis, Event, IndustryPulse, SeriesAnomaly
from mi.warehouse.models import Series


def _cell(value: object) -> str:
    """One table cell of literal text, cut at 140 characters so the tables stay readable."""
    return md_text(value, limit=140)


def day_summary(engine: Engine, as_of: dt.date, stats: dict[str, int], limit: int = 10) -> str:
    """The markdown page for ``as_of``: ``stats``, then up to ``limit`` rows per section."""
    with engine.connect() as conn:
        events = conn.execute(select(Event.title, Event.document_count, Event.channel_count, Event.first_published_at)
                              .order_by(desc(Event.channel_count), desc(Event.document_count),
                                        desc(Event.first_published_at)).limit(limit)).all()
        anomalies = conn.execute(select(Series.key, Series.name, SeriesAnomaly.date, SeriesAnomaly.change,
                                        SeriesAnomaly.score, SeriesAnomaly.kind)
                                 .join(Series, Series.id == SeriesAnomaly.series_id)
                                 .order_by(desc(SeriesAnomaly.date), desc(func.abs(SeriesAnomaly.score)))
                                 .limit(limit)).all()
        latest_day = conn.execute(select(func.max(IndustryPulse.day)).where(IndustryPulse.day <= as_of)).scalar()
        pulse = conn.execute(select(IndustryPulse.section, IndustryPulse.day, IndustryPulse.documents,
                                    IndustryPulse.volume_z, IndustryPulse.sentiment_trend, IndustryPulse.label)
                             .where(IndustryPulse.label != "steady",
                                    IndustryPulse.day >= (latest_day or as_of) - dt.timedelta(days=6))
                             .order_by(desc(IndustryPulse.day), desc(func.abs(IndustryPulse.volume_z)))
                             .limit(limit)).all()
        sentiment = dict(conn.execute(select(DocumentAnalysis.sentiment_label, func.count())
                                      .group_by(DocumentAnalysis.sentiment_label)).all())
    lines = [f"# Refine — {as_of.isoformat()}", ""]
    lines += [f"- {md_text(key.replace('_', ' '))}: {value}" for key, value in stats.items()]
    lines += ["- sentiment of all analysed documents: "
              + ", ".join(f"{md_text(k)} {v}" for k, v in sorted(sentiment.items())), ""]
    lines += ["## Top events", "", "| event | documents | channels | first published |", "|---|---|---|---|"]
    lines += [f"| {_cell(e.title)} | {e.document_count} | {e.channel_count} | "
              f"{e.first_published_at:%Y-%m-%d %H:%M} |" if e.first_published_at else
              f"| {_cell(e.title)} | {e.document_count} | {e.channel_count} | - |" for e in events]
    lines += ["", "## Latest anomalies", "", "| series | date | change | score | kind |", "|---|---|---|---|---|"]
    # The key is escaped text, not a code span: backslashes do nothing inside a code span,
    # so a backtick in a key would end it and let the rest render as markdown.
    lines += [f"| {_cell(a.name)} ({_cell(a.key)}) | {a.date} | {a.change:+.4g} | {a.score:+.1f} "
              f"| {_cell(a.kind)} |" for a in anomalies]
    lines += ["", "## Industries heating up or cooling down", ""]
    if pulse:
        lines += ["| industry | day | documents | volume z | sentiment trend | |", "|---|---|---|---|---|---|"]
        lines += [f"| {_cell(f'{p.section} {section_name(p.section)}')} | {p.day} | {p.documents} "
                  f"| {p.volume_z:+.1f} | {p.sentiment_trend:+.2f} | {_cell(p.label)} |" for p in pulse]
    else:
        lines.append("No industry moved away from its baseline in the last week of data.")
    return "\n".join(lines) + "\n"
