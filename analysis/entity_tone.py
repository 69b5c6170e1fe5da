"""The tone of a document toward each company it names (no I/O).

A brief shows how the news reads for *that* customer: "Apple beat estimates while Samsung
lost share" is good for one and bad for the other. The sentences that mention the company
(its linked mention, or its name) are scored by the finance sentiment model, the headline
counting double when it names the company; a company named in no sentence of its own takes
the document's tone.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from mi.analysis.sentiment import Sentiment, classify_article_sentiment

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")
_MAX_SENTENCES = 4  # the first mentions carry the news; later ones repeat it


@dataclass(frozen=True)
class ToneRequest:
    title: str | None
    text: str
    mentions: tuple[str, ...]  # how the company is written in this document


def _mentioning(sentences: list[str], mentions: tuple[str, ...]) -> list[str]:
    needles = [m.casefold() for m in mentions if m.strip()]
    return [s for s in sentences if any(n in s.casefold() for n in needles)][:_MAX_SENTENCES]


def tone_segments(request: ToneRequest) -> tuple[str | None, str]:
    """The (title, body) the model reads for one company: the headline when it names the
    company, and the first sentences that name it; the whole document when none does."""
    title = request.title if request.title and _mentioning([request.title], request.mentions) else None
    body = " ".join(_mentioning([s for s in _SENTENCE_END.split(request.text or "") if s.strip()],
                                request.mentions))
    if not title and not body:  # named only in a way the sentences do not show: the document's tone
        return request.title, request.text
    return title, body


def entity_tones(requests: Sequence[ToneRequest]) -> list[Sentiment]:
    """One tone per request, all scored in one batch."""
    pairs = [tone_segments(request) for request in requests]
    return classify_article_sentiment(pairs) if pairs else []
