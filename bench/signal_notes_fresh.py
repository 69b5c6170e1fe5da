"""A fourth split of the labelled sample, "fresh" (``bench/signal_notes.py``).

Written in one sitting by a second author, before any change to the grouping code of that
session and without reading the test split's English templates. Meant as a second held-out
set, it became a development split: its author wrote the similarity grouping and the trade
terms next, so its wordings could not stay unseen, and its errors were then used to find
over-broad cues. Its own abbreviations, two needs the vocabulary does not know (one a hedge
of commodity prices, sharing words with the FX needs) and a note mixing Chinese with English.

All text is fictional and written for this project.
"""
from __future__ import annotations

FRESH: dict[str, tuple[str, ...]] = {
    "fx_receivables_hedge": (
        "Exporter with {ccy} receipts of roughly {amount} per month; {contact} wants to fix the rate for the "
        "coming year and asked what hedging lines we can give them.",
        "Their buyers in {market} pay in {ccy}. {contact} is nervous about the currency and wants to start "
        "hedging those receivables.",
        "Signed a big contract in {ccy}, cash comes in over 18 months. Wants to lock today's {ccy}/{home} rate "
        "for the incoming money.",
    ),
    "fx_payables_hedge": (
        "Pays its Asian suppliers in {ccy}; a weaker {home} eats the margin. Wants to buy {ccy} forward for the "
        "next two quarters.",
        "Import bill in {ccy} of about {amount} falls due {period}; {contact} wants certainty on the {home} cost "
        "and asked for a forward or an option.",
        "Machinery ordered from abroad with the invoice in {ccy}. Concerned the currency moves before they pay; "
        "wants to hedge the outflow.",
    ),
    "rate_hedge": (
        "Term loan of {amount} on a floating rate; {contact} wants to swap it into fixed for {years} years.",
        "Afraid rates go up again and asked for a cap on the variable-rate debt.",
        "Just refinanced with a floating facility and now wants interest rate protection: quote both an IRS "
        "and a cap.",
    ),
    "working_capital": (
        "Needs a bigger overdraft to bridge the gap between paying suppliers and getting paid, ~{amount}.",
        "Orders are up strongly and they build stock ahead of the {season}; asked for a short-term credit line "
        "of {amount}.",
        "Cash flow tight after a slow quarter; wants the revolving facility raised by {amount}.",
    ),
    "acquisition_finance": (
        "Looking at buying a smaller competitor in {market}; wants to know how much we could lend for the deal.",
        "{contact} signed an LOI to acquire a family business for {amount} and needs the financing for it.",
        "Considering a takeover of their main distributor; asked for a financing structure including a bridge.",
    ),
    "supply_chain_finance": (
        "Key suppliers are small and struggle with 90-day terms; the company wants a programme where we pay "
        "them early against approved invoices.",
        "Wants to extend payment terms to {days} days without hurting the suppliers; asked about reverse "
        "factoring.",
        "Procurement asked whether we can offer their {n} suppliers early payment priced on the company's own "
        "credit rating.",
    ),
    "trade_documentary": (
        "New buyer in {market} insists on a letter of credit; needs us to advise and confirm it.",
        "Shipping to {market} for the first time and unsure of the buyer; wants a documentary collection or an "
        "LC to secure payment.",
        "Exporting machinery to {market}; wants export credit insurance and a confirmed LC.",
    ),
    "trade_guarantees": (
        "Bidding on a public tender in {market}; needs a bid bond of {amount} within two weeks.",
        "Their customer demands a performance guarantee of 10% of the contract value; can we issue it?",
        "Needs an advance payment guarantee for a large order from {market}.",
    ),
    "receivables_finance": (
        "Their customers pay after {days} days; wants to sell the invoices to us to free up cash.",
        "Asked about factoring for their domestic receivables of about {amount}.",
        "DSO has crept up to {days}; interested in invoice finance to get the cash in sooner.",
    ),
    "green_capex": (
        "Planning {green}; wants to know if it qualifies for our green loan pricing.",
        "Investing {amount} to cut the plant's energy use and looking for green financing.",
        "Replacing the diesel trucks with EVs; asked for a green loan for the new fleet.",
    ),
    "sustainability_linked": (
        "Wants a loan whose margin falls if they hit their {kpi} targets.",
        "Board has set ESG targets; {contact} wants to link the refinancing to {kpi}.",
        "Asked for a sustainability-linked RCF with a margin ratchet.",
    ),
    "cash_pooling": (
        "Has accounts with us in {countries}; wants the balances swept daily to the parent.",
        "Subsidiaries sit on idle cash while HQ borrows; asked for a cash pool.",
        "{contact} wants one view of liquidity across {n} entities and automatic concentration at group level.",
    ),
    "virtual_accounts": (
        "Receives thousands of small payments a month and struggles to match them; interested in a virtual IBAN "
        "per customer.",
        "Wants to connect their ERP to us via API for payments and statements.",
        "Reconciliation is manual and slow; asked about virtual accounts.",
    ),
    "deposit_pricing": (
        "{competitor} offers {rate}% on a {tenor} deposit and we are at {our_rate}%. Client will move {amount} "
        "unless we match.",
        "Has {amount} sitting on current account; asked why our term deposit rates are below {competitor}'s.",
        "Lost a {amount} placement to {competitor} over the deposit rate.",
    ),
    "wealth_mandate": (
        "The owner sold part of the business and wants a discretionary mandate for the proceeds.",
        "Planning the succession to the children; asked for wealth planning and an estate structure.",
        "Wants a private banker to manage {amount} of family assets.",
    ),
    "investment_funds": (
        "Company has surplus cash of {amount}; asked about money market funds instead of deposits.",
        "{contact} wants to invest part of the excess liquidity in a bond fund.",
        "Wants to put some of the idle cash into low-risk funds.",
    ),
    "mortgage": (
        "{contact} is buying a house privately and needs a mortgage of about {amount}.",
        "Asked about refinancing his home loan with the rate fixed for {years} years.",
    ),
    "lombard": (
        "Wants a credit line against his securities portfolio rather than selling shares.",
        "Asked whether he can borrow against his investment account to fund a property purchase.",
    ),
}

# Needs the vocabulary does not know.
FRESH_NOVEL: dict[str, tuple[str, ...]] = {
    "novel_card_acquiring": (
        "Opening {n} new shops; wants card terminals and merchant acquiring from us.",
        "Asked how our merchant acquiring fees compare with {competitor}'s.",
        "Wants to take card payments in the web shop; asked for e-commerce acquiring.",
    ),
    "novel_commodity_hedge": (
        "Fuel is their biggest cost; wants to hedge diesel prices for the truck fleet.",
        "Exposed to aluminium price swings; asked whether we offer commodity hedging.",
        "Wants to fix the price of the gas they buy for the next winter with a commodity swap.",
    ),
}

FRESH_CHINESE: dict[str, tuple[str, ...]] = {
    "fx_payables_hedge": ("进口设备需要支付{ccy}货款，客户希望提前购汇锁定成本。",),
    "rate_hedge": ("贷款是浮动利率，客户担心加息，询问利率掉期。",),
    "receivables_finance": ("下游客户回款周期长，希望办理应收账款保理盘活资金。",),
    "trade_guarantees": ("参加海外项目投标，需要银行开立投标保函。",),
    "investment_funds": ("企业有闲置资金，想购买货币基金。",),
    "working_capital": ("订单增加，需要增加短期流动资金贷款。",),
    "mortgage": ("客户个人购房，咨询房贷利率。",),
    "cash_pooling": ("集团下属公司资金分散，希望集中管理。",),
    "fx_receivables_hedge": ("客户有{ccy}出口收汇，想做远期 hedge。",),
}

ABBREVIATIONS_FRESH = {
    "year": ("yr",), "years": ("yrs",), "company": ("co.",), "million": ("mm",), "payments": ("pymts",),
    "receivables": ("rcv",), "development": ("dev",), "subsidiaries": ("subs",), "management": ("mgt",),
    "deposit": ("dep",), "between": ("btw",), "without": ("w/o",), "treasurer": ("tsy",), "guarantee": ("gty",),
    "suppliers": ("suppl.",), "facility": ("fac.",), "quarter": ("Q",), "customer": ("cust.",),
    "customers": ("custs",), "forward": ("fwd",), "letter of credit": ("L/C",),
}
