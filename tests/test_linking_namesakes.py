"""Entity linking against namesakes (issue 11): words that make a name part of a longer one or of
another company's (wrapped lines, nationalities, towns, acronyms, the longer name written
elsewhere, "the" before an institution), each on a small book of its own (no shared data, no
timing)."""
from __future__ import annotations

from mi.analysis.linking import CompanyName, Linker
from tests.test_linking import linked


def test_the_possessive_of_a_name_ending_in_s_is_a_possessive() -> None:
    """"Lloyds' profit" is the possessive "Lloyds's profit" is; a quoted name is not."""
    lloyds = 1
    linker = Linker([CompanyName(lloyds, "Lloyds Banking Group plc", (), ("LLOY.L",))])
    assert set(linked(linker.link(None, "Analysts said Lloyds' profit fell."))) == {lloyds}
    assert set(linked(linker.link(None, "The performance of Lloyds' core lending business lifted net profit."))) \
        == {lloyds}
    assert linked(linker.link(None, "She called the horse 'Lloyds' after the bank.")) == {}


def test_a_line_wrapped_in_mid_phrase_joins_its_words_a_heading_or_a_table_row_does_not() -> None:
    """Wire copy is hard-wrapped: "Dominican\\nRepublic" and "Clayton\\nYeutter" are one phrase each,
    so neither is the company "Republic" or "Clayton"; a short line before the break is a heading
    or a table row, and a name at the start of the next line stands alone."""
    republic, clayton, biomet = 1, 2, 3
    linker = Linker([CompanyName(republic, "Republic Companies Group Inc", (), ("RCGI",)),
                     CompanyName(clayton, "Clayton Holdings Inc", (), ("CLAY",)),
                     CompanyName(biomet, "Biomet Inc", (), ("BMET",))])
    wrapped = ("Other milds coffee producers include Costa Rica, Dominican\nRepublic, Ecuador and Guatemala.\n"
               "The talks were led by U.S. trade representative Clayton\nYeutter, who said prices would rise.")
    assert linked(linker.link(None, wrapped)) == {}
    table = "Results\n Anchor Financial Corp shr 31 cts vs 31\n Nine Months\n Biomet Inc shr 49 cts vs 36\n"
    assert set(linked(linker.link(None, table))) == {biomet}
    heading = "Company news\nBiomet Inc said its quarterly profit rose."
    assert set(linked(linker.link(None, heading))) == {biomet}


def test_a_bare_name_after_a_longer_name_ending_in_the_same_word_shortens_that_name() -> None:
    """"Director Doresy Gardner resigned ... Gardner noted": the director, not Gardner Denver;
    "Carl Icahn's bid ... Icahn said": the investor, not Icahn Enterprises."""
    gardner, icahn = 1, 2
    linker = Linker([CompanyName(gardner, "Gardner Denver Inc", (), ("GDI",)),
                     CompanyName(icahn, "Icahn Enterprises LP", (), ("IEP",))])
    text = ("A Purolator Courier Corp director resigned. Director Doresy Gardner resigned from its board. "
            "Gardner noted the merger would lower the value of shares.")
    assert linked(linker.link(None, text)) == {}
    _, rejected = linker.explain(None, text)
    assert "'Doresy Gardner' elsewhere in the text" in next(r.reason for r in rejected if r.company_id == gardner)
    assert linked(linker.link(None, "Carl Icahn raised his bid. Icahn said shares were cheap.")) == {}
    assert set(linked(linker.link(None, "Gardner Denver said its quarterly profit rose. Gardner shares jumped."))) \
        == {gardner}


def test_capitals_in_brackets_after_a_phrase_are_that_phrases_acronym() -> None:
    """"The Commodity Credit Corporation (CCC) ... CCC said": the agency, not CCC Information
    Services; but "British Petroleum (BP)" may be BP, whose whole name is those capitals."""
    ccc, bp = 1, 2
    linker = Linker([CompanyName(ccc, "CCC Information Services Group Inc", (), ("CCCG",)),
                     CompanyName(bp, "BP p.l.c.", (), ("BP",))])
    text = "The Commodity Credit Corporation (CCC) has accepted bids for export bonuses. CCC said sales rose 5 pct."
    assert linked(linker.link(None, text)) == {}
    _, rejected = linker.explain(None, text)
    assert "acronym for 'The Commodity Credit Corporation'" in rejected[0].reason
    assert set(linked(linker.link(None, "CCC said its quarterly profit rose; CCC shares jumped."))) == {ccc}
    fire = "A fire ripped through a British Petroleum (BP) oil refinery. A BP spokesman said output fell."
    assert set(linked(linker.link(None, fire))) == {bp}


def test_a_short_form_after_a_longer_name_it_starts_shortens_that_name() -> None:
    """"Triton Energy Corp said ... Triton also said": Triton Energy, not the book's Triton
    Distribution Systems; a brand's product ("Apple Music ... Apple said") leaves a name alone."""
    triton, apple = 1, 2
    linker = Linker([CompanyName(triton, "Triton Distribution Systems Inc", (), ("TTDS",)),
                     CompanyName(apple, "Apple Inc", ("Apple",), ("AAPL",))])
    text = "Triton Energy Corp said its well flowed oil. Triton also said its quarterly profit would rise."
    assert linked(linker.link(None, text)) == {}
    _, rejected = linker.explain(None, text)
    assert "'Triton Energy' elsewhere in the text" in rejected[0].reason
    assert set(linked(linker.link(None, "Triton said its quarterly profit would rise."))) == {triton}
    assert set(linked(linker.link(None, "Apple Music grew. Apple said quarterly profit rose."))) == {apple}


def test_a_nationality_right_before_a_name_makes_it_part_of_a_longer_one() -> None:
    """"Czech Republic", "the Belgian National Bank", "British Chancellor of the Exchequer", and
    no short form is a nationality ("a Turkish research ship", "Latin American producers"); a
    brand in capitals ("Dutch ING") and a brand after "U.S." ("U.S. Google searches") stand."""
    republic, national_bank, chancellor, turkish, latin, ing, google = range(1, 8)
    linker = Linker([CompanyName(republic, "Republic Companies Group Inc", (), ("RCGI",)),
                     CompanyName(national_bank, "National Bank Holdings Corporation", (), ("NBHC",)),
                     CompanyName(chancellor, "Chancellor Group Inc", (), ("CHAG",)),
                     CompanyName(turkish, "Turkish Investment Fund Inc", (), ("TKF",)),
                     CompanyName(latin, "Latin American Discovery Fund Inc", (), ("LDF",)),
                     CompanyName(ing, "ING Groep N.V.", ("ING",), ("ING",)),
                     CompanyName(google, "Google Inc", (), ("GOOG",))])
    quiet = ("Fitch said the Czech Republic is among the most vulnerable to a gas cut-off, shares fell. "
             "The Belgian National Bank said it bought currencies. British Chancellor of the Exchequer "
             "Nigel Lawson said shares would rise. A Turkish research ship said it left port. Latin American "
             "producers said prices would rise.")
    assert linked(linker.link(None, quiet)) == {}
    loud = "Dutch ING said quarterly profit rose. U.S. Google searches for electronics fell, analysts said."
    assert set(linked(linker.link(None, loud))) == {ing, google}


def test_a_name_followed_by_a_state_or_province_after_a_comma_is_a_town() -> None:
    """"Hartford, Conn.-based United", "CAP Appliance Purchasers Inc, of Woodstock, Ontario": towns;
    "Apple, Texas Instruments and Intel" is a list."""
    hartford, woodstock, apple, texas_instruments = 1, 2, 3, 4
    linker = Linker([CompanyName(hartford, "Hartford Financial Services Group Inc", ("Hartford",), ("HIG",)),
                     CompanyName(woodstock, "Woodstock Holdings Inc", (), ("WSFL",)),
                     CompanyName(apple, "Apple Inc", (), ("AAPL",)),
                     CompanyName(texas_instruments, "Texas Instruments Inc", (), ("TXN",))])
    towns = ("The company said it sold a stake to Hartford, Conn.-based United Coasts, and agreed to merge with "
             "CAP Appliance Purchasers Inc, of Woodstock, Ontario, a group of retailers.")
    assert linked(linker.link(None, towns)) == {}
    assert set(linked(linker.link(None, "Shares of Apple, Texas Instruments and Intel rose."))) \
        == {apple, texas_instruments}


def test_the_before_an_everyday_name_reads_as_an_institution() -> None:
    """"The Bank of England said ... the Bank's total help", "Hedge Funds Drop The Ball On X":
    an institution or an idiom; a company whose own name starts with "The" keeps it."""
    bank, ball, gap = 1, 2, 3
    linker = Linker([CompanyName(bank, "Bank Holdings", (), ("BHI",)),
                     CompanyName(ball, "Ball Corporation", (), ("BLL",)),
                     CompanyName(gap, "The Gap, Inc.", (), ("GPS",))])
    text = ("The Bank of England said it provided the money market with 181 mln stg. This takes the Bank's "
            "total help to 759 mln stg, the Bank said.")
    assert linked(linker.link(None, text)) == {}
    assert linked(linker.link(None, "Did Hedge Funds Drop The Ball On Trupanion Inc (TRUP) ?")) == {}
    assert set(linked(linker.link(None, "Analysts said the Gap reported quarterly sales below forecasts."))) == {gap}
    assert set(linked(linker.link(None, "Ball said quarterly profit rose."))) == {ball}


def test_the_first_words_of_a_longer_book_name_leave_no_inner_word_for_another() -> None:
    """"Compass Minerals Reports ..." begins Compass Minerals International's name: "Minerals" there
    is not Minerals Technologies; "New Hampshire" begins New Hampshire Thrift Bancshares' name."""
    compass, minerals, thrift, hampshire = 1, 2, 3, 4
    linker = Linker([CompanyName(compass, "Compass Minerals International, Inc.", (), ("CMP",)),
                     CompanyName(minerals, "Minerals Technologies Inc", (), ("MTX",)),
                     CompanyName(thrift, "New Hampshire Thrift Bancshares Inc", (), ("NHTB",)),
                     CompanyName(hampshire, "Hampshire Group Ltd", (), ("HAMP",))])
    assert minerals not in linked(linker.link("Compass Minerals Reports Fourth-Quarter and Full-Year Results", ""))
    assert linked(linker.link("Biden Campaign Says It Will Push Ahead Regardless of New Hampshire Results", "")) == {}
    assert set(linked(linker.link(None, "Minerals Technologies said quarterly profit rose."))) == {minerals}


def test_a_name_listed_next_to_a_company_written_with_its_ticker_reads_as_a_company() -> None:
    """"Regeneron Pharma and Sanofi (SNY) restructure ...": Sanofi is a company by its ticker, known
    to the book or not, and so is the name listed with it."""
    regeneron = 1
    linker = Linker([CompanyName(regeneron, "Regeneron Pharmaceuticals Inc", (), ("REGN",))])
    text = "Regeneron Pharma and Sanofi (SNY) restructure Kevzara and Praluent agreement"
    found = linked(linker.link(None, text))
    assert set(found) == {regeneron}
    assert "listed next to Sanofi (SNY), written with its ticker" in found[regeneron].reason
    assert linked(linker.link(None, "Regeneron Pharma restructure Kevzara and Praluent agreement")) == {}


def test_a_generic_last_word_in_lower_case_still_spells_a_distinctive_name() -> None:
    """Indian headlines write "Deutsche bank", "Tata steel": the distinctive first word carries the
    name; "General motors" (an everyday first word) does not."""
    deutsche, gm = 1, 2
    linker = Linker([CompanyName(deutsche, "Deutsche Bank AG", (), ("DB",)),
                     CompanyName(gm, "General Motors Co", (), ("GM",))])
    assert set(linked(linker.link(None, "Credit Suisse, Deutsche bank surprise with Yankee bonds"))) == {deutsche}
    assert linked(linker.link(None, "General motors said sales fell.")) == {}
