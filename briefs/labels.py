"""The words a brief shows for codes it carries: kinds, sections, industries, tones.

Each is marked with ``N_`` so the catalogue extraction finds it; the formats translate it
when the brief is rendered (``mi.briefs.formats``). A code without a label here is shown as
it is, cleaned like any other text.
"""
from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 (the name gettext's extractors look for)
    """Marks ``message`` for translation without translating it now."""
    return message


#: The title of a brief of each ``records.briefs.KINDS``.
KIND_TITLES = {
    "daily": N_("Morning brief"),
    "alert": N_("Intraday alert"),
}

#: One heading per ``records.briefs.SECTIONS`` entry.
SECTION_HEADINGS = {
    "customers": N_("Your customers"),
    "industries": N_("Industry pulse"),
    "markets": N_("Market moves"),
    "competitors": N_("Competitor changes"),
    "suggestions": N_("Product suggestions"),
    "decisions": N_("Product decisions"),
}

#: ISIC Rev.4 sections by letter, in the short names the RMs know (GB/T 4754 aligns with them).
INDUSTRIES = {
    "A": N_("Agriculture, forestry and fishing"),
    "B": N_("Mining and quarrying"),
    "C": N_("Manufacturing"),
    "D": N_("Electricity, gas and steam supply"),
    "E": N_("Water supply and waste management"),
    "F": N_("Construction"),
    "G": N_("Wholesale and retail trade"),
    "H": N_("Transportation and storage"),
    "I": N_("Accommodation and food services"),
    "J": N_("Information and communication"),
    "K": N_("Financial and insurance activities"),
    "L": N_("Real estate"),
    "M": N_("Professional, scientific and technical services"),
    "N": N_("Administrative and support services"),
    "O": N_("Public administration and defence"),
    "P": N_("Education"),
    "Q": N_("Health and social work"),
    "R": N_("Arts, entertainment and recreation"),
    "S": N_("Other services"),
    "T": N_("Households as employers"),
    "U": N_("Extraterritorial organisations"),
}

TONES = {
    "positive": N_("positive"),
    "negative": N_("negative"),
    "neutral": N_("neutral"),
}

#: Keys of ``BriefItem.detail`` that composition uses; any other key is shown as written.
DETAIL_KEYS = {
    "note": N_("Notes"),
    "product": N_("Product"),
    "competitor": N_("Competitor"),
    "offer": N_("Offer"),
    "previous": N_("Before"),
    "current": N_("Now"),
    "question": N_("Ask next"),
    "decision": N_("Decision"),
    "status": N_("Status"),
}
