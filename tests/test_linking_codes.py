"""Entity linking on codes, tickers and headlines (issue 11): a name with its own code, tickers
qualified by an exchange, titles in capitals, index brands and headline labels, each on a small
book of its own (no shared data, no timing)."""
from __future__ import annotations

from mi.analysis.linking import CompanyName, Linker
from tests.test_linking import linked


def test_a_legal_form_the_book_does_not_record_is_decided_by_the_code_after_it() -> None:
    """"Baker Hughes Co <BKR.N>": the book writes "Baker Hughes" (surname words, no legal form), an
    old registrant holds the same name and another company once held BKR; the name with its own
    code names it. Without a code the legal form still says "another company"."""
    hughes, old_hughes, michael_baker, energy = 1, 2, 3, 4
    linker = Linker([CompanyName(hughes, "Baker Hughes", (), ("BKR",)),
                     CompanyName(old_hughes, "Baker Hughes Inc", (), ("BHI",)),
                     CompanyName(michael_baker, "Michael Baker Corp", (), ("BKR",)),
                     CompanyName(energy, "Advanced Energy Industries Inc", (), ("AEIS",))])
    found = linked(linker.link(None, "Energy services firm Baker Hughes Co <BKR.N> said on Friday the rig count rose."))
    assert set(found) == {hughes}
    assert "followed by its instrument code <BKR.N>" in found[hughes].reason
    assert set(linked(linker.link("Hedge Funds Like Advanced Energy Industries, Inc. (AEIS)", None))) == {energy}
    assert linked(linker.link(None, "Baker Hughes Co said on Friday the rig count rose.")) == {}


def test_a_short_ambiguous_name_in_a_title_all_in_capitals_needs_more_than_its_capitals() -> None:
    """Wires write titles in capitals ("UNOCAL RAISES CRUDE PRICES 50 CTS"): there "CTS" is cents
    and "DLR" dollars, not CTS Corp or DLR Funding. A legal name or a ticker still counts there,
    as does the text, and a short name in a title of ordinary case is judged as before."""
    cts, dlr, unocal = 1, 2, 3
    linker = Linker([CompanyName(cts, "CTS Corporation", (), ("CTS",)),
                     CompanyName(dlr, "DLR Funding Inc", (), ("DLRF",)),
                     CompanyName(unocal, "Unocal Corp", (), ("UCL",))])
    assert linked(linker.link("UNOCAL RAISES MOST CRUDE PRICES 50 CTS, WTI AT 17.50 DLRS", "")).keys() <= {unocal}
    assert cts not in linked(linker.link("TEXACO CUTS CRUDE PRICES 64 CTS/BBL", ""))
    assert linked(linker.link("BASF SAYS 1986 RESULTS AFFECTED BY DLR", "")) == {}
    assert set(linked(linker.link("CTS CORP 1ST QTR NET", ""))) == {cts}
    assert set(linked(linker.link("UNOCAL RAISES PRICES", "CTS said on Monday its quarterly profit rose."))) \
        >= {cts}
    assert set(linked(linker.link("CTS Raises Its Dividend", ""))) == {cts}
    tandem = 4  # a short form there may be the head of another's name
    shorts = Linker([CompanyName(tandem, "Tandem Diabetes Care Inc", (), ("TNDM",))])
    assert linked(shorts.link("TANDEM SEES HIGHER NET", "")) == {}
    assert set(linked(shorts.link("Tandem Said To Raise Its Outlook", ""))) == {tandem}


def test_a_capitalised_preposition_in_a_headline_is_no_part_of_the_name_after_it() -> None:
    """"Hedge Funds Are Crazy About Xencor Inc (XNCR)", "Invests Rs 2,500 Crore Into Amazon Seller
    Services": "About" and "Into" start no name."""
    xencor, amazon = 1, 2
    linker = Linker([CompanyName(xencor, "Xencor Inc", (), ("XNCR",)),
                     CompanyName(amazon, "Amazon.com, Inc.", ("Amazon",), ("AMZN",))])
    assert set(linked(linker.link(None, "Here is What Hedge Funds Think About Xencor Inc (XNCR)"))) == {xencor}
    assert set(linked(linker.link(None, "Amazon Invests Over Rs 2,500 Crore Into Amazon Seller Services"))) \
        == {amazon}


def test_a_code_written_right_after_a_name_with_no_space_is_checked_against_that_name() -> None:
    """Wire titles write "PUROLATOR<PCC>": the code follows the name Purolator, so it is not the
    book's PMC Commercial Trust, which holds PCC today; "DANAHER<DHR>" is still Danaher's."""
    pmc, danaher = 1, 2
    linker = Linker([CompanyName(pmc, "PMC Commercial Trust", (), ("PCC",)),
                     CompanyName(danaher, "Danaher Corporation", (), ("DHR",))])
    assert linked(linker.link("UNICORP CANADA CUTS PUROLATOR<PCC> STAKE", "")) == {}
    assert set(linked(linker.link("DANAHER<DHR> EXPECTS EARNINGS INCREASE", ""))) == {danaher}


def test_an_exchange_qualified_ticker_is_neither_a_name_nor_finance_words() -> None:
    """"AcelRx Pharmaceuticals, Inc.'s (NASDAQ:ACRX) CEO": no mention of Nasdaq Inc, and in
    "(NYSE:KMX) CEO Paid At A Competitive Rate?" the exchange is no finance word lifting "Paid"
    or "Competitive"; "(ASX:CTD)" is no mention of CTD Holdings."""
    nasdaq, paid, ctd, acelrx, carmax = range(1, 6)
    linker = Linker([CompanyName(nasdaq, "Nasdaq, Inc.", ("Nasdaq",), ("NDAQ",)),
                     CompanyName(paid, "Paid Inc", (), ("PAYD",)),
                     CompanyName(ctd, "CTD Holdings Inc", (), ("CTDH",)),
                     CompanyName(acelrx, "AcelRx Pharmaceuticals, Inc.", (), ("ACRX",)),
                     CompanyName(carmax, "CarMax, Inc.", (), ("KMX",))])
    assert set(linked(linker.link("Should You Worry About AcelRx Pharmaceuticals, Inc.'s (NASDAQ:ACRX) CEO "
                                  "Salary Level?", ""))) == {acelrx}
    assert set(linked(linker.link("Is CarMax, Inc.'s (NYSE:KMX) CEO Paid At A Competitive Rate?", ""))) == {carmax}
    assert linked(linker.link("Is Corporate Travel Management Limited (ASX:CTD) A Top Quality Stock?", "")) == {}
    assert set(linked(linker.link(None, "Nasdaq said quarterly revenue rose."))) == {nasdaq}


def test_an_index_brand_listed_with_another_index_is_the_index() -> None:
    """"S&P 500, Nasdaq touch records", "Dow, S&P 500 turn positive": the indices, not Nasdaq Inc
    or Dow Inc; "Nasdaq and Dow Inc said" is no list of indices."""
    nasdaq, dow = 1, 2
    linker = Linker([CompanyName(nasdaq, "Nasdaq, Inc.", ("Nasdaq",), ("NDAQ",)),
                     CompanyName(dow, "Dow Inc.", ("Dow",), ("DOW",))])
    for title in ("S&P 500, Nasdaq touch records as stocks close higher on solid earnings",
                  "Dow, S&P 500 turn positive", "Stock Market Live Updates: S&P 500, Nasdaq, Dow post record highs"):
        assert linked(linker.link(title, "")) == {}, title
    assert set(linked(linker.link(None, "Nasdaq said quarterly revenue rose; Dow Inc said sales fell."))) \
        == {nasdaq, dow}


def test_a_headline_label_before_a_colon_is_no_subject() -> None:
    """"Highlight: 'There's going to be a bloodbath...'": a label before a quote, not Highlight
    Networks as the headline's subject (the subject cue itself is tested with "Amazon:" in
    test_a_time_between_a_name_and_its_verb_an_analyst_after_it_and_a_headlines_subject)."""
    highlight = 1
    linker = Linker([CompanyName(highlight, "Highlight Networks Inc", (), ("HNET",))])
    quote = "Highlight: \"There's going to be a bloodbath in terms of synergy savings,\" an analyst says"
    assert linked(linker.link(quote, "")) == {}
    _, rejected = linker.explain(quote, "")
    assert "subject before a colon" not in rejected[0].reason


def test_an_exchange_prefix_outside_the_us_means_that_listing_not_a_us_ticker() -> None:
    """"Lectra's (EPA:LSS)" is Lectra on Euronext Paris, not the US ticker LSS; "(LON:OCDO)" is
    Ocado's London listing, recorded as OCDO.L; "(NASDAQ:AAPL)" the plain US ticker."""
    lone_star, ocado, apple = 1, 2, 3
    linker = Linker([CompanyName(lone_star, "Lone Star Technologies Inc", (), ("LSS",)),
                     CompanyName(ocado, "Ocado Group plc", (), ("OCDO.L",)),
                     CompanyName(apple, "Apple Inc", (), ("AAPL",))])
    assert linked(linker.link(None, "Can You Imagine How Chuffed Lectra's (EPA:LSS) Shareholders Feel?")) == {}
    assert set(linked(linker.link(None, "Do Directors Own Shares (LON:OCDO)? Also (NASDAQ:AAPL)."))) == {ocado, apple}


def test_capitals_that_spell_the_ticker_but_for_a_hyphen_are_the_name() -> None:
    """The SEC writes II-VI as "Ii-vi Inc": "II-VI EPS in-line" spells its ticker IIVI, so it is
    the company as its owner writes it, not a dateline in capitals."""
    ii_vi = 1
    linker = Linker([CompanyName(ii_vi, "Ii-vi Inc", (), ("IIVI",))])
    assert set(linked(linker.link(None, "Markets\n  - II-VI EPS in-line, beats on revenue"))) == {ii_vi}
