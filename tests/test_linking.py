"""Entity linking on a small hand-written gazetteer (no shared data, no timing)."""
from __future__ import annotations

import pytest

from mi.analysis.linking import CompanyName, EntityLink, Linker
from mi.analysis.linking_names import common_words_from_texts, identifier_key, variants
from mi.analysis.linking_scan import title_cased

APPLE, ALPHABET, TARGET, FORD, ATT, EXXON, BEST_BUY, MOUTAI, IBM, HOLDCO, ACME_A, ACME_B, GAP = range(1, 14)

COMPANIES = [
    CompanyName(APPLE, "Apple Inc.", ("Apple",), ("AAPL",), ("CIK:0000320193", "5493001KJTIIGC8Y1R12")),
    CompanyName(ALPHABET, "Alphabet Inc.", ("Alphabet", "Google"), ("GOOGL", "GOOG"), ()),
    CompanyName(TARGET, "Target Corporation", ("Target",), ("TGT",), ()),
    CompanyName(FORD, "Ford Motor Company", ("Ford",), ("F",), ()),
    CompanyName(ATT, "AT&T Inc.", (), ("T",), ()),
    CompanyName(EXXON, "Exxon Mobil Corporation", ("ExxonMobil",), ("XOM",), ()),
    CompanyName(BEST_BUY, "Best Buy Co., Inc.", ("Best Buy",), ("BBY",), ()),
    CompanyName(MOUTAI, "贵州茅台酒股份有限公司", ("贵州茅台",), ("600519",), ("91520000214434146R",)),
    CompanyName(IBM, "International Business Machines Corporation", ("IBM",), ("IBM",), ()),
    CompanyName(HOLDCO, "Imperial Holdings Inc", (), (), ()),
    CompanyName(ACME_A, "Acme Widgets Inc", (), ("ACW",), ()),
    CompanyName(ACME_B, "Acme Widgets Corp", (), ("AWC",), ()),  # same name, another registrant
    CompanyName(GAP, "Gap Inc.", ("Gap",), ("GPS",), ()),
]


@pytest.fixture(scope="module")
def linker() -> Linker:
    return Linker(COMPANIES)


def linked(links: list[EntityLink]) -> dict[int, EntityLink]:
    return {link.company_id: link for link in links}


def test_exact_legal_name(linker: Linker) -> None:
    links = linked(linker.link("Apple Inc. beats estimates", "Revenue rose in every region."))
    assert set(links) == {APPLE}
    assert links[APPLE].reason.startswith("exact legal name 'Apple Inc'")
    assert links[APPLE].confidence >= 0.95


def test_legal_suffix_written_differently_still_counts(linker: Linker) -> None:
    links = linked(linker.link(None, "Exxon Mobil Corp. raised its dividend."))
    assert links[EXXON].reason == "exact legal name 'Exxon Mobil Corp'"
    # any legal form after a distinctive name counts; its own spelling is not required
    assert linked(linker.link(None, "Exxon Mobil Inc. said."))[EXXON].reason == "legal name 'Exxon Mobil Inc.'"


def test_distinctive_name_and_alias_link_alone(linker: Linker) -> None:
    text = "Output at ExxonMobil rose, and shares of International Business Machines gained."
    links = linked(linker.link(None, text))
    assert links[EXXON].reason == "alias 'ExxonMobil'"
    assert links[IBM].reason == "name 'International Business Machines'"


def test_cashtag_and_exchange_qualified_tickers(linker: Linker) -> None:
    links = linked(linker.link(None, "Traders bought $AAPL. AT&T (NYSE: T) fell while NASDAQ:GOOGL rose."))
    assert links[APPLE].reason == "ticker $AAPL with cashtag"
    assert links[ALPHABET].reason.startswith("exchange-qualified ticker NASDAQ:GOOGL")
    assert "(T)" in links[ATT].reason or "NYSE: T" in links[ATT].reason


def test_bare_tickers_do_not_link(linker: Linker) -> None:
    # "T", "F" and "IBM"-less capitals: tickers count only as cashtags or exchange-qualified
    assert linker.link(None, "Plan T was dropped and grade F given; XOM and BBY were quiet.") == []


def test_identifiers_are_matched_exactly(linker: Linker) -> None:
    links = linked(linker.link(None, "The filer (CIK 320193) and LEI 5493001KJTIIGC8Y1R12 were named."))
    assert links[APPLE].confidence == 0.99
    assert links[APPLE].reason.startswith("CIK 320193")
    chinese = linked(linker.link("公告", "统一社会信用代码91520000214434146R。"))
    assert chinese[MOUTAI].reason.startswith("USCC 91520000214434146R")
    assert linker.link(None, "LEI 5493001KJTIIGC8Y1R13 belongs to someone else.") == []


def test_common_word_names_without_finance_context_are_rejected_with_the_reason(linker: Linker) -> None:
    assert linker.link("Markets", "An apple a day. The central bank kept its target rate; the gap widened.") == []
    assert linker.link("Visa rules", "Gap years are popular.") == []
    links, rejected = linker.explain(None, "Best Buy signs hung on the old poster.")
    assert links == []
    assert {r.company_id for r in rejected} >= {BEST_BUY}
    assert all("context too weak" in r.reason or "matched, but" in r.reason for r in rejected)


def test_common_word_names_are_decided_by_finance_context(linker: Linker) -> None:
    """Issue 11: "Apple", "Target" were refused wholesale as common words."""
    links = linked(linker.link("Earnings", "Target said sales fell. Apple shares slipped."))
    assert set(links) == {TARGET, APPLE}
    assert links[APPLE].reason == "alias 'Apple' is made of everyday words, decided by context: 'shares' after it"
    assert "'said' after it" in links[TARGET].reason


def test_common_word_names_link_with_corroboration(linker: Linker) -> None:
    links = linked(linker.link(None, "Target Corp. said sales fell. Target also cut prices."))
    assert links[TARGET].reason.startswith("exact legal name 'Target Corp'")
    assert linker.link(None, "Target Inc. said sales fell.") == []  # not Target's legal name
    links = linked(linker.link(None, "Alphabet said its Google unit grew (NASDAQ: GOOGL)."))
    assert "alias 'Alphabet'" in links[ALPHABET].reason and "GOOGL" in links[ALPHABET].reason
    links = linked(linker.link(None, "Shares of Best Buy (BBY) rose; Gap said $GPS would split."))
    assert links[BEST_BUY].reason == "alias 'Best Buy' followed by its ticker (BBY)"
    assert links[GAP].mention == "Gap"
    assert linked(linker.link(None, "Alphabet and Google both appear here."))[ALPHABET].reason == "alias 'Google'"
    two_words = Linker([CompanyName(50, "Block, Inc.", ("Block", "Square"), ("XYZ",))])
    links = linked(two_words.link(None, "Block, the owner of Square, said payments grew."))
    assert links[50].reason == "alias 'Block' + alias 'Square' in same text"
    assert links[50].confidence < 0.9
    assert two_words.link(None, "Block said payments grew.")[0].reason.endswith("decided by context: 'said' after it")
    assert two_words.link(None, "The block was sold at auction.") == []


def test_name_inside_another_proper_name_is_rejected(linker: Linker) -> None:
    text = "Harrison Ford starred in the film. The Ford Foundation gave a grant."
    assert linker.link(None, text) == []
    notes = [c.note for c in linker.mention_candidates(None, text)]
    assert "alias 'Ford' matched, but preceded by capitalised 'Harrison'" in notes
    assert "alias 'Ford' matched, but capitalised and followed by 'Foundation'" in notes
    links = linked(linker.link(None, "Ford's chief executive spoke; Ford Motor expects growth."))
    assert links[FORD].reason.startswith("name 'Ford Motor'")


def test_short_names_are_case_sensitive(linker: Linker) -> None:
    assert IBM in linked(linker.link(None, "IBM said cloud revenue grew."))
    assert linker.link(None, "Ibm said, and ibm was quiet.") == []


def test_headline_case_titles_are_decided_by_context(linker: Linker) -> None:
    """Issue 11: a capitalised word beside a name in a headline ("HSBC Says") blocked it."""
    links = linked(linker.link("ExxonMobil Beats Forecasts", "Profits rose."))
    assert "in a headline-case title, decided by context: 'beats' after it" in links[EXXON].reason
    assert linker.link("ExxonMobil Museum Opens Doors To Visitors", "The hall was full.") == []


def test_a_sentence_case_title_full_of_names_is_read_as_running_text(linker: Linker) -> None:
    """Most long words of "Best Buy names Jane Doe as Ford Motor Company Europe Director" are
    capitalised, yet "names" shows the title is in sentence case: its capitals still say which
    words are names, as in a body. Read as headline case, names in it were only weak evidence."""
    assert not title_cased("Best Buy names Jane Doe as Ford Motor Company Europe Director")
    assert title_cased("Best Buy Shares Slide after Profit Warning")
    # links, hashtags and a promotion after the headline do not decide its case
    assert title_cased("$BBY - Best Buy Shares Slide. Read more and sign up: https://t.co/x #stocks")
    links = linked(linker.link("Ford Motor Company rejigs Europe unit; Apple hires Jane Doe", None))
    assert FORD in links and "headline" not in links[FORD].reason


def test_a_name_bounded_by_punctuation_in_a_headline_case_title_stands(linker: Linker) -> None:
    """In headline case a capitalised word beside a name may be part of it; where a name of
    several words meets punctuation, lower case or the line's ends, nothing can extend it."""
    links = linked(linker.link("Weekend Reading: Exxon Mobil, Museums And Parks", None))
    assert links[EXXON].reason == "name 'Exxon Mobil'"
    # between capitalised words it is still decided by context
    assert linker.link("Exxon Mobil Museum Opens Doors To Visitors", None) == []
    # one word is not enough: in headline case "Target" may be any word
    assert TARGET not in linked(linker.link("Our Target: Three Reasons To Own It", None))


def test_one_everyday_word_in_a_headline_case_title_needs_more_than_one_cue(linker: Linker) -> None:
    """In headline case "Target" is capitalised as "Price" and "Lifted" are: the capital that
    makes it read as a name in running text says nothing there, so one cue is not enough."""
    title = "Here's Why Analysts Just Lifted Their Gap Inc. Price Target To US$25"
    links, rejected = linker.explain(title, None)
    assert set(linked(links)) == {GAP} and "score 1 < 1.5" in rejected[0].reason
    links = linked(linker.link("Target Shares Jump After Earnings Beat", None))  # 'shares' after it and more
    assert TARGET in links
    assert TARGET in linked(linker.link(None, "Analysts lifted their Gap Inc. price target, and Target rose."))


def test_legal_suffix_does_not_stretch_a_shortened_name(linker: Linker) -> None:
    # "Imperial Corp" is not "Imperial Holdings Inc"
    assert linker.link(None, "Imperial Corp reported a loss.") == []
    assert HOLDCO in linked(linker.link(None, "Imperial Holdings Inc reported a loss."))


def test_a_name_shared_by_two_companies_needs_its_ticker(linker: Linker) -> None:
    assert linker.link(None, "Acme Widgets expanded.") == []
    links = linked(linker.link(None, "Acme Widgets ($AWC) expanded."))
    assert set(links) == {ACME_B}


def test_chinese_alias(linker: Linker) -> None:
    links = linked(linker.link("贵州茅台发布年报", "贵州茅台今日发布年度报告。"))
    assert links[MOUTAI].mention == "贵州茅台"


def test_every_link_has_a_reason_and_candidates_explain_rejections(linker: Linker) -> None:
    text = "Apple Inc. and Target said; an apple fell. $XOM rose."
    links = linker.link(None, text)
    assert links and all(link.reason and 0 < link.confidence <= 1 for link in links)
    candidates = linker.mention_candidates(None, text)
    target = [c for c in candidates if c.company_id == TARGET]
    assert target and not target[0].strong and "decided by context" in target[0].note
    links, rejected = linker.explain(None, "Harrison Ford starred.")
    assert links == [] and rejected[0].reason == "alias 'Ford' matched, but preceded by capitalised 'Harrison'"


def test_name_variants_strip_legal_suffixes() -> None:
    found = {v.keys: v for v in variants(1, "Best Buy Co., Inc.", (), frozenset({"best", "buy"}))}
    assert found[("best", "buy")].common and found[("best", "buy")].kind == "name"
    assert found[("best", "buy", "co", "inc")].kind == "legal" and not found[("best", "buy", "co", "inc")].common
    chinese = {v.keys for v in variants(2, "贵州茅台酒股份有限公司", (), frozenset())}
    assert tuple("贵州茅台酒") in chinese


def test_identifier_kinds() -> None:
    assert identifier_key("CIK:0000320193") == ("CIK", "320193")
    assert identifier_key("5493001KJTIIGC8Y1R12") == ("LEI", "5493001KJTIIGC8Y1R12")
    assert identifier_key("91520000214434146R") == ("USCC", "91520000214434146R")


def test_common_words_learnt_from_texts() -> None:
    texts = ["the target was missed"] * 3 + ["Target said"] * 2 + ["Zorblax rose"] * 5
    words = common_words_from_texts(texts, min_count=5)
    assert "target" in words and "zorblax" not in words
    assert linker_with(words).link(None, "Zorblax Inc. and Zorblax said.")


def linker_with(words: frozenset[str]) -> Linker:
    return Linker([CompanyName(99, "Zorblax Inc.", ("Zorblax",))], words)


def test_tickers_in_the_forms_the_press_writes(linker: Linker) -> None:
    """Cashtags, "NYSE: AAPL" and "(AAPL.O)"/"<AAPL.O>" Reuters codes resolve; a London
    code does not stand for a US ticker of the same letters."""
    for text in ("Buy $AAPL now.", "Shares (NASDAQ: AAPL) rose.", "Shares (AAPL.O) rose.", "Shares <AAPL.O> rose."):
        assert APPLE in linked(linker.link(None, text)), text
    assert linker.link(None, "Shares <T.L> rose.") == []
    spx = Linker([CompanyName(60, "SPX Corporation", (), ("SPX",))])
    assert spx.link(None, "The S&P 500 <.SPX> index rose.") == []  # an index code, not SPX's name or ticker


def test_the_channels_market_counts_for_a_customer_of_that_country() -> None:
    """Issue 11: "Apollo" in an Indian business wire is more likely Apollo Hospitals, a customer the
    book places in India; the same words with no market, or another market, stay undecided."""
    apollo = 1
    book = Linker([CompanyName(apollo, "Apollo Hospitals Enterprise Ltd", (), ("APOLLOHOSP.NS",), (), (), "IN")])
    text = "Apollo in focus ahead of quarterly results"
    found = linked(book.link(None, text, market="IN"))
    assert set(found) == {apollo}
    assert "the channel's market (IN) is the company's" in found[apollo].reason
    assert book.link(None, text) == [] and book.link(None, text, market="US") == []
    assert set(linked(book.link(None, text, market="in"))) == {apollo}
