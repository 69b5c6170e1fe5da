"""Following up launched products in the warehouse: which products, their figures, their
alerts (once per episode) and the period's follow-up report.

Followed: every active product launched in the last ``months`` months, and every product
a signal was launched as, whenever it launched. An alert is a ``ProductAlert`` row keyed
(product, kind, episode start) written with its outbox message, so an underperforming
product raises one alert however often the flow runs, and a new one only after it
recovered and fell behind again.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, or_, select

from mi.records.inert import csv_row, md_text
from mi.signals.follow_up import FollowUp, Metric, ProductFacts, follow_up, summary
from mi.signals.outbox import write_atomically
from mi.signals.publish import DEFAULT_RECIPIENT
from mi.warehouse.loading import dialect_insert
from mi.warehouse.products import Product, ProductMetric
from mi.warehouse.signals import DemandSignal, ProductAlert, SignalMessage

MONTHS = 24
CSV_COLUMNS = ("period", "product", "name", "month", "since_launch", "customers", "target", "uptake", "volume",
               "revenue", "cost", "net", "cumulative_net", "under_target")
NUMERIC = frozenset({"since_launch", "customers", "target", "uptake", "volume", "revenue", "cost", "net",
                     "cumulative_net"})


@dataclass(frozen=True)
class FollowUpOutcome:
    period: str
    products: int
    under_target: int
    alerts: int  # raised by this run
    files: tuple[Path, ...]
    rows: tuple[dict[str, object], ...]  # one per product, for the run's artifact


def _products(conn: Connection, as_of: dt.date, months: int) -> list[ProductFacts]:
    earliest = as_of - dt.timedelta(days=round(months * 30.44))
    launched_signals = select(DemandSignal.product_id).where(DemandSignal.product_id.is_not(None))
    rows = conn.execute(select(Product).where(
        Product.launch_date.is_not(None), Product.launch_date <= as_of,
        or_((Product.launch_date >= earliest) & (Product.status == "active"), Product.id.in_(launched_signals)))
        .order_by(Product.launch_date, Product.product_ref)).all()
    return [ProductFacts(r.id, r.product_ref, r.name, r.category, r.launch_date, r.uptake_target, r.cost) for r in rows]


def follow_ups(conn: Connection, *, as_of: dt.date, months: int = MONTHS, **options: object) -> list[FollowUp]:
    products = _products(conn, as_of, months)
    ids = [p.id for p in products]
    metrics: dict[int, list[Metric]] = defaultdict(list)
    signals: dict[int, list[str]] = defaultdict(list)
    if ids:
        for row in conn.execute(select(ProductMetric).where(ProductMetric.product_id.in_(ids))):
            metrics[row.product_id].append(Metric(row.date, row.customers, row.volume, row.revenue))
        for product_id, key in conn.execute(select(DemandSignal.product_id, DemandSignal.signal_key)
                                            .where(DemandSignal.product_id.in_(ids)).order_by(DemandSignal.signal_key)):
            signals[product_id].append(key)
    return [follow_up(p, metrics.get(p.id, []), as_of=as_of, signals=signals.get(p.id, ()),
                      **options)  # type: ignore[arg-type]
            for p in products]


def run_follow_up(engine: Engine, *, as_of: dt.date, folder: Path, months: int = MONTHS,
                  recipient: str = DEFAULT_RECIPIENT, **options: object) -> FollowUpOutcome:
    """Follow up every followed product, raise new alerts, write the month's report."""
    period = as_of.strftime("%Y-%m")
    with engine.begin() as conn:
        results = follow_ups(conn, as_of=as_of, months=months, **options)
        alerts = sum(_alert(conn, result, as_of, period, recipient) for result in results if result.under_target)
    target = folder / period
    files = (target / "follow_up.csv", target / "follow_up.md")
    write_atomically(files[0], _csv(period, results))
    write_atomically(files[1], _markdown(period, results))
    rows = tuple({"product": r.product.ref, "name": r.product.name, "launched": r.product.launch_date.isoformat(),
                  "customers": r.latest.customers if r.latest else 0,
                  "uptake": r.latest.uptake if r.latest and r.latest.uptake is not None else "",
                  "cumulative_net": r.latest.cumulative_net if r.latest else 0.0,
                  "break_even": r.break_even.strftime("%Y-%m") if r.break_even else "", "trend": r.trend,
                  "under_target": r.under_target, "signals": ", ".join(r.signals)} for r in results)
    return FollowUpOutcome(period, len(results), sum(1 for r in results if r.under_target), alerts, files, rows)


def _alert(conn: Connection, result: FollowUp, as_of: dt.date, period: str, recipient: str) -> int:
    assert result.under_since is not None
    product = result.product
    key = f"follow-up:alert:{product.ref}:{result.under_since.isoformat()}"
    inserted = conn.execute(dialect_insert(conn, ProductAlert.__table__).on_conflict_do_nothing(
        index_elements=["product_id", "kind", "episode_start"]).values(
        product_id=product.id, kind="under_target", episode_start=result.under_since, raised_on=as_of,
        detail={"summary": summary(result)}, message_key=key).returning(ProductAlert.__table__.c.id)).first()
    if inserted is None:
        return 0  # raised before: one alert per episode
    subject = f"Product alert: {product.ref} {product.name} is under target"
    lines = [summary(result), "", "month    customers  target  uptake  revenue  cost  net  cumulative"]
    lines += [f"{m.month:%Y-%m}  {m.customers:9d}  {m.target or 0:6g}  {m.uptake or 0:6.0%}  {m.revenue:,.0f}  "
              f"{m.cost:,.0f}  {m.net:,.0f}  {m.cumulative_net:,.0f}" for m in result.months[-6:]]
    if result.signals:
        lines.append("justified by signals: " + ", ".join(result.signals))
    body = {"period": period, "recipient": recipient, "subject": subject}
    conn.execute(dialect_insert(conn, SignalMessage.__table__).on_conflict_do_nothing(index_elements=["message_key"]), [
        {**body, "message_key": key + ":email", "channel": "email", "text": "\n".join(lines), "html": "",
         "payload": {}},
        {**body, "message_key": key + ":webhook", "channel": "webhook", "text": "", "html": "",
         "payload": {"type": "product_alert", "product": product.ref, "name": product.name, "summary": summary(result),
                     "under_since": result.under_since.isoformat(), "signals": list(result.signals)}}])
    return 1


def _csv(period: str, results: list[FollowUp]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in results:
        for m in r.months:
            writer.writerow(csv_row({"period": period, "product": r.product.ref, "name": r.product.name,
                                     "month": m.month.isoformat(), "since_launch": m.since_launch,
                                     "customers": m.customers, "target": m.target, "uptake": m.uptake,
                                     "volume": m.volume, "revenue": m.revenue, "cost": m.cost, "net": m.net,
                                     "cumulative_net": m.cumulative_net, "under_target": "yes" if m.under_target
                                     else "no"}, CSV_COLUMNS, numeric=NUMERIC))
    return buffer.getvalue().encode("utf-8")


def _markdown(period: str, results: list[FollowUp]) -> bytes:
    lines = [f"# Product follow-up, {md_text(period)}", "",
             "| product | launched | customers | uptake | cumulative net | break-even | trend | alert | signals |",
             "|---|---|---:|---:|---:|---|---|---|---|"]
    for r in results:
        m = r.latest
        lines.append(f"| {md_text(r.product.ref + ' ' + r.product.name)} | {r.product.launch_date:%Y-%m} | "
                     f"{m.customers if m else 0} | {f'{m.uptake:.0%}' if m and m.uptake is not None else '-'} | "
                     f"{m.cumulative_net if m else 0:,.0f} | {r.break_even.strftime('%Y-%m') if r.break_even else '-'}"
                     f" | {r.trend} | {'under target' if r.under_target else '-'} | "
                     f"{md_text(', '.join(r.signals)) or '-'} |")
    for r in results:
        lines += ["", f"## {md_text(r.product.ref + ' ' + r.product.name)}", "", md_text(summary(r)), "",
                  "| month | since launch | customers | target | uptake | volume | revenue | cost | net | cumulative |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        lines += [f"| {m.month:%Y-%m} | {m.since_launch} | {m.customers} | {m.target or 0:g} | "
                  f"{f'{m.uptake:.0%}' if m.uptake is not None else '-'} | "
                  f"{f'{m.volume:,.0f}' if m.volume is not None else '-'} | {m.revenue:,.0f} | {m.cost:,.0f} | "
                  f"{m.net:,.0f} | {m.cumulative_net:,.0f} |" for m in r.months]
    return ("\n".join(lines) + "\n").encode("utf-8")
