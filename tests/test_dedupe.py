"""Duplicate grouping on small hand-written stories (no shared data, no timing)."""
from __future__ import annotations

import datetime as dt

import pytest

from mi.analysis.dedupe import DedupeIndex, DedupeItem, DuplicateGroup, group_duplicates

UTC = dt.timezone.utc

RATES = (
    "The central bank of Freedonia raised its benchmark lending rate by a quarter point on "
    "Tuesday, citing stubborn inflation in services and a tight labour market. Economists had "
    "expected the move after last month's strong wage data. Governor Ana Ruiz said further "
    "tightening could not be ruled out if price pressures persisted into the summer months, "
    "and the bank's statement repeated that policy would stay restrictive for some time."
)
HARVEST = (
    "Farmers in the northern plains began the wheat harvest two weeks early after an unusually "
    "warm spring, the agriculture ministry said on Monday. Yields were expected to be close to "
    "the five-year average, although hail damaged crops in several eastern districts. Grain "
    "traders said export prices had eased on the prospect of ample supply later in the season, "
    "while millers warned that quality could be uneven across regions."
)
STADIUM = (
    "City councillors approved plans for a new football stadium on the riverside site of a "
    "former gasworks, ending a decade of debate. The club will pay for construction, while "
    "the council funds new roads and a tram stop. Residents' groups said they would study the "
    "decision before deciding whether to challenge it in court, citing traffic and noise."
)


def item(doc_id: int, title: str | None, text: str, day: int | None = 1, channel: str = "wire") -> DedupeItem:
    when = dt.datetime(2024, 3, day, 9, doc_id, tzinfo=UTC) if day is not None else None
    return DedupeItem(doc_id, title, text, when, channel)


def group_of(groups: list[DuplicateGroup], doc_id: int) -> DuplicateGroup:
    return next(g for g in groups if doc_id in g.doc_ids)


def test_every_document_lands_in_exactly_one_group() -> None:
    items = [item(1, "Rates", RATES), item(2, "Harvest", HARVEST), item(3, "Stadium", STADIUM)]
    groups = group_duplicates(items)
    assert sorted(i for g in groups for i in g.doc_ids) == [1, 2, 3]
    assert all(len(g.doc_ids) == 1 and g.kind == "exact" and not g.is_duplicate for g in groups)


def test_exact_duplicate_with_case_whitespace_and_punctuation_changes() -> None:
    shouted = "  " + RATES.upper().replace(" ", "   ").replace(",", " ,") + "\n"
    groups = group_duplicates([item(1, "Freedonia raises rates", RATES), item(2, "FREEDONIA RAISES RATES!", shouted)])
    assert len(groups) == 1
    assert groups[0].doc_ids == (1, 2)
    assert groups[0].kind == "exact"


def test_wire_boilerplate_is_ignored_for_exact_duplicates() -> None:
    wired = item(2, "UPDATE 1-Freedonia raises rates - Reuters", "FREEDONIA CITY, March 5 (Reuters) - " + RATES
                 + "\n(Reporting by Jo Smith; Editing by Al Jones)")
    groups = group_duplicates([item(1, "Freedonia raises rates", RATES), wired])
    assert len(groups) == 1 and groups[0].kind == "exact"


def test_near_duplicate_with_light_edits_is_grouped_as_near() -> None:
    edited = RATES.replace("stubborn", "persistent").replace("Tuesday", "Wednesday").replace("summer", "autumn")
    dropped = RATES.replace(" Economists had expected the move after last month's strong wage data.", "")
    groups = group_duplicates(
        [item(1, "Freedonia raises rates", RATES), item(2, "Freedonia lifts rates", edited),
         item(3, "Freedonia raises rates", dropped), item(4, "Harvest starts early", HARVEST)]
    )
    story = group_of(groups, 1)
    assert story.doc_ids == (1, 2, 3)
    assert story.kind == "near"
    assert group_of(groups, 4).doc_ids == (4,)


def test_syndicated_copy_across_channels_keeps_earliest_publication() -> None:
    original = item(7, "Freedonia raises rates", RATES, day=4, channel="central-bank-feed")
    copy = item(3, "Freedonia raises interest rates - Reuters", RATES.replace("Tuesday", "Tuesday morning"),
                day=5, channel="reuters")
    group = group_of(group_duplicates([copy, original]), 3)
    assert group.doc_ids == (3, 7)
    assert group.representative == 7  # earlier published, though its id is higher
    assert group.first_published_at == original.published_at
    assert group.channels == ("central-bank-feed", "reuters")


def test_ties_pick_the_lowest_id_and_undated_documents_come_last() -> None:
    noon = dt.datetime(2024, 3, 2, 12, tzinfo=UTC)
    same_time = [DedupeItem(9, "Rates", RATES, noon, "a"), DedupeItem(8, "Rates", RATES, noon, "b"),
                 DedupeItem(5, "Rates", RATES, None, "c")]
    group = group_duplicates(same_time)[0]
    assert group.representative == 8 and group.first_published_at == noon
    undated = group_duplicates([item(5, "Rates", RATES, day=None), item(4, "Rates", RATES, day=None)])
    assert undated[0].representative == 4 and undated[0].first_published_at is None


def test_unrelated_stories_sharing_boilerplate_are_not_merged() -> None:
    footer = ("\nClick here to sign up for our morning briefing.\n(Reporting by Jo Smith; Editing by Al Jones)\n"
              "Copyright 2024 Example News. All rights reserved.")
    items = [item(1, "UPDATE 2-Rates", "LONDON (Reuters) - " + RATES + footer),
             item(2, "UPDATE 2-Harvest", "LONDON (Reuters) - " + HARVEST + footer),
             item(3, "UPDATE 2-Stadium", "LONDON (Reuters) - " + STADIUM + footer)]
    assert all(len(g.doc_ids) == 1 for g in group_duplicates(items))


def test_templated_notices_differing_only_in_figures_are_not_merged() -> None:
    template = ("The Federal Reserve entered the government securities market to arrange {0} billion "
                "dlrs of customer repurchase agreements, a Fed spokesman said. Dealers said federal funds "
                "were trading at {1} pct when the Fed began its temporary and indirect supply of reserves "
                "to the banking system on {2} March.")
    items = [item(1, "Fed adds reserves", template.format("1.5", "6-3/16", "two")),
             item(2, "Fed adds reserves", template.format("2.5", "6-1/4", "three"))]
    assert len(group_duplicates(items)) == 2


def test_short_headlines_group_only_when_exactly_equal() -> None:
    items = [
        item(1, "Fed holds rates steady", ""),
        item(2, "FED HOLDS RATES STEADY.", ""),
        item(3, "Fed holds rates again", ""),
    ]
    groups = group_duplicates(items)
    assert group_of(groups, 1).doc_ids == (1, 2)
    assert group_of(groups, 3).doc_ids == (3,)


def test_chinese_text_is_tokenised_per_character() -> None:
    text = "贵州茅台公布年度业绩，营业收入同比增长百分之十五，净利润同比增长百分之十九，董事会建议派发现金红利，公司表示将继续扩大产能并加强渠道建设。"
    edited = text.replace("继续", "进一步")
    groups = group_duplicates([item(1, "茅台业绩", text), item(2, "茅台业绩", edited), item(3, "茅台业绩", text[::-1])])
    assert group_of(groups, 1).doc_ids == (1, 2)


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ValueError):
        group_duplicates([item(1, "Rates", RATES), item(1, "Harvest", HARVEST)])


def test_incremental_index_joins_new_batch_to_recent_events() -> None:
    yesterday = [item(1, "Freedonia raises rates", RATES, day=4), item(2, "Rates up", RATES.upper(), day=4),
                 item(3, "Harvest starts early", HARVEST, day=4)]
    index = DedupeIndex.from_groups(yesterday, [[1, 2], [3]])
    assert len(index) == 3
    today = [item(10, "UPDATE 1-Freedonia lifts rates", RATES.replace("stubborn", "persistent"), day=5, channel="b"),
             item(11, "Stadium approved", STADIUM, day=5),
             item(12, "Stadium approved - Reuters", STADIUM, day=5, channel="c")]
    touched = index.add(today)
    rates = group_of(touched, 10)
    assert rates.doc_ids == (1, 2, 10) and rates.kind == "near"
    assert rates.representative == 1 and rates.first_published_at.day == 4
    assert group_of(touched, 11).doc_ids == (11, 12)
    assert all(3 not in g.doc_ids for g in touched)  # untouched events are not returned
    # the batch is indexed too: tomorrow's copy of the stadium story joins it
    later = index.add([item(20, "Stadium plans approved", STADIUM.replace("decade", "ten years"), day=6)])
    assert later[0].doc_ids == (11, 12, 20)
    assert len(index.groups()) == 3


def test_index_keeps_the_given_grouping_of_recent_documents() -> None:
    # given apart (e.g. split by an editor): the index does not merge them behind one's back
    index = DedupeIndex.from_groups([item(1, "Rates", RATES), item(2, "Rates", RATES)], [[1], [2]])
    assert sorted(g.doc_ids for g in index.groups()) == [(1,), (2,)]


def test_a_large_batch_sketched_in_parts_groups_as_one_batch_does() -> None:
    # A day's documents are sketched ``batch`` at a time to bound memory: copies that fall in
    # different parts (near and exact, before and after) still find each other through the
    # index, and the groups are those of one batch.
    stories = [RATES, HARVEST, STADIUM]
    items = []
    for n in range(30):
        text = stories[n % 3]
        if n >= 3 and n % 2:
            text = text.replace("the", "a", 1) + " Editing by a desk."
        items.append(item(n + 1, f"Story {n % 3}", text, day=1 + n % 5, channel=f"outlet{n % 4}"))
    whole = DedupeIndex().add(items)
    for batch in (1, 4, 7):
        parts = DedupeIndex().add(items, batch=batch)
        assert sorted((g.doc_ids, g.representative, g.kind) for g in parts) == \
            sorted((g.doc_ids, g.representative, g.kind) for g in whole)
    assert sorted(len(g.doc_ids) for g in whole) == [10, 10, 10]
