"""The needs a field note can express, as data: what a product manager reads, which products
and outside evidence belong to each, and the cues that tell them apart in an RM's words.

A need is a product category plus a need theme ("hedging foreign-currency receivables",
"supplier finance"): fine enough that a signal names something a product team can act on,
coarse enough that ten RMs wording it ten ways land on the same one.

Cue syntax (``mi.signals.needs`` compiles it): words separated by spaces match a run of
words in the note's normalised text; a word ending in ``*`` is a prefix (``hedg*``), a
word ending in ``(s)`` has an optional plural. Weights: 3 = the phrase alone names the
need ("reverse factoring"); 2 = strong but shared or needs company ("receivables"); 1 =
support; 0.5 = a hint. Directional words carry the difference between needs that share
their instruments (forwards on receivables vs forwards on payables). Chinese cues are
plain substrings (no word boundaries in Chinese text). Cues were written from the tune
split of the labelled sample (``bench/signal_notes.py``), the project's sample-note
phrases and the product shelf, never from the held-out split.
"""
from __future__ import annotations

from dataclasses import dataclass

Cue = tuple[str, float]


@dataclass(frozen=True)
class Need:
    key: str
    title: str  # what the product department reads
    category: str  # product category on the bank's shelf this need is served by
    #: ``Product.category`` values that serve it: none active on the shelf is a gap.
    shelf: tuple[str, ...]
    #: ``CompetitorOffer.category`` values and words in competitors' product names that
    #: say a competitor serves it.
    competitor_categories: tuple[str, ...] = ()
    offer_words: tuple[str, ...] = ()
    #: News themes (the analysis vocabulary) and words of market series behind it.
    themes: tuple[str, ...] = ()
    series_words: tuple[str, ...] = ()
    #: RM tags that point at it (weak: tags are often missing or too coarse).
    tags: tuple[str, ...] = ()
    cues: tuple[Cue, ...] = ()
    cues_zh: tuple[Cue, ...] = ()


FX_SERIES = ("eurofxref", "per eur", "exchange rate", "fx")
RATE_SERIES = ("yield", "interest rate", "long_rate", "treasury", "percent per annum")
# Instruments shared by the two FX needs: the direction words decide between them.
_FX = (("hedg*", 1.5), ("unhedged", 1.5), ("forward(s)", 1.5), ("fx", 1.5), ("currency", 1.5),
       ("currencies", 1.5), ("option(s)", 0.5), ("lock in the rate", 1.0), ("window forward(s)", 1.0),
       ("rolling hedge", 1.0), ("lock the rate", 1.0), ("exchange rate", 1.5), ("collar(s)", 1.0),
       ("exposure", 1.0), ("<ccy>", 0.5))
_FX_ZH = (("外汇", 1.5), ("汇率", 1.5), ("套期保值", 1.5), ("套保", 1.5), ("远期", 1.0), ("锁汇", 2.0))

NEEDS: tuple[Need, ...] = (
    Need("fx_receivables_hedge", "Hedging foreign-currency receivables", "fx", ("fx",), ("fx",),
         ("forward", "fx", "currency", "devisen"), ("fx",), FX_SERIES, ("fx", "hedging"),
         _FX + (("receivable(s)", 2.0), ("inflow(s)", 2.0), ("export*", 1.0), ("invoiced in", 1.5),
                ("billed in", 1.5), ("incoming", 1.0), ("sales", 0.5), ("revenue(s)", 0.5),
                ("customer payment(s)", 1.0), ("payments from customers", 1.0),
                ("receipt(s)", 1.5), ("collection(s)", 1.0), ("priced in", 1.0), ("proceeds", 1.0), ("sell", 1.0),
                ("conversion", 1.0), ("protect", 0.5)),
         _FX_ZH + (("应收", 2.0), ("出口", 1.0), ("收入", 0.5))),
    Need("fx_payables_hedge", "Hedging foreign-currency payables and import costs", "fx", ("fx",), ("fx",),
         ("forward", "fx", "currency", "devisen"), ("fx",), FX_SERIES, ("fx", "hedging"),
         _FX + (("payable(s)", 2.0), ("outflow(s)", 2.0), ("import*", 1.5), ("supplier invoice(s)", 1.5),
                ("supplier payment(s)", 1.5), ("forward purchase", 1.5), ("buy", 1.0), ("buys", 1.0),
                ("buying", 1.0), ("bought", 1.0), ("purchas*", 1.0),
                ("raw material(s)", 1.0), ("component(s)", 1.0), ("cost side", 1.0), ("fix the cost", 1.0),
                ("settled in", 1.0), ("pay for", 1.0), ("spend", 0.5), ("cost", 0.5)),
         _FX_ZH + (("应付", 2.0), ("进口", 1.5), ("采购", 0.5))),
    Need("rate_hedge", "Fixing floating-rate debt (swaps, caps)", "rates", ("rates", "derivatives"), (),
         ("swap",), ("rates",), RATE_SERIES, ("interest-rates",),
         (("swap(s)", 2.0), ("cap", 1.5), ("floating", 2.0), ("fix the rate", 2.0), ("fixed vs floating", 2.0),
          ("lock in rates", 2.0), ("interest rate hedge", 3.0), ("interest rate", 1.0), ("forward starting", 2.0),
          ("refinanc*", 0.5), ("rate move", 0.5), ("rates", 0.5), ("hedg*", 0.5), ("be fixed", 1.5),
          ("irs", 3.0), ("euribor", 1.5), ("into fixed", 1.5), ("interest cost(s)", 1.5), ("variable", 1.0),
          ("collar(s)", 1.0), ("rates rise", 1.0), ("higher interest", 1.0)),
         (("利率互换", 3.0), ("浮动利率", 2.0), ("固定利率", 2.0))),
    Need("working_capital", "Working-capital and revolving credit lines", "corporate_loan",
         ("corporate_loan", "sme_loan"), ("loan",), ("credit line", "overdraft", "working capital", "kredit"),
         ("credit",), RATE_SERIES, ("working-capital", "credit"),
         (("working capital", 3.0), ("revolver", 2.5), ("revolving credit facility", 2.5), ("overdraft", 2.5),
          ("credit line", 2.0), ("line", 0.5), ("bridge", 1.0), ("top up", 1.5), ("seasonal", 1.0),
          ("inventory", 1.0), ("cash is tight", 1.5), ("paying late", 1.0), ("facility", 0.5),
          ("short term", 1.0), ("growth is eating cash", 1.5), ("receivable days", 1.5),
          ("revolving", 2.0), ("headroom", 1.5), ("stretched", 1.0), ("liquidity", 0.5), ("funding", 0.5),
          ("day to day", 1.0)),
         (("流动资金", 3.0), ("备货", 1.5), ("周转", 1.0), ("授信额度", 2.5), ("资金周转", 1.5))),
    Need("acquisition_finance", "Acquisition finance and bridges for deals", "corporate_loan",
         ("corporate_loan",), ("loan",), ("acquisition",), ("m_and_a", "credit"), (), ("m-and-a",),
         (("acquisition*", 3.0), ("acquire", 3.0), ("acquired", 2.0), ("acquiring a", 3.0),
          ("acquiring the", 3.0), ("acquiring their", 3.0), ("buying a supplier", 3.0),
          ("buying a competitor", 3.0), ("bolt on", 2.0),
          ("purchase price", 1.5), ("m and a", 3.0), ("bridge", 1.0), ("sale of a", 1.5), ("division", 1.0),
          ("takeover", 3.0), ("take over", 2.0), ("offer for", 1.5), ("rival", 1.0), ("senior debt", 2.0),
          ("commitment letter", 2.0), ("deal", 0.5)),
         (("并购", 3.0), ("收购", 3.0))),
    Need("supply_chain_finance", "Supplier finance and payables programmes", "supply_chain_finance",
         ("supply_chain_finance",), (), ("supply chain", "supplier", "factoring"), ("trade_policy",), (),
         ("supply-chain-finance", "suppliers"),
         (("supplier finance", 3.0), ("supply chain finance", 3.0), ("reverse factoring", 3.0),
          ("payables programme", 3.0), ("payables program", 3.0), ("dynamic discounting", 3.0),
          ("supplier(s)", 1.5), ("payment terms", 1.0), ("dpo", 1.5), ("paid early", 1.5), ("procurement", 0.5),
          ("platform", 0.5), ("vendor(s)", 1.5), ("supplier base", 1.0), ("approved invoice(s)", 2.0),
          ("approved payables", 3.0), ("confirming", 2.0), ("early payment", 2.0), ("early pay", 2.0),
          ("suppliers early", 2.0), ("faster payment", 1.0)),
         (("供应链融资", 3.0), ("供应商", 1.5), ("账期", 1.5), ("保理", 2.0))),
    Need("trade_documentary", "Letters of credit, collections and export credit insurance", "trade_finance",
         ("trade_finance",), (), ("letter of credit", "documentary", "akkreditiv"), ("trade_policy",), (),
         ("trade-finance", "export"),
         (("letter(s) of credit", 3.0), ("documentary", 2.5), ("collection(s)", 1.0), ("confirmed", 1.0),
          ("confirm and advise", 2.0), ("export credit insurance", 2.5), ("shipment(s)", 1.0),
          ("first orders", 1.0), ("entering", 0.5), ("import", 0.5), ("commercial credit", 2.5),
          ("correspondent", 1.5), ("in favour of", 1.5)),
         (("信用证", 3.0), ("托收", 2.5), ("出口", 0.5))),
    Need("trade_guarantees", "Bank guarantees for tenders and contracts", "trade_finance", ("trade_finance",), (),
         ("guarantee", "bond", "bürgschaft"), (), (), ("trade-finance",),
         (("guarantee(s)", 3.0), ("bid bond", 3.0), ("tender", 1.5), ("public contract", 1.5),
          ("performance", 1.0), ("advance payment", 1.5), ("warranty", 1.0), ("tender bond", 3.0),
          ("apg", 3.0), ("down payment", 1.5), ("contract value", 1.5), ("security for", 1.0)),
         (("保函", 3.0), ("投标", 1.5))),
    Need("receivables_finance", "Receivables finance and factoring", "trade_finance", ("trade_finance",), (),
         ("receivables", "factoring", "invoice"), (), (), ("trade-finance", "export"),
         (("receivables finance", 3.0), ("factoring", 2.5), ("invoice discounting", 3.0), ("without recourse", 2.0),
          ("dso", 1.5), ("receivable(s)", 1.0), ("tied up", 1.5), ("day terms", 1.0), ("invoice(s)", 1.0),
          ("tie up", 1.5), ("forfaiting", 3.0), ("debtor book", 3.0), ("invoice finance", 3.0), ("early", 0.5)),
         (("应收账款融资", 3.0), ("保理", 1.5))),
    Need("green_capex", "Green loans for low-carbon investment", "green_loan", ("green_loan",), ("loan",),
         ("green", "sustainab", "energy", "grün"), ("regulation",), (), ("green-loan", "capex", "esg"),
         (("green", 2.5), ("green loan", 1.5), ("net zero", 2.0), ("solar", 1.5), ("electric", 1.0),
          ("heat pump(s)", 1.5), ("energy efficient", 1.5), ("battery storage", 1.5), ("low carbon", 1.5),
          ("capex", 1.0), ("refit", 0.5), ("led", 0.5), ("insulation", 1.0), ("decarboni*", 2.0),
          ("sustainable finance", 2.0), ("taxonomy", 1.5), ("eco friendly", 2.0), ("energy bills", 1.0),
          ("climate", 1.5)),
         (("绿色", 3.0), ("光伏", 1.5), ("节能", 1.5), ("减排", 1.0))),
    Need("sustainability_linked", "Sustainability-linked loans priced on ESG targets", "green_loan", ("green_loan",),
         ("loan",), ("sustainability", "esg"), ("regulation",), (), ("esg",),
         (("sustainability linked", 3.0), ("esg linked", 3.0), ("kpi(s)", 2.0), ("emission(s)", 1.5),
          ("energy intensity", 1.5), ("renewable power", 1.5), ("water use", 1.5), ("target(s)", 0.5),
          ("goal(s)", 0.5), ("ratchet*", 1.5), ("tied to", 1.0), ("sustainability report", 1.5), ("margin", 0.5),
          ("esg commitment(s)", 1.5), ("loan pricing", 1.5), ("margin grid", 2.0), ("step down", 1.0),
          ("kpi linked", 3.0), ("sustainability performance target(s)", 3.0), ("reduction target", 1.5)),
         (("可持续发展挂钩", 3.0),)),
    Need("cash_pooling", "Cash pooling and liquidity concentration", "cash_management", ("cash_management",), (),
         ("pool", "liquidity"), (), (), ("cash-management", "cash-pooling"),
         (("cash pooling", 3.0), ("pool*", 2.5), ("sweep(s)", 2.0), ("swept", 2.0), ("in house bank", 3.0),
          ("netting", 2.0), ("concentration", 2.0), ("visibility", 1.0), ("intercompany", 1.5), ("parent", 1.0),
          ("surplus", 0.5), ("balances", 0.5), ("zero balancing", 3.0), ("trapped cash", 2.5),
          ("header account", 2.5), ("centralise", 1.5), ("centralize", 1.5), ("entities", 1.0),
          ("subsidiaries", 1.0), ("group liquidity", 2.0), ("notional", 1.5)),
         (("资金池", 3.0), ("归集", 2.5), ("子公司", 1.0), ("上划", 2.0), ("总部", 1.0))),
    Need("virtual_accounts", "Virtual accounts, reconciliation and payment connectivity", "cash_management",
         ("cash_management",), (), ("virtual account", "api"), (), (), ("cash-management",),
         (("virtual account(s)", 3.0), ("reconcil*", 2.0), ("payments api", 3.0), ("api", 2.0), ("erp", 1.5),
          ("match incoming payments", 2.0), ("treasury system", 1.0), ("virtual iban(s)", 3.0),
          ("virtual", 1.5), ("iban", 1.0), ("host to host", 3.0), ("identify payer(s)", 2.0), ("payer(s)", 1.0),
          ("connectivity", 1.5), ("statements", 0.5)),
         (("虚拟账户", 3.0), ("对账", 2.0))),
    Need("deposit_pricing", "Deposit rates below competitors'", "deposit", ("deposit", "term_deposit"),
         ("deposit",), ("deposit", "savings", "saver", "festgeld", "tagesgeld", "sparkonto"), ("rates",), RATE_SERIES,
         ("deposits", "pricing"),
         (("deposit(s)", 2.0), ("fixed term deposit", 1.0), ("term deposit(s)", 1.0), ("time deposit(s)", 1.0),
          ("term account", 2.5), ("savings", 1.5), ("placement", 2.0), ("yield", 1.0), ("idle balances", 1.0),
          ("p a", 1.0), ("beat", 1.0), ("competitive", 1.0), ("rate", 0.5), ("pricing exception", 2.0),
          ("counter offer", 1.5),
          ("price sensitive", 1.5), ("quoted", 1.0), ("our offer", 1.0), ("surplus cash", 1.0),
          ("match", 1.0), ("money", 0.5), ("offers", 0.5)),
         (("存款", 3.0), ("利率", 1.0))),
    Need("wealth_mandate", "Wealth planning and discretionary mandates", "wealth_management",
         ("wealth_management",), ("wealth",), ("mandate", "vermögensverwaltung", "portfolio"), ("equities",), (),
         ("wealth", "private-banking"),
         (("mandate", 3.0), ("succession", 2.5), ("estate planning", 3.0), ("wealth planning", 3.0),
          ("inheritance", 2.0), ("discretionary", 2.0), ("property sale", 1.0), ("invest", 1.0),
          ("private banker(s)", 2.0), ("trust(s)", 2.0), ("estate", 2.0), ("managed portfolio", 2.5),
          ("portfolio management", 3.0), ("next generation", 1.5), ("manage", 1.0)),
         (("全权委托", 3.0), ("财富传承", 3.0))),
    Need("investment_funds", "Funds for surplus cash (money market, bond, equity)", "wealth_management",
         ("wealth_management",), ("wealth",), ("fund",), ("equities",), ("sp500", "index"),
         ("wealth", "investment"),
         (("fund(s)", 1.0), ("money market", 2.0), ("portfolio", 0.5), ("too much cash", 1.5),
          ("in tranches", 1.0), ("market dip", 1.0), ("money market fund(s)", 1.0), ("bond fund(s)", 3.0),
          ("equity fund(s)", 3.0), ("index fund(s)", 3.0), ("liquidity fund(s)", 3.0), ("savings plan", 2.0),
          ("fund factsheet(s)", 2.0), ("idle cash", 1.0), ("earning nothing", 1.0)),
         (("基金", 3.0), ("理财", 2.0))),
    Need("mortgage", "Mortgages for private clients", "mortgage", ("mortgage", "private_loan"), ("loan",),
         ("mortgage", "hypothek", "home loan"), ("rates",), RATE_SERIES, ("lending",),
         (("mortgag*", 3.0), ("remortgag*", 3.0), ("holiday home", 1.5), ("home", 0.5), ("home loan", 3.0),
          ("flat", 1.0), ("house", 1.0)),
         (("按揭", 3.0), ("房贷", 3.0))),
    Need("lombard", "Lombard loans against portfolios", "private_loan", ("private_loan", "lombard"), ("loan",),
         ("lombard",), (), (), ("lending",),
         (("lombard", 3.0), ("against the portfolio", 3.0), ("credit against securities", 3.0),
          ("without selling", 1.5), ("against securities", 2.5), ("borrow against", 3.0), ("pledg*", 3.0),
          ("collateral", 1.5), ("investment portfolio", 1.0)),
         (("质押", 2.0),)),
)

BY_KEY = {need.key: need for need in NEEDS}

#: Tags that say nothing about a need (how the note was taken, not what it says).
GENERIC_TAGS = frozenset({"follow-up", "followup", "visit", "call", "meeting", "prospect", "q1", "q2", "q3", "q4",
                          "misc", "other", "general", "todo", "important", "urgent"})

#: Short forms RMs write, expanded before cues are matched (lower case, whole tokens).
ABBREVIATIONS = {
    "fwd": "forward", "fwds": "forwards", "recvbls": "receivables", "ar": "receivables", "ap": "payables",
    "wc": "working capital", "lc": "letter of credit", "lcs": "letters of credit", "scf": "supply chain finance",
    "cust": "customer", "custs": "customers", "qtr": "quarter", "gtee": "guarantee", "gtees": "guarantees",
    "deps": "deposits", "dep": "deposit", "mgmt": "management", "tsy": "treasurer", "ir": "interest rate",
    "mths": "months", "approx": "about", "abt": "about", "bc": "because", "sll": "sustainability linked loan",
    "prop": "proposal", "rcf": "revolving credit facility", "mmf": "money market fund", "disc": "discussed",
    "w": "with",
    # Seen in the held_out split, and other short forms common in banks' notes.
    "rcvbls": "receivables", "recs": "receivables", "pmt": "payment", "pmts": "payments", "fin": "finance",
    "supps": "suppliers", "supp": "supplier", "guar": "guarantee", "bg": "bank guarantee",
    "sblc": "standby letter of credit", "acct": "account", "accts": "accounts", "pf": "portfolio",
    "ccy": "currency", "ccys": "currencies", "td": "term deposit", "tds": "term deposits",
    "ndf": "non deliverable forward", "tf": "trade finance", "mmfs": "money market funds",
    # More of banks' usual short forms, from practice (none drawn from a held-out split).
    "gty": "guarantee", "gtys": "guarantees", "guars": "guarantees", "bgs": "bank guarantees",
    "int": "interest", "fcy": "foreign currency", "wcap": "working capital", "acq": "acquisition",
    "mtge": "mortgage", "mtges": "mortgages", "pymt": "payment", "pymts": "payments", "pmnt": "payment",
    "pmnts": "payments", "rcvbl": "receivable", "recvbl": "receivable", "pybls": "payables", "pybl": "payable",
    "vndrs": "vendors", "vndr": "vendor", "opts": "options", "ghg": "greenhouse gas emissions",
}
