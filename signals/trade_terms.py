"""More cues per need: the banking trade's own product terms and their usual paraphrases.

``mi.signals.vocabulary`` grew from the tune split of the labelled sample; these were
written from what banks call their products and how treasurers describe the problems
they solve, to widen reading beyond one author's wordings, and were never drawn from a
held-out split's notes. Same cue syntax and weights as the vocabulary (3 = names the need
alone, 2 = strong, 1 = support); ``mi.signals.needs`` adds them to the need's own cues.
``FIELD_TERMS`` and ``DRILL_TERMS`` came later, from the misses of two development splits
written by a third author (memo, drill) and paraphrases around them; ``STANDARD_TERMS``,
the usual Chinese product names, from banking usage; no held-out split's notes (test,
desk) were looked at for any of them.
"""
from __future__ import annotations

from mi.signals.vocabulary import Cue

TRADE_TERMS: dict[str, tuple[tuple[Cue, ...], tuple[Cue, ...]]] = {
    "fx_receivables_hedge": ((
        ("export proceeds", 1.5), ("foreign currency income", 2.0), ("sell forward", 1.5), ("repatriat*", 1.0),
        ("earnings in", 1.0), ("income in", 1.0), ("paid in", 0.5), ("pay in", 0.5), ("they receive", 1.0)),
        (("结汇", 2.0), ("收汇", 2.0))),
    "fx_payables_hedge": ((
        ("import costs", 1.5), ("foreign supplier(s)", 1.5), ("overseas supplier(s)", 1.5), ("buy forward", 1.5),
        ("purchase of <ccy>", 1.5), ("pays in", 0.5), ("invoice in", 1.0), ("invoiced to them in", 1.5)),
        (("购汇", 2.0), ("付汇", 2.0))),
    "rate_hedge": ((
        ("interest rate swap(s)", 3.0), ("rate cap", 2.5), ("interest rate risk", 2.5), ("rate risk", 1.5),
        ("fixed rate", 1.5), ("floating rate", 1.0), ("variable rate", 1.5), ("sofr", 1.5), ("sonia", 1.5),
        ("rate rise(s)", 1.0), ("rates go up", 1.0), ("rising rates", 1.0), ("swap it", 1.0)),
        (("利率掉期", 3.0), ("加息", 1.0), ("利率风险", 2.0))),
    "working_capital": ((
        ("credit limit", 1.5), ("limit increase", 2.0), ("increase the limit", 2.0), ("borrowing base", 2.5),
        ("cash flow", 1.0), ("cash gap", 1.5), ("stock", 1.0), ("short term loan", 2.0), ("liquidity line", 2.5),
        ("peak season", 1.0), ("pre season", 1.0), ("trade cycle", 1.5), ("operating cash", 1.0)),
        (("短期贷款", 2.0), ("营运资金", 3.0))),
    "acquisition_finance": ((
        ("buyout", 2.5), ("buy out", 2.0), ("mbo", 3.0), ("lbo", 3.0), ("merger", 3.0), ("target company", 2.0),
        ("deal financing", 2.5), ("letter of intent", 1.5), ("due diligence", 1.5), ("term sheet", 1.0)),
        (("兼并", 3.0),)),
    "supply_chain_finance": ((
        ("extend payment terms", 2.0), ("supplier early payment", 3.0), ("pay suppliers early", 3.0),
        ("supplier programme", 2.5), ("supplier program", 2.5), ("payables finance", 3.0)),
        (("反向保理", 3.0), ("上游", 1.0))),
    "trade_documentary": ((
        ("bill(s) of lading", 2.0), ("usance", 2.5), ("sight", 0.5), ("ucp", 2.5), ("lc confirmation", 3.0),
        ("export credit agency", 2.0), ("credit insurance", 1.5), ("buyer", 0.5)),
        (("跟单", 2.5),)),
    "trade_guarantees": ((
        ("performance bond(s)", 3.0), ("surety", 2.5), ("standby", 2.0), ("retention", 1.0), ("bond", 1.0),
        ("counter guarantee", 3.0)),
        (("担保", 2.0),)),
    "receivables_finance": ((
        ("sell the invoices", 3.0), ("sell invoices", 3.0), ("selling invoices", 3.0),
        ("receivables purchase", 3.0), ("asset based lending", 2.5), ("paid faster", 1.5), ("free up cash", 1.0),
        ("free up", 0.5), ("get cash in", 1.0), ("payment terms of", 0.5)),
        (("应收账款", 1.5), ("回款", 1.0))),
    "green_capex": ((
        ("electric vehicle(s)", 2.0), ("ev(s)", 1.5), ("renewable(s)", 1.5), ("wind", 1.0), ("photovoltaic", 2.0),
        ("energy saving", 1.5), ("energy efficiency", 2.0), ("energy use", 1.0), ("carbon", 1.0),
        ("retrofit", 1.0), ("charging", 1.0)),
        (("新能源", 1.5), ("碳", 1.0))),
    "sustainability_linked": ((
        ("esg target(s)", 2.0), ("sustainability target(s)", 2.0), ("spt(s)", 2.0), ("esg", 1.0),
        ("linked to", 1.0), ("link the", 0.5), ("margin step", 2.0)),
        (("挂钩", 1.5),)),
    "cash_pooling": ((
        ("liquidity management", 2.0), ("group accounts", 1.0), ("idle cash", 0.5), ("hq", 1.0),
        ("headquarters", 1.0), ("affiliates", 1.0)),
        (("集中管理", 2.0), ("资金集中", 3.0))),
    "virtual_accounts": ((
        ("ebics", 3.0), ("h2h", 3.0), ("swift", 1.0), ("payment reference(s)", 1.5), ("matching", 1.5),
        ("match them", 1.5), ("match payments", 2.0), ("manual", 0.5), ("payment file(s)", 1.5)),
        (("收款识别", 2.0),)),
    "deposit_pricing": ((
        ("notice account", 2.5), ("better rate", 1.0), ("higher rate", 1.0), ("rate on", 0.5),
        ("move the money", 1.0), ("move funds", 1.0), ("current account", 0.5), ("interest on", 0.5)),
        (("定期", 1.5),)),
    "wealth_mandate": ((
        ("family office", 2.5), ("family wealth", 2.5), ("family assets", 2.0), ("asset management", 2.0),
        ("private banking", 2.0), ("sale of the business", 1.5), ("sold the business", 1.5),
        ("exit proceeds", 1.5), ("heirs", 1.5), ("children", 0.5)),
        (("家族", 1.5), ("私人银行", 2.0))),
    "investment_funds": ((
        ("etf(s)", 2.5), ("excess liquidity", 1.5), ("excess cash", 1.5), ("treasury bill(s)", 2.0),
        ("t bill(s)", 2.0), ("low risk", 0.5), ("short duration", 1.0), ("invest", 0.5)),
        (("货币基金", 3.0), ("闲置资金", 1.0))),
    "mortgage": ((
        ("buy to let", 3.0), ("home purchase", 2.0), ("property purchase", 1.0), ("apartment", 1.0),
        ("ltv", 1.5), ("loan to value", 1.5), ("private residence", 1.5)),
        (("购房", 2.0), ("住房贷款", 3.0))),
    "lombard": ((
        ("securities portfolio", 1.5), ("margin loan", 2.5), ("securities backed", 3.0), ("portfolio loan", 3.0),
        ("selling shares", 1.0), ("sell shares", 1.0), ("sell the shares", 1.0), ("securities", 0.5)),
        (("股票质押", 3.0),)),
}

#: Further paraphrases, from how RMs describe these needs in CRM entries and hurried notes
#: (the memo split's wordings among them, never a held-out split's). Same syntax and weights.
FIELD_TERMS: dict[str, tuple[tuple[Cue, ...], tuple[Cue, ...]]] = {
    "fx_receivables_hedge": ((
        ("export income", 2.0), ("dollar income", 2.0), ("foreign income", 1.5), ("receives", 1.0),
        ("get paid in", 1.0), ("secure the rate", 1.0), ("convert forward", 1.5), ("denominated", 0.5)),
        (("美元收入", 2.0), ("外汇收入", 2.0), ("避险", 1.0))),
    "fx_payables_hedge": ((
        ("outgoing payment(s)", 1.5), ("outgoing", 1.0), ("purchase side", 1.5), ("landed cost", 2.0),
        ("sourcing", 1.0), ("sources", 0.5), ("cost of the", 0.5)),
        (("付款", 0.5), ("避险", 1.0), ("进口成本", 2.0))),
    "rate_hedge": ((
        ("interest rate protection", 3.0), ("interest rate cap", 3.0), ("hedge interest", 2.5),
        ("floating rate loan", 2.0), ("pay fixed", 2.0), ("rising interest", 1.0), ("swap indication(s)", 2.0),
        ("rising euribor", 1.5)),
        (("利率上升", 1.5), ("利率上行", 1.5))),
    "working_capital": ((
        ("short term financing", 1.5), ("pre finance", 2.0), ("pre financing", 2.0), ("liquidity gap", 2.0),
        ("funding gap", 1.5), ("cash crunch", 1.5), ("general corporate purposes", 2.0), ("busy season", 1.0),
        ("pay late", 1.0), ("operating credit", 1.5), ("cash flow negative", 1.5)),
        (("资金压力", 1.5), ("资金紧张", 1.5), ("授信", 1.5), ("额度", 1.0))),
    "acquisition_finance": ((
        ("purchase of a competitor", 3.0), ("buy a competitor", 3.0), ("share purchase", 2.5),
        ("close the deal", 1.5), ("binding offer", 2.0), ("enterprise value", 1.5), ("transaction", 0.5),
        ("co shareholder", 1.0)),
        (("并购贷款", 1.0),)),
    "supply_chain_finance": ((
        ("get paid early", 2.0), ("paid earlier", 1.5), ("smaller suppliers", 1.0), ("onboard", 0.5)),
        (("提前收款", 1.5), ("核心企业", 1.5))),
    "trade_documentary": ((
        ("confirmed credit(s)", 2.5), ("documentary credit(s)", 3.0), ("payment security", 1.5),
        ("advise and confirm", 2.0)),
        (("保兑", 2.5), ("开证", 2.5))),
    "trade_guarantees": ((
        ("warranty bond", 3.0), ("bank guarantee", 1.0)),
        (("履约", 2.0), ("中标", 1.0))),
    "receivables_finance": ((
        ("outstanding invoices", 2.0), ("open invoices", 2.0), ("invoice financing", 3.0),
        ("finance the invoices", 3.0), ("financing invoices", 3.0), ("non recourse", 2.0), ("cash stuck", 1.5),
        ("off balance sheet", 1.5)),
        ()),
    "green_capex": ((
        ("energy consumption", 1.5), ("energy costs", 1.0), ("renovation", 1.0), ("biomass", 2.0),
        ("photovoltaic(s)", 2.0), ("electrification", 2.0), ("co2", 1.0), ("geothermal", 2.0),
        ("wind turbine(s)", 2.0)),
        (("储能", 1.5), ("分布式", 1.0))),
    "sustainability_linked": ((
        ("margin decrease*", 2.0), ("reduction targets", 1.5), ("esg kpi(s)", 2.5), ("sustainability kpi(s)", 2.5),
        ("margin step down", 2.0), ("pricing linked", 1.5)),
        ()),
    "cash_pooling": ((
        ("cash concentration", 3.0), ("master account", 2.5), ("physical sweep", 1.0)),
        (("统一归集", 1.0),)),
    "virtual_accounts": ((
        ("account numbers", 1.0), ("automated matching", 2.0), ("payment matching", 2.0), ("real time balances", 1.5),
        ("unidentified payments", 2.5), ("sap", 1.0), ("identify which customer", 2.0)),
        (("银企直连", 3.0), ("收款", 0.5))),
    "deposit_pricing": ((
        ("notice accounts", 2.0), ("savings account(s)", 1.0), ("basis points", 0.5), ("neobank", 1.0),
        ("online bank(s)", 1.0), ("shifting balances", 1.0)),
        (("大额存单", 3.0), ("利率太低", 1.0))),
    "wealth_mandate": ((
        ("sold his business", 1.5), ("sold her business", 1.5), ("sold the company", 1.5), ("hand over", 1.0),
        ("wealth", 1.5), ("managing the proceeds", 1.5)),
        (("传承", 2.0), ("家族信托", 3.0))),
    "investment_funds": ((
        ("surplus liquidity", 1.5), ("money market", 0.5)),
        (("理财产品", 1.0), ("稳健", 0.5))),
    "mortgage": ((
        ("first home", 2.0), ("holiday apartment", 1.5), ("buying a house", 2.0)),
        (("首付", 1.5), ("住房", 1.5))),
    "lombard": ((
        ("secured by", 1.0), ("equity portfolio", 1.0), ("bond portfolio", 1.0)),
        (("质押", 2.0),)),
}

#: More of the same, from the drill split's misses (development) and paraphrases around them.
DRILL_TERMS: dict[str, tuple[tuple[Cue, ...], tuple[Cue, ...]]] = {
    "fx_receivables_hedge": ((
        ("billed to", 1.0), ("earnings", 1.0), ("distributor(s)", 1.0), ("conversion rate", 1.5),
        ("incoming cash", 1.5), ("turnover", 0.5)),
        (("海外销售", 1.0),)),
    "fx_payables_hedge": ((
        ("what they owe", 1.5), ("owe", 1.0), ("weakens", 1.0), ("licence fee", 1.0), ("manufacturer", 0.5),
        ("orders", 0.5)),
        (("国外采购", 1.5),)),
    "rate_hedge": ((
        ("bank debt", 1.0), ("on variable", 1.5), ("predictable", 0.5), ("debt", 0.5)),
        ()),
    "working_capital": ((
        ("interim financing", 2.0), ("interim", 1.0), ("fully drawn", 2.0), ("raise the limit", 2.0),
        ("limit", 1.0), ("before the customer pays", 1.5), ("until sales come in", 1.5)),
        (("提高额度", 2.0), ("额度不够", 2.0))),
    "acquisition_finance": ((
        ("pay the sellers", 2.5), ("seller(s)", 1.0), ("to the group", 0.5)),
        ()),
    "supply_chain_finance": ((
        ("paid sooner", 1.5), ("pay them sooner", 1.5), ("approved", 1.0), ("pays the bank", 1.5)),
        ()),
    "trade_documentary": ((
        ("shipping documents", 2.5), ("against documents", 2.0), ("documents", 1.0), ("secured by a bank", 2.0),
        ("confirmed by us", 2.0)),
        ()),
    "trade_guarantees": ((
        ("bid security", 3.0), ("bank backed", 1.5), ("delivered on time", 1.0)),
        ()),
    "receivables_finance": ((
        ("money for the invoices", 2.0), ("days to pay", 1.0), ("trade receivables", 2.0),
        ("buy their receivables", 3.0), ("cash comes in earlier", 1.5)),
        ()),
    "green_capex": ((
        ("gas use", 1.0), ("sustainable lending", 2.0), ("sustainable", 1.0)),
        (("光伏电站", 1.0),)),
    "sustainability_linked": ((
        ("reward progress", 2.0), ("esg rating(s)", 1.5), ("pricing discount", 1.0)),
        ()),
    "cash_pooling": ((
        ("holding", 1.0), ("every evening", 1.0), ("net it", 1.0), ("subsidiary", 1.0)),
        (("集中到", 1.5), ("母公司", 1.0))),
    "virtual_accounts": ((
        ("without clear references", 2.5), ("references", 1.0), ("allocate", 1.0), ("sub account(s)", 2.0),
        ("collection account", 1.5), ("book themselves", 1.5)),
        ()),
    "deposit_pricing": ((
        ("we are at", 1.5), ("month money", 2.0), ("come closer", 1.0), ("unless we", 1.0), ("yields", 1.0),
        ("fixed term money", 2.0), ("leaving", 0.5)),
        ()),
    "wealth_mandate": ((
        ("inherit*", 2.0), ("family firm", 1.0), ("invest the proceeds", 2.0), ("handover", 1.0),
        ("look after", 1.0)),
        ()),
    "investment_funds": ((
        ("fund ideas", 2.0), ("not be needed", 1.0), ("not needed", 1.0)),
        ()),
    "mortgage": ((
        ("family home", 2.0), ("follow on offer", 1.5), ("fixed rate period", 2.0), ("townhouse", 2.0),
        ("years fixed", 1.5), ("villa", 1.5)),
        ()),
    "lombard": ((
        ("share portfolio", 1.5), ("lend against", 3.0), ("custody account", 2.0), ("as security", 1.0)),
        ()),
}

#: The usual names of these products in Chinese banking, and their short forms (流贷 for a
#: working-capital loan, 定存 for a term deposit), written from banking usage rather than
#: from any split's notes; with them a few English ones the lists above lacked.
STANDARD_TERMS: dict[str, tuple[tuple[Cue, ...], tuple[Cue, ...]]] = {
    "fx_receivables_hedge": ((), (("汇率风险", 1.5), ("远期结汇", 1.0))),
    "fx_payables_hedge": ((), (("汇率风险", 1.5), ("远期购汇", 1.0))),
    "rate_hedge": ((("interest rate collar", 3.0),),
                   (("利率上限", 2.5), ("锁定利率", 2.0), ("利率期权", 2.5), ("利率锁定", 2.0))),
    "working_capital": ((), (("流贷", 3.0), ("透支", 2.5), ("循环贷", 2.5), ("临时额度", 2.0))),
    "supply_chain_finance": ((("vendor finance", 2.5),),
                             (("供应链金融", 3.0), ("供应商融资", 3.0), ("上游供应商", 1.5), ("应付账款融资", 3.0))),
    "trade_documentary": ((), (("出口信用保险", 2.5), ("信保", 2.0), ("押汇", 2.0), ("议付", 2.0))),
    "trade_guarantees": ((), (("投标保证", 2.0),)),
    "receivables_finance": ((), (("福费廷", 3.0), ("发票融资", 3.0), ("应收账款转让", 3.0))),
    "green_capex": ((), (("风电", 1.5), ("充电桩", 1.5), ("环保", 1.0), ("碳中和", 1.5), ("电动", 1.0))),
    "sustainability_linked": ((), (("可持续挂钩", 3.0),)),
    "cash_pooling": ((), (("现金管理", 1.0), ("下拨", 1.5))),
    "virtual_accounts": ((), (("虚拟账号", 3.0), ("子账户", 2.0), ("子账号", 2.0), ("自动对账", 1.0))),
    "deposit_pricing": ((), (("定存", 2.5), ("通知存款", 1.0))),
    "wealth_mandate": ((), (("财富管理", 2.0), ("资产配置", 1.5))),
    "investment_funds": ((), (("债券基金", 1.0),)),
    "mortgage": ((), (("买房", 2.0), ("公积金", 1.5))),
    "lombard": ((), (("证券质押", 1.0), ("股票抵押", 2.5))),
}
