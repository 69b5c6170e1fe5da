"""The day in one markdown page: top events, anomalies, industries heating up or cooling down."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Engine, desc, func, select

from mi.analysis.industries import section_name
from mi.refining.documents import IdRange
from mi.warehouse.analysis import DocumentAnalysis, Event, IndustryPulse, SeriesAnomaly
from mi.warehouse.models import Document, Series


def _escape(text: str | None) -> str:
    """Fetched text goes into markdown tables: no pipes, no line breaks, no raw HTML."""
    cleaned = " ".join((text or "").split()).replace("|", "/").replace("<", "&lt;").replace(">", "&gt;")
    return cleaned[:140]


def document_days(engine: Engine, batches: Sequence[IdRange]) -> set[dt.date]:
    """The days (publication, else fetch) that the documents in ``batches`` speak of."""
    days: set[dt.date] = set()
    with engine.connect() as conn:
        for ids in batches:
            rows = conn.execute(select(Document.published_at, Document.fetched_at)
                                .where(Document.id.between(ids.first, ids.last))).all()
            days |= {(p or f).date() for p, f in rows}
    return days


def day_summary(engine: Engine, as_of: dt.date, stats: dict[str, int], limit: int = 10) -> str:
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
    lines += [f"- {key.replace('_', ' ')}: {value}" for key, value in stats.items()]
    lines += ["- sentiment of all analysed documents: " + ", ".join(f"{k} {v}" for k, v in sorted(sentiment.items())), ""]
    lines += ["## Top events", "", "| event | documents | channels | first published |", "|---|---|---|---|"]
    lines += [f"| {_escape(e.title)} | {e.document_count} | {e.channel_count} | "
              f"{e.first_published_at:%Y-%m-%d %H:%M} |" if e.first_published_at else
              f"| {_escape(e.title)} | {e.document_count} | {e.channel_count} | - |" for e in events]
    lines += ["", "## Latest anomalies", "", "| series | date | change | score | kind |", "|---|---|---|---|---|"]
    lines += [f"| {_escape(a.name)} (`{a.key}`) | {a.date} | {a.change:+.4g} | {a.score:+.1f} | {a.kind} |"
              for a in anomalies]
    lines += ["", "## Industries heating up or cooling down", ""]
    if pulse:
        lines += ["| industry | day | documents | volume z | sentiment trend | |", "|---|---|---|---|---|---|"]
        lines += [f"| {p.section} {section_name(p.section)} | {p.day} | {p.documents} | {p.volume_z:+.1f} "
                  f"| {p.sentiment_trend:+.2f} | {p.label} |" for p in pulse]
    else:
        lines.append("No industry moved away from its baseline in the last week of data.")
    return "\n".join(lines) + "\n"
