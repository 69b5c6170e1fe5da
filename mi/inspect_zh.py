"""``mi inspect text`` for a Chinese line: the Chinese models, the Chinese linker, and with
``--explain`` the segmentation the reasons refer to, the theme and industry words found and
the tone words (negation shown)."""
from __future__ import annotations

from typing import Any

from mi.analysis.zh_linking import ZhLinker
from mi.analysis.zh_tags import explain_zh_industries, explain_zh_themes, tag_zh_industries, tag_zh_themes
from mi.analysis.zh_text import joined_words
from mi.analysis.zh_tone import explain_zh_tone, zh_document_tone, zh_entity_tone


def inspect_chinese(record: dict[str, Any], language: str, linker: ZhLinker | None, explain: bool) -> dict[str, Any]:
    title, text = record.get("title"), record["text"]
    names = linker.names if linker else frozenset()
    tone = zh_document_tone(title, text, names)
    links, rejected = linker.explain(title, text) if linker else ([], [])
    result: dict[str, Any] = {
        "id": record["id"],
        "language": language,
        "industries": tag_zh_industries(title, text, names=names),
        "themes": tag_zh_themes(title, text, names),
        "sentiment": {"label": tone.label, "score": round(float(tone.score), 4)},
        "entities": [{"name": link.name, "company_id": link.company_id} for link in links],
    }
    if not explain:
        return result
    result["entities"] = []
    for link in links:
        entity_tone = zh_entity_tone(title, text, (link.mention, link.name), names)
        result["entities"].append({"name": link.name, "company_id": link.company_id, "mention": link.mention,
                                   "confidence": link.confidence, "reason": link.reason,
                                   "tone": {"label": entity_tone.label, "score": round(float(entity_tone.score), 4)}})
    result["rejected"] = [{"name": r.name, "company_id": r.company_id, "mention": r.mention, "reason": r.reason}
                          for r in rejected]
    full = " ".join(filter(None, (title, text)))
    result["segmentation"] = joined_words(ZhLinker.segmenter().words(full))
    result["theme_words"] = {e.label: e.terms() for e in explain_zh_themes(title, text, names) if e.tagged}
    result["industry_words"] = {f"{e.section} (GB/T {e.gbt_section} {e.name})": e.keywords.terms()
                                for e in explain_zh_industries(title, text, names) if e.tagged}
    _, words = explain_zh_tone(full, names)
    result["tone_words"] = [f"{'not ' if w.negated else ''}{w.word} {w.weight:+g}" for w in words]
    return result
