"""Briefs built by hand for the rendering tests: every section filled with a realistic item,
in English and in Chinese, plus a hostile one whose texts and links try to break out."""
from __future__ import annotations

import datetime as dt

from mi.records.briefs import Brief, BriefItem, Link, Move

UTC = dt.timezone.utc
PERIOD = dt.date(2026, 3, 4)
WINDOW = (dt.datetime(2026, 3, 3, 5, 30, tzinfo=UTC), dt.datetime(2026, 3, 4, 5, 30, tzinfo=UTC))


def usd_cny() -> Move:
    """Twenty trading days of USD/CNY with the forecast band for the next days."""
    values = [7.1012, 7.1050, 7.1101, 7.1093, 7.1150, 7.1204, 7.1188, 7.1232, 7.1275, 7.1301,
              7.1290, 7.1345, 7.1398, 7.1420, 7.1415, 7.1480, 7.1523, 7.1577, 7.1602, 7.1688]
    days = [dt.date(2026, 2, 5) + dt.timedelta(days=i) for i in range(len(values))]
    return Move(series_key="fx:USD/CNY", unit="CNY", points=tuple(zip(days, values, strict=True)),
                change=values[-1] / values[0] - 1, change_kind="relative", anomaly_score=3.1,
                forecast_low=7.15, forecast_high=7.19)


def loan_prime_rate() -> Move:
    values = [3.45, 3.45, 3.45, 3.35, 3.35, 3.10]
    days = [dt.date(2025, 10, 20) + dt.timedelta(days=30 * i) for i in range(len(values))]
    return Move(series_key="rates:LPR-1Y", unit="%", points=tuple(zip(days, values, strict=True)),
                change=-0.35, change_kind="points", forecast_low=3.0, forecast_high=3.2)


def english_items() -> tuple[BriefItem, ...]:
    return (
        BriefItem(
            section="customers", title="Harbour Logistics wins a ten-year port concession in Ningbo",
            summary="The concession covers two container berths and a rail link; the company expects to "
                    "invest about CNY 1.2 billion over three years, mostly in cranes and yard automation.",
            reason="Names your customer Harbour Logistics Ltd.", score=0.92, customer_ref="C-1001",
            customer_name="Harbour Logistics Ltd", industry="H", sentiment="positive",
            when=dt.datetime(2026, 3, 4, 2, 15, tzinfo=UTC),
            links=(Link("https://news.example.com/harbour-ningbo", "Port Daily"),),
            sources=("document:4812", "event:77")),
        BriefItem(
            section="industries", title="Textile exports fall for a third month",
            summary="Customs figures show garment and textile exports down 6.3% year on year in February; "
                    "orders from the EU weakened most.",
            reason="Two of your customers are in manufacturing (section C).", score=0.71, industry="C",
            sentiment="negative", when=dt.datetime(2026, 3, 3, 9, 0, tzinfo=UTC),
            links=(Link("https://stats.example.org/trade/2026-02", "Customs statistics"),),
            sources=("pulse:C:2026-03-03",)),
        BriefItem(
            section="markets", title="USD/CNY at its highest since October",
            summary="The dollar rose against the yuan for a fourth week; the move is unusual against the "
                    "last year's daily changes.",
            reason="Your customers with USD receivables: Harbour Logistics Ltd, Eastern Textiles.",
            score=0.8, sentiment="neutral", when=dt.datetime(2026, 2, 24, 16, 0, tzinfo=UTC),
            move=usd_cny(), links=(Link("https://data.example.com/series/usdcny", "Series"),),
            sources=("series:fx:USD/CNY",)),
        BriefItem(
            section="markets", title="One-year loan prime rate cut by 25 basis points",
            summary="The cut was larger than expected.", reason="Three of your customers have floating-rate loans.",
            score=0.6, move=loan_prime_rate(), sources=("series:rates:LPR-1Y",)),
        BriefItem(
            section="competitors", title="River Bank lowers its export invoice financing rate",
            summary="The advertised rate for export invoice financing is now 3.2%, down from 3.6%.",
            reason="Competes with the trade finance your customers hold.", score=0.55,
            when=dt.datetime(2026, 3, 3, 7, 0, tzinfo=UTC),
            links=(Link("https://riverbank.example.com/trade-finance", "River Bank: trade finance"),),
            sources=("offer:311",), detail={"competitor": "River Bank", "previous": "3.6%", "current": "3.2%"}),
        BriefItem(
            section="suggestions", title="FX forward for Harbour Logistics",
            summary="Large USD receivables and a rising dollar: a forward would lock in today's rate.",
            reason="Holds no FX hedge; USD/CNY moved 0.9% in four weeks.", score=0.5, customer_ref="C-1001",
            customer_name="Harbour Logistics Ltd", industry="H",
            detail={"product": "FX forward (USD/CNY)", "question": "How much of the concession is paid in USD?"},
            sources=("product:FX-FWD",)),
        BriefItem(
            section="decisions", title="Green equipment loan: launch approved",
            summary="The product committee approved the green equipment loan for the second quarter.",
            reason="You reported demand for it from two customers.", score=0.4,
            detail={"decision": "approved", "status": "launch in Q2"}, sources=("signal:19",)),
    )


def chinese_items() -> tuple[BriefItem, ...]:
    return (
        BriefItem(
            section="customers", title="海港物流获得宁波港十年特许经营权",
            summary="特许经营范围包括两个集装箱泊位和一条铁路支线，公司预计三年内投资约12亿元人民币，主要用于起重机和堆场自动化。",
            reason="提到您的客户海港物流有限公司。", score=0.92, customer_ref="C-1001", customer_name="海港物流有限公司",
            industry="H", sentiment="positive", when=dt.datetime(2026, 3, 4, 2, 15, tzinfo=UTC),
            links=(Link("https://news.example.cn/haigang", "港口日报"),), sources=("document:4813",)),
        BriefItem(
            section="industries", title="纺织品出口连续第三个月下降",
            summary="海关数据显示，2月份纺织服装出口同比下降6.3%，来自欧盟的订单降幅最大。",
            reason="您有两位客户属于制造业（C门类）。", score=0.71, industry="C", sentiment="negative",
            when=dt.datetime(2026, 3, 3, 9, 0, tzinfo=UTC),
            links=(Link("https://stats.example.cn/trade/2026-02", "海关统计"),), sources=("pulse:C:2026-03-03",)),
        BriefItem(
            section="markets", title="美元兑人民币升至去年10月以来最高",
            summary="美元兑人民币连续第四周上涨，涨幅相对过去一年的日波动属于异常。",
            reason="您有美元应收账款的客户：海港物流有限公司、东方纺织。", score=0.8, sentiment="neutral",
            when=dt.datetime(2026, 2, 24, 16, 0, tzinfo=UTC), move=usd_cny(), sources=("series:fx:USD/CNY",)),
        BriefItem(
            section="competitors", title="江河银行下调出口发票融资利率",
            summary="出口发票融资的公布利率由3.6%降至3.2%。", reason="与您客户使用的贸易融资产品形成竞争。",
            score=0.55, when=dt.datetime(2026, 3, 3, 7, 0, tzinfo=UTC),
            links=(Link("https://jianghe.example.cn/maoyi", "江河银行：贸易融资"),),
            detail={"competitor": "江河银行", "previous": "3.6%", "current": "3.2%"}, sources=("offer:311",)),
        BriefItem(
            section="suggestions", title="为海港物流推荐远期结售汇",
            summary="美元应收账款规模大且美元走强，远期合约可锁定当前汇率。", reason="尚无外汇套期保值；美元兑人民币四周上涨0.9%。",
            score=0.5, customer_ref="C-1001", customer_name="海港物流有限公司", industry="H",
            detail={"product": "远期结售汇（美元/人民币）", "question": "特许经营投资中有多少以美元支付？"},
            sources=("product:FX-FWD",)),
        BriefItem(
            section="decisions", title="绿色设备贷款获准推出", summary="产品委员会批准于第二季度推出绿色设备贷款。",
            reason="您曾反馈两位客户有此需求。", score=0.4, detail={"decision": "批准", "status": "第二季度推出"},
            sources=("signal:19",)),
    )


#: Texts that try to become markup, code, links or reordered text wherever they are shown.
SCRIPT = "<script>alert('x')</script>"
IMG = '<img src=x onerror="alert(1)">'
ATTRIBUTE = '" onmouseover="alert(2)" x="'
RTL = "invoice_\u202egnp.exe"
LONG_WORD = "W" * 400
MARKDOWN = "[click me](javascript:alert(3)) ![img](https://evil.example/x.png) **bold** <b>b</b>"
HOSTILE_LINKS = (
    Link("javascript:alert(4)", "js link"),
    Link("data:text/html;base64,PHNjcmlwdD5hbGVydCg1KTwvc2NyaXB0Pg==", "data link"),
    Link("JaVaScRiPt:alert(6)", "mixed-case js"),
    Link(" https://ok.example.com/a?b=1&c=\"2\"><script>", "quoted url"),
    Link("https://ok.example.com/\u202eevil", "bidi url"),
    Link("//no-scheme.example.com/x", "no scheme"),
    Link("https://good.example.com/story", IMG),
)


def hostile_items() -> tuple[BriefItem, ...]:
    return (
        BriefItem(section="customers", title=SCRIPT + " " + MARKDOWN, summary=IMG + " " + LONG_WORD,
                  reason=ATTRIBUTE + RTL, score=1.0, customer_name=SCRIPT + "\x1b[31mred\x1b[0m", industry=IMG,
                  sentiment='negative" style="x', links=HOSTILE_LINKS, sources=("document:1\r\nBcc: x@evil",),
                  detail={"<b>key</b>": SCRIPT, "product": LONG_WORD}),
        BriefItem(section="markets", title="Title\nSECTION: fake\r\n" + "\u2066" + RTL, summary="x" * 5000,
                  reason="#" * 3 + " heading", score=0.5,
                  move=Move(series_key=SCRIPT, unit=IMG, points=((dt.date(2026, 3, 1), float("nan")),
                                                                 (dt.date(2026, 3, 2), 1.0),
                                                                 (dt.date(2026, 3, 3), float("inf"))),
                            change=float("nan"), change_kind="points", forecast_low=0.5, forecast_high=1.5)),
        BriefItem(section="made-up<section>", title="An item in a section nobody declared", summary="",
                  reason="composition's mistake", score=0.1),
    )


def brief(language: str = "en", items: tuple[BriefItem, ...] | None = None, *, kind: str = "daily",
          rm_name: str | None = None) -> Brief:
    if items is None:
        items = chinese_items() if language == "zh" else english_items()
    return Brief(rm_ref="RM-007", rm_name=rm_name or ("王丽" if language == "zh" else "Alice Wong"),
                 rm_email="alice.wong@bank.example", language=language, kind=kind, period=PERIOD,
                 window_start=WINDOW[0], window_end=WINDOW[1], items=items,
                 customers=("C-1001",))
