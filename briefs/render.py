"""A composed ``Brief`` rendered as the RM receives it: subject, HTML email, plain text and a
webhook card, all in the RM's language (``Brief.language``: "en" or "zh").

Rendering decides nothing about content: composition chose the items and their reasons.
It takes no settings either: the caller passes the bank's name, the desk's address and the
time zone to show times in. The HTML needs no attachments (its charts are table cells), so
``Rendered.attachments`` stays empty.
"""
from __future__ import annotations

from mi.briefs.card import webhook_card
from mi.briefs.catalogues import language_of
from mi.briefs.environment import environment
from mi.briefs.formats import Formats
from mi.briefs.text import clean
from mi.briefs.view import CHART_HEIGHT, BriefView, present
from mi.records.briefs import Brief, Rendered

#: The ``lang`` attribute of the HTML for each language: mail clients and screen readers pick
#: fonts and voices by it (Simplified Chinese glyphs differ from Japanese ones).
HTML_LANG = {"en": "en", "zh": "zh-Hans"}


def render_brief(brief: Brief, *, bank_name: str, desk_url: str | None = None,
                 time_zone: str | None = None, card: bool = True) -> Rendered:
    """``brief`` as an email (subject, HTML, text) and a webhook card.

    ``bank_name`` heads the brief and its subject; ``desk_url``, when it is an http(s) URL,
    is linked at the end ("Open the desk"); ``time_zone`` (IANA name, e.g. "Asia/Shanghai")
    is the zone times are shown in, naive datetimes being UTC; without it each datetime is
    shown in the zone it carries. A brief in a language other than "en" or "zh" is rendered
    in English (``Rendered.language`` says which). ``card=False`` leaves the webhook card
    out (``Rendered.card`` empty), for a bank that delivers on no webhook.
    """
    language = language_of(brief.language)
    formats = Formats(language, time_zone)
    view = present(brief, bank_name=bank_name, desk_url=desk_url)
    subject = subject_line(view, formats)
    env = environment(language)
    context = {
        "view": view, "brief": brief, "bank_name": view.bank_name, "rm_name": view.rm_name,
        "subject": subject, "preheader": _preheader(view, formats), "html_lang": HTML_LANG[language],
        "chart_height": CHART_HEIGHT, "formats": formats,
    }
    return Rendered(
        brief_key=brief.key,
        subject=subject,
        html=env.get_template("brief.html").render(context),
        text=env.get_template("brief.txt").render(context),
        language=language,
        card=webhook_card(view, formats, subject) if card else {},
    )


def subject_line(view: BriefView, formats: Formats) -> str:
    """One line, never a header break: "Acme Bank · Morning brief · Mar 4, 2026 · 5 items"."""
    count = view.item_count
    if view.quiet:
        size = formats.gettext("nothing new")
    else:
        size = formats.ngettext("%(count)s item", "%(count)s items", count) % {"count": count}
    parts = [view.bank_name, formats.kind_title(view.brief.kind), formats.date(view.brief.period), size]
    return clean(" · ".join(part for part in parts if part))


def _preheader(view: BriefView, formats: Formats) -> str:
    """The line a mail client previews under the subject: the top item's title."""
    if view.quiet:
        return formats.gettext("Nothing new for your customers, their industries or your markets since the last brief.")
    return view.sections[0].items[0].title
