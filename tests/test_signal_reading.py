"""Reading needs from RMs' notes and grouping them (pure functions, no database)."""
from __future__ import annotations

import datetime as dt

from mi.signals.grouping import NoteInput, group_notes
from mi.signals.needs import read_need
from mi.signals.sharing import MASK, mask_names, name_forms, shareable_quotes
from mi.signals.themes import theme_words

DAY = dt.date(2026, 11, 2)


def groups_of(*texts: str | tuple[str, tuple[str, ...]]) -> dict[str, str | None]:
    notes = []
    for i, item in enumerate(texts):
        text, tags = item if isinstance(item, tuple) else (item, ())
        notes.append(NoteInput(f"n{i}", f"RM{i}", f"C{i}", DAY, text, tags))
    groups = group_notes(notes, {n.ref: read_need(n.text, n.tags) for n in notes})
    found: dict[str, str | None] = {n.ref: None for n in notes}
    for group in groups:
        for ref in group.members:
            found[ref] = group.key
    return found


def test_short_forms_and_typos_are_read() -> None:
    reading = read_need("cfo wnts to hedge 50% of USD recievables w/ fwds")
    assert reading.need == "fx_receivables_hedge" and reading.category == "fx"
    assert "receivable(s)" in reading.cues and "forward(s)" in reading.cues
    assert read_need("Asked for a seasonal top-up of the RCF before the holiday season").need == "working_capital"


def test_the_direction_of_a_currency_exposure_tells_two_needs_apart() -> None:
    assert read_need("Wants to hedge the USD receivables from export sales").need == "fx_receivables_hedge"
    assert read_need("Imports raw materials paid in USD; wants to hedge the payables").need == "fx_payables_hedge"
    assert read_need("Wants forwards to hedge USD").need is None  # which way? not guessed


def test_three_wordings_of_one_need_group_together_and_unrelated_needs_stay_apart() -> None:
    found = groups_of("Procurement wants supplier finance for the top 20 suppliers.",
                      "asked abt reverse factoring so small suppliers get paid early",
                      "Competitor pitched an SCF platform; we should come back with ours",
                      "Surplus cash of EUR 20m; compared our 12-month deposit rate with a competitor's",
                      "General catch-up with the CFO; nothing to action.")
    assert found["n0"] == found["n1"] == found["n2"] == "supply_chain_finance"
    assert found["n3"] == "deposit_pricing" and found["n4"] is None


def test_chinese_notes_are_read_and_unreadable_ones_grouped_by_their_tags() -> None:
    assert read_need("客户希望对明年60%的美元应收账款做远期锁汇。").need == "fx_receivables_hedge"
    unread = read_need("客户下周来访，讨论明年的合作。")
    assert unread.need is None and unread.unread and unread.language == "zh"
    found = groups_of(("客户下周来访，讨论明年的安排。", ("payroll",)), ("财务总监询问代发工资服务。", ("payroll",)),
                      ("客户下周来访。", ("supply-chain-finance",)))
    assert found["n0"] == found["n1"] and str(found["n0"]).startswith("tags:")
    assert found["n2"] == "supply_chain_finance"  # a tag that names one need puts it there


def test_a_need_the_vocabulary_does_not_know_emerges_when_several_rms_hear_it() -> None:
    found = groups_of("Sales team travels a lot; asked about corporate credit cards with expense reporting.",
                      "Wants corporate credit cards with expense reporting for 40 travelling staff.",
                      "Lunch with the CFO. Quarterly review, next steps booked.")
    assert found["n0"] == found["n1"] and str(found["n0"]).startswith("emerging:")
    assert found["n2"] is None


def test_an_emerging_group_is_named_only_by_notes_that_may_be_shared() -> None:
    notes = [NoteInput("a", "RM1", "C1", DAY, "Nightingale escrow account for the Nightingale deal", confidential=True),
             NoteInput("b", "RM2", "C2", DAY, "Nightingale escrow account for the Nightingale deal", confidential=True)]
    [group] = group_notes(notes, {n.ref: read_need(n.text) for n in notes})
    assert group.members == ("a", "b") and group.terms == ()


def test_quotes_leave_out_confidential_notes_and_mask_every_customer_name() -> None:
    forms = name_forms(["Acme Tools Ltd", "Zephyr Holdings"])
    assert "Acme Tools" in forms and "Zephyr" in forms
    quotes = shareable_quotes([("Zephyr wants to sell a unit", True), ("ACME TOOLS wants supplier finance", False)],
                              forms)
    assert quotes == [f"{MASK} wants supplier finance"]
    assert mask_names("acme tools ltd and Acme Toolshed", forms) == f"{MASK} and Acme Toolshed"


def test_a_tag_group_is_keyed_by_a_hash_and_named_only_by_shareable_notes_tags() -> None:
    notes = [NoteInput("a", "RM1", "C1", DAY, "客户下周来访。", ("zephyr-sale",), confidential=True),
             NoteInput("b", "RM2", "C2", DAY, "客户下周来访，讨论安排。", ("zephyr-sale",), confidential=True)]
    [group] = group_notes(notes, {n.ref: read_need(n.text, n.tags) for n in notes})
    assert group.kind == "tags" and "zephyr" not in group.key and group.terms == ()
    shared = [NoteInput("c", "RM3", "C3", DAY, "客户下周来访。", ("zephyr-sale",))] + notes
    [group] = group_notes(shared, {n.ref: read_need(n.text, n.tags) for n in shared})
    assert group.terms == ("zephyr-sale",) and len(group.members) == 3


def test_an_unread_note_joins_the_need_it_is_like_when_its_weak_cues_agree() -> None:
    # "short-term funding" is too weak to read alone (no "working capital", no "credit line").
    weak = "Before the harvest they need extra short-term funding; asked what we can do."
    assert read_need(weak).need is None
    found = groups_of("Needs a working capital line to build stock before the harvest, short-term.",
                      "Asked for a seasonal overdraft to fund stock before the harvest.",
                      weak,
                      "Before the harvest they asked to meet our new colleague; nothing to action.")
    assert found["n0"] == found["n1"] == found["n2"] == "working_capital"
    assert found["n3"] is None  # alike in words, but no cue of its own points at the need


def test_a_tag_naming_one_need_puts_an_unread_note_there_only_if_its_cues_agree() -> None:
    found = groups_of(("Bid for a public tender abroad; asked how fast we can help.", ("trade-finance",)),
                      ("Wants to pay the suppliers earlier; asked what we can do.", ("supply-chain-finance",)),
                      ("Asked to meet the new treasurer next month.", ("supply-chain-finance",)))
    assert read_need("Wants to pay the suppliers earlier; asked what we can do.").need is None
    assert found["n1"] == "supply_chain_finance"
    assert found["n0"] is None  # trade-finance names three needs
    assert found["n2"] is None  # the tag alone does not decide an English note


def test_card_acquiring_is_no_acquisition_and_buyers_are_no_purchase() -> None:
    assert read_need("Opening 12 new shops; wants card terminals and merchant acquiring from us.").need is None
    assert read_need("Board approved acquiring a competitor in Poland; needs acquisition finance.").need == \
        "acquisition_finance"
    assert read_need("Their buyers in Brazil pay in USD; wants to hedge the receivables with forwards.").need == \
        "fx_receivables_hedge"


def test_a_typo_as_close_to_a_word_as_to_its_prefix_is_that_word() -> None:
    assert read_need("The owner is buying a house privately and needs a moetgage.").need == "mortgage"
    assert read_need("Signed an LOI to acqure a family business and needs the financing for it.").need == \
        "acquisition_finance"
    assert read_need("Looking at buying a smaller competitor in Kenya; how much could we lend for the deal").need == \
        "acquisition_finance"  # a three-word cue with one extra word inside


def test_a_strong_cue_well_ahead_of_any_other_joins_its_need_when_that_need_is_nearest() -> None:
    # "energy efficiency" alone (2.0) is under the reading threshold: hand-written notes share
    # too few words for the similarity floor, so a clear lead of the cues decides instead.
    clear = "Asked how we could finance the energy efficiency measures at their two plants."
    rival = "Asked how we could finance the energy efficiency measures at their two plants; cash is tight."
    assert read_need(clear).need is None and read_need(rival).need is None
    found = groups_of("Wants a green loan for rooftop solar at their two plants.",
                      "Green loan for heat pumps at the plants, asked for our margin.",
                      clear, rival)
    assert found["n0"] == found["n1"] == found["n2"] == "green_capex"
    assert found["n3"] != "green_capex"  # working-capital cues too close behind: not a clear lead


def test_a_slashed_lc_is_a_letter_of_credit() -> None:
    assert read_need("Importer needs an L/C in favour of their supplier in Vietnam.").need == "trade_documentary"


def test_clusters_worded_apart_join_on_the_theme_word_they_share_and_not_on_a_common_word() -> None:
    found = groups_of("Wants us to take over payroll for their staff, payslips and all.",
                      "Wants us to take over payroll for their staff, payslips and all, from January.",
                      "Payroll run for seasonal harvest pickers: can the bank handle it?",
                      "payroll run for seasonal harvest pickers; can the bank handle it",
                      "Travel insurance cover for staff on business trips abroad.",
                      "Asked for travel insurance cover for staff on business trips.")
    assert found["n0"] == found["n1"] == found["n2"] == found["n3"]
    assert str(found["n0"]).startswith("emerging:")
    assert found["n4"] == found["n5"] != found["n0"]  # "staff" names no need


def test_theme_words_leave_out_common_words_and_known_needs_cues() -> None:
    assert theme_words("Payroll for 40 staff every month, paid with forwards") == {"payroll"}
    assert theme_words("Escrow accounts for the deals") == {"escrow", "deal"}


def test_usual_chinese_product_names_and_more_short_forms_are_read() -> None:
    assert read_need("旺季前申请流贷2000万元。").need == "working_capital"
    assert read_need("客户询问福费廷业务，出口合同180天收款。").need == "receivables_finance"
    assert read_need("客户说我行定存利率比同业低。").need == "deposit_pricing"
    assert read_need("集团希望给各地分公司开立虚拟账号，自动对账。").need == "virtual_accounts"
    assert read_need("Needs an advance pmt gty for a big order").need == "trade_guarantees"
    assert read_need("Client asks to raise the o/d by 2m before the season").need == "working_capital"
    assert read_need("wants to swap the int. rate on the term loan").need == "rate_hedge"
