"""The sections of one RM's brief, each item with its reason, built from the batch's material.

Customers first (news naming them, ranked by the customer's weight in the book and the
story's weight), then the industries the book is concentrated in, the market moves its
customers feel, competitors' changes on products its customers hold, and product ideas.
"""
from __future__ import annotations

import math
from collections.abc import Iterable

from mi.briefs.book import BookCustomer, RmBook
from mi.briefs.material import MarketMove, Material, NewsItem, story_weight
from mi.briefs.phrases import amount, industry_name, join, names_list, say, theme_name
from mi.briefs.relevance import THEME_PRODUCTS, change_of, exposed, move_kind, product_fits
from mi.records.briefs import BriefItem, Link, Move

#: The news theme of each kind of market move.
THEME_OF_KIND = {"fx": "fx", "rates": "rates", "energy": "commodities", "metals": "commodities",
                 "agriculture": "commodities", "equities": "equities"}
CUSTOMER_ITEMS, INDUSTRIES, INDUSTRY_EVENTS, MOVES, OFFERS, SUGGESTIONS = 12, 3, 2, 5, 5, 5
#: An industry smaller than this share of the book gets no section of its own.
MIN_SHARE = 0.05


def customer_news(book: RmBook, material: Material) -> list[BriefItem]:
    """One item per customer and story (an event carried by several outlets counts once)."""
    lang = book.language
    items: dict[tuple[int, int], BriefItem] = {}
    # A story on a market the day's anomalies are in (an FX story on a day the euro jumped)
    # weighs more: it is what the customer will call about.
    unusual = {THEME_OF_KIND.get(move_kind(m)) for m in material.moves if m.anomaly_score is not None}
    for company_id, customer in book.by_company.items():
        for news in material.news_by_company.get(company_id, []):
            key = (customer.id, news.event_id if news.event_id is not None else -news.document_id)
            anomaly = bool(unusual.intersection(news.themes))
            weight = _exposure(customer, book) * (_story(news) + (0.5 if anomaly else 0.0))
            if key in items and items[key].score >= weight:
                continue
            reasons = [say(lang, "names_customer", customer=customer.name)]
            if customer.products:
                reasons.append(say(lang, "holds_one" if len(customer.products) == 1 else "holds",
                                   count=len(customer.products), balance=amount(customer.balance)))
            if news.outlets > 1:
                reasons.append(say(lang, "outlets", count=news.outlets))
            if news.sentiment != "neutral":
                reasons.append(say(lang, "tone", tone=say(lang, news.sentiment)))
            if anomaly:
                reasons.append(say(lang, "on_unusual_market"))
            items[key] = BriefItem(
                section="customers", title=news.title, summary=news.summary, reason=join(lang, reasons),
                score=round(weight, 4), customer_ref=customer.ref, customer_name=customer.name,
                industry=customer.section, sentiment=news.sentiment, when=news.published_at or news.fetched_at,
                links=_links(news), sources=_sources(news), detail=_note_for(book, customer))
    return _top(items.values(), CUSTOMER_ITEMS)


def industries(book: RmBook, material: Material, shown: set[str]) -> list[BriefItem]:
    """The book's largest industries: the day's pulse and its top stories not shown above
    (``shown``: the sources of the items before, "document:1" and "event:7")."""
    lang = book.language
    result = []
    # A story naming another RM's customer is not this RM's industry news: the brief would
    # carry the name of a company the bank serves outside this RM's book.
    own = frozenset(book.by_company)
    for section, share in book.section_shares()[:INDUSTRIES]:
        if share < MIN_SHARE:
            break
        pulse = material.pulse.get(section)
        reasons = [say(lang, "book_share", share=f"{share:.0%}", industry=industry_name(lang, section))]
        if pulse:
            ratio = (float(pulse["documents"]) / float(pulse["baseline"])) if float(pulse["baseline"]) else 0.0
            if ratio:
                reasons.append(say(lang, "pulse", ratio=f"{ratio:.1f}", label=say(lang, str(pulse["label"]))))
            shift = float(pulse["sentiment_trend"])
            if abs(shift) >= 0.05:
                reasons.append(say(lang, "sentiment_shift", direction=say(lang, "up" if shift > 0 else "down"),
                                   shift=f"{abs(shift):.2f}"))
        seen_events: set[int] = set()
        picked = 0
        for news in material.section_stories(section).readable_by(own):  # strongest first
            if not _readable(news, lang) or not shown.isdisjoint(_sources(news)):
                continue
            if news.event_id is not None and news.event_id in seen_events:
                continue
            seen_events.add(news.event_id if news.event_id is not None else -news.document_id)
            result.append(BriefItem(
                section="industries", title=news.title, summary=news.summary,
                reason=join(lang, [*reasons, say(lang, "industry_event", industry=industry_name(lang, section))]),
                score=round(share * _story(news), 4), industry=section, sentiment=news.sentiment,
                when=news.published_at or news.fetched_at, links=_links(news), sources=_sources(news),
                detail={"_pulse": str(pulse["label"]) if pulse else ""}))
            picked += 1
            if picked == INDUSTRY_EVENTS:
                break
    return result


def market_moves(book: RmBook, material: Material) -> list[BriefItem]:
    """The moves this book's customers feel, largest first, one of each kind before a second.

    A bank's day has hundreds of series and every RM's brief looks at all of them: each move
    is sized once per batch (``Material.move_facts``), the customers exposed to each kind of
    move are found once per RM, and only the moves chosen become items."""
    lang = book.language
    customers = sorted(book.customers.values(), key=lambda c: c.name)
    by_kind: dict[str, list[BookCustomer]] = {}
    by_section: dict[str, list[BookCustomer]] = {}
    for customer in customers:
        by_section.setdefault(customer.section or "", []).append(customer)
    candidates = []
    for move in material.moves:
        kind, change, change_kind, swing = material.move_facts.get(move.series_id) or move_facts(move)
        if kind == "other":  # an official statistic: felt by the customers of its industry (``exposed``)
            who = by_section.get(move.industry, []) if move.industry is not None else []
        else:
            if kind not in by_kind:
                by_kind[kind] = [c for c in customers if exposed(c, move, kind)]
            who = by_kind[kind]
        if not who:
            continue
        # Sized against the series' own swings, so a currency in hyperinflation does not
        # crowd out a 2-sigma move in EUR/USD; an anomaly the detector flagged comes first.
        size = round(abs(move.anomaly_score or 0.0) * 2 + abs(swing), 4)
        candidates.append((size, move, kind, change, change_kind, who))
    # The largest move of each kind first (currencies, rates, energy, ...), then the rest:
    # five currency crosses are one story for a desk, not five.
    ranked = sorted(candidates, key=lambda c: (-c[0], c[1].name))
    firsts: dict[str, tuple] = {}
    for candidate in ranked:
        firsts.setdefault(candidate[2], candidate)
    leaders = sorted(firsts.values(), key=lambda c: (-c[0], c[1].name))[:MOVES]
    chosen = [*leaders, *[c for c in ranked if firsts[c[2]] is not c]][:MOVES]
    return [_move_item(lang, *candidate) for candidate in chosen]


def _move_item(lang: str, size: float, move: MarketMove, kind: str, change: float, change_kind: str,
               who: list[BookCustomer]) -> BriefItem:
    reasons = [say(lang, "move_for", count=len(who), who=names_list(lang, [c.name for c in who]))]
    if move.anomaly_score is not None:
        reasons.append(say(lang, "anomaly", score=f"{move.anomaly_score:.1f}"))
    if move.forecast_low is not None and move.forecast_high is not None:
        reasons.append(say(lang, "forecast", low=f"{move.forecast_low:.4g}", high=f"{move.forecast_high:.4g}"))
    return BriefItem(
        section="markets", title=move.name, summary="", reason=join(lang, reasons), score=size,
        industry=move.industry, when=None, sources=(f"series:{move.key}",),
        move=Move(move.key, move.unit, move.points, round(change, 6), change_kind, move.anomaly_score,
                  move.forecast_low, move.forecast_high),
        detail={"_kind": kind, "_customers": ",".join(c.ref for c in who)})


def competitor_changes(book: RmBook, material: Material) -> list[BriefItem]:
    """Competitors' changes on the kinds of product this RM's customers hold."""
    lang = book.language
    held: dict[str, int] = {}
    for customer in book.customers.values():
        for category in customer.holds:
            held[category] = held.get(category, 0) + 1
    items = []
    for change in material.offer_changes:
        category = _our_category(change.category, held)
        if category is None:
            continue
        title = f"{change.competitor}: {change.product_name}"
        what = f"{change.field} {change.old_value or '-'} \u2192 {change.new_value or '-'}" if change.field \
            else change.change
        items.append(BriefItem(
            section="competitors", title=title, summary=what,
            reason=say(lang, "competitor", count=held[category], category=category.replace("_", " ")),
            score=float(held[category]), when=None, links=_link(change.url, change.competitor),
            sources=(f"offer_change:{change.change_id}",),
            detail={"competitor": change.competitor, "_change": change.change}))
    return _top(items, OFFERS)


def suggestions(book: RmBook, material: Material, news_items: list[BriefItem],
                moves: list[BriefItem]) -> list[BriefItem]:
    """A product on the shelf for a customer in the news or exposed to a move, not held yet."""
    lang = book.language
    customers = {c.ref: c for c in book.customers.values()}
    themes_of = material.themes_of
    ideas: dict[str, BriefItem] = {}
    for item in news_items:
        customer = customers[item.customer_ref or ""]
        document = int(item.sources[0].split(":")[1])
        for theme in themes_of.get(document, ()):
            product = _product_for(customer, THEME_PRODUCTS.get(theme, ()), material)
            if product and customer.ref not in ideas:
                ideas[customer.ref] = _idea(book, customer, product, item.score, item.sources, say(
                    lang, "suggest", customer=customer.name, theme=theme_name(lang, theme), product=product.name))
    for item in moves:
        for ref in (item.detail.get("_customers") or "").split(","):
            customer = customers.get(ref)
            category = {"fx": ("fx",), "rates": ("corporate_loan",)}.get(item.detail.get("_kind", ""), ())
            product = _product_for(customer, category, material) if customer else None
            if customer and product and customer.ref not in ideas:
                ideas[customer.ref] = _idea(book, customer, product, item.score / 10, item.sources, say(
                    lang, "suggest_move", customer=customer.name, series=item.title, product=product.name))
    return _top(ideas.values(), SUGGESTIONS)


def _idea(book: RmBook, customer: BookCustomer, product: object, score: float, sources: tuple[str, ...],
          reason: str) -> BriefItem:
    return BriefItem(section="suggestions", title=product.name, summary="", reason=reason,  # type: ignore[attr-defined]
                     score=round(score * _exposure(customer, book), 4), customer_ref=customer.ref,
                     customer_name=customer.name, industry=customer.section,
                     sources=(*sources, f"product:{product.ref}"),  # type: ignore[attr-defined]
                     detail={"_product_ref": product.ref})  # type: ignore[attr-defined]


def _product_for(customer: BookCustomer, categories: tuple[str, ...], material: Material) -> object | None:
    for category in categories:
        for product in material.shelf:
            if product.category == category and product_fits(
                    customer, product.category, product.target_segment, product.target_industries, product.ref):
                return product
    return None


#: A competitor page's product category and the shelf categories its offers compete with.
COMPETING = {
    "deposit": ("term_deposit", "deposit"), "savings": ("deposit", "term_deposit"),
    "loan": ("corporate_loan", "sme_loan", "green_loan"), "credit": ("corporate_loan", "sme_loan"),
    "fx": ("fx",), "wealth": ("wealth_management",), "funds": ("wealth_management",),
    "trade": ("trade_finance",), "payments": ("cash_management",),
}


def _our_category(category: str | None, held: dict[str, int]) -> str | None:
    """The shelf category a competitor's offer competes with that this RM's customers hold most."""
    if not category:
        return None
    folded = category.lower().replace("-", "_")
    candidates = COMPETING.get(folded, (folded,))
    found = [ours for ours in candidates if ours in held]
    return max(found, key=lambda ours: held[ours]) if found else None


def move_facts(move: MarketMove) -> tuple[str, float, str, float]:
    """A move's kind, its change, how that change is measured and its size in typical steps."""
    kind = move_kind(move)
    change, change_kind = change_of(move)
    return kind, change, change_kind, _swing(move, change, change_kind)


def _swing(move: MarketMove, change: float, change_kind: str) -> float:
    """The week's change in units of the series' typical step (a z-score of sorts)."""
    values = [value for _, value in move.points]
    steps = [(b - a) / abs(a) if change_kind == "relative" and a else b - a for a, b in zip(values, values[1:])]
    if len(steps) < 3:
        return 0.0
    mean = sum(steps) / len(steps)
    spread = math.sqrt(sum((step - mean) ** 2 for step in steps) / (len(steps) - 1))
    return change / (spread * math.sqrt(5)) if spread else 0.0


def _exposure(customer: BookCustomer, book: RmBook) -> float:
    """0.5 for a customer with nothing held up to 1.0 for the book's largest balance."""
    largest = book.largest_balance
    if largest <= 0 or customer.balance <= 0:
        return 0.5
    return 0.5 + 0.5 * math.log1p(customer.balance) / math.log1p(largest)


_story = story_weight


def _readable(news: NewsItem, language: str) -> bool:
    """A story an RM can read: in their language or English (or not known to be otherwise)."""
    return news.language is None or news.language in (language, "en")


def _links(news: NewsItem) -> tuple[Link, ...]:
    return _link(news.url, news.channel)


def _link(url: str | None, label: str) -> tuple[Link, ...]:
    return (Link(url, label),) if url and url.lower().startswith(("http://", "https://")) else ()


def _sources(news: NewsItem) -> tuple[str, ...]:
    return (f"document:{news.document_id}",) + ((f"event:{news.event_id}",) if news.event_id else ())


def _note_for(book: RmBook, customer: BookCustomer) -> dict[str, str]:
    for note in book.notes:  # newest first
        if note.customer_id == customer.id:
            key = "your_note" if note.mine else "colleague_note"
            return {"note": say(book.language, key, date=note.noted_on.isoformat(), text=note.text[:300])}
    return {}


def _top(items: Iterable[BriefItem], count: int) -> list[BriefItem]:
    return sorted(items, key=lambda item: (-item.score, item.title, item.customer_ref or ""))[:count]
