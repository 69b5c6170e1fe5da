"""The vocabulary of the sample field notes: what RMs hear from customers, by theme.

Written for this project as fictional sample text (no real person's words); used by
scripts/make_sample_notes.py.
"""
from __future__ import annotations

from dataclasses import dataclass

HOME_CURRENCIES = {"US": "USD", "GB": "GBP", "CH": "CHF", "CN": "CNY", "SG": "SGD", "CA": "CAD"}
COMPETITORS = ("Falkenried Bank", "Quayside Commercial Bank", "Bergsee Privatbank", "a large US bank",
               "one of the big local banks", "a digital challenger bank")
MARKETS = ("Vietnam", "Mexico", "Poland", "Morocco", "India", "Brazil", "Saudi Arabia", "Kenya", "Indonesia",
           "Turkey", "Chile", "the Philippines")
REGIONS = ("Asia", "Eastern Europe", "Mexico", "Turkey", "North Africa", "the Baltics")
COUNTRIES = ("Germany, France and Spain", "the Nordics", "the UK and Ireland", "Benelux", "six EU countries",
             "Singapore and Hong Kong", "the US and Canada")
GREEN = ("a fleet of electric delivery vans", "rooftop solar on the warehouses", "heat pumps for two plants",
         "an energy-efficient refit of the headquarters", "a new low-carbon production line",
         "battery storage at the main site", "LED and insulation upgrades across the branch network")
KPIS = ("scope 1 and 2 emissions", "energy intensity per unit produced", "share of renewable power",
        "water use", "waste to landfill")
SEASONS = ("holiday season", "summer peak", "harvest", "back-to-school season", "year-end rush")
PERIODS = ("next quarter", "in Q1", "in the spring", "in January", "in March", "in the second half of next year")
CONTACTS = ("the CFO", "the treasurer", "the group treasurer", "the finance director", "the CEO",
            "the assistant treasurer", "the head of finance")
PRIVATE_CONTACTS = ("the client", "the client", "the client's family office")
# (opening sentence, meeting type for the CSV exports' "meeting" column)
OPENERS = (("Met {contact} at their offices.", "visit"), ("Call with {contact}.", "call"),
           ("Quarterly review with {contact}.", "meeting"), ("Lunch with {contact}.", "visit"),
           ("Video call with {contact}.", "video"), ("Short call from {contact}.", "call"),
           ("Site visit, then a meeting with {contact}.", "visit"), ("", ""), ("", ""), ("", ""))
PRIVATE_OPENERS = (("Annual review with {contact}.", "meeting"), ("Coffee with {contact}.", "visit"),
                   ("Call with {contact}.", "call"), ("", ""), ("", ""))
NEXT_STEPS = ("Follow-up booked for next week.", "Proposal due by month-end.", "No action yet; check back in a month.",
              "Client to revert after the board meeting.", "Prepared a comparison; waiting for feedback.", "", "")
PRIVATE_NEXT_STEPS = ("Follow-up booked for next week.", "Will call back on Friday.", "Client to think it over.",
                      "", "")


@dataclass(frozen=True)
class Theme:
    tags: tuple[str, ...]
    bodies: tuple[str, ...]
    next_steps: tuple[str, ...] = ()  # besides the general ones
    always_confidential: bool = False


THEMES = {
    "fx": Theme(("fx", "hedging"), (
        "{short} now invoices about {share}% of sales in {ccy}; {contact} wants to hedge {pct}% of next year's "
        "{ccy} receivables with forwards.",
        "Worried about {ccy} weakness eating the margin. Asked for a rolling hedge programme on {ccy} "
        "receivables, roughly {amount} a quarter.",
        "Treasury policy being rewritten: minimum {pct}% hedge ratio on forecast {ccy} inflows. Likes window "
        "forwards because customer payment dates slip.",
        "Took a loss on unhedged {ccy} receivables last quarter and the board wants a proposal. Forwards vs "
        "options discussed.",
        "{ccy} receivables worth about {amount} after the new distribution deal — currently unhedged. "
        "Wants pricing for 3, 6 and 12 months.",
    ), ("Will bring in the FX desk.", "Sent indicative forward points.")),
    "working_capital": Theme(("working-capital", "credit"), (
        "Needs a {amount} working-capital line ahead of the {season}; inventory build starts {period}.",
        "Receivable days up from {d1} to {d2}. Asked whether we can raise the revolver by {amount}.",
        "Wants to replace the overdraft with a committed RCF; the current lender is {competitor}.",
        "Cash is tight since a large customer started paying late. Discussed a short-term bridge of {amount}.",
        "Growth is eating cash: asked for a seasonal top-up of {amount} on the existing facility.",
    ), ("Need credit's view before we go further.", "Asked credit for an indicative limit.")),
    "scf": Theme(("supply-chain-finance", "suppliers"), (
        "Procurement wants supplier finance for the top {n} suppliers, mostly in {region}; payment terms "
        "moving from 30 to {days} days.",
        "Asked about a payables programme: {n} suppliers, about {amount} annual spend. Dynamic discounting "
        "is also of interest.",
        "Suppliers in {region} are under pressure; {contact} wants an SCF programme live before the terms "
        "change {period}.",
        "{competitor} pitched a supply-chain finance platform; we should come back with ours quickly.",
    ), ("Asked product for a term sheet.", "Will set up a demo of the platform.")),
    "green": Theme(("green-loan", "capex", "esg"), (
        "Planning {amount} of capex on {green}; asked whether it qualifies for a green loan and what margin "
        "step-down we would give.",
        "First sustainability report due; {contact} interested in a sustainability-linked loan with KPIs on "
        "{kpi}.",
        "Budget approved for {green}. Wants financing over {years} years, ideally green-labelled.",
        "Board has set a net-zero target; capex plan of {amount} over {years} years. Wants a framework "
        "for green financing.",
    ), ("Will check eligibility with the sustainable finance team.", "Asked product for a term sheet.")),
    "cash_pooling": Theme(("cash-management", "cash-pooling"), (
        "Cash sits in {n} entities across {countries}; wants a notional or physical pool with daily sweeps.",
        "New treasury system goes live {period}; wants cash pooling and virtual accounts with it.",
        "Asked for a cash-pooling proposal covering {countries}; part of it is with {competitor} today.",
        "Trapped cash in subsidiaries is a recurring topic. Zero-balancing across {n} accounts discussed.",
    ), ("Will bring in a cash management specialist.", "Sent our pooling brochure.")),
    "trade": Theme(("trade-finance", "export"), (
        "Entering {market} next year, first orders of about {amount}. Wants letters of credit and options "
        "for export credit insurance.",
        "Won a tender in {market}; needs a performance guarantee of {amount} and an advance payment guarantee.",
        "Exporting to {market} on 90-day terms. Interested in receivables finance so cash is not tied up.",
        "First shipments to {market} are planned {period}. Unsure about documentary collections vs LCs — "
        "asked us to explain both.",
    ), ("Will introduce the trade finance team.", "Checking our correspondent banks there.")),
    "deposits": Theme(("deposits", "competitor", "pricing"), (
        "{competitor} offers {rate}% on {tenor} deposits; {contact} will move {amount} unless we get closer.",
        "Says {competitor} quoted {rate}% for {tenor} money. Our offer was {our_rate}%. Need a pricing "
        "exception.",
        "Surplus cash of {amount}. Compared our {tenor} rate with {competitor} ({rate}%) — very "
        "price-sensitive.",
        "Moved part of the operating cash to {competitor} for {rate}% on {tenor} deposits. Wants a counter-offer.",
    ), ("Asked treasury for a better rate.", "Sent our best offer.")),
    "rates": Theme(("interest-rates", "hedging"), (
        "After the last rate move {contact} wants to fix the rate on the {amount} term loan; asked for swap "
        "pricing over {years} years.",
        "Floating-rate debt of {amount} and a nervous board after the latest central bank decision. Wants a "
        "cap vs swap comparison.",
        "Wants to lock in rates before refinancing {period}: forward-starting swap discussed.",
        "With rates moving again, asked how much of the {amount} facility should be fixed.",
    ), ("Sent indicative swap rates.", "Will bring in the rates desk.")),
    "wealth": Theme(("wealth", "private-banking"), (
        "Owner is planning succession; interested in wealth planning and a discretionary mandate for "
        "about {amount}.",
        "Asked about our ESG bond fund and the money market fund for {amount} of cash.",
        "After the partial exit the founders hold about {amount} in cash. Introduced our private bankers.",
        "Wants to diversify away from the company's own shares: global equity fund and a lombard loan "
        "discussed.",
    ), ("Will introduce a private banker.",)),
    "deal": Theme(("m-and-a", "acquisition-finance"), (
        "Considering the acquisition of a competitor in {market}; may need acquisition finance of about "
        "{amount}. Strictly internal.",
        "Exploring the sale of a non-core division; will want help with the proceeds and the hedging. Do "
        "not discuss outside the coverage team.",
        "Early talks about buying a supplier; would need a bridge of {amount}. Not public.",
    ), always_confidential=True),
}
PRIVATE_THEMES = {
    "wealth": Theme(("wealth", "investment"), (
        "{contact} wants to invest {amount} from a property sale; balanced mandate with an ESG tilt.",
        "Asked about the global equity fund after the market dip; wants to add {amount} in tranches.",
        "Reviewing the portfolio: too much cash. Money market fund for {amount} as a first step.",
        "Inheritance expected next year; {contact} wants to talk about estate planning and a mandate.",
    ), ("Sent the fund factsheets.", "Will ask the portfolio manager to join next time.")),
    "deposits": Theme(("deposits", "competitor", "pricing"), (
        "{competitor} offers {rate}% on {tenor} deposits; {contact} asked whether we can match it for {amount}.",
        "Fixed-term deposit of {amount} matures next month. Compared with {competitor} at {rate}% — will "
        "leave unless we are close.",
        "Wants a {tenor} fixed deposit; our {our_rate}% is below {competitor} ({rate}%).",
    )),
    "lending": Theme(("lending",), (
        "Buying a holiday home; {contact} asked about a mortgage of {amount} and whether to fix for {years} years.",
        "After the last rate move, wants to fix the rate on the existing mortgage.",
        "Lombard loan of {amount} against the portfolio for a short-term purchase.",
    ), ("Asked credit for an indicative offer.",)),
}
TEAM_THEMES = {
    "Consumer & Retail": ("working_capital", "scf", "fx", "deposits", "cash_pooling", "wealth"),
    "Energy, Resources & Utilities": ("green", "rates", "trade", "fx", "working_capital"),
    "Financial Institutions": ("deposits", "cash_pooling", "rates", "fx"),
    "Healthcare": ("fx", "working_capital", "cash_pooling", "green", "trade"),
    "Industrials & Transport": ("trade", "fx", "scf", "green", "working_capital", "rates"),
    "Real Estate": ("green", "rates", "working_capital", "deposits"),
    "Technology, Media & Telecom": ("cash_pooling", "fx", "working_capital", "deposits", "wealth"),
}
# How each desk drops its notes: an export format per team.
TEAM_FORMATS = {
    "Consumer & Retail": "csv", "Healthcare": "csv", "Real Estate": "csv",
    "Industrials & Transport": "xlsx", "Energy, Resources & Utilities": "xlsx",
    "Technology, Media & Telecom": "json", "Financial Institutions": "json",
    "Private Banking": "csv_eu",
}
