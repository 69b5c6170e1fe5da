"""Chinese channels end to end (issue 13): real Chinese payloads served on loopback in the
encodings Chinese publishers use land with their language, tags, tone and links.

Payloads: the sample Chinese wires (real MIT headlines, snapshot/news/SOURCE.md) as sent
in GB18030, re-encoded in GB2312, and in Big5 with traditional characters; a GBK article
page built from the same headlines; the Shibor history (snapshot/market/SOURCE.md).
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from sqlalchemy import Engine, func, select

from mi.records.channels import ChannelConfig
from mi.refining.documents import analyse_documents, pending_document_ranges
from mi.refining.entities import build_linker, link_pending
from mi.refining.events import group_new_documents
from mi.sources.config import load_channels
from mi.warehouse.analysis import DocumentAnalysis, DocumentEntity
from mi.warehouse.book import Company
from mi.warehouse.models import Channel, Document, Observation, Series
from tests.helpers import gather_all
from tests.loopback import RecordedSite

ROOT = Path(__file__).parent.parent
SNAPSHOT = ROOT / "snapshot"
MORNING = dt.datetime(2026, 11, 27, 5, 0, tzinfo=dt.timezone.utc)
BOOK = ("bank-relationship-managers", "bank-customers", "bank-coverage")
# An article page as a mainland portal serves it: GBK bytes, the charset in a meta tag only.
GBK_PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">
<title>工商银行去年净利润2791亿 多家公司发布年报</title></head><body><article>
<h1>工商银行去年净利润2791亿 多家公司发布年报</h1>
<p>工商银行(601398)发布年报，去年净利润2791亿元，同比增长。银行板块下半年或继续冲高，工行股价创9年来新高。</p>
<p>标普将中国20家国企展望降至负面，中石化由稳定下调至负面。美股持续暴跌，创平安夜最差表现。</p>
</article></body></html>"""


def _serve(site: RecordedSite) -> list[ChannelConfig]:
    gb18030 = (SNAPSHOT / "news" / "cn-finance-wire.xml").read_bytes()
    text = gb18030.decode("gb18030").replace('encoding="GB18030"', 'encoding="gb2312"')
    gb2312 = text.encode("gb2312", errors="xmlcharrefreplace")
    site.serve("/cn.xml", gb18030, content_type="application/rss+xml")  # the prolog alone names the encoding
    site.serve("/cn-gb2312.xml", gb2312, content_type="application/xml; charset=gb2312")
    site.serve("/hk.xml", (SNAPSHOT / "news" / "hk-finance-wire.xml").read_bytes(), content_type="text/xml; charset=big5")
    site.serve("/page.html", GBK_PAGE.encode("gbk"), content_type="text/html")
    site.serve("/shibor.csv", (SNAPSHOT / "market" / "shibor-daily.csv").read_bytes(), content_type="text/csv")
    shibor = next(c for c in load_channels(SNAPSHOT / "market" / "channels.zh.fragment.yaml")
                  if c.name == "cn-shibor-daily")
    book = [c for c in load_channels(SNAPSHOT / "bank" / "channels.fragment.yaml") if c.name in BOOK]
    return [*book,
            ChannelConfig("cn-wire", "feed", (site.url("/cn.xml"),)),
            ChannelConfig("cn-wire-gb2312", "feed", (site.url("/cn-gb2312.xml"),)),
            ChannelConfig("hk-wire", "feed", (site.url("/hk.xml"),)),
            ChannelConfig("cn-page", "page", (site.url("/page.html"),)),
            ChannelConfig(shibor.name, shibor.kind, (site.url("/shibor.csv"),), options=shibor.options)]


def _refine(engine: Engine) -> None:
    for ids in pending_document_ranges(engine):
        analyse_documents(engine, ids, MORNING)
    group_new_documents(engine)
    link_pending(engine, build_linker(engine))


def _documents(engine: Engine) -> dict[tuple[str, str], dict]:
    with engine.connect() as conn:
        rows = conn.execute(select(Document.id, Document.title, Document.language, Channel.name.label("channel"),
                                   DocumentAnalysis.themes, DocumentAnalysis.industries, DocumentAnalysis.event_id,
                                   DocumentAnalysis.sentiment_label)
                            .join(Channel, Channel.id == Document.channel_id)
                            .join(DocumentAnalysis, DocumentAnalysis.document_id == Document.id)).all()
        links = conn.execute(select(DocumentEntity.document_id, Company.name, DocumentEntity.mention,
                                    DocumentEntity.reason, DocumentEntity.tone)
                             .join(Company, Company.id == DocumentEntity.company_id)).all()
    by_doc: dict[int, dict[str, tuple[str, str, str]]] = {}
    for link in links:
        by_doc.setdefault(link.document_id, {})[link.name] = (link.mention, link.reason, link.tone)
    return {(r.channel, re.sub(r"\s+", " ", r.title or "")): {**r._asdict(), "links": by_doc.get(r.id, {})}
            for r in rows}


def test_chinese_wires_and_page_land_with_language_tags_tone_and_links(engine: Engine, site: RecordedSite) -> None:
    results = gather_all(engine, *_serve(site), now=MORNING)
    assert all(r.status == "ok" and not r.problems for r in results), [(r.channel, r.problems) for r in results]
    _refine(engine)
    docs = _documents(engine)
    wire = {title: d for (channel, title), d in docs.items() if channel == "cn-wire"}
    assert len(wire) == 41 and {d["language"] for d in wire.values()} == {"zh-Hans"}
    # GB2312 (declared in the header) reads the same titles as GB18030 (declared in the prolog)
    assert {t for (c, t) in docs if c == "cn-wire-gb2312"} == set(wire)
    hk = {title: d for (channel, title), d in docs.items() if channel == "hk-wire"}
    assert len(hk) == 14 and {d["language"] for d in hk.values()} == {"zh-Hant"}

    icbc = wire["工行股价创9年来新高 银行板块下半年或继续冲高"]
    assert icbc["links"]["中国工商银行股份有限公司"][2] == "positive"
    assert "工行" in icbc["links"]["中国工商银行股份有限公司"][1] and "equities" in icbc["themes"]
    sinopec = wire["标普将中国20家国企展望降至负面 中石化由稳定下调至负面"]
    assert sinopec["links"]["中国石油化工股份有限公司"][2] == "negative" and sinopec["sentiment_label"] == "negative"
    earnings = wire["工商银行去年净利润2791亿 多家公司发布年报"]
    assert "earnings" in earnings["themes"]
    assert wire["化工行业逾八成公司预喜"]["industries"] == ["C"]  # GB/T C (制造业) is ISIC C
    rates = wire["加央行维持利率不变 但警告加元走强或拖累经济"]
    assert "rates" in rates["themes"] and rates["links"] == {}
    # 中建 (China State Construction) is not read inside 中建投信托, a trust company
    assert wire["信托一个月三起高管变更 这回轮到中建投信托"]["links"] == {}

    # a traditional copy of a mainland story is linked through the simplified name and joins its event
    repeat = hk["終於動底倉了？大家人壽一年多來首度減持招商銀行 陸續套現超11億元"]
    original = wire["终于动底仓了？大家人寿一年多来首度减持招商银行 陆续套现超11亿元"]
    assert set(repeat["links"]) == set(original["links"]) == {"招商银行股份有限公司"}
    assert repeat["event_id"] == original["event_id"]

    page = next(d for (c, _), d in docs.items() if c == "cn-page")
    assert page["language"] == "zh-Hans" and "earnings" in page["themes"]
    assert set(page["links"]) == {"中国工商银行股份有限公司", "中国石油化工股份有限公司"}  # not 平安 in 平安夜


def test_shibor_csv_lands_every_tenor(engine: Engine, site: RecordedSite) -> None:
    results = gather_all(engine, *_serve(site)[-1:], now=MORNING)
    assert results[0].status == "ok" and not results[0].problems
    with engine.connect() as conn:
        counts = dict(conn.execute(select(Series.key, func.count()).join(Observation, Observation.series_id == Series.id)
                                   .group_by(Series.key)).all())
        overnight = conn.execute(select(Observation.value).join(Series, Series.id == Observation.series_id)
                                 .where(Series.key == "cn.shibor.on", Observation.date == dt.date(2012, 1, 5))
                                 ).scalar_one()
    assert set(counts) == {f"cn.shibor.{t}" for t in ("on", "1w", "2w", "1m", "3m", "6m", "9m", "1y")}
    assert min(counts.values()) > 2_500  # daily, 2012-01-04 to 2022-06-15
    assert float(overnight) == 4.0
