"""Tagging of news documents: sentiment, themes and ISIC industries (mi.analysis).

The example sentences are written for these tests; nothing here reads the evaluation
sets kept outside the project.
"""
from __future__ import annotations

import dataclasses

import pytest

from mi.analysis.industries import (
    ISIC_SECTIONS,
    explain_industries,
    industries_version,
    tag_industries,
    tag_industries_batch,
)
from mi.analysis.keyword_rules import compile_rules
from mi.analysis.keyword_scoring import evidence, tag
from mi.analysis.sentiment import (
    Sentiment,
    classify_article_sentiment,
    classify_sentiment,
    explain_sentiment,
    sentiment_version,
    training_rows,
)
from mi.analysis.themes import THEMES, explain_themes, tag_themes, tag_themes_batch, themes_version

POSITIVE = [
    "Acme shares jump after quarterly profit beats estimates and the company raises guidance",
    "Northwind upgraded to buy at Lakeside Securities, price target raised to $80 from $60",
    "Globex posts record revenue as demand for its cloud services surges",
]
NEGATIVE = [
    "Acme shares plunge after the company cuts guidance and misses estimates",
    "Moody's downgrades Initech to junk as losses widen",
    "Globex warns of weak demand, announces layoffs; shares -7%",
]
NEUTRAL = [
    "Acme to hold its annual shareholder meeting on May 5",
    "Initech appoints a new chief financial officer",
    "Globex will publish its third-quarter report on October 24",
]


# --- sentiment ---------------------------------------------------------------------


@pytest.mark.parametrize("text", POSITIVE)
def test_clear_good_news_is_positive(text: str) -> None:
    result = classify_sentiment([text])[0]
    assert result.label == "positive"
    assert result.score > 0


@pytest.mark.parametrize("text", NEGATIVE)
def test_clear_bad_news_is_negative(text: str) -> None:
    result = classify_sentiment([text])[0]
    assert result.label == "negative"
    assert result.score < 0


@pytest.mark.parametrize("text", NEUTRAL)
def test_announcements_without_news_value_are_neutral(text: str) -> None:
    assert classify_sentiment([text])[0].label == "neutral"


# Written the way wire copy and analysts write (issue 11: "retail sales rise more than
# expected" read negative when the model knew only tweets and headlines).
WIRE_STYLE = [
    ("US retail sales rise more than expected in October", "positive"),
    ("Net sales of the packaging unit increased by 12% to EUR 310 million.", "positive"),
    ("The company swung to a profit in the third quarter after a loss a year earlier.", "positive"),
    ("Operating profit decreased to EUR 3.1 million from EUR 4.5 million.", "negative"),
    ("The insurer's quarterly loss widened as storm claims rose.", "negative"),
    ("The board will meet in Helsinki on 14 March to discuss the annual accounts.", "neutral"),
]


@pytest.mark.parametrize(("text", "label"), WIRE_STYLE)
def test_wire_and_analyst_style_sentences(text: str, label: str) -> None:
    assert classify_sentiment([text])[0].label == label


def test_the_model_trains_on_headlines_and_finentity_sentences() -> None:
    headlines = training_rows(("data/sentiment_train.csv",))
    sentences = training_rows(("data/sentiment_finentity.csv",))
    assert len(training_rows()) == len(headlines) + len(sentences)
    assert len(sentences) > 1000 and {label for _, label in sentences} == {0, 1, 2}


def test_scores_are_in_range_and_agree_with_labels() -> None:
    for result in classify_sentiment(POSITIVE + NEGATIVE + NEUTRAL):
        assert -1.0 <= result.score <= 1.0
        assert result.label in {"positive", "negative", "neutral"}
        if result.label == "positive":
            assert result.score > 0
        elif result.label == "negative":
            assert result.score < 0
        else:
            # the neutral class is the most probable, so neither side can exceed one half
            assert abs(result.score) <= 0.5


def test_batch_gives_the_same_results_as_one_at_a_time() -> None:
    texts = POSITIVE + NEGATIVE + NEUTRAL
    assert classify_sentiment(texts) == [classify_sentiment([t])[0] for t in texts]


def test_empty_text_is_neutral() -> None:
    assert classify_sentiment(["", "   "]) == [Sentiment("neutral", 0.0), Sentiment("neutral", 0.0)]
    assert classify_sentiment([]) == []


def test_sentiment_is_a_frozen_value() -> None:
    result = classify_sentiment(["Acme beats estimates"])[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.label = "negative"  # type: ignore[misc]


def test_long_articles_are_judged_on_title_and_lead() -> None:
    body = (
        "Acme Corp said on Tuesday that its first-quarter net profit rose to $1.2 billion from "
        "$850 million, well above analysts' estimates. Revenue climbed 12% on strong demand. "
        "The company also raised its full-year outlook and increased its dividend. "
        "Later in the call, executives discussed the weather, the new office and the history "
        "of the firm at some length, none of which moved the shares. " * 3
    )
    assert len(body) > 1000
    title_and_body = classify_article_sentiment([("Acme profit jumps, beats estimates", body)])[0]
    assert title_and_body.label == "positive"
    assert classify_sentiment([body])[0].label == "positive"
    assert classify_article_sentiment([(None, ""), ("", "")]) == [Sentiment("neutral", 0.0)] * 2


def test_explanation_names_the_finance_cues() -> None:
    explanation = explain_sentiment("Acme shares fell 8% after the company cut guidance")
    assert explanation.sentiment.label == "negative"
    phrases = {cue.phrase for cue in explanation.cues}
    assert {"fell", "cut guidance"} <= phrases
    assert all(cue.polarity < 0 for cue in explanation.cues)


def test_explanation_marks_negated_cues_and_figure_moves() -> None:
    explanation = explain_sentiment("Acme did not beat estimates; price target cut to $40 from $55")
    beat = next(cue for cue in explanation.cues if cue.phrase.startswith("beat"))
    assert beat.negated and beat.polarity < 0
    assert explanation.figure_moves == (-1,)


def test_versions_fit_the_warehouse_column() -> None:
    combined = f"{sentiment_version()}-t{themes_version()}-i{industries_version()}"
    assert combined.startswith("svm")
    assert len(combined) <= 20  # document_analysis.tagger_version is String(20)


# --- themes ------------------------------------------------------------------------

THEME_CASES = [
    ("Acme agrees to acquire Beta Systems for $2 billion", "The merger is expected to close next year.", "m_and_a"),
    ("Initech first-quarter net profit rises 12%", "Earnings per share were 45 cents and revenue rose 8%.", "earnings"),
    ("Dollar falls against the yen", "The currency slid after the finance ministry hinted at intervention.", "fx"),
    ("Central bank raises interest rates", "The policy rate rises by 25 basis points to 4.5%.", "rates"),
    ("Washington imposes new tariffs on steel imports", "Trading partners threatened retaliation.", "trade_policy"),
    ("Oil prices climb as OPEC keeps output curbs", "Brent crude rose to $85 a barrel.", "commodities"),
    ("Stock markets rally", "The S&P 500 and the Nasdaq closed at records as equities extended gains.", "equities"),
    ("Moody's cuts Globex credit rating to junk", "The rating agency cited the company's debt load.", "credit"),
    ("Regulator fines bank over money laundering failures", "The regulator said compliance was weak.", "regulation"),
    ("Economy grows faster than expected", "GDP rose 0.8% while inflation and unemployment fell.", "macro"),
]


@pytest.mark.parametrize(("title", "text", "theme"), THEME_CASES)
def test_clear_stories_get_their_theme(title: str, text: str, theme: str) -> None:
    assert theme in tag_themes(title, text)


def test_unrelated_text_gets_no_theme() -> None:
    assert tag_themes("Spring arrives early", "The garden flowers bloomed and the weather stayed mild.") == []


def test_themes_stay_within_the_vocabulary() -> None:
    for title, text, _ in THEME_CASES:
        assert set(tag_themes(title, text)) <= set(THEMES)


def test_theme_batch_matches_single_calls() -> None:
    docs = [(title, text) for title, text, _ in THEME_CASES] + [(None, "")]
    assert tag_themes_batch(docs) == [tag_themes(title, text) for title, text in docs]


def test_a_passing_mention_does_not_tag_a_theme() -> None:
    text = (
        "Initech reported quarterly net profit of $120 million, or 40 cents a share, on revenue "
        "of $2.1 billion. Operating profit rose and the dividend was raised. Margins improved in "
        "every division and the results beat estimates. Net income for the full year is expected "
        "to grow. Separately, the company repeated that it completed an acquisition last year."
    )
    tags = tag_themes("Initech quarterly results beat estimates", text)
    assert tags[0] == "earnings"
    assert "m_and_a" not in tags


def test_theme_explanation_contains_the_matched_phrase() -> None:
    evidence_by_theme = {e.label: e for e in explain_themes("Acme agrees to acquire Beta Systems", "")}
    m_and_a = evidence_by_theme["m_and_a"]
    assert m_and_a.tagged
    assert "to acquire" in m_and_a.terms()
    assert m_and_a.score >= m_and_a.threshold


# --- industries --------------------------------------------------------------------

INDUSTRY_CASES = [
    ("Oil prices rise as OPEC cuts crude output", "Brent crude climbed to $85 a barrel.", "B"),
    ("Wheat harvest to fall after drought", "Farmers expect the smallest grain crop in a decade.", "A"),
    ("Port workers strike halts cargo handling", "Dozens of ships and tankers wait outside the port.", "H"),
    ("Insurers and banks face new capital rules", "Lenders and insurers must hold more capital.", "K"),
    ("Utility plans new power plants", "The electricity supplier will build two power stations.", "D"),
    ("Homebuilder shares rise", "The housebuilder said construction industry orders grew.", "F"),
    ("Hotel group adds 40 hotels", "Restaurants and hotels reported record occupancy.", "I"),
    ("Telecom operator expands broadband network", "The telecoms group will sell broadband to 2 million homes.", "J"),
]


@pytest.mark.parametrize(("title", "text", "section"), INDUSTRY_CASES)
def test_clear_stories_get_their_isic_section(title: str, text: str, section: str) -> None:
    assert section in tag_industries(title, text)


def test_unrelated_text_gets_no_industry() -> None:
    assert tag_industries("Spring arrives early", "The garden flowers bloomed and the weather stayed mild.") == []


def test_sections_are_isic_letters() -> None:
    for title, text, _ in INDUSTRY_CASES:
        assert set(tag_industries(title, text)) <= set(ISIC_SECTIONS)


def test_longest_phrase_wins_palm_oil_is_agriculture_not_petroleum() -> None:
    tags = tag_industries("Palm oil exports rise", "Crude palm oil and soybean oil shipments from plantations grew.")
    assert "A" in tags
    assert "B" not in tags


def test_words_are_matched_whole() -> None:
    # "ore" (mining) must not match inside "more", nor "port" inside "support"
    found = {e.section for e in explain_industries("More support", "More and more stores report support.")}
    assert "B" not in found
    assert "H" not in found


def test_industry_word_in_a_company_name_does_not_tag_the_story() -> None:
    assert "B" not in tag_industries("Northern Gold Mines Ltd names new chairman", "")


def test_hints_are_respected() -> None:
    text = "The company named a new chief executive on Monday."
    assert tag_industries(None, text) == []
    assert tag_industries(None, text, hints=["K"]) == ["K"]
    assert tag_industries(None, text, hints=["Shipping"]) == ["H"]
    assert tag_industries(None, text, hints=["k", " Z ", "unknown sector"]) == ["K"]
    # hinted sections come first, then those found in the text
    assert tag_industries("Oil prices rise as OPEC cuts crude output", "", hints=["K"]) == ["K", "B"]


def test_industry_batch_matches_single_calls_and_checks_hint_count() -> None:
    docs = [(title, text) for title, text, _ in INDUSTRY_CASES]
    hints = [["K"] if i % 2 else [] for i in range(len(docs))]
    expected = [tag_industries(title, text, h) for (title, text), h in zip(docs, hints, strict=True)]
    assert tag_industries_batch(docs, hints) == expected
    with pytest.raises(ValueError):
        tag_industries_batch(docs, hints[:-1])


def test_industry_explanation_contains_terms_and_hints() -> None:
    found = {e.section: e for e in explain_industries("Oil prices rise as OPEC cuts crude output", "", hints=["H"])}
    oil = found["B"]
    assert oil.tagged and oil.name == "Mining and quarrying"
    assert oil.keywords is not None
    assert {"opec", "crude"} <= set(oil.keywords.terms())
    assert found["H"].hints == ("H",) and found["H"].keywords is None


# --- the rule engine on a small rule file ----------------------------------------------

_RULES = compile_rules(
    {
        "threshold": 3,
        "title_weight": 2,
        "company_suffixes": ["inc"],
        "labels": {
            "ships": {"terms": {"tanker(s)": 2, "port": 1, "<num> tonnes": 0}},
            "fx": {"terms": {"devalu*": 3, "tonnes": 5}},
            "farm": {"terms": {"palm oil": 2}, "threshold": 2},
            "oil": {"terms": {"oil": 3}},
        },
    }
)


def test_rule_engine_plurals_prefixes_and_thresholds() -> None:
    assert tag(_RULES, "Tankers queue", "") == ["ships"]  # plural form, title counts double
    assert tag(_RULES, None, "A tanker waited.") == []  # 2 points, below 3
    assert tag(_RULES, None, "The peso was devalued overnight.") == ["fx"]


def test_rule_engine_longest_phrase_and_numbers() -> None:
    assert tag(_RULES, None, "Palm oil output rose.") == ["farm"]  # "oil" is not read on its own
    found = {e.label for e in evidence(_RULES, None, "Loaded 500 tonnes at the port.")}
    assert "fx" not in found  # "500 tonnes" is a quantity (weight 0), not the word "tonnes"


def test_rule_engine_skips_company_names() -> None:
    assert tag(_RULES, "Oil Inc elects directors", "") == []
    assert tag(_RULES, "Oil output rises", "") == ["oil"]


def test_rule_engine_refuses_a_spelling_written_twice() -> None:
    with pytest.raises(ValueError):
        compile_rules({"labels": {"a": {"terms": {"bank(s)": 1}}, "b": {"terms": {"banks": 1}}}})
