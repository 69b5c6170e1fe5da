"""A fifth split of the labelled sample, "desk" (``bench/signal_notes.py``): a held-out split.

Written in one sitting by a third author, before running the grouper on it or on any other
split in that session, and before any change to the grouping code of that session. Unlike
the other splits these notes are not expanded from templates: each is a note of its own,
in the telegraphic style of an RM typing between meetings (dashes, "FD" for finance
director, "yr", "k", "pls", dropped articles, typos typed as such, not generated), with
tags as RMs leave them (often none, often too coarse). About a fifth are in Chinese, some
mixing Chinese and English. Two needs the vocabulary does not know (equipment leasing,
corporate cards for staff) and a few notes with no need at all.

Labels are the need each note expresses (``mi.signals.vocabulary`` keys; ``novel_*`` for
needs outside it; None for no need). Grouping is judged pairwise, as for every split.

All text is fictional and written for this project.
"""
from __future__ import annotations

# (label, tags, text)
DESK: tuple[tuple[str | None, tuple[str, ...], str], ...] = (
    # FX, money coming in
    ("fx_receivables_hedge", ("fx",),
     "FD worried abt USD - 70% of their sales go to US distributors, paid in dollars 90d after delivery. "
     "wants to lock rate for FY27 budget, asked for fwd curve"),
    ("fx_receivables_hedge", (),
     "- exporter (machine parts), invoices mostly in USD\n- never hedged, got burned when $ fell in spring\n"
     "- pls send indicative pricing for 6m/12m forwards on incoming USD"),
    ("fx_receivables_hedge", ("hedging",),
     "Client's GBP income from UK subsidiary sales is sizeable; treasurer asks for a plan to hedge those "
     "GBP receipts, maybe half via fwds half via options"),
    ("fx_receivables_hedge", (),
     "new contract w/ Japanese buyer, paid in JPY over 2 yrs. owner scared of yen - wants to fix the EUR "
     "value of the JPY they will recieve"),
    ("fx_receivables_hedge", ("fx", "hedging"),
     "Currency risk on export revenue (CNY + USD). CFO asked for an FX hedging policy + forward lines"),
    # FX, money going out
    ("fx_payables_hedge", ("fx",),
     "Buys all raw materials from China in USD, ~4m a quarter. weak EUR hurts margin. wants to fix the "
     "cost of the dollar purchases for next 2 qtrs"),
    ("fx_payables_hedge", (),
     "importer of wine from Australia, pays AUD. asked if we can do forward purchases of AUD so they know "
     "their landed cost"),
    ("fx_payables_hedge", ("hedging",),
     "Big machine order from Swiss vendor, invoice CHF 3.2m payable in March. FD wants to hedge that "
     "outgoing CHF payment now"),
    ("fx_payables_hedge", (),
     "- imports electronics from Taiwan, billed in USD\n- exchange rate moves eat their margin\n"
     "- wants a hedge on the USD they pay suppliers, 12m rolling"),
    # rates
    ("rate_hedge", ("rates",),
     "Has 25m floating term loan w/ us, 3m Euribor + margin. CFO wants to fix it - asked for swap rates "
     "5y and 7y"),
    ("rate_hedge", (),
     "Treasurer nervous abt rate rises, interest bill on the variable debt up 40% yoy. asked abt a cap or "
     "swapping to fixed"),
    ("rate_hedge", (),
     "new property loan will be floating; owner wants interest rate protection from day 1 - quote IRS"),
    ("rate_hedge", ("interest-rates",),
     "Refi of the syndicated loan next yr. want to pre-hedge the interest rate with a forward starting swap"),
    # working capital
    ("working_capital", ("credit",),
     "Growth strong, receivables and stock both up, cash tight every month end. FD asks for bigger "
     "overdraft, +2m"),
    ("working_capital", (),
     "toy wholesaler - needs to pre-finance inventory before Christmas, asked for seasonal line Sep-Jan"),
    ("working_capital", (),
     "Client wants an RCF of 10m for general corporate purposes, current 5m line too small"),
    ("working_capital", ("credit",),
     "Customers pay slower (DSO up to 75 days), supplier terms unchanged -> liquidity gap. wants to "
     "increase the credit line temporarily"),
    ("working_capital", (),
     "Seasonal biz (garden furniture). short term funding need Feb-May to build stock, about 3m"),
    # deals
    ("acquisition_finance", ("m-and-a",),
     "Owner plans to buy a competitor in Austria, EV ~30m. asked if we can finance the purchase + bridge "
     "until the sale of a warehouse"),
    ("acquisition_finance", (),
     "CEO mentioned they are in talks to acquire a small software firm - need acquisition loan ~8m, LOI "
     "signed"),
    ("acquisition_finance", (),
     "MBO: management wants to take over the company from the founder, looking for senior debt for the deal"),
    ("acquisition_finance", ("credit",),
     "Bidding for a family-owned logistics business. wants a financing commitment before binding offer"),
    # supplier finance
    ("supply_chain_finance", (),
     "Large retailer, wants to offer its ~300 suppliers early payment on approved invoices so it can "
     "stretch its own terms to 120d. reverse factoring?"),
    ("supply_chain_finance", ("suppliers",),
     "procurement head asked for a supplier finance programme - small suppliers complain about 90 day terms"),
    ("supply_chain_finance", (),
     "Key suppliers are struggling w/ cash. client would like a bank platform where suppliers can get paid "
     "early at client's credit risk"),
    ("supply_chain_finance", (),
     "They use a fintech for SCF today, unhappy w/ pricing. would move the payables programme to us"),
    # documentary trade
    ("trade_documentary", ("trade",),
     "First shipment to a new buyer in Egypt; client wants payment security - asked for a confirmed LC"),
    ("trade_documentary", (),
     "Exporting to Nigeria next yr. wants us to confirm letters of credit from local banks there"),
    ("trade_documentary", (),
     "Importer needs us to issue an import L/C in favour of their Chinese supplier, USD 600k, 90 days usance"),
    ("trade_documentary", ("export",),
     "New customers in Middle East - asks abt documentary collections vs LCs, and export credit insurance"),
    # guarantees
    ("trade_guarantees", (),
     "Construction client bidding on a motorway tender, needs a bid bond 2% of contract value by Friday"),
    ("trade_guarantees", ("trade",),
     "Won the hospital project - performance guarantee 10% and advance payment guarantee needed"),
    ("trade_guarantees", (),
     "Customer asks for a rent guarantee for the new office lease, 6 months rent"),
    ("trade_guarantees", (),
     "Machinery exporter, buyer wants a warranty bond for 2 yrs after delivery. can we issue?"),
    # receivables finance
    ("receivables_finance", (),
     "Their big customers pay in 90-120 days; FD asks if we can finance the invoices (factoring) so cash "
     "comes in sooner"),
    ("receivables_finance", ("trade",),
     "Wants to sell receivables from 3 large clients without recourse, to take them off balance sheet"),
    ("receivables_finance", (),
     "~12m of open invoices at any time. interested in invoice discounting, confidential, no notice to debtors"),
    # green
    ("green_capex", ("esg",),
     "Plans to put solar panels on all 4 plants + battery, capex ~6m. asks if we have a green loan w/ "
     "better margin"),
    ("green_capex", (),
     "Replacing diesel trucks with electric ones over 3 yrs. wants financing for the EV fleet"),
    ("green_capex", (),
     "Hotel owner wants to renovate - insulation, heat pumps, new windows - to cut energy costs. "
     "investment abt 2m"),
    ("green_capex", ("capex",),
     "Factory upgrade to cut CO2 - new energy-efficient kilns. looking for a green financing option"),
    # sustainability-linked
    ("sustainability_linked", ("esg",),
     "Big group refinancing RCF; they want the margin tied to their ESG KPIs (CO2, women in mgmt)"),
    ("sustainability_linked", (),
     "Asked for an SLL: margin ratchet if they hit emission reduction targets, verified by auditor"),
    ("sustainability_linked", (),
     "CFO says competitor bank offered pricing linked to sustainability targets. wants same structure from us"),
    # pooling
    ("cash_pooling", (),
     "Group has 14 subsidiaries in 8 countries, each w/ own bank accts. treasurer wants to concentrate "
     "cash daily in one master account"),
    ("cash_pooling", ("cash-management",),
     "Some subs sit on cash, others use overdrafts. asked for a zero balancing structure"),
    ("cash_pooling", (),
     "New treasurer wants visibility and control over group liquidity - notional pooling or physical sweep?"),
    # virtual accounts / reconciliation
    ("virtual_accounts", (),
     "E-commerce client gets 20k payments a month, can't match them to orders. asked for virtual IBANs "
     "per customer"),
    ("virtual_accounts", ("cash-management",),
     "Accounting team spends days reconciling incoming pmts; want automated matching + ERP link"),
    ("virtual_accounts", (),
     "Wants direct connection between their SAP and our bank (host-to-host or API) for payment files and "
     "statements"),
    # deposits
    ("deposit_pricing", ("deposits", "pricing"),
     "Client has 15m on current acct earning nothing; competitor offered 3.1% on 6m time deposit. we "
     "quoted 2.6 - too low, will move unless we improve"),
    ("deposit_pricing", (),
     "FD compared our term deposit rates w/ online banks, we are 50bp behind. asks for a better rate on 5m"),
    ("deposit_pricing", ("deposits",),
     "Lost 8m of deposits to a neobank last month bc of rate. remaining balance at risk"),
    ("deposit_pricing", (),
     "Foundation wants to park 20m for 12 months; our deposit offer not competitive vs savings banks"),
    # wealth
    ("wealth_mandate", ("wealth",),
     "Owner sold 60% of the company, ~40m proceeds. wants professional management of the money + "
     "succession planning for his 3 kids"),
    ("wealth_mandate", (),
     "Entrepreneur close to retirement; wants to hand over company and assets to next generation, asked "
     "for estate planning advice"),
    ("wealth_mandate", ("private-banking",),
     "Widow inherited portfolio, no time or interest to manage it. wants a discretionary mandate, "
     "conservative"),
    # funds
    ("investment_funds", (),
     "Company has ~10m excess cash not needed for 1-2 yrs; asks for money market or short bond funds"),
    ("investment_funds", ("investment",),
     "Client wants to invest surplus liquidity in ETFs, low risk, monthly savings plan"),
    ("investment_funds", (),
     "Treasury holds too much cash on account. asked abt liquidity funds w/ daily redemption"),
    # mortgages
    ("mortgage", (),
     "Managing director buying a house in the suburbs, 1.2m, needs a mortgage ~800k. competitor quoted 3.4% "
     "10y fixed"),
    ("mortgage", ("lending",),
     "Client wants to buy a flat for his daughter - asked for home loan conditions"),
    ("mortgage", (),
     "Couple refinancing their home loan, current fix ends in June. wants our 15y rate"),
    # lombard
    ("lombard", (),
     "Needs 2m short term for a property deposit, doesn't want to sell his shares - asked for a loan "
     "against his securities"),
    ("lombard", ("lending",),
     "Client w/ 5m portfolio wants a credit line secured by the portfolio for opportunistic investments"),
    ("lombard", (),
     "Asked abt lombard credit - what LTV on his bond and equity holdings?"),
    # needs the vocabulary does not know
    ("novel_leasing", (),
     "Needs 12 new forklifts and a packing line; prefers leasing over buying, asked for lease offer"),
    ("novel_leasing", (),
     "Fleet of 40 company cars up for renewal; wants operating lease incl. service, 4 yrs"),
    ("novel_leasing", (),
     "Medical practice wants to lease a new MRI scanner instead of buying it outright"),
    ("novel_leasing", (),
     "Sale and leaseback of their production machines to free up cash - can our leasing arm do it?"),
    ("novel_corporate_cards", (),
     "Sales team travels a lot; FD wants company credit cards for ~50 employees with spending limits"),
    ("novel_corporate_cards", (),
     "Asked for corporate cards w/ expense reporting integration - staff now pay travel privately and "
     "claim back"),
    ("novel_corporate_cards", (),
     "Wants virtual cards for online purchases by the purchasing team plus travel cards for managers"),
    ("novel_corporate_cards", (),
     "Complaints from employees about advancing hotel costs; client wants business cards for all travelling "
     "staff"),
    # no need
    (None, (), "Met the new CFO, introductory meeting, nice guy. no topics yet"),
    (None, ("visit",), "Visited plant - production running at full capacity, order book full till summer"),
    (None, (), "Client annoyed about the long waiting time in the hotline last week, apologised"),
    (None, (), "Birthday call w/ owner. family fine, son now in the business"),
    (None, ("call",), "Annual review done, financials ok, rating unchanged"),
    (None, (), "Discussed general economy and the election; nothing concrete"),
    # Chinese, and Chinese mixed with English
    ("fx_receivables_hedge", ("fx",), "客户美元收入占比高，担心美元贬值，希望做远期结汇锁定汇率。"),
    ("fx_receivables_hedge", (), "出口企业，货款以欧元结算，财务经理询问外汇套保产品，想对应收账款做对冲。"),
    ("fx_payables_hedge", ("fx",), "客户从日本进口设备，需支付日元，担心日元升值，希望提前购汇锁定成本。"),
    ("fx_payables_hedge", (), "进口原材料用美元付款，CFO想做远期购汇，hedge 50%的应付账款。"),
    ("working_capital", ("credit",), "销售增长很快，应收和库存占用大量资金，客户申请增加流动资金贷款额度。"),
    ("working_capital", (), "旺季备货需要短期资金周转，约2000万元，希望下月放款。"),
    ("supply_chain_finance", (), "核心企业想为上游中小供应商提供融资，供应商凭确认的应付账款提前拿钱。"),
    ("supply_chain_finance", ("suppliers",), "客户希望把供应商账期从60天延长到120天，同时让供应商可以提前融资。"),
    ("cash_pooling", (), "集团下属二十多家子公司，资金分散，财务总监希望做资金集中管理，每天自动归集。"),
    ("cash_pooling", ("cash-management",), "客户想建立跨境资金池，把海外子公司的闲置资金集中到总部。"),
    ("deposit_pricing", ("deposits",), "客户说别的银行一年期定期存款利率高出30个基点，要求我们提高存款利率，否则转走。"),
    ("deposit_pricing", (), "大额存单到期，客户比较了几家银行的利率，我们的报价偏低。"),
    ("green_capex", ("esg",), "工厂计划安装屋顶光伏和储能，投资约3000万元，询问绿色贷款利率优惠。"),
    ("green_capex", (), "物流公司要把柴油货车换成新能源车，需要项目融资，希望走绿色信贷通道。"),
    ("trade_documentary", ("trade",), "第一次和巴西客户做生意，担心收不到货款，想让对方开信用证。"),
    ("trade_documentary", (), "客户需要我行开立进口信用证，金额50万美元，远期90天。"),
    ("trade_guarantees", (), "客户参加政府工程投标，需要开立投标保函，下周五截止。"),
    ("rate_hedge", (), "客户有一笔浮动利率贷款，担心加息，想做利率互换转成固定利率。"),
    ("mortgage", (), "客户准备在市区购房，需要房贷约300万元，询问我行按揭利率。"),
    ("investment_funds", (), "公司账上闲置资金较多，希望购买货币基金或低风险理财产品。"),
    ("acquisition_finance", (), "老板打算收购一家同行企业，需要并购贷款，金额约一亿元。"),
)
