"""``mi inspect``: fetch one input the way a channel would and show what parsing makes of it."""
from __future__ import annotations

from typing import Any

from mi.settings import Settings
from mi.sources.http import FetchError, HttpTransport, Response
from mi.sources.snapshot import RoutingTransport


def _fetch(target: str) -> Response:
    settings = Settings.from_env()
    transport = RoutingTransport(HttpTransport(user_agent=settings.user_agent, timeout=settings.http_timeout,
                                               max_bytes=settings.http_max_bytes, min_interval=0))
    return transport.get(target)


def inspect_feed(target: str) -> tuple[dict[str, Any], bool]:
    from mi.sources.feeds import feed_to_json, parse_feed

    try:
        response = _fetch(target)
    except FetchError as exc:
        return {"feed": {"title": None, "link": None}, "items": [], "error": str(exc)}, False
    result = parse_feed(response.body, url=target if "://" in target else None,
                        content_type=response.content_type)
    return feed_to_json(result), result.is_feed


def inspect_page(target: str) -> tuple[dict[str, Any], bool]:
    from mi.sources.pages import extract_page, page_to_json

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
    return payload, result.error is None


def inspect_series(target: str, date_column: str | None, value_column: str | None) -> tuple[dict[str, Any], bool]:
    """Observations, gaps, anomalies and a short forecast for one column of a CSV."""
    from mi.analysis.series import analyse_table

    try:
        body = _fetch(target).body
        return analyse_table(body, date_column=date_column, value_column=value_column), True
    except (FetchError, ValueError) as exc:
        return {"observations": 0, "missing": 0, "anomalies": [], "forecast": [], "error": str(exc)}, False
