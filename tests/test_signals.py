"""Demand signals on a small bank, on SQLite and PostgreSQL: notes with known groupings
become signals, publication happens once per period, decisions persist and reach the RMs.
"""
from __future__ import annotations

import csv
import datetime as dt
import email
import email.policy
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from mi.records.channels import ChannelConfig
from mi.signals.build import refresh_signals
from mi.signals.feedback import decisions_for
from mi.signals.follow_store import follow_ups, run_follow_up
from mi.signals.lifecycle import DecisionError, decide, signal_detail
from mi.signals.outbox import FolderSender, deliver_pending
from mi.signals.publish import publish_reviews, publish_signals, write_report
from mi.signals.reading import pending_note_ranges, read_notes
from mi.warehouse.analysis import IndustryPulse, SeriesAnomaly
from mi.warehouse.book import RelationshipManager
from mi.warehouse.loading import sync_channels
from mi.warehouse.models import Series
from mi.warehouse.products import CompetitorOffer, ProductMetric
from mi.warehouse.signals import DemandSignal, ProductAlert, SignalEvidence, SignalMessage, SignalPublication
from tests.signal_bank import DAY, add_competitor_launch, note, seed_bank

FX = [("RM1", "C1", "CFO wants to hedge 60% of next year's USD receivables with forwards."),
      ("RM2", "C2", "Treasurer wnts a rolling hedge on incoming EUR payments from customers, abt EUR 5m a qtr"),
      ("RM3", "C3", "Lost money on unhedged GBP recvbls last qtr; board asks for fwd pricing 3/6/12m.")]
SCF = [("RM4", "C4", "Procurement wants supplier finance for the top 20 suppliers; terms moving to 90 days."),
       ("RM5", "C5", "Asked about a payables programme for 12 suppliers, dynamic discounting also of interest.")]
SECRET = "Project Nightingale: board wants to sell the Zephyr Holdings unit to a rival; strictly internal"


@pytest.fixture
def bank(engine: Engine) -> Engine:
    seed_bank(engine)
    return engine


def build(engine: Engine, day: dt.date = DAY) -> None:
    for ids in pending_note_ranges(engine):
        read_notes(engine, ids)
    refresh_signals(engine, as_of=day)


def signals(engine: Engine) -> dict[str, DemandSignal]:
    with engine.connect() as conn:
        return {row.signal_key: row for row in conn.execute(select(DemandSignal))}


def count(engine: Engine, model: type) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def test_the_same_need_worded_differently_by_three_rms_becomes_one_signal(bank: Engine) -> None:
    for rm, customer, text in FX:
        note(bank, rm, customer, text)
    build(bank)
    found = signals(bank)
    assert list(found) == ["fx_receivables_hedge"]
    fx = found["fx_receivables_hedge"]
    assert (fx.notes, fx.customers, fx.rms, fx.status, fx.category) == (3, 3, 3, "new", "fx")
    assert [p["name"] for p in fx.details["parts"]] == ["breadth", "recency", "value", "gap", "market"]
    assert all(p["reason"] for p in fx.details["parts"]) and 0 < fx.score <= 100


def test_unrelated_needs_stay_apart_and_a_lone_customer_is_no_signal(bank: Engine) -> None:
    for rm, customer, text in FX + SCF:
        note(bank, rm, customer, text)
    note(bank, "RM6", "C6", "Wants a mortgage for a holiday home, fixed for 10 years.")
    build(bank)
    found = signals(bank)
    assert set(found) == {"fx_receivables_hedge", "supply_chain_finance"}
    assert found["supply_chain_finance"].customers == 2 and found["fx_receivables_hedge"].customers == 3


def test_outside_evidence_supports_or_weakens_a_signal_with_links_and_moves_its_market_score(bank: Engine) -> None:
    for rm, customer, text in FX:
        note(bank, rm, customer, text)
    build(bank)
    before = {p["name"]: p for p in signals(bank)["fx_receivables_hedge"].details["parts"]}
    with bank.begin() as conn:
        channel_id = sync_channels(conn, [ChannelConfig(name="ecb-fx", kind="series",
                                                        urls=("https://data.example/eurofxref.xml",))])["ecb-fx"]
        series_id = conn.execute(Series.__table__.insert().values(
            key="ecb:USD", name="US dollar per EUR (eurofxref)", unit="USD per EUR", frequency="D", source="ecb",
            channel_id=channel_id).returning(Series.id)).scalar_one()
        conn.execute(SeriesAnomaly.__table__.insert().values(series_id=series_id, date=DAY - dt.timedelta(days=2),
                                                             value=1.02, change=-0.031, score=4.2))
        # Customers C1 and C3 are in manufacturing (C): its news cooling weakens the signal.
        conn.execute(IndustryPulse.__table__.insert().values(section="C", day=DAY - dt.timedelta(days=1),
                                                             volume_z=-2.2, label="cooling"))
        offer_channel = conn.execute(select(CompetitorOffer.channel_id)).scalars().first()
        seen = dt.datetime(2026, 10, 1, tzinfo=dt.timezone.utc)
        conn.execute(CompetitorOffer.__table__.insert().values(
            channel_id=offer_channel, competitor="Quayside Commercial Bank", offer_key="fx forward",
            product_name="Quayside FX Forward", category="fx", rate=None, industries=[],
            url="javascript:alert(1)", first_seen=seen, last_seen=seen))
    build(bank)
    fx = signals(bank)["fx_receivables_hedge"]
    with bank.connect() as conn:
        evidence = {row.kind: row for row in conn.execute(select(SignalEvidence)
                                                          .where(SignalEvidence.signal_id == fx.id))}
    assert set(evidence) == {"competitor_offer", "market_move", "pulse"}
    move = evidence["market_move"]
    assert (move.stance, move.url) == ("supports", "https://data.example/eurofxref.xml")
    assert "-3.10%" in move.title and move.observed_on == DAY - dt.timedelta(days=2)
    assert evidence["pulse"].stance == "weakens" and "cooling" in evidence["pulse"].title
    assert evidence["competitor_offer"].url is None  # only http(s) links are kept
    after = {p["name"]: p for p in fx.details["parts"]}
    assert "1 market moves" in after["market"]["reason"] and "1 cooling" in after["market"]["reason"]
    assert after["market"]["points"] > before["market"]["points"]
    assert "we offer P1; competitors have 1 offers" in after["gap"]["reason"]


def read_back(folder: Path) -> list[str]:
    """Every file under ``folder`` as a reader sees it (an e-mail's parts decoded)."""
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix == ".eml":
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            found += [str(message["Subject"])] + [part.get_content() for part in message.walk()
                                                  if part.get_content_maintype() == "text"]
        else:
            found.append(path.read_text(encoding="utf-8"))
    return found


def test_a_confidential_note_counts_but_never_appears_in_published_output(bank: Engine, tmp_path: Path) -> None:
    for rm, customer, text in SCF:
        note(bank, rm, customer, text)
    note(bank, "RM6", "C6", SECRET + "; they want supplier finance for 35 suppliers before the sale.",
         confidential=True)
    build(bank)
    scf = signals(bank)["supply_chain_finance"]
    assert (scf.customers, scf.confidential_notes) == (3, 1)
    publish_signals(bank, as_of=DAY)
    out = tmp_path / "out"
    deliver_pending(bank, FolderSender(out / "outbox"))
    _, rows = write_report(bank, period="2026-W48", folder=out / "reports")
    decide(bank, "supply_chain_finance", "accept", owner="Trade products", reason="three customers ask")
    with bank.begin() as conn:
        rms = dict(conn.execute(select(RelationshipManager.rm_ref, RelationshipManager.id)).all())
        fed_back = [decisions_for(conn, rms[rm], brief_key=f"daily:{rm}:2026-11-28") for rm in ("RM4", "RM5", "RM6")]
    assert all(len(items) == 1 for items in fed_back)
    with bank.connect() as conn:
        messages = [json.dumps([m.subject, m.text, m.html, m.payload]) for m in conn.execute(select(SignalMessage))]
        stored = json.dumps(scf.details) + scf.title
    published = messages + read_back(out)
    published += [json.dumps(rows), json.dumps(signal_detail(bank, "supply_chain_finance")), repr(fed_back), stored]
    assert len(published) >= 9 and any(p.endswith(".eml") for p in map(str, out.rglob("*")))
    for text in published:
        for secret in ("Nightingale", "Zephyr", "sell the", "35 suppliers"):
            assert secret not in text
    assert any("Procurement wants supplier finance" in text for text in published)  # shared notes are quoted


def test_a_second_run_publishes_nothing_new(bank: Engine, tmp_path: Path) -> None:
    for rm, customer, text in FX:
        note(bank, rm, customer, text)
    build(bank)
    first = publish_signals(bank, as_of=DAY)
    files, _ = write_report(bank, period=first.period, folder=tmp_path / "out")
    before = [path.read_bytes() for path in files]
    counts = count(bank, SignalPublication), count(bank, SignalMessage)
    build(bank)
    again = publish_signals(bank, as_of=DAY)
    files, _ = write_report(bank, period=again.period, folder=tmp_path / "out")
    assert (first.new, again.new, again.updated, again.messages) == (1, 0, 0, 0)
    assert (count(bank, SignalPublication), count(bank, SignalMessage)) == counts
    assert [path.read_bytes() for path in files] == before
    assert signals(bank)["fx_receivables_hedge"].status == "sent"


def test_a_material_increase_in_evidence_publishes_one_update_that_says_what_changed(bank: Engine) -> None:
    for rm, customer, text in SCF:
        note(bank, rm, customer, text)
    build(bank)
    publish_signals(bank, as_of=DAY)
    later = DAY + dt.timedelta(days=7)
    note(bank, "RM1", "C1", "Suppliers under pressure; CFO wants an SCF programme live in Q1.", day=later)
    build(bank, later)
    assert publish_signals(bank, as_of=later).updated == 0  # one more customer is not material
    week3 = later + dt.timedelta(days=7)
    note(bank, "RM2", "C8", "Asked for reverse factoring so small suppliers get paid early.", day=week3)
    note(bank, "RM3", "C9", "Wants supplier finance for 8 suppliers in Asia.", day=week3)
    add_competitor_launch(bank, week3)
    build(bank, week3)
    update = publish_signals(bank, as_of=week3)
    assert (update.new, update.updated) == (0, 1)
    with bank.connect() as conn:
        [row] = conn.execute(select(SignalPublication).where(SignalPublication.period == update.period,
                                                             SignalPublication.kind == "digest")).all()
        [message] = conn.execute(select(SignalMessage).where(SignalMessage.channel == "email",
                                                             SignalMessage.period == update.period)).all()
    assert row.change == "update" and "customers 2 -> 5 (+3)" in row.what_changed  # since it was last published
    assert "Quayside Commercial Bank launched Quayside Supplier Finance" in row.what_changed
    assert "UPDATE" in message.text and "what changed" in message.text
    assert publish_signals(bank, as_of=week3).updated == 0
    assert publish_signals(bank, as_of=week3 + dt.timedelta(days=7)).updated == 0  # nothing grew since


def test_a_product_under_target_raises_one_alert(bank: Engine, tmp_path: Path) -> None:
    first = run_follow_up(bank, as_of=DAY, folder=tmp_path / "out")
    second = run_follow_up(bank, as_of=DAY, folder=tmp_path / "out")
    [p9] = [row for row in first.rows if row["product"] == "P9"]
    assert p9["under_target"] is True and p9["break_even"] == ""
    assert (first.alerts, second.alerts, count(bank, ProductAlert)) == (1, 0, 1)
    with bank.connect() as conn:
        subjects = conn.execute(select(SignalMessage.subject).where(SignalMessage.channel == "email")).scalars().all()
    assert subjects == ["Product alert: P9 Dynamic Discounting Platform is under target"]
    assert "| 2026-11 | 15 | 16 |" in (tmp_path / "out" / "2026-11" / "follow_up.md").read_text()


def test_benefit_against_cost_is_a_table_per_month_since_launch_from_the_products_own_figures(
        bank: Engine, tmp_path: Path) -> None:
    # P9 (seeded): launched 2025-09, cost 380,000 a year, target 40 customers; month n (from 0) has
    # 2 + n customers, a volume of (n + 1) million and a revenue of 1,500 x (n + 1).
    outcome = run_follow_up(bank, as_of=DAY, folder=tmp_path / "out")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out" / "2026-11" / "follow_up.csv").read_text())))
    p9 = [row for row in rows if row["product"] == "P9"]
    assert [row["month"] for row in p9] == [f"{y}-{m:02d}-01" for y, m in
                                             [(2025, 9), (2025, 10), (2025, 11), (2025, 12)] +
                                             [(2026, m) for m in range(1, 12)]]
    first, last = p9[0], p9[-1]
    assert (first["since_launch"], first["customers"], first["volume"], first["revenue"]) == ("1", "2", "1000000.0",
                                                                                              "1500.0")
    assert float(first["cost"]) == round(380000 / 12, 2) and float(first["target"]) == round(40 / 12, 1)
    cumulative = sum(1500.0 * (n + 1) - 380000 / 12 for n in range(15))
    assert abs(float(last["cumulative_net"]) - cumulative) < 0.05 and last["since_launch"] == "15"
    [row] = [r for r in outcome.rows if r["product"] == "P9"]
    assert row["break_even"] == ""  # revenue never catches up with a twelfth of the cost a month
    # With 30,000 a month against the 380,000 paid at launch, the 13th month (2026-09) breaks even.
    with bank.begin() as conn:
        conn.execute(ProductMetric.__table__.update().values(revenue=30000.0))
    one_off = run_follow_up(bank, as_of=DAY, folder=tmp_path / "one-off", cost_basis="one_off")
    [row] = [r for r in one_off.rows if r["product"] == "P9"]
    assert row["break_even"] == "2026-09" and row["cumulative_net"] == 15 * 30000.0 - 380000
    markdown = (tmp_path / "out" / "2026-11" / "follow_up.md").read_text()
    header = "| month | since launch | customers | target | uptake | volume | revenue | cost | net | cumulative |"
    assert header in markdown
    assert "| 2025-09 | 1 | 2 | 3.3 | 60% | 1,000,000 | 1,500 | 31,667 | -30,167 | -30,167 |" in markdown


def test_decisions_survive_a_restart_and_show_with_owner_and_reason(bank: Engine) -> None:
    for rm, customer, text in FX:
        note(bank, rm, customer, text)
    build(bank)
    publish_signals(bank, as_of=DAY)
    decide(bank, "fx_receivables_hedge", "acknowledge", owner="FX products")
    reserved = decide(bank, "fx_receivables_hedge", "reserve", owner="Ann Lee", reason="budget frozen until Q2",
                      review_days=30)
    bank.dispose()  # every connection closed: what follows reads what was committed
    shown = signal_detail(bank, "fx_receivables_hedge")
    assert shown["status"] == "reserved" and "budget frozen until Q2" in shown["decision"]
    assert [h["event"] for h in shown["history"]] == ["created", "sent", "acknowledged", "reserved"]
    review_on = reserved.review_on
    assert review_on is not None and shown["history"][-1]["review_on"] == review_on.isoformat()
    assert shown["history"][-1]["owner"] == "Ann Lee"
    assert publish_reviews(bank, as_of=review_on - dt.timedelta(days=1)).reviews == 0
    assert publish_reviews(bank, as_of=review_on).reviews == 1
    assert publish_reviews(bank, as_of=review_on + dt.timedelta(days=7)).reviews == 0  # once per reservation


def test_a_decision_reaches_each_rm_whose_notes_fed_it_exactly_once(bank: Engine) -> None:
    for rm, customer, text in FX:
        note(bank, rm, customer, text)
    build(bank)
    publish_signals(bank, as_of=DAY)
    decide(bank, "fx_receivables_hedge", "accept", owner="FX products", reason="fits the 2027 plan")
    with bank.begin() as conn:
        rms = dict(conn.execute(select(RelationshipManager.rm_ref, RelationshipManager.id)).all())
        first = {rm: decisions_for(conn, rms[rm], brief_key=f"daily:{rm}:1") for rm in rms}
        retried = decisions_for(conn, rms["RM1"], brief_key="daily:RM1:1")
        later = {rm: decisions_for(conn, rms[rm], brief_key=f"daily:{rm}:2") for rm in rms}
    assert {rm for rm, items in first.items() if items} == {"RM1", "RM2", "RM3"}
    item = first["RM1"][0]
    assert item.section == "decisions" and "accepted" in item.title and "fits the 2027 plan" in item.summary
    assert item.reason.startswith("one of your notes") and item.customer_ref is None
    assert retried == first["RM1"]  # the same brief composed again carries it again
    assert all(items == [] for items in later.values())


def test_decisions_are_checked_and_a_launch_links_the_product_to_its_signal(bank: Engine, tmp_path: Path) -> None:
    for rm, customer, text in SCF:
        note(bank, rm, customer, text)
    build(bank)
    with pytest.raises(DecisionError, match="needs a reason"):
        decide(bank, "supply_chain_finance", "reject", owner="Trade products")
    with pytest.raises(DecisionError, match="cannot be launched"):
        decide(bank, "supply_chain_finance", "launch", owner="Trade products", product_ref="P9")
    decide(bank, "supply_chain_finance", "accept", owner="Trade products", reason="=HYPERLINK(\"http://x\")")
    with pytest.raises(DecisionError, match="no product"):
        decide(bank, "supply_chain_finance", "launch", owner="Trade products", product_ref="P404")
    # Launched on DAY, not on the wall clock's day: later notes are dated after it whenever the test runs.
    decide(bank, "supply_chain_finance", "launch", owner="Trade products", product_ref="P9",
           at=dt.datetime.combine(DAY, dt.time(12), tzinfo=dt.timezone.utc))
    with bank.connect() as conn:
        [p9] = [r for r in follow_ups(conn, as_of=DAY) if r.product.ref == "P9"]
    assert p9.signals == ("supply_chain_finance",)
    files, _ = write_report(bank, period="2026-W48", folder=tmp_path / "r")
    cells = files[0].read_text()
    assert "P9 Dynamic Discounting Platform" in cells and ',launched,' in cells
    # A later note of the same need starts a signal of its own: the launched one is closed.
    note(bank, "RM1", "C1", "Wants supplier finance for 30 suppliers.", day=DAY + dt.timedelta(days=3))
    note(bank, "RM2", "C2", "Asked about reverse factoring for its suppliers.", day=DAY + dt.timedelta(days=3))
    build(bank, DAY + dt.timedelta(days=3))
    found = signals(bank)
    assert found["supply_chain_finance"].status == "launched" and found["supply_chain_finance"].notes == 2
    [reborn] = [k for k in found if k.startswith("supply_chain_finance@")]
    assert found[reborn].notes == 2 and found[reborn].status == "new"


def test_a_refresh_with_nothing_new_groups_nothing_and_one_with_a_new_note_or_a_launch_does(
        bank: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The signals' inputs are digested: a second refresh of the same day with nothing new
    skips the grouping (and finds the same candidates); a new note, a publication in between
    (which refresh does not read) or a launch each lead to what they should."""
    from mi.signals import build as build_module

    for rm, customer, text in FX + SCF:
        note(bank, rm, customer, text)
    for ids in pending_note_ranges(bank):
        read_notes(bank, ids)
    first = refresh_signals(bank, as_of=DAY)
    grouped = []
    real = build_module.group_notes
    monkeypatch.setattr(build_module, "group_notes", lambda *a, **k: grouped.append(1) or real(*a, **k))
    publish_signals(bank, as_of=DAY)  # statuses move to "sent": nothing refresh computes from
    again = refresh_signals(bank, as_of=DAY)
    assert grouped == [] and (again.notes, again.candidates, again.created, again.changed) == (
        first.notes, first.candidates, 0, 0)
    before = {key: (row.revision, row.fingerprint) for key, row in signals(bank).items()}

    note(bank, "RM6", "C6", "Finance director asks for a USD forward to hedge export receivables.")
    for ids in pending_note_ranges(bank):
        read_notes(bank, ids)
    grown = refresh_signals(bank, as_of=DAY)
    assert grouped == [1] and grown.notes == first.notes + 1 and grown.changed == 1
    after = signals(bank)
    assert after["fx_receivables_hedge"].revision == before["fx_receivables_hedge"][0] + 1
    assert refresh_signals(bank, as_of=DAY).changed == 0 and grouped == [1]  # settled again
    assert refresh_signals(bank, as_of=DAY + dt.timedelta(days=1)).notes == grown.notes and grouped == [1, 1]


def test_emerging_clusters_are_the_average_linkage_clusters_sklearn_would_form() -> None:
    # average_linkage_clusters stands in for sklearn's AgglomerativeClustering (same scipy
    # linkage, without its upper-triangle index arrays): the same partition, ties included.
    import numpy as np
    from scipy.spatial.distance import squareform
    from sklearn.cluster import AgglomerativeClustering

    from mi.signals.grouping import average_linkage_clusters

    def partition(labels) -> list[int]:
        seen: dict = {}
        return [seen.setdefault(label, len(seen)) for label in labels]

    rng = np.random.default_rng(4754)
    split = 0
    for trial in range(60):
        points = rng.random((int(rng.integers(2, 80)), 3))
        distances = np.sqrt(((points[:, None] - points[None]) ** 2).sum(-1))
        if trial % 3 == 0:
            distances = np.round(distances, 1)  # equal distances, and merges exactly at the threshold
        threshold = float(rng.choice([0.3, 0.5, 0.8]))
        expected = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                           distance_threshold=threshold).fit_predict(distances)
        got = average_linkage_clusters(squareform(distances, checks=False), threshold)
        assert partition(got) == partition(expected)
        split += 1 < len(set(got)) < len(got)
    assert split > 20  # most trials are partitions worth comparing, not one cluster or all apart


def test_condensed_distances_are_the_square_matrix_s_upper_triangle_to_the_last_bit() -> None:
    # each pair's distance once, in scipy's condensed order, computed a block of rows at a
    # time: exactly what squareform takes from the whole square matrix of distances
    import numpy as np
    from scipy.spatial.distance import squareform

    from mi.signals import similarity
    from mi.signals.similarity import condensed_distances, note_vectors

    texts = [f"client {i % 7} asks about {['fx hedging', 'payroll cards', 'trade finance'][i % 3]} "
             f"for its {['suppliers', 'staff', 'exports', 'plant'][i % 4]} in {2020 + i % 5}" for i in range(90)]
    vectors, _ = note_vectors(texts)
    rows = [5, 0, 17, 3, 88, 41, 41, 60, 2, 9, 77, 30]
    # distances in double precision, as linkage takes them
    square = (vectors[rows] @ vectors[rows].T).toarray().astype(np.float64)
    np.subtract(1.0, square, out=square)
    np.clip(square, 0.0, 2.0, out=square)
    np.fill_diagonal(square, 0.0)
    expected = squareform(square, checks=False)
    for block in (1, 5, 12, similarity.SIMILARITY_BLOCK):
        similarity.SIMILARITY_BLOCK, saved = block, similarity.SIMILARITY_BLOCK
        try:
            got = condensed_distances(vectors, rows)
        finally:
            similarity.SIMILARITY_BLOCK = saved
        assert got.shape == expected.shape and np.array_equal(got, expected)
    assert len(set(expected.round(6))) > 5  # alike, unalike and equal pairs (41 twice), not all one value
    assert condensed_distances(vectors, [3]).shape == (0,)


def test_note_vectors_are_stacked_side_by_side_as_hstack_stacks_them() -> None:
    # written a block of rows at a time to save memory: the same matrix, rows, order and values
    import numpy as np
    from scipy import sparse

    from mi.signals.similarity import _side_by_side

    left = sparse.random(37, 11, density=0.3, format="csr", random_state=1)
    right = sparse.random(37, 23, density=0.2, format="csr", random_state=2)
    expected = sparse.hstack([left, right], format="csr")
    for block in (1, 5, 36, 37, 2048):
        got = _side_by_side(left, right, block=block)
        assert got.shape == expected.shape
        assert np.array_equal(got.indptr, expected.indptr) and np.array_equal(got.indices, expected.indices)
        assert np.array_equal(got.data, expected.data)
    empty = _side_by_side(left, sparse.csr_matrix((37, 0)))
    assert (empty != left).nnz == 0 and empty.shape == left.shape
