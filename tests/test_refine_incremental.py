"""Incremental refine (issue 15): a series whose points did not change is not analysed again,
a day's pulse is not computed again when nothing it reads changed, and what is written is
what a full re-analysis writes, on the same day and on the next."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert, select

import mi.refining.series as refining_series
from mi.records.channels import ChannelConfig
from mi.records.documents import DocumentRecord
from mi.records.series import ObservationRecord, SeriesRecord
from mi.refining.plan import plan_refine
from mi.refining.pulse import pulse_stale, write_pending_pulse
from mi.refining.series import analyse_series, pending_series
from mi.warehouse.analysis import IndustryPulse, SeriesAnomaly, SeriesForecast, SeriesMetric, SeriesWatermark
from mi.warehouse.engine import create_warehouse_engine, migrate
from mi.warehouse.loading import load_documents, load_observations, load_series, sync_channels
from mi.warehouse.models import Channel, Series
from mi.warehouse.products import CompetitorOffer, CompetitorOfferChange
from tests.conftest import _postgres_engine, _sqlite_engine
from tests.test_refine import NOW, refine_day, seed

DAY = NOW.date()
NEXT = DAY + dt.timedelta(days=1)
MARTS = (SeriesMetric, SeriesAnomaly, SeriesForecast)


def add_series(engine: Engine, key: str, points: int, unit: str = "percent") -> None:
    """A second series: daily, ``points`` business days of a gently moving rate."""
    days = [d for d in (dt.date(2026, 8, 1) + dt.timedelta(days=i) for i in range(120)) if d.weekday() < 5][:points]
    with engine.begin() as conn:
        channel = sync_channels(conn, [ChannelConfig("rates", "ecb_daily", ("r",))])["rates"]
        ids = load_series(conn, channel_id=channel, series=[SeriesRecord(key, key, unit, "B", "test", industry="K")])
        load_observations(conn, series_ids=ids, vintage=DAY, raw_item_id=None, observations=[
            ObservationRecord(key, d, 3.0 + 0.01 * ((i * 5) % 7)) for i, d in enumerate(days)])


def add_point(engine: Engine, key: str, day: dt.date, value: float, vintage: dt.date) -> None:
    with engine.begin() as conn:
        ids = dict(conn.execute(select(Series.key, Series.id)).all())
        load_observations(conn, series_ids={key: ids[key]}, vintage=vintage, raw_item_id=None,
                          observations=[ObservationRecord(key, day, value)])


def marts(engine: Engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {t.__tablename__: [tuple(r) for r in conn.execute(
            select(t.__table__).order_by(*t.__table__.primary_key.columns))] for t in MARTS}


def key_of(engine: Engine, key: str) -> int:
    with engine.connect() as conn:
        return conn.execute(select(Series.id).where(Series.key == key)).scalar_one()


def test_a_rerun_with_no_new_points_analyses_nothing_and_changes_no_row(engine: Engine) -> None:
    seed(engine)
    add_series(engine, "test.rate", 60)
    first = analyse_series(engine, DAY)
    assert first.analysed == 2 and first.new_metrics == 2
    before = marts(engine)
    with engine.connect() as conn:
        marks = conn.execute(select(SeriesWatermark.series_id, SeriesWatermark.analysed_at)).all()
    assert len(marks) == 2 and pending_series(engine, DAY) == []
    again = analyse_series(engine, DAY)
    assert (again.analysed, again.unchanged) == (0, 2)
    assert (again.new_metrics, again.new_anomalies, again.new_forecasts) == (0, 0, 0)
    assert marts(engine) == before
    with engine.connect() as conn:  # not even the watermarks were written again
        assert conn.execute(select(SeriesWatermark.series_id, SeriesWatermark.analysed_at)).all() == marks


def test_a_new_point_re_analyses_only_its_series_and_matches_a_fresh_analysis(engine: Engine, tmp_path: Path) -> None:
    seed(engine)
    add_series(engine, "test.rate", 60)
    analyse_series(engine, DAY)
    add_point(engine, "test.rate", dt.date(2026, 11, 2), 3.4, vintage=NEXT)
    assert pending_series(engine, NEXT) == [key_of(engine, "test.eurusd"), key_of(engine, "test.rate")]
    calls: list[int] = []
    real = refining_series._analyse_one
    refining_series._analyse_one = lambda series, *args: calls.append(len(series)) or real(series, *args)
    try:
        outcome = analyse_series(engine, NEXT)
    finally:
        refining_series._analyse_one = real
    assert calls == [61] and (outcome.analysed, outcome.unchanged) == (1, 1)

    # from scratch: a warehouse that only ever saw today's points, analysed once
    fresh = create_warehouse_engine(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    migrate(fresh)
    seed(fresh)
    add_series(fresh, "test.rate", 60)
    add_point(fresh, "test.rate", dt.date(2026, 11, 2), 3.4, vintage=NEXT)
    analyse_series(fresh, NEXT)
    ours, theirs = marts(engine), marts(fresh)
    for table in ("series_metrics", "series_forecasts"):
        assert [r[1:] for r in ours[table] if r[0] == key_of(engine, "test.rate") and r[1] == NEXT] == \
               [r[1:] for r in theirs[table] if r[0] == key_of(fresh, "test.rate")]
    assert {r[1:] for r in theirs["series_anomalies"]} <= {r[1:] for r in ours["series_anomalies"]}
    fresh.dispose()


def _history(engine: Engine, *, full: bool) -> list:
    """Four runs: a day, its re-run, the next day with nothing new, then a revision and a new point."""
    seed(engine)
    add_series(engine, "test.rate", 60)
    add_series(engine, "test.short", 2)  # too short to analyse: skipped every time, and said so
    outcomes = [analyse_series(engine, DAY, full=full), analyse_series(engine, DAY, full=full),
                analyse_series(engine, NEXT, full=full)]
    add_point(engine, "test.rate", dt.date(2026, 8, 4), 3.9, vintage=NEXT)  # a revision of an old value
    add_point(engine, "test.eurusd", dt.date(2026, 11, 30), 1.2, vintage=NEXT)
    outcomes.append(analyse_series(engine, NEXT + dt.timedelta(days=1), full=full))
    return [(o.new_metrics, o.new_anomalies, o.new_forecasts, o.skipped) for o in outcomes]


@contextmanager
def another_warehouse(engine: Engine, tmp_path: Path) -> Iterator[Engine]:
    """A second, empty warehouse on ``engine``'s backend."""
    if engine.dialect.name == "postgresql":
        yield from _postgres_engine()
    else:
        yield from _sqlite_engine(tmp_path / "other.sqlite")


def test_incremental_runs_write_exactly_what_full_re_analyses_write(engine: Engine, tmp_path: Path) -> None:
    with another_warehouse(engine, tmp_path) as other:
        incremental, full = _history(engine, full=False), _history(other, full=True)
        assert incremental == full
        assert incremental[2][0] == 2  # the next day got its metric rows from the stored results
        assert all(skipped == ("test.short: fewer than 3 observations",) for *_, skipped in incremental)
        assert marts(engine) == marts(other)


def test_new_analysis_code_re_analyses_every_series(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    seed(engine)
    add_series(engine, "test.rate", 60)
    analyse_series(engine, DAY)
    monkeypatch.setattr(refining_series, "_version", "another version of the analysis")
    assert len(pending_series(engine, DAY)) == 2
    assert analyse_series(engine, DAY).analysed == 2
    assert pending_series(engine, DAY) == []


def test_a_day_with_nothing_new_is_planned_as_nothing_and_its_pulse_is_not_recomputed(engine: Engine) -> None:
    seed(engine)
    assert not plan_refine(engine, DAY).nothing
    refine_day(engine)
    plan = plan_refine(engine, DAY)
    assert plan.nothing, plan
    assert not pulse_stale(engine, DAY) and write_pending_pulse(engine, DAY) == (0, 0)
    # a new document: tagging has work (and after it grouping, linking and the pulse), the series none
    with engine.begin() as conn:
        channel = sync_channels(conn, [ChannelConfig("wire-c", "feed", ("c2",))])["wire-c"]
        load_documents(conn, channel_id=channel, raw_item_id=None, fetched_at=NOW, documents=[
            DocumentRecord("c9", "http://c/9", "Grain exporters raise prices", "Wheat prices jump.",
                           published_at=NOW)])
    plan = plan_refine(engine, DAY)
    assert plan.documents and plan.series is None and not plan.nothing  # the series step counts its own
    assert refine_day(engine)["tagged"] == 1 and plan_refine(engine, DAY).nothing


def test_a_competitor_change_on_the_day_makes_its_pulse_stale(engine: Engine) -> None:
    seed(engine)
    refine_day(engine)
    with engine.begin() as conn:
        channel = conn.execute(select(Channel.id).where(Channel.name == "wire-a")).scalar_one()
        offer = conn.execute(insert(CompetitorOffer).values(
            channel_id=channel, competitor="Other Bank", offer_key="farm loan", product_name="Farm loan",
            industries=["A"], first_seen=NOW, last_seen=NOW).returning(CompetitorOffer.id)).scalar_one()
        conn.execute(insert(CompetitorOfferChange).values(offer_id=offer, observed_on=DAY, change="new"))
    assert pulse_stale(engine, DAY) and plan_refine(engine, DAY).pulse
    # farming's row (the wheat story's) and financial services' (every offer is bank news) change
    new, updated = write_pending_pulse(engine, DAY)
    with engine.connect() as conn:
        farming = conn.execute(select(IndustryPulse.competitor_changes).where(
            IndustryPulse.section == "A", IndustryPulse.day == DAY)).scalar_one()
    assert (new, updated) == (0, 2) and farming == 1 and not pulse_stale(engine, DAY)


def test_the_next_day_with_nothing_new_still_gets_its_series_rows_and_pulse(engine: Engine) -> None:
    seed(engine)  # EUR/USD (industry K) jumped three business days before the end: news for a week
    refine_day(engine)
    plan = plan_refine(engine, NEXT)
    assert plan.series == 1 and plan.pulse and not (plan.documents or plan.events or plan.links)
    outcome = analyse_series(engine, NEXT)
    assert (outcome.analysed, outcome.unchanged, outcome.new_metrics) == (0, 1, 1)
    write_pending_pulse(engine, NEXT)
    with engine.connect() as conn:
        moves = conn.execute(select(IndustryPulse.series_moves).where(
            IndustryPulse.section == "K", IndustryPulse.day == NEXT)).scalar_one()
        metric_days = conn.execute(select(SeriesMetric.as_of).order_by(SeriesMetric.as_of)).scalars().all()
    assert moves == ["test.eurusd"] and metric_days == [DAY, NEXT]
    assert plan_refine(engine, NEXT).nothing
