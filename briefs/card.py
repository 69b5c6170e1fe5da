"""The brief as a webhook card: JSON-ready data for a Teams, Slack or WeCom-style post.

A chat post is a teaser, not the brief: a few items per section, each with its link, and a
link to the desk. The shape (every value is JSON; strings are plain text, one line each, with
control characters written out, never markup)::

    {
      "title": str,            # the subject line
      "text": str,             # for whom and which day, or the quiet note
      "language": "en" | "zh",
      "brief_key": str,        # Brief.key
      "sections": [            # only sections with items, in records.briefs.SECTIONS order
        {
          "key": str,          # "customers", "markets", ...
          "heading": str,      # in the brief's language
          "items": [           # at most CARD_ITEMS, highest score first
            {"title": str, "summary": str, "reason": str, "when": str,
             "link": {"label": str, "url": str} | None}   # url: http(s) only
          ],
          "more": int          # items of the section left off the card
        }
      ],
      "link": {"label": str, "url": str} | None,           # the desk, when given
      "markdown": str          # all of the above as inert markdown (md_text / md_link)
    }

An adapter for a platform that reads markup in plain fields (Slack's mrkdwn, a Teams
TextBlock) escapes the strings for that platform, or posts ``markdown``, which is already
inert in CommonMark (``mi.records.inert``).
"""
from __future__ import annotations

from mi.briefs.formats import Formats
from mi.briefs.view import BriefView, ItemView
from mi.records.inert import md_link, md_text

CARD_ITEMS = 3
CARD_SUMMARY = 200


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _item(item: ItemView, formats: Formats) -> dict[str, object]:
    first = next((link for link in item.links if link.href), None)
    return {
        "title": item.title,
        "summary": _cut(item.summary, CARD_SUMMARY),
        "reason": item.reason,
        "when": formats.moment(item.when) if item.when else "",
        "link": {"label": first.label, "url": first.href} if first else None,
    }


def _markdown(card: dict, why: str) -> str:
    lines = [f"**{md_text(card['title'])}**", md_text(card["text"])]
    for section in card["sections"]:
        lines += ["", f"**{md_text(section['heading'])}**"]
        for item in section["items"]:
            link = item["link"]
            title = md_link(item["title"], link["url"]) if link else md_text(item["title"])
            lines.append(f"- {title}: {md_text(item['summary'])} ({md_text(why)} {md_text(item['reason'])})")
    if card["link"]:
        lines += ["", md_link(card["link"]["label"], card["link"]["url"])]
    return "\n".join(lines)


def webhook_card(view: BriefView, formats: Formats, subject: str) -> dict[str, object]:
    """The card of a brief (see the module's docstring for its shape)."""
    if view.quiet:
        text = formats.gettext("Nothing new for your customers, their industries or your markets since the last brief.")
    else:
        text = formats.gettext("For %(name)s · %(day)s") % {"name": view.rm_name, "day": formats.day(view.brief.period)}
    card: dict[str, object] = {
        "title": subject,
        "text": text,
        "language": formats.language,
        "brief_key": view.brief.key,
        "sections": [
            {"key": section.key, "heading": formats.heading(section.key),
             "items": [_item(item, formats) for item in section.items[:CARD_ITEMS]],
             "more": max(len(section.items) - CARD_ITEMS, 0)}
            for section in view.sections
        ],
        "link": {"label": formats.gettext("Open the desk"), "url": view.desk_href} if view.desk_href else None,
    }
    card["markdown"] = _markdown(card, formats.gettext("Why you see this:"))
    return card
