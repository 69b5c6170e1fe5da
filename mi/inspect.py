"""``mi inspect``: fetch one input the way a channel would and show what parsing makes of it.

Each view keeps its documented keys; a ``warnings`` list is added only when there is
something to say that lost nothing (a guessed character encoding, a date left out).
"""
from __future__ import annotations

from typing import Any

from mi.runtime import current_runtime
from mi.transport.http import FetchError, Response


def _fetch(target: str) -> Response:
    """Through the same transport the channels use (settings, robots.txt, size cap)."""
    return current_runtime().transport.get(target)


def inspect_feed(target: str) -> tuple[dict[str, Any], bool]:
    from mi.sources.feeds.feed import feed_to_json, parse_feed

    try:
        response = _fetch(target)
    except FetchError as exc:
        return {"feed": {"title": None, "link": None}, "items": [], "error": str(exc)}, False
    result = parse_feed(response.body, url=target if "://" in target else None,
                        content_type=response.content_type)
    view = feed_to_json(result)
    if result.problems:
        view["warnings"] = list(result.problems)
    return view, result.is_feed


def inspect_page(target: str) -> tuple[dict[str, Any], bool]:
    from mi.sources.pages.page import extract_page, page_to_json

    try:
        response = _fetch(target)
    except FetchError as exc:
        return {"url": target, "title": None, "text": "", "published_at": None, "language": None,
                "error": str(exc)}, False
    result = extract_page(response.body, url=target if "://" in target else None,
                          content_type=response.content_type)
    payload = page_to_json(result)
    if result.error:
        payload["error"] = result.error
    if result.warnings:
        payload["warnings"] = list(result.warnings)
    return payload, result.error is None


def analyse_table(body: bytes, date_column: str | None = None, value_column: str | None = None) -> dict[str, Any]:
    """Observations, gaps, anomalies and a short forecast for one column of a CSV payload.

    Columns default to the first that reads as dates and the first other one that reads
    as numbers; raises ValueError when the file or the columns cannot be read."""
    from mi.analysis.series import series_report
    from mi.sources.series.columns import read_column

    column = read_column(body, date_column, value_column)
    observed = column.observations
    report = series_report([o.date for o in observed], [o.value for o in observed], column.missing)
    return {**report, "warnings": list(column.warnings)} if column.warnings else report


def inspect_series(target: str, date_column: str | None, value_column: str | None) -> tuple[dict[str, Any], bool]:
    """Observations, gaps, anomalies and a short forecast for one column of a CSV."""
    try:
        body = _fetch(target).body
        return analyse_table(body, date_column=date_column, value_column=value_column), True
    except (FetchError, ValueError) as exc:
        return {"observations": 0, "missing": 0, "anomalies": [], "forecast": [], "error": str(exc)}, False


def inspect_text(lines: list[str], explain: bool = False) -> tuple[list[dict[str, Any]], list[str]]:
    """Tag each ``{"id", "text"[, "title"]}`` line as refine would; returns (results, problems).

    Entities are linked against the companies in the configured warehouse (the bank's book),
    so staff see exactly which links an RM would be shown. With ``explain`` each link keeps
    its mention, confidence and reason, and ``rejected`` lists every company found in the
    text but not linked, with the reason.
    """
    import json

    from mi.analysis.industries import tag_industries
    from mi.analysis.language import detect_language, supported
    from mi.analysis.sentiment import classify_article_sentiment
    from mi.analysis.themes import tag_themes
    from mi.analysis.zh_text import is_chinese_code
    from mi.refining.entities import build_linker

    records, problems = [], []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict) or "id" not in record or not isinstance(record.get("text"), str):
                raise ValueError('each line needs an "id" and a "text" string')
        except ValueError as exc:
            problems.append(f"line {number}: {exc}")
            continue
        records.append(record)
    sentiments = classify_article_sentiment([(r.get("title"), r["text"]) for r in records]) if records else []
    linker = build_linker(current_runtime().engine) if records else None
    results = []
    zh_linker = None
    for record, sentiment in zip(records, sentiments, strict=True):
        title, text = record.get("title"), record["text"]
        language = detect_language(title, text)
        if is_chinese_code(language):  # Chinese has its own models and linker (mi/inspect_zh.py)
            from mi.inspect_zh import inspect_chinese
            from mi.refining.zh_entities import build_zh_linker

            zh_linker = zh_linker or build_zh_linker(current_runtime().engine)
            results.append(inspect_chinese(record, language, zh_linker, explain))
            continue
        english = supported(language)  # as refine: outside English no English-rule tags or tone
        industries = tag_industries(title, text) if english else []
        market = str(record.get("market") or "")  # a channel's market, as refine passes it
        links, rejected = linker.explain(title, text, industries, english, market) if linker else ([], [])
        result = {
            "id": record["id"],
            "language": language,
            "industries": industries,
            "themes": tag_themes(title, text) if english else [],
            "sentiment": ({"label": sentiment.label, "score": round(float(sentiment.score), 4)} if english
                          else {"label": "neutral", "score": 0.0}),
            "entities": [{"name": link.name, "company_id": link.company_id} for link in links],
        }
        if explain:
            result["entities"] = [{"name": x.name, "company_id": x.company_id, "mention": x.mention,
                                   "confidence": x.confidence, "reason": x.reason} for x in links]
            result["rejected"] = [{"name": r.name, "company_id": r.company_id, "mention": r.mention,
                                   "reason": r.reason} for r in rejected]
        results.append(result)
    return results, problems
