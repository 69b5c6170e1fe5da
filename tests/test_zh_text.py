"""Chinese text pieces (issue 13): script detection, codes, keyword rules on word
boundaries, tone with negation and per company, dedupe across scripts."""
from __future__ import annotations

import datetime as dt

import pytest

from mi.analysis.dedupe import DedupeItem, group_duplicates
from mi.analysis.language import chinese_variant, detect_language
from mi.analysis.zh_codes import book_code_keys, code_mentions
from mi.analysis.zh_linking import legal_base
from mi.analysis.zh_tags import tag_zh_industries, tag_zh_themes, zh_sections_for_hint
from mi.analysis.zh_text import char_shingles, looks_chinese, to_simplified
from mi.analysis.zh_tone import explain_zh_tone, zh_document_tone, zh_entity_tone

# Real headlines of the sample wires (MIT, snapshot/news/SOURCE.md).
SIMPLIFIED = "标普将中国20家国企展望降至负面  中石化由稳定下调至负面"
TRADITIONAL = "標普將中國20家國企展望降至負面  中石化由穩定下調至負面"


def test_a_short_chinese_headline_is_chinese_and_its_script_is_told() -> None:
    assert detect_language("中石化与俄石油签署协议", None) == "zh-Hans"  # 10 characters: langid would not decide
    assert detect_language(TRADITIONAL, None) == "zh-Hant"
    assert detect_language("東京株式市場で日経平均株価が反落した", None) not in ("zh-Hans", "zh-Hant")  # kana: Japanese
    assert not looks_chinese("A股 up 3%")
    assert chinese_variant("zh", TRADITIONAL, None) == "zh-Hant" and chinese_variant("de", "Text", None) == "de"
    assert to_simplified(TRADITIONAL) == SIMPLIFIED


@pytest.mark.parametrize(("ticker", "key"), [("601398.SH", ("A", "601398")), ("SH601398", ("A", "601398")),
                                             ("601398.SS", ("A", "601398")), ("1398.HK", ("HK", "1398")),
                                             ("01398.HK", ("HK", "1398")), ("AAPL", None)])
def test_book_tickers_in_every_common_form_have_one_key(ticker: str, key: tuple[str, str] | None) -> None:
    assert book_code_keys(ticker) == ({key} if key else set())


def test_codes_are_found_in_text_but_not_bare_numbers() -> None:
    found = {m.key: m.qualified for m in code_mentions(
        "工商银行(601398)与sh600036、02318.HK同涨；成交额601398万元不算代码，太阳能（000591）也涨")}
    assert found == {("A", "601398"): False, ("A", "600036"): True, ("HK", "2318"): True, ("A", "000591"): False}


def test_legal_forms_come_off_a_chinese_name() -> None:
    assert legal_base("中国工商银行股份有限公司") == "中国工商银行"
    assert legal_base("中国平安保险(集团)股份有限公司") == "中国平安保险"


def test_themes_and_industries_from_chinese_words_on_word_boundaries() -> None:
    assert tag_zh_themes("央行下调存款准备金率 人民币汇率走强", "") == ["rates", "fx"]
    assert tag_zh_themes("化工行业逾八成公司预喜", "") == []
    assert tag_zh_industries("化工行业逾八成公司预喜", "") == ["C"]  # GB/T C -> ISIC C
    assert tag_zh_industries("楼市回暖 房企销售面积增长", "") == ["L"]  # GB/T K (房地产业) -> ISIC L
    assert tag_zh_industries("", "", hints=["房地产", "银行"]) == ["L", "K"]
    assert zh_sections_for_hint("建筑业") == ("F",)  # GB/T E -> ISIC F


def test_tone_reads_cues_with_negation_and_per_company_clause() -> None:
    assert zh_document_tone(SIMPLIFIED, "").label == "negative"
    assert zh_document_tone("茅台股价创新高", "").label == "positive"
    sentiment, words = explain_zh_tone("公司业绩未能增长")
    assert sentiment.label == "negative" and [w.negated for w in words if w.word == "增长"] == [True]
    text = "汽车板块分化，比亚迪涨停，长城汽车跌超5%。"
    assert zh_entity_tone(None, text, ("比亚迪",)).label == "positive"
    assert zh_entity_tone(None, text, ("长城汽车",)).label == "negative"
    # a tone word inside a known name is part of the name, not tone
    assert zh_document_tone("华夏幸福发布公告", "", frozenset({"华夏幸福"})).label == "neutral"


@pytest.mark.parametrize(("text", "label"), [
    ("公司上半年亏损收窄", "positive"),  # a fall of a bad quantity is good
    ("出口降幅扩大", "negative"),
    ("英国6月通胀率飙升至9.4%", "negative"),
    ("工业增加值由增长2%转为下降1.6%", "negative"),  # only what it turned into counts
    ("工业增加值由下降2%转为增长1.6%", "positive"),
    ("早盘冲击涨停失败", "negative"),  # a failure word flips the word before it
    ("开盘大涨，但收盘大跌。", "negative"),  # after a contrast the earlier words weigh half
    ("非制造业商务活动指数回升", "positive"),  # 非 here is a prefix, not a negator
    ("两市涨跌互现", "neutral"),
    ("京山轻机5板", "positive"),  # limit-up closes in a row
])
def test_tone_reads_words_in_their_context(text: str, label: str) -> None:
    assert zh_document_tone(text, "").label == label


def test_entity_tone_reads_past_a_clause_without_tone() -> None:
    # the company's clause says nothing: the clauses after it do
    text = "德方纳米公告，预计上半年净利润同比增长50%。宁德时代维持原判。"
    assert zh_entity_tone(None, text, ("德方纳米",)).label == "positive"
    # a quantity named in an earlier clause of the sentence signs 扩大/收窄 after it
    stats = "与上月相比，4个省份降幅收窄；福建、河北分别收窄2.5和1.3个百分点。"
    assert zh_entity_tone(None, stats, ("福建",)).label == "positive"
    assert zh_entity_tone(None, stats.replace("收窄", "扩大"), ("福建",)).label == "negative"
    # "降幅较大的" picks out which provinces: their 下降 is still a fall
    assert zh_entity_tone(None, "降幅较大的天津、辽宁分别下降15.2%和7.4%。", ("辽宁",)).label == "negative"


def test_entity_tone_needs_a_cue_and_reads_names_as_names() -> None:
    # words only a dictionary weighs (完成, 高级) lean, but make no tone of their own
    plain = "东方电气完成高级管理人员备案变更。"
    assert zh_entity_tone(None, plain, ("东方电气",)).label == "neutral"
    assert zh_entity_tone(None, plain.replace("。", "，股价涨停。"), ("东方电气",)).label == "positive"
    # 通过 is mostly "by way of"; it weighs only when something passed
    assert zh_entity_tone(None, "恒瑞医药拟通过子公司收购一家药企。", ("恒瑞医药",)).label == "neutral"
    assert zh_entity_tone(None, "恒瑞医药回购议案经股东大会审议通过。", ("恒瑞医药",)).label == "positive"
    # a name of the book is no tone word (吉利 is "lucky" in the dictionaries)
    assert "吉利" in [w.word for w in explain_zh_tone("吉利发布新车型")[1]]
    assert "吉利" not in [w.word for w in explain_zh_tone("吉利发布新车型", frozenset({"吉利"}))[1]]
    # flat is no change
    assert zh_entity_tone(None, "与上月相比，四川、新疆增速持平。", ("四川",)).label == "neutral"


def test_entity_tone_where_mentions_cancel_and_turns_joined_by_jieba() -> None:
    up_first = "10月，社会消费品零售总额同比增长4.3%。1—10月，社会消费品零售总额同比下降5.9%。"
    down_first = "1—10月，社会消费品零售总额同比下降5.9%。10月，社会消费品零售总额同比增长4.3%。"
    assert zh_entity_tone(None, up_first, ("社会消费品零售总额",)).label == "positive"
    assert zh_entity_tone(None, down_first, ("社会消费品零售总额",)).label == "negative"
    # jieba cuts 由前 as one word; the state it turned from still says nothing
    _, words = explain_zh_tone("利润增速由前三季度的下降2.4%转为增长0.7%")
    assert [w.weight for w in words if w.word == "下降"] == [0.0]


def test_phrases_jieba_keeps_whole_are_read_by_the_cue_they_end_in() -> None:
    # 经济衰退 is one jieba word that only a dictionary weighs lightly; it ends in the cue 衰退
    _, words = explain_zh_tone("市场担心欧洲经济衰退")
    assert [w.weight for w in words if w.word == "经济衰退"] == [-2.0]
    # 负增长 ends in 增长 but is no growth
    assert all(w.weight <= 0 for w in explain_zh_tone("一季度GDP负增长")[1])
    assert zh_document_tone("一季度GDP负增长", "").label != "positive"


def test_a_move_glued_to_an_unknown_name_is_read_after_the_name() -> None:
    # jieba's HMM cuts 铝涨 and 锡跌 out of names it does not know; the move is each metal's own
    text = "有色金属多数收跌，沪锡跌2.09%，沪铝涨0.08%。"
    assert zh_entity_tone(None, text, ("沪铝",)).label == "positive"
    assert zh_entity_tone(None, text, ("沪锡",)).label == "negative"
    # 撤销 and 解除 undo what follows them
    assert zh_entity_tone(None, "*ST华塑：撤销退市风险警示", ("*ST华塑",)).label != "negative"


def test_entity_tone_reads_on_only_up_to_another_company_of_the_book() -> None:
    text = "宁德时代公告，比亚迪涨停，长城汽车跌停。"
    book = frozenset({"宁德时代", "比亚迪", "长城汽车"})
    assert zh_entity_tone(None, text, ("宁德时代",)).label == "positive"  # no book: reads on into 涨停
    assert zh_entity_tone(None, text, ("宁德时代",), book).label == "neutral"
    assert zh_entity_tone(None, text, ("比亚迪",), book).label == "positive"


def test_a_traditional_copy_of_a_simplified_story_is_its_duplicate() -> None:
    when = dt.datetime(2026, 11, 27, tzinfo=dt.timezone.utc)
    items = [DedupeItem(1, SIMPLIFIED, "", when, "cn-wire"), DedupeItem(2, TRADITIONAL, "", when, "hk-wire"),
             DedupeItem(3, "中石化与俄石油签署协议", "", when, "cn-wire")]
    groups = [g.doc_ids for g in group_duplicates(items) if len(g.doc_ids) > 1]
    assert groups == [(1, 2)]
    assert char_shingles(SIMPLIFIED) == char_shingles(TRADITIONAL)
