"""Entity linking on the ways the press writes companies (issue 11): the misses the issue
named, short forms, headline capitals, index brands, lists and codes, each on a small book of
its own (no shared data, no timing)."""
from __future__ import annotations

import pytest

from mi.analysis.linking import CompanyName, Linker
from tests.test_linking import linked

# -- issue 11: the misses named in the issue, on a book that holds those companies --------

HSBC, SHIRE, THYSSEN, MOODYS, BP, SHELL, BT, ATT2, THREE_I, G4S, EASYJET, NOVO, DELTA, BOFA, JPM, META = range(100, 116)
ISSUE_BOOK = [
    CompanyName(HSBC, "HSBC Holdings plc", (), ("HSBA.L",)),
    CompanyName(SHIRE, "Shire plc", (), ("SHP.L",)),
    CompanyName(THYSSEN, "thyssenkrupp AG", (), ("TKAG.DE",)),
    CompanyName(MOODYS, "Moody's Corporation", (), ("MCO",)),
    CompanyName(BP, "BP p.l.c.", (), ("BP.L",)),
    CompanyName(SHELL, "Shell plc", (), ("SHEL.L",)),
    CompanyName(BT, "BT Group plc", (), ("BT.A",)),
    CompanyName(ATT2, "AT&T Inc.", (), ("T",)),
    CompanyName(THREE_I, "3i Group plc", (), ("III.L",)),
    CompanyName(G4S, "G4S plc", (), ("GFS.L",)),
    CompanyName(EASYJET, "easyJet plc", (), ("EZJ.L",)),
    CompanyName(NOVO, "Novo Nordisk A/S", (), ("NVO",)),
    CompanyName(DELTA, "Delta Air Lines, Inc.", (), ("DAL",)),
    CompanyName(BOFA, "Bank of America Corporation", (), ("BAC",)),
    CompanyName(JPM, "JPMorgan Chase & Co.", (), ("JPM",)),
    CompanyName(META, "Meta Platforms, Inc.", ("Facebook, Inc.",), ("META",)),
]


@pytest.fixture(scope="module")
def issue_linker() -> Linker:
    return Linker(ISSUE_BOOK)


def test_issue_11_named_misses_link(issue_linker: Linker) -> None:
    cases = {
        "Apple, Delta Air Lines and Bank of America reported higher quarterly profit.": {DELTA, BOFA},
        "Thyssenkrupp downgraded to junk by Moody's": {THYSSEN, MOODYS},
        "HSBC Says Profit Rose": {HSBC},
        "Drugmaker Shire Raises Forecast": {SHIRE},
        "BP and Shell said output fell; BT shares rose.": {BP, SHELL, BT},
        "AT&T said it would cut jobs. 3i reported a gain and G4S shares fell.": {ATT2, THREE_I, G4S},
        "easyJet said bookings rose.": {EASYJET},
        "Novo Nordisk A/S raised its outlook; Novo Nordisk shares jumped.": {NOVO},
        "JPMorgan shares were down 2.8% in afternoon trading.": {JPM},
        "Facebook said advertising revenue fell.": {META},
    }
    for text, want in cases.items():
        title, body = (text, "") if text.istitle() or "Says" in text else (None, text)
        assert set(linked(issue_linker.link(title, body))) == want, text


def test_legal_forms_match_whatever_their_case(issue_linker: Linker) -> None:
    """Issue 11: "plc" and "PLC" were compared by case; "A/S" was not a legal form."""
    assert linked(issue_linker.link(None, "BP PLC cut its dividend."))[BP].reason == "exact legal name 'BP PLC'"
    assert linked(issue_linker.link(None, "HSBC HOLDINGS PLC filed."))[HSBC].confidence >= 0.95
    assert NOVO in linked(issue_linker.link(None, "Novo Nordisk A/S filed its report."))


def test_short_form_needs_a_cue_and_yields_to_places(issue_linker: Linker) -> None:
    links, rejected = issue_linker.explain(None, "A novel mentions JPMorgan once.")
    assert links == [] and "context too weak" in rejected[0].reason
    links, rejected = issue_linker.explain(None, "Novo was mentioned once in a novel.")  # 'was' alone is weak
    assert links == [] and "context too weak" in rejected[0].reason
    # capitals inside a word spell a brand: a weak cue is enough for "JPMorgan", not for "Novo"
    assert set(linked(issue_linker.link(None, "JPMorgan was mentioned once in a novel."))) == {JPM}
    assert issue_linker.link(None, "He flew to Delta in May.") == []


def test_explain_view_keeps_reasons_for_links_and_rejections(issue_linker: Linker) -> None:
    links, rejected = issue_linker.explain(None, "Shell was mentioned. The shell of the building stood.")
    assert links == [] and rejected[0].name == "Shell plc"
    assert "also written in lower case" in rejected[0].reason


def test_a_reporting_period_after_a_name_is_no_part_of_it(issue_linker: Linker) -> None:
    """Headlines write "Genpact Q1 net up 28%": the period was read as the next word of a longer name."""
    book = Linker([CompanyName(1, "Genpact Ltd", (), ("G",)), CompanyName(2, "Cognizant Technology Solutions Corp",
                                                                          ("Cognizant",), ("CTSH",))])
    for text, want in (("Genpact Q1 net up 28% at $36 million", 1), ("Genpact FY15 revenue rose", 1),
                       ("Cognizant Q3 profit at $397.2 million; raises guidance", 2)):
        assert set(linked(book.link(None, text))) == {want}, text
    assert book.link(None, "Genpact Quarterly Review") == []  # a capitalised word that is no period still blocks


def test_present_tense_company_verbs_decide_short_names(issue_linker: Linker) -> None:
    assert set(linked(issue_linker.link(None, "Weaker miners push Britain's FTSE lower; BP gains"))) == {BP}
    assert issue_linker.link(None, "Weaker miners push Britain's FTSE lower; BP in focus") == []


def test_no_name_is_read_inside_a_cashtag() -> None:
    book = Linker([CompanyName(1, "CNS Inc", (), ("CNSI",)), CompanyName(2, "Cohen & Steers Inc", (), ("CNS",))])
    assert set(linked(book.link(None, "$CNS - Cohen & Steers reports January AUM of $73.3B"))) == {2}


def test_a_reuters_code_after_another_companys_name_is_that_companys() -> None:
    """A book whose ticker NIO is a fund's (tickers are reused): "Nio Inc <NIO.N>" names Nio, so
    the code is no evidence for the fund; a name sharing a word with the owner's still counts."""
    book = Linker([CompanyName(1, "Nuveen Municipal Opportunity Fund Inc", (), ("NIO",)),
                   CompanyName(2, "Wells Fargo & Company", (), ("WFC",)),
                   CompanyName(3, "International Business Machines Corp", ("IBM",), ("IBM",))])
    links, rejected = book.explain(None, "Nio Inc <NIO.N> fell 4.2% after the carmaker reported a wider loss.")
    assert links == [] and "follows the name 'Nio Inc'" in rejected[0].reason
    assert set(linked(book.link(None, "Well Fargo & Co <WFC.N> and IBM <IBM.N> reported."))) == {2, 3}


def test_index_brand_names_read_as_the_index_in_market_copy() -> None:
    book = Linker([CompanyName(1, "Dow Inc.", (), ("DOW",)), CompanyName(2, "Nasdaq, Inc.", ("Nasdaq",), ("NDAQ",))])
    for text in ("Dow up 26 points", "Wall Street mixed as Apple weighs on Nasdaq", "the Dow <.DJI> gained 2%",
                 "Nasdaq 100 futures rose", "Dow breaks through 28,000 - MaltaToday",
                 "Nasdaq tops 9000 for the first time"):
        links, rejected = book.explain(None, text)
        assert links == [] and "reads as the market index" in rejected[0].reason, text
    assert set(linked(book.link(None, "Nasdaq to settle Facebook IPO lawsuit for $26.5 million"))) == {2}
    assert set(linked(book.link(None, "Dow Inc said it would cut 2,000 jobs."))) == {1}
    assert set(linked(book.link("Dow to cut 2,000 jobs as demand slows", None))) == {1}


def test_a_fund_named_after_a_country_has_no_short_form() -> None:
    book = Linker([CompanyName(1, "Malaysia Fund Inc", (), ("MF",)),
                   CompanyName(2, "Infineon Technologies AG", (), ())])
    links, _ = book.explain(None, "Singapore stocks <.STI> rose 0.7%. Stocks in Malaysia <.KLSE> rose too.")
    assert links == []
    assert set(linked(book.link(None, "Malaysia Fund Inc said its net asset value rose."))) == {1}
    assert set(linked(book.link(None, "Infineon said its profit rose."))) == {2}  # other short forms stay


def test_a_name_inside_a_longer_european_name_is_not_linked() -> None:
    book = Linker([CompanyName(1, "Siena Technologies Inc", ("Siena",), ("STI",))])
    links, rejected = book.explain(None, "Italian bank Monte dei Paschi di Siena said its capital rose.")
    assert links == [] and "preceded by capitalised 'Paschi di'" in rejected[0].reason


def test_another_companys_legal_form_is_no_finance_cue() -> None:
    book = Linker([CompanyName(1, "Moscow Cablecom Corp", (), ("MOCC",)),
                   CompanyName(2, "Meta Platforms, Inc.", (), ())])
    links = book.link(None, 'A Moscow court labeled Meta Platforms Inc an "extremist organisation".')
    assert set(linked(links)) == {2}


# -- press short forms and the words around them (each fails on the linker before them) ---

def test_citi_is_the_short_form_of_citigroup() -> None:
    """"Citi" stands for Citigroup (a one-word name less its "group"), not Citi Trends."""
    book = Linker([CompanyName(1, "Citigroup Inc", (), ("C",)), CompanyName(2, "Citi Trends Inc", (), ("CTRN",))])
    links, _ = book.explain(None, "Infosys slips after Citi downgrades stock ahead of results")
    assert set(linked(links)) == {1} and "short form 'Citi' of 'Citigroup'" in links[0].reason
    assert Linker([CompanyName(3, "Intergroup Corporation", (), ())]).link(None, "Inter said profit rose.") == []


def test_a_short_form_followed_by_more_of_its_name_is_that_company() -> None:
    """"Regeneron Pharma", "Kratos Defense and Security": the next words were read as another name."""
    book = Linker([CompanyName(1, "Regeneron Pharmaceuticals Inc", (), ()),
                   CompanyName(2, "Kratos Defense & Security Solutions Inc", (), ()),
                   CompanyName(3, "Kratos Technology & Training Solutions Inc", (), ())])
    links, _ = book.explain(None, "Regeneron Pharma and Sanofi restructure their agreement on sales.")
    assert set(linked(links)) == {1} and "first words 'Regeneron Pharma'" in links[0].reason
    links = book.link(None, "Kratos Defense and Security awarded a $39 million contract")
    assert set(linked(links)) == {2}


def test_headline_verbs_and_possessives_decide_short_forms(issue_linker: Linker) -> None:
    assert set(linked(issue_linker.link(None, "JPMorgan shuffles CFO, other execs"))) == {JPM}
    book = Linker([CompanyName(1, "Exxon Mobil Corporation", (), ())])
    assert set(linked(book.link(None, "Exxon's interest in the pipeline was sold for $1 billion."))) == {1}
    assert book.link(None, "Exxon's name was on the sign.") == []


def test_words_around_a_short_or_everyday_name_that_make_it_another() -> None:
    book = Linker([CompanyName(1, "Philadelphia Consolidated Holding Corp", (), ()),
                   CompanyName(2, "Ambit Biosciences Corp", (), ()), CompanyName(3, "JV Group Inc", (), ()),
                   CompanyName(4, "Bank Holdings", (), ()), CompanyName(5, "Pizza Inn Holdings Inc", (), ()),
                   CompanyName(6, "Dominos Pizza Inc", ("Domino's",), ("DPZ",))])
    rejected = {r.company_id: r.reason for text in (
        "Chip stocks rose 2.9%, lifting the Philadelphia semiconductor index.", "Nikko reworks stake in Ambit Group "
        "JV to 51%.", "Indian Bank slips 8% on profit.", "Domino's Pizza <DPZ.N> said sales rose.")
        for r in book.explain(None, text)[1]}
    assert "an index named after it" in rejected[1]
    assert "followed by 'Group', another company's name" in rejected[2]
    assert "context too weak" in rejected[3]  # a capitalised "Group" mid-sentence is no role noun
    assert "preceded by 'Indian'" in rejected[4]
    assert "right after the name 'Domino's'" in rejected[5]
    assert set(linked(book.link(None, "Domino's Pizza <DPZ.N> said sales rose."))) == {6}


def test_lists_headline_sources_and_camel_case_short_forms() -> None:
    book = Linker([CompanyName(1, "Apple Inc.", ("Apple",), ()), CompanyName(2, "Microsoft Corp", (), ()),
                   CompanyName(3, "JPMorgan Chase & Co.", (), ()), CompanyName(4, "JetBlue Airways Corp", (), ()),
                   CompanyName(5, "Lithia Motors Inc", (), ())])
    links = linked(book.link(None, "Apple, Microsoft take further knock on Wall St"))
    assert "listed next to Microsoft" in links[1].reason
    assert set(linked(book.link(None, "Apple pie and Microsoft laptops were on the table."))) == {2}
    links = linked(book.link(None, "Too early to say consensus has cut India's overweight rating: JPMorgan"))
    assert "named as the source after a colon" in links[3].reason
    assert book.link(None, "JPMorgan: a history") == []  # a colon after a few words is no headline's source
    text = "Revenue at {} and its peers was up in the quarter."
    assert set(linked(book.link(None, text.format("JetBlue")))) == {4}  # spelt as no word is: like other names
    assert book.link(None, text.format("Lithia")) == []  # a plain short form keeps its one-finance-word cap


def test_headline_capitals_around_a_name_that_are_no_part_of_it() -> None:
    """A capitalised function word after a name, or an analyst's call before it, in a headline
    written in capitals; and a company verb before a name makes its object a company."""
    book = Linker([CompanyName(1, "Constellation Brands Inc", ("Constellation Brands",), ()),
                   CompanyName(2, "Uber Technologies Inc", ("Uber",), ()),
                   CompanyName(3, "Amazon.com Inc", ("Amazon",), ()), CompanyName(4, "Microsoft Corp", (), ())])
    assert set(linked(book.link(None, "Time To Reach For Constellation Brands During The Slump."))) == {1}
    assert set(linked(book.link(None, "Current Events Should Boost Markets Now; Sell Uber Before Friday."))) == {2}
    links = linked(book.link(None, "Wall Street opens flat as Microsoft offsets Amazon"))
    assert "the object of 'offsets'" in links[3].reason
    assert book.link(None, "Constellation Brands Foundation gives grants.") == []  # another name still blocks


def test_one_issuer_under_two_registrations_is_no_shared_name() -> None:
    """Two book entries with one name and one ticker are one issuer (an old and a new registrant, as
    Eaton's after its move to Ireland):
    the name links both; the same name with different tickers still needs corroboration."""
    book = Linker([CompanyName(1, "Eaton Corporation", (), ("ETN",)), CompanyName(2, "Eaton Corp PLC", (), ("ETN",)),
                   CompanyName(3, "Blackstone Inc.", ("Blackstone",), ("BX",)),
                   CompanyName(4, "Blackstone", (), ("BGB",))])
    assert set(linked(book.link(None, "Eaton said it would cut jobs."))) == {1, 2}
    links, rejected = book.explain(None, "Blackstone said it would buy the building.")
    assert links == [] and all("shared by several companies" in r.reason for r in rejected)


def test_a_one_word_name_headlines_write_in_lower_case_needs_context() -> None:
    """"Road" is a word the bundled headlines write in lower case: at a sentence's start it is no company."""
    book = Linker([CompanyName(1, "Road Inc", (), ("ROAD",))])
    links, rejected = book.explain(None, "Road shows for the listing were delayed")
    assert links == [] and "everyday words" in rejected[0].reason
    assert set(linked(book.link(None, "Road Inc said it would list its shares."))) == {1}


def test_a_sign_off_cut_short_and_an_everyday_word_before_a_noun() -> None:
    book = Linker([CompanyName(1, "Twitter, Inc.", ("Twitter",), ("TWTR",)),
                   CompanyName(2, "Capital Group Holdings Inc", (), ()),
                   CompanyName(3, "Cummins Inc.", ("Cummins",), ())])
    cut = "Airlines said costs rose. (Reporting by A. Reporter; Editing by B. Editor)  ((a.b@example.com; Twitter: "
    assert book.link(None, cut) == []  # a wire sign-off that the feed cut short before its "))"
    links, rejected = book.explain(None, "Capital goods names like Cummins to fetch returns")
    assert set(linked(links)) == {3} and "as in 'Capital goods'" in rejected[0].reason
    assert 2 in linked(book.link(None, "Rivals such as Cummins and Capital said profit rose."))


def test_a_list_of_names_reaches_a_linked_company_through_others(issue_linker: Linker) -> None:
    book = Linker([CompanyName(1, "Goldman Sachs Group Inc", (), ("GS",)), CompanyName(2, "HSBC Holdings plc", (), ()),
                   CompanyName(3, "JPMorgan Chase & Co.", (), ())])
    links = linked(book.link(None, "E-commerce boom: Goldman, CLSA, Credit Suisse, HSBC, others join hunt"))
    assert "listed next to HSBC" in links[1].reason
    assert set(linked(book.link(None, "They met Goldman at a party; HSBC is near."))) == {2}  # no list
    assert 3 in linked(book.link(None, "T-Bill volatility a warning shot to investors, says JPMorgan head Jamie Dimon"))


def test_a_world_city_is_no_short_form() -> None:
    book = Linker([CompanyName(1, "Beijing Med Pharm Corp", (), ()), CompanyName(2, "Twitter, Inc.", ("Twitter",), ())])
    text = "Some senior Twitter executives pushed for sales curbs as tensions with Beijing worsened, a president said."
    assert set(linked(book.link(None, text))) == {2}
    assert set(linked(book.link(None, "Beijing Med Pharm said its sales rose."))) == {1}


def test_a_sentence_end_or_a_participle_before_a_name_is_no_part_of_it() -> None:
    """"Russia." ends a sentence, and "Embattled" opens a phrase: neither is a longer name's first word."""
    book = Linker([CompanyName(1, "Meta Platforms, Inc.", ("Meta",), ("META",)),
                   CompanyName(2, "Boeing Co", ("Boeing",), ("BA",)), CompanyName(3, "Dial Corp", (), ())])
    assert set(linked(book.link(None, "A court upheld the ban in Russia. Meta's shares dropped 2%."))) == {1}
    assert set(linked(book.link(None, "Embattled Boeing cuts its delivery forecast"))) == {2}
    assert book.link(None, "Just Dial gains on an upgrade") == []  # "Just" is no participle: another name


def test_capitals_spelling_its_ticker_and_a_name_written_in_camel_case() -> None:
    """The SEC writes "HCA HOLDINGS", the book title-cases it: capitals that spell the company's
    ticker are its name, decided by context ("PMI" is also an index); "iRobot" is capitalised as
    its owner writes it; a name in capitals before a lower-case word is running text, not a dateline."""
    book = Linker([CompanyName(1, "Hca Holdings Inc", (), ("HCA",)), CompanyName(2, "Pmi Group Inc", (), ("PMI",)),
                   CompanyName(3, "Irobot Corporation", (), ("IRBT",)),
                   CompanyName(4, "Kayak Software Corporation", (), ("KYAK",))])
    links = linked(book.link(None, "HCA slumped 19% after a weak profit view."))
    assert set(links) == {1} and "capitals as its ticker" in links[1].reason
    assert book.link(None, "Asian shares fell after the services PMI, property drags") == []
    assert set(linked(book.link(None, "Amazon agreed to buy iRobot for $1.7 billion."))) == {3}
    assert set(linked(book.link(None, "Travel website KAYAK said searches rose 40%."))) == {4}
    assert book.link(None, "Travel news\nKAYAK, May 3 (Reuters) - Searches rose.") == []


def test_the_plural_of_an_ordinary_word_is_no_short_form() -> None:
    """"Corrections" (of Corrections Corp of America) is the word "correction" in the plural."""
    book = Linker([CompanyName(1, "Corrections Corp of America", (), ("CXW",))])
    assert book.link(None, "Corrections offer long-term investors an entry into drug stocks") == []
    assert set(linked(book.link(None, "Corrections Corp of America said profit rose."))) == {1}


def test_a_time_between_a_name_and_its_verb_an_analyst_after_it_and_a_headlines_subject() -> None:
    """"Lithia on Wednesday reported", "Stifel analyst Ben Nolan said", "Amazon: One Of The Best...":
    each a short or everyday name that the words around it make a company."""
    book = Linker([CompanyName(1, "Lithia Motors Inc", (), ("LAD",)), CompanyName(2, "Stifel Financial Corp", (), ()),
                   CompanyName(3, "Amazon.com Inc", ("Amazon",), ()), CompanyName(4, "Ford Motor Co", (), ("F",))])
    links = linked(book.link(None, "Lithia on Wednesday reported it doubled its first quarter net income."))
    assert set(links) == {1} and "'reported' after it" in links[1].reason
    assert set(linked(book.link(None, "Ford also said it would cut jobs."))) == {4}
    assert book.link(None, "They crossed the Ford on Wednesday.") == []  # no verb of a company after the time
    links = linked(book.link(None, "The rail stocks slid, Stifel analyst Ben Nolan wrote."))
    assert set(links) == {2} and "'analyst' after it" in links[2].reason
    # an economist's or analyst's firm is named after them; the words nearby say nothing of a place
    assert book.link(None, "said an economist at Stifel in Lithia, Florida.") == []
    links = linked(book.link(None, "Markets\n- Amazon: One Of The Best Long-Term Investments In The Sector."))
    assert set(links) == {3} and "the headline's subject before a colon" in links[3].reason
    links = linked(book.link(None, "- Amazon:\u00a0One Of The Best Long-Term Investments"))  # a no-break space
    assert set(links) == {3} and "the headline's subject before a colon" in links[3].reason
    assert book.link(None, "Shares rose. Amazon: the river's forests burn.") == []  # not a line's start
    assert book.link(None, "Amazon: a river and its forests") == []  # a lower-case word after the colon


def test_the_word_right_before_a_name_counts_as_a_finance_word_when_it_is_no_cue() -> None:
    """"During the quarter, JPMorgan maintained ...": "quarter" was dropped as if it were the cue before it."""
    book = Linker([CompanyName(1, "JPMorgan Chase & Co.", (), ("JPM",)),
                   CompanyName(2, "Goldman Sachs Group Inc", ("Goldman Sachs",), ("GS",))])
    text = ("During the quarter, JPMorgan maintained its position as the second-biggest provider of "
            "advisory after Goldman Sachs.")
    links = linked(book.link(None, text))
    assert set(links) == {1, 2} and "finance words nearby (quarter)" in links[1].reason


def test_a_short_form_with_capitals_inside_a_word_needs_less_context_unless_it_spells_a_surname() -> None:
    """"JetBlue" spells a brand: one finance word nearby decides it; "McCormick" also spells a person."""
    book = Linker([CompanyName(1, "JetBlue Airways Corp", (), ("JBLU",)),
                   CompanyName(2, "McCormick Spice Corp", (), ())])
    text = "The analyst said that growing would also allow {} to attract pilots."
    links = linked(book.link(None, text.format("JetBlue")))
    assert set(links) == {1} and "finance words nearby (analyst, said)" in links[1].reason
    assert book.link(None, text.format("McCormick")) == []


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


def test_a_code_written_right_after_a_name_with_no_space_is_checked_against_that_name() -> None:
    """Wire titles write "PUROLATOR<PCC>": the code follows the name Purolator, so it is not the
    book's PMC Commercial Trust, which holds PCC today; "DANAHER<DHR>" is still Danaher's."""
    pmc, danaher = 1, 2
    linker = Linker([CompanyName(pmc, "PMC Commercial Trust", (), ("PCC",)),
                     CompanyName(danaher, "Danaher Corporation", (), ("DHR",))])
    assert linked(linker.link("UNICORP CANADA CUTS PUROLATOR<PCC> STAKE", "")) == {}
    assert set(linked(linker.link("DANAHER<DHR> EXPECTS EARNINGS INCREASE", ""))) == {danaher}


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


def test_capitals_that_spell_the_ticker_but_for_a_hyphen_are_the_name() -> None:
    """The SEC writes II-VI as "Ii-vi Inc": "II-VI EPS in-line" spells its ticker IIVI, so it is
    the company as its owner writes it, not a dateline in capitals."""
    ii_vi = 1
    linker = Linker([CompanyName(ii_vi, "Ii-vi Inc", (), ("IIVI",))])
    assert set(linked(linker.link(None, "Markets\n  - II-VI EPS in-line, beats on revenue"))) == {ii_vi}
