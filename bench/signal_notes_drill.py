"""A seventh split of the labelled sample, "drill" (``bench/signal_notes.py``): a development split.

Templates by the third author (the one of ``desk`` and ``memo``), written after the held-out
splits' last measurement in that session, to be looked at: like the test split, each
template is expanded several times with the held_out abbreviations, typos, openers and next
steps, so a wording the vocabulary misses is missed several times over, and the clustering
of notes nothing could read is exercised the way it is on templated notes. Its first run is
recorded in ``bench/signals.py``; its errors then guided that author's changes.

All text is fictional and written for this project.
"""
from __future__ import annotations

DRILL: dict[str, tuple[str, ...]] = {
    "fx_receivables_hedge": (
        "A growing share of turnover is now billed to {market} customers in {ccy}; {contact} wants to take "
        "the currency risk off the table for the next four quarters.",
        "Expecting {amount} equivalent in {ccy} from a distributor over the year; asked what it would cost "
        "to guarantee the conversion rate into {home}.",
        "Their {ccy} earnings swing the {home} result every quarter; the board wants the FX risk on incoming "
        "cash managed.",
    ),
    "fx_payables_hedge": (
        "Component costs are set in {ccy} by their Asian manufacturer; {contact} wants the {home} price of the "
        "next orders fixed now.",
        "Pays a {ccy} licence fee of about {amount} every quarter and wants protection if the {home} weakens.",
        "Moved production sourcing to {market}; invoices come in {ccy} and they want to cover the currency on "
        "what they owe.",
    ),
    "rate_hedge": (
        "All their bank debt is on variable terms; {contact} wants to know what it costs to make the interest "
        "predictable for {years} years.",
        "With the new {amount} loan on Euribor, the board asked for a comparison of swap, cap and collar.",
    ),
    "working_capital": (
        "Won a large contract but must pay staff and material months before the customer pays; asked for "
        "interim financing of about {amount}.",
        "The current limit is fully drawn most months; {contact} asked us to raise it by {amount}.",
        "Stock levels had to double for the {season}; they need money to bridge until sales come in.",
    ),
    "acquisition_finance": (
        "{contact} is negotiating the takeover of a regional rival and asked how much senior debt we could "
        "provide.",
        "Plans to add a small distributor in {market} to the group; asked for a loan to pay the sellers.",
    ),
    "supply_chain_finance": (
        "Their smaller vendors cannot wait {days} days for payment; {contact} asked whether we can pay them "
        "sooner against the invoices the client has approved.",
        "Wants a programme so that suppliers can be paid at day 10 while the client pays the bank at day {days}.",
    ),
    "trade_documentary": (
        "A new buyer in {market} will only pay against shipping documents; {contact} asked us to handle the "
        "documents and the collection.",
        "Shipping machinery to {market} and wants the payment secured by a bank there, confirmed by us.",
    ),
    "trade_guarantees": (
        "The customer in {market} wants a bank-backed promise that the plant will be delivered on time; "
        "asked for a guarantee of {pct}% of the order.",
        "Needs a bid security for the {countries} road project tender, deadline {period}.",
    ),
    "receivables_finance": (
        "Large retail customers take {days} days to pay; {contact} would like to get the money for the "
        "invoices as soon as they are issued.",
        "Asked whether we would buy their trade receivables from {market} buyers so cash comes in earlier.",
    ),
    "green_capex": (
        "Plans to cut the plant's gas use with {green}; asked whether such a project gets better loan terms.",
        "Wants to finance {green} and asked whether the investment qualifies for our sustainable lending.",
    ),
    "sustainability_linked": (
        "Refinancing the {amount} term loan and wants the interest margin to reward progress on {kpi}.",
        "The banks in the club deal offered a pricing discount tied to ESG ratings; {contact} wants the same "
        "from us.",
    ),
    "cash_pooling": (
        "Each of the {n} subsidiaries keeps its own balance with us; {contact} wants all surplus moved to the "
        "holding every evening.",
        "The group borrows at headquarters while subsidiaries in {countries} hold cash; asked for a structure "
        "to net it.",
    ),
    "virtual_accounts": (
        "Thousands of small customer transfers arrive every day without clear references; the finance team "
        "wants a way to allocate them automatically.",
        "Wants one collection account with sub-account numbers per customer so incoming payments book "
        "themselves.",
    ),
    "deposit_pricing": (
        "{competitor} offers {rate}% for {tenor} money; we are at {our_rate}%. {contact} will move {amount} "
        "unless we come closer.",
        "Balances are leaving for better yields elsewhere; the client asked us to review the rate on their "
        "fixed-term money.",
    ),
    "wealth_mandate": (
        "After the sale of the family firm the owner wants professionals to invest the proceeds and plan who "
        "inherits what.",
        "Asked for a private banker to look after the family's assets and the handover to the children.",
    ),
    "investment_funds": (
        "Has {amount} on account that will not be needed before {period}; asked for low-risk fund ideas.",
        "{contact} wants part of the cash reserve in a money market fund rather than on current account.",
    ),
    "mortgage": (
        "Private client wants to buy a townhouse for about {amount}; asked for a loan offer with {years} "
        "years fixed.",
        "The owner's fixed-rate period on the family home ends {period}; asked for a follow-on offer.",
    ),
    "lombard": (
        "Wants liquidity for a property down payment but keeps the share portfolio; asked how much we lend "
        "against it.",
        "Asked for a credit line using the custody account as security.",
    ),
}

DRILL_NOVEL: dict[str, tuple[str, ...]] = {
    "novel_insurance": (
        "Asked whether we can arrange insurance for the fleet and the warehouses through our partner insurer.",
        "Wants a quote for business interruption insurance; their broker is too slow.",
        "Looking for key-person insurance on the two founders.",
    ),
    "novel_fx_payments": (
        "Pays freelancers in {n} countries every month and wants cheaper cross-border payments than today.",
        "Complains about fees and slow international transfers; asked for a better way to send money abroad.",
        "Wants to send payroll to staff abroad in local currency without the high transfer charges.",
    ),
}

DRILL_CHINESE: dict[str, tuple[str, ...]] = {
    "fx_receivables_hedge": ("客户的海外销售以{ccy}结算，希望锁定未来一年的结汇价格。",),
    "fx_payables_hedge": ("客户从国外采购设备，以{ccy}付款，希望提前锁定购汇成本。",),
    "working_capital": ("客户的订单大幅增加，原有贷款额度不够用，希望提高额度。",),
    "supply_chain_finance": ("核心企业希望我们为它的上游供应商提供融资，让供应商提前拿到货款。",),
    "cash_pooling": ("集团希望每天把各子公司账户的余额集中到母公司。",),
    "deposit_pricing": ("客户反映我行定期存款利率比同业低，打算转移资金。",),
    "green_capex": ("客户计划建设光伏电站，需要长期贷款支持。",),
    "trade_guarantees": ("客户承接海外工程项目，业主要求提供银行履约保函。",),
}
