"""Per-language counts: the language every feed item of the real rss-parser feeds (MIT) and
every bundled snapshot feed gets, and how many of them the English models will read.

    .venv/bin/python bench/quality_language.py
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from mi.analysis.language import supported  # noqa: E402
from mi.sources.feeds.feed import parse_feed  # noqa: E402

SHARED = REPO.parent / "shared" / "data"


def count(paths: list[Path]) -> Counter[str]:
    languages: Counter[str] = Counter()
    for path in paths:
        for item in parse_feed(path.read_bytes()).items:
            languages[item.language or "undecided"] += 1
    return languages


def main() -> int:
    sets = {"rss-parser feeds (shared)": sorted((SHARED / "feeds/rss-parser/input").glob("*")),
            "snapshot feeds (bundled)": sorted([*(REPO / "snapshot").rglob("*.xml"), *(REPO / "snapshot").rglob("*.rss")])}
    for label, paths in sets.items():
        languages = count([p for p in paths if p.is_file()])
        total = sum(languages.values())
        english = sum(n for lang, n in languages.items() if supported(None if lang == "undecided" else lang))
        print(f"{label}: {total} items, {english} read by the English models; "
              + ", ".join(f"{lang} {n}" for lang, n in languages.most_common()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
