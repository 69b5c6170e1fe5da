"""Signals as the product department reads them: the digest (text and HTML), the webhook
card, and the period's report as CSV and Markdown.

Everything here shows ``SignalItem`` records, which hold only what may be shared (see
``mi.signals.sharing``): no note of an RM is quoted unless it may be, no customer is
named. Text is data: HTML is escaped, Markdown goes through ``md_text``/``md_link``, CSV
cells through ``csv_row`` (formulas neutralised), links are http(s) only.
"""
from __future__ import annotations

import csv
import html
import io
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from mi.records.inert import csv_row, md_link, md_text

CHANGE_LABELS = {"new": "NEW", "update": "UPDATE", "review": "REVIEW", "listed": ""}


@dataclass(frozen=True)
class EvidenceLine:
    kind: str
    stance: str
    title: str
    url: str | None


@dataclass(frozen=True)
class SignalItem:
    key: str
    title: str
    category: str | None
    status: str
    change: str  # new, update, review, listed
    score: float
    notes: int
    customers: int
    rms: int
    confidential_notes: int
    first_noted_on: str
    last_noted_on: str
    parts: tuple[tuple[str, float, int, str], ...]  # (name, points, weight, reason)
    evidence: tuple[EvidenceLine, ...] = ()
    quotes: tuple[str, ...] = ()
    what_changed: str | None = None
    decision: str | None = None  # "reserved by Ann Lee on 2026-08-01: budget frozen"
    product: str | None = None
    extra: dict[str, str] = field(default_factory=dict, hash=False, compare=False)


def _safe_url(url: str | None) -> str | None:
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return None
    return url if url and parts.scheme in ("http", "https") and parts.hostname else None


def subject(period: str, items: list[SignalItem]) -> str:
    counts = {c: sum(1 for i in items if i.change == c) for c in ("new", "update", "review")}
    said = ", ".join(f"{n} {'updated' if c == 'update' else c}" for c, n in counts.items() if n)
    return f"Demand signals {period}: {said or 'nothing new'}"


def digest_text(period: str, items: list[SignalItem]) -> str:
    lines = [subject(period, items), ""]
    for item in items:
        lines.append(f"{CHANGE_LABELS[item.change]} {item.title} [{item.key}] score {item.score:g}/100, "
                     f"status {item.status}")
        if item.what_changed:
            lines.append(f"  what changed: {item.what_changed}")
        if item.decision:
            lines.append(f"  decision: {item.decision}")
        for name, points, weight, reason in item.parts:
            lines.append(f"  {name} {points:g}/{weight}: {reason}")
        for line in item.evidence:
            link = _safe_url(line.url)
            lines.append(f"  evidence ({line.stance}): {line.title}" + (f" <{link}>" if link else ""))
        for quote in item.quotes:
            lines.append(f'  heard: "{quote}"')
        lines.append("")
    return "\n".join(lines)


def digest_html(period: str, items: list[SignalItem]) -> str:
    e = html.escape
    out = [f"<h1>{e(subject(period, items))}</h1>"]
    for item in items:
        out.append(f"<h2>{e(CHANGE_LABELS[item.change])} {e(item.title)} <small>{e(item.key)}</small></h2>")
        out.append(f"<p>Score {item.score:g}/100, status {e(item.status)}</p>")
        if item.what_changed:
            out.append(f"<p><b>What changed:</b> {e(item.what_changed)}</p>")
        if item.decision:
            out.append(f"<p><b>Decision:</b> {e(item.decision)}</p>")
        out.append("<ul>" + "".join(f"<li>{e(name)} {points:g}/{weight}: {e(reason)}</li>"
                                    for name, points, weight, reason in item.parts) + "</ul>")
        if item.evidence:
            rows = []
            for line in item.evidence:
                link = _safe_url(line.url)
                title = f'<a href="{e(link, quote=True)}">{e(line.title)}</a>' if link else e(line.title)
                rows.append(f"<li>{e(line.stance)}: {title}</li>")
            out.append("<p>Evidence:</p><ul>" + "".join(rows) + "</ul>")
        if item.quotes:
            out.append("<p>Heard by RMs:</p><ul>" + "".join(f"<li>{e(q)}</li>" for q in item.quotes) + "</ul>")
    return "\n".join(out)


def card(period: str, items: list[SignalItem]) -> dict[str, object]:
    """The webhook's JSON: one entry per signal, links http(s) only."""
    return {"type": "demand_signals", "period": period, "title": subject(period, items), "items": [{
        "key": i.key, "title": i.title, "category": i.category, "change": i.change, "status": i.status,
        "score": i.score, "notes": i.notes, "customers": i.customers, "rms": i.rms, "what_changed": i.what_changed,
        "decision": i.decision,
        "parts": [{"name": n, "points": p, "weight": w, "reason": r} for n, p, w, r in i.parts],
        "evidence": [{"title": ev.title, "url": _safe_url(ev.url), "stance": ev.stance} for ev in i.evidence],
        "quotes": list(i.quotes)} for i in items]}


CSV_COLUMNS = ("period", "signal", "title", "category", "status", "change", "score", "notes", "customers", "rms",
               "confidential_notes", "first_noted_on", "last_noted_on", "breadth", "recency", "value", "gap",
               "market", "evidence", "what_changed", "decision", "product")
NUMERIC = frozenset({"score", "notes", "customers", "rms", "confidential_notes", "breadth", "recency", "value", "gap",
                     "market", "evidence"})


def rows(period: str, items: list[SignalItem]) -> list[dict[str, object]]:
    """One row per signal: the CSV's rows and the flow run's table artifact."""
    out = []
    for i in items:
        points = {name: p for name, p, _w, _r in i.parts}
        out.append({"period": period, "signal": i.key, "title": i.title, "category": i.category or "",
                    "status": i.status, "change": i.change, "score": i.score, "notes": i.notes,
                    "customers": i.customers, "rms": i.rms, "confidential_notes": i.confidential_notes,
                    "first_noted_on": i.first_noted_on, "last_noted_on": i.last_noted_on,
                    **{name: points.get(name, 0.0) for name in ("breadth", "recency", "value", "gap", "market")},
                    "evidence": len(i.evidence), "what_changed": i.what_changed or "", "decision": i.decision or "",
                    "product": i.product or ""})
    return out


def report_csv(period: str, items: list[SignalItem]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows(period, items):
        writer.writerow(csv_row(row, CSV_COLUMNS, numeric=NUMERIC))
    return buffer.getvalue().encode("utf-8")


def report_markdown(period: str, items: list[SignalItem]) -> bytes:
    lines = [f"# Demand signals, {md_text(period)}", "",
             "| signal | title | status | this period | score | customers | RMs | evidence |",
             "|---|---|---|---|---:|---:|---:|---:|"]
    for i in items:
        lines.append(f"| {md_text(i.key)} | {md_text(i.title)} | {md_text(i.status)} | {md_text(i.change)} | "
                     f"{i.score:g} | {i.customers} | {i.rms} | {len(i.evidence)} |")
    for i in items:
        lines += ["", f"## {md_text(i.title)} ({md_text(i.key)})", "",
                  f"Score {i.score:g}/100, status {md_text(i.status)}; notes from {md_text(i.first_noted_on)} "
                  f"to {md_text(i.last_noted_on)}.", ""]
        if i.what_changed:
            lines.append(f"- What changed: {md_text(i.what_changed)}")
        if i.decision:
            lines.append(f"- Decision: {md_text(i.decision)}")
        if i.product:
            lines.append(f"- Launched as: {md_text(i.product)}")
        lines += [f"- {md_text(name)} {points:g}/{weight}: {md_text(reason)}"
                  for name, points, weight, reason in i.parts]
        lines += [f"- Evidence ({md_text(ev.stance)}): {md_link(ev.title, ev.url)}" for ev in i.evidence]
        lines += [f"- Heard: {md_text(q)}" for q in i.quotes]
    return ("\n".join(lines) + "\n").encode("utf-8")
