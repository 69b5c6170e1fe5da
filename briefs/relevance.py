"""Which market moves, competitor changes and products matter to which customers.

The rules are the ones a desk analyst applies, kept small and explicit so that every item
can say why it is there: currencies matter to customers that trade across borders (the
trading and producing industries) or already hedge, rates to borrowers and depositors,
oil and energy to producers and heavy users, equity markets to private wealth clients.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

from mi.briefs.book import BookCustomer
from mi.briefs.material import MarketMove
from mi.records.briefs import BriefItem

#: Industries (ISIC sections) whose customers buy or sell across borders.
TRADING_SECTIONS = frozenset("ABCGH")
#: Industries that produce or burn energy and raw materials.
ENERGY_SECTIONS = frozenset("BCDH")
AGRICULTURE_SECTIONS = frozenset("AC")
LENDING = frozenset({"corporate_loan", "sme_loan", "green_loan", "trade_finance", "supply_chain_finance"})
SAVING = frozenset({"deposit", "term_deposit", "wealth_management"})

_FX = re.compile(r"eurofxref|\bfx\b|exchange rate|\b(usd|eur|cny|rmb|jpy|gbp|chf)\b|per (eur|usd)", re.I)
_RATES = re.compile(r"yield|treasury|rate|shibor|lpr|bund|libor|sofr|euribor|\bbond", re.I)
_ENERGY = re.compile(r"crude|\boil\b|\bwti\b|brent|\bgas\b|\bcoal\b|electricity|energy price|power price", re.I)
_AGRI = re.compile(r"wheat|corn|soy|grain|sugar|coffee|cocoa|cattle", re.I)
_METALS = re.compile(r"gold|silver|copper|alumin|iron|steel|nickel", re.I)
_EQUITY = re.compile(r"s&p|sp500|index|stock|equit|nasdaq|dax|csi|hang seng", re.I)

#: What a story on a theme suggests on the shelf (product categories), by the customer's tone.
THEME_PRODUCTS: dict[str, tuple[str, ...]] = {
    "fx": ("fx",),
    "rates": ("corporate_loan", "term_deposit"),
    "trade_policy": ("trade_finance", "supply_chain_finance"),
    "commodities": ("trade_finance",),
    "m_and_a": ("corporate_loan",),
    "credit": ("corporate_loan", "sme_loan"),
    "earnings": ("cash_management", "corporate_loan"),
    "macro": ("cash_management",),
    "equities": ("wealth_management",),
}


def move_kind(move: MarketMove) -> str:
    """fx, rates, energy, agriculture, metals, equities, or other (an official statistic)."""
    text = f"{move.key} {move.name} {move.unit}"
    for kind, pattern in (("fx", _FX), ("rates", _RATES), ("energy", _ENERGY), ("agriculture", _AGRI),
                          ("metals", _METALS), ("equities", _EQUITY)):
        if pattern.search(text):
            return kind
    return "other"


def exposed(customer: BookCustomer, move: MarketMove, kind: str) -> bool:
    """Whether this move is one this customer's business feels."""
    section = customer.section or ""
    if kind == "fx":
        return customer.segment == "corporate" and (section in TRADING_SECTIONS or "fx" in customer.holds)
    if kind == "rates":
        return bool(customer.holds & LENDING) or bool(customer.holds & {"term_deposit"})
    if kind == "energy":
        return section in ENERGY_SECTIONS
    if kind == "agriculture":
        return section in AGRICULTURE_SECTIONS
    if kind == "metals":
        return section in {"B", "C", "F"}
    if kind == "equities":
        return customer.segment == "private" and bool(customer.holds & SAVING)
    return move.industry is not None and move.industry == section


def product_fits(customer: BookCustomer, category: str, segment: str | None, industries: tuple[str, ...],
                 ref: str) -> bool:
    """A shelf product this customer could be offered: the right segment and industry, not held yet."""
    if ref in customer.products:
        return False
    if segment and not _segment_fits(customer.segment, segment):
        return False
    return not industries or (customer.section or "") in industries


def _segment_fits(customer_segment: str, product_segment: str) -> bool:
    # An SME product is offered to the bank's smaller corporates; the book only knows
    # "corporate" and "private".
    return product_segment == customer_segment or (product_segment == "sme" and customer_segment == "corporate")


def change_of(move: MarketMove) -> tuple[float, str]:
    """The move over the last week (else the last day): relative for prices, points for rates."""
    if len(move.points) < 2:
        return 0.0, "relative"
    first_index = max(0, len(move.points) - 6)
    first, last = move.points[first_index][1], move.points[-1][1]
    if move_kind(move) == "rates" or "%" in move.unit or "percent" in move.unit.lower():
        return last - first, "points"
    return ((last - first) / abs(first) if first else 0.0), "relative"


# RMs' feedback on brief items (the desk): a verdict on an item follows the story it stands on,
# and the RM's verdicts on a customer's items in a section weigh that customer's next ones.
FEEDBACK_STEP = 0.25
FEEDBACK_FLOOR, FEEDBACK_CEILING = 0.25, 2.0
#: Verdicts after which the judged item is not shown to that RM again.
DISMISSING = frozenset({"not_relevant", "wrong_customer"})
_LEANING = {"useful": 1, "not_relevant": -1, "wrong_customer": -1}


@dataclass(frozen=True)
class Verdict:
    item_key: str  # item_key() of the item judged
    section: str
    customer_ref: str  # "" for an item about no customer
    verdict: str  # useful, not_relevant, wrong_customer


def item_key(item: BriefItem) -> str:
    """What identifies an item across briefs: the stored rows it stands on."""
    return ",".join(item.sources)[:400]


def apply_feedback(items: list[BriefItem], verdicts: Sequence[Verdict]) -> list[BriefItem]:
    """``items`` with the RM's verdicts applied: an item judged not relevant or about the wrong
    customer is left out; the others' scores are scaled by 1 + 0.25 per useful, - 0.25 per
    dismissing verdict on the same section and customer (between 0.25 and 2)."""
    if not verdicts:
        return items
    judged = {(v.item_key, v.customer_ref): v.verdict for v in verdicts}
    leaning: dict[tuple[str, str], int] = {}
    for v in verdicts:
        leaning[(v.section, v.customer_ref)] = leaning.get((v.section, v.customer_ref), 0) + _LEANING.get(v.verdict, 0)
    kept = []
    for item in items:
        customer = item.customer_ref or ""
        if judged.get((item_key(item), customer)) in DISMISSING:
            continue
        weight = 1 + FEEDBACK_STEP * leaning.get((item.section, customer), 0)
        weight = min(FEEDBACK_CEILING, max(FEEDBACK_FLOOR, weight))
        kept.append(item if weight == 1 else dataclasses.replace(item, score=item.score * weight))
    return kept
