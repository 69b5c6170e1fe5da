"""Everything refine gives a Chinese document, in one call: industries, themes, tone (no I/O).

``names`` are the book's Chinese company names (ZhLinker.names): the segmenter learns them
so that a tone word inside a name (兴业银行, 华夏幸福) is read as part of the name.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mi.analysis.sentiment import Sentiment
from mi.analysis.zh_tags import tag_zh_industries, tag_zh_themes, zh_tagger_version
from mi.analysis.zh_tone import zh_document_tone, zh_tone_version


@dataclass(frozen=True)
class ZhDocumentTags:
    industries: list[str]  # ISIC sections
    themes: list[str]
    sentiment: Sentiment


def zh_models_version() -> str:
    return f"{zh_tagger_version()}-{zh_tone_version()}"


def tag_zh_document(title: str | None, text: str, hints: Sequence[str] = (),
                    names: frozenset[str] = frozenset()) -> ZhDocumentTags:
    text = text or ""
    return ZhDocumentTags(tag_zh_industries(title, text, hints, names), tag_zh_themes(title, text, names),
                          zh_document_tone(title, text, names))
