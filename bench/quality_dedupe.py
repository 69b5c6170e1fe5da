"""Duplicate-grouping quality on real news sets in ../shared (never copied into the project).

(a) BBC: the set's exact duplicates (identical files after whitespace normalisation) must
    be grouped; merges of other files count against precision.
(b) Reuters-21578 ModApte train: its true exact duplicates plus planted near-duplicates
    (words replaced, "UPDATE 1-"/"- Reuters" wrapping, a sentence dropped, all of these)
    re-published on another channel a few hours later.

    .venv/bin/python bench/quality_dedupe.py        # prints the figures

``evaluate_dedupe(shared_dir)`` returns them as a dict (``{"skipped": reason}`` when the
data is absent) for ``bench/quality.py``.
"""
from __future__ import annotations

import datetime as dt
import difflib
import json
import random
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mi.analysis.dedupe import DedupeItem, DuplicateGroup, group_duplicates  # noqa: E402

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
BBC_CLASSES = ("business", "entertainment", "politics", "sport", "tech")
EDITS = ("words", "wrapper", "drop_sentence", "all")
_EPOCH = dt.datetime(1987, 2, 26, tzinfo=dt.timezone.utc)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")


def _squash(text: str) -> str:
    return " ".join(text.split())


def read_bbc(shared: Path) -> list[tuple[str, str, str]]:
    """(file id, channel, content) for every BBC article."""
    out = []
    for cls in BBC_CLASSES:
        for path in sorted((shared / "news" / "bbc" / cls).glob("*.txt")):
            out.append((f"{cls}/{path.name}", f"bbc-{cls}", path.read_text(encoding="utf-8", errors="replace")))
    return out


def read_reuters(shared: Path) -> list[dict]:
    with (shared / "news" / "reuters_modapte_train.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def truth_groups(keys: Sequence[str]) -> list[list[int]]:
    """Positions grouped by identical key (groups of two or more)."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for pos, key in enumerate(keys):
        by_key[key].append(pos)
    return [g for g in by_key.values() if len(g) > 1]


def pair_scores(truth: Iterable[Sequence[int]], groups: Sequence[DuplicateGroup]) -> dict[str, float]:
    """Pairwise recall of the true groups and precision of the predicted ones (ids are doc ids)."""
    true_pairs = {p for g in truth for p in combinations(sorted(g), 2)}
    predicted = {p for g in groups for p in combinations(g.doc_ids, 2)}
    hit = len(true_pairs & predicted)
    return {
        "true_pairs": len(true_pairs),
        "predicted_pairs": len(predicted),
        "recall": hit / len(true_pairs) if true_pairs else 1.0,
        "precision": hit / len(predicted) if predicted else 1.0,
    }


def adjudicate(truth: Iterable[Sequence[int]], groups: Sequence[DuplicateGroup], text_of, cut: float = 0.7) -> dict:
    """Predicted pairs outside the truth, judged by an independent measure.

    The sets' truth lists exact copies only, but both sets also hold re-published stories
    (corrections, repeats, updated versions). A merged pair whose raw word sequences still
    match at ``cut`` or more (difflib ratio, case-insensitive) is counted as such a near duplicate; the
    figure with it is ``precision_adjudicated``. Spot checks by hand agreed with it.
    """
    true_pairs = {p for g in truth for p in combinations(sorted(g), 2)}
    extra = [p for g in groups for p in combinations(g.doc_ids, 2) if p not in true_pairs]
    ratios = sorted(
        difflib.SequenceMatcher(None, text_of(a).lower().split(), text_of(b).lower().split(), autojunk=False).ratio()
        for a, b in extra
    )
    predicted = sum(len(g.doc_ids) * (len(g.doc_ids) - 1) // 2 for g in groups)
    plausible = sum(r >= cut for r in ratios)
    hit = predicted - len(extra)
    return {
        "extra_pairs": len(extra),
        "extra_pairs_near_duplicate": plausible,
        "extra_pair_min_ratio": round(ratios[0], 3) if ratios else None,
        "precision_adjudicated": (hit + plausible) / predicted if predicted else 1.0,
    }


def _false_merges(truth: Iterable[Sequence[int]], groups: Sequence[DuplicateGroup], total: int) -> dict[str, float]:
    """Documents outside every true group that were merged with something anyway."""
    in_truth = {i for g in truth for i in g}
    merged = [i for g in groups if len(g.doc_ids) > 1 for i in g.doc_ids if i not in in_truth]
    return {"falsely_merged_docs": len(merged), "false_merge_rate": len(merged) / max(1, total - len(in_truth))}


def evaluate_bbc(shared: Path) -> dict:
    docs = read_bbc(shared)
    truth = truth_groups([_squash(content) for _, _, content in docs])
    items = []
    for pos, (_, channel, content) in enumerate(docs):
        title, _, body = content.strip().partition("\n")
        items.append(DedupeItem(pos, title, body, None, channel))
    start = time.perf_counter()
    groups = group_duplicates(items)
    seconds = time.perf_counter() - start
    extra = [[docs[i][0] for i in g.doc_ids] for g in groups if len(g.doc_ids) > 1 and not _inside(g, truth)]
    return {
        "documents": len(docs),
        "true_groups": len(truth),
        **pair_scores(truth, groups),
        **_false_merges(truth, groups, len(docs)),
        **adjudicate(truth, groups, lambda i: docs[i][2]),
        "groups_found": sum(1 for g in groups if len(g.doc_ids) > 1),
        "unexpected_groups": extra[:20],  # file names, for a person to look at
        "seconds": round(seconds, 2),
    }


def _inside(group: DuplicateGroup, truth: Sequence[Sequence[int]]) -> bool:
    return any(set(group.doc_ids) <= set(g) for g in truth)


def edit_copy(title: str, body: str, kind: str, rng: random.Random, vocabulary: Sequence[str]) -> tuple[str, str]:
    """A lightly edited re-publication of one story (what syndication and updates look like)."""
    if kind in ("words", "all"):
        words = body.split(" ")
        spots = [i for i, w in enumerate(words) if w.isalpha() and len(w) > 3]
        for i in rng.sample(spots, min(len(spots), rng.randint(1, 3))):
            words[i] = rng.choice(vocabulary)
        body = " ".join(words)
    if kind in ("drop_sentence", "all"):
        sentences = _SENTENCE_END.split(body)
        if len(sentences) >= 3:
            del sentences[rng.randrange(1, len(sentences))]
            body = " ".join(sentences)
    if kind in ("wrapper", "all"):
        title = f"UPDATE {rng.randint(1, 3)}-{title} - Reuters"
        body = f"NEW YORK, March 3 (Reuters) - {body}\n(Reporting by A. Writer; Editing by B. Editor)"
    return title, body


def evaluate_reuters(shared: Path, planted_per_edit: int = 200, seed: int = 11) -> dict:
    docs = read_reuters(shared)
    rng = random.Random(seed)
    truth = truth_groups([_squash(d["title"] + "\n" + d["body"]) for d in docs])
    items = [
        DedupeItem(pos, d["title"], d["body"], _EPOCH + dt.timedelta(minutes=pos), "reuters")
        for pos, d in enumerate(docs)
    ]
    vocabulary = sorted({w for d in docs[:2000] for w in d["body"].split() if w.isalpha() and len(w) > 3})
    long_enough = [pos for pos, d in enumerate(docs) if len(d["body"].split()) >= 40]
    planted: dict[str, list[list[int]]] = {}
    for kind in EDITS:
        planted[kind] = []
        for pos in rng.sample(long_enough, planted_per_edit):
            title, body = edit_copy(docs[pos]["title"], docs[pos]["body"], kind, rng, vocabulary)
            copy = len(items)
            items.append(DedupeItem(copy, title, body, items[pos].published_at + dt.timedelta(hours=3), "wire-copy"))
            planted[kind].append([pos, copy])
    start = time.perf_counter()
    groups = group_duplicates(items)
    seconds = time.perf_counter() - start
    # a planted copy of a document that has exact twins belongs with all of them
    all_truth = _merge_truth(truth + [g for pairs in planted.values() for g in pairs])
    by_doc = {i: g for g in groups for i in g.doc_ids}
    per_edit = {kind: sum(by_doc[a] is by_doc[b] for a, b in pairs) / len(pairs) for kind, pairs in planted.items()}
    return {
        "documents": len(items),
        "true_exact_groups": len(truth),
        "exact": pair_scores(truth, [g for g in groups if set(g.doc_ids) & {i for t in truth for i in t}]),
        "planted_recall": per_edit,
        "all": {
            **pair_scores(all_truth, groups),
            **_false_merges(all_truth, groups, len(items)),
            **adjudicate(all_truth, groups, lambda i: f"{items[i].title}\n{items[i].text}"),
        },
        "unexpected_groups": [
            [docs[i]["id"] if i < len(docs) else f"copy-{i}" for i in g.doc_ids]
            for g in groups if len(g.doc_ids) > 1 and not _inside(g, all_truth)
        ][:20],
        "seconds": round(seconds, 2),
    }


def _merge_truth(groups: Iterable[Sequence[int]]) -> list[list[int]]:
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for g in groups:
        for other in g[1:]:
            parent[find(other)] = find(g[0])
    merged: dict[int, list[int]] = defaultdict(list)
    for x in list(parent):
        merged[find(x)].append(x)
    return [sorted(g) for g in merged.values()]


def evaluate_dedupe(shared_dir: Path | str | None = None) -> dict:
    shared = Path(shared_dir) if shared_dir else SHARED
    if not (shared / "news").is_dir():
        return {"skipped": f"no shared data at {shared}"}
    return {"bbc": evaluate_bbc(shared), "reuters": evaluate_reuters(shared)}


def main() -> None:
    result = evaluate_dedupe()
    if "skipped" in result:
        print(f"skipped: {result['skipped']}")
        return
    bbc, reuters = result["bbc"], result["reuters"]
    print(f"BBC      {bbc['documents']} docs, {bbc['true_groups']} exact groups ({bbc['true_pairs']} pairs): "
          f"recall {bbc['recall']:.3f}, precision {bbc['precision']:.3f}, "
          f"false-merge rate {bbc['false_merge_rate']:.4f} ({bbc['falsely_merged_docs']} docs), {bbc['seconds']} s")
    _print_extra(bbc)
    for group in bbc["unexpected_groups"][:5]:
        print("   e.g. merged beyond the exact groups:", ", ".join(group))
    ex, al = reuters["exact"], reuters["all"]
    print(f"Reuters  {reuters['documents']} docs, {reuters['true_exact_groups']} exact groups: "
          f"recall {ex['recall']:.3f}, precision {ex['precision']:.3f}")
    recalls = ", ".join(f"{k} {v:.3f}" for k, v in reuters["planted_recall"].items())
    print(f"   planted near-duplicate recall: {recalls}")
    print(f"   all true pairs: recall {al['recall']:.3f}, precision {al['precision']:.3f}, "
          f"false-merge rate {al['false_merge_rate']:.4f} ({al['falsely_merged_docs']} docs), {reuters['seconds']} s")
    _print_extra(al)
    for group in reuters["unexpected_groups"][:5]:
        print("   e.g. merged beyond the truth (Reuters ids):", group)


def _print_extra(figures: dict) -> None:
    print(f"   {figures['extra_pairs']} merged pairs beyond the truth, {figures['extra_pairs_near_duplicate']} of them "
          f"re-published versions (word-sequence ratio >= 0.7, lowest {figures['extra_pair_min_ratio']}): "
          f"adjudicated precision {figures['precision_adjudicated']:.3f}")


if __name__ == "__main__":
    main()
