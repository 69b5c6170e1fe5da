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
