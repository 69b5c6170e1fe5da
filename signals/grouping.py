"""Grouping notes that express the same need, across RMs and customers.

Three ways a note joins a group, in order of trust:

1. **need**: its need was read (``mi.signals.needs``): every note with the same need is one
   group, however it was worded.
2. **emerging**: no need was read from an English note: notes like it are clustered by
   their words (TF-IDF, cosine, average linkage), so a need the vocabulary does not know
   yet ("corporate cards for travelling staff") still surfaces when several RMs hear it.
   Words every note uses (openers, next steps) weigh little: the IDF is fitted on the
   whole batch, not on the unread notes alone.
3. **tags**: a Chinese note nothing could be read from is grouped with others carrying the
   same specific tags (a tag that points at one need only puts it in that need's group).

A note with nothing readable, no cluster and no specific tag stays alone: no group.
Pure functions; the benchmark (``bench/signals.py``) and the signal flow call the same ones.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

from mi.signals.needs import Reading, normalised_words, specific_tags
from mi.signals.vocabulary import NEEDS

#: Two unread notes are one need when their word vectors are at least this similar
#: (cosine, average over the two clusters' members).
EMERGING_SIMILARITY = 0.3
#: Unread notes beyond this many are not clustered in one batch (quadratic memory).
MAX_EMERGING = 3000


@dataclass(frozen=True)
class NoteInput:
    ref: str
    rm: str
    customer: str | None
    noted_on: dt.date
    text: str
    tags: tuple[str, ...] = ()
    confidential: bool = False


@dataclass(frozen=True)
class Group:
    key: str  # the need's key, "emerging:<hash>" or "tags:<hash of the tags>"
    kind: str  # need, emerging or tags
    need: str | None  # the need's key when kind is need
    members: tuple[str, ...]  # note refs, oldest first
    #: For its title: what an emerging group's shareable notes share, a tag group's tags.
    terms: tuple[str, ...] = ()


def _tag_needs() -> dict[str, set[str]]:
    owners: dict[str, set[str]] = defaultdict(set)
    for need in NEEDS:
        for tag in need.tags:
            owners[tag].add(need.key)
    return owners


def group_notes(notes: Sequence[NoteInput], readings: Mapping[str, Reading]) -> list[Group]:
    """The groups of ``notes`` (each note in at most one), largest first."""
    by_ref = {note.ref: note for note in notes}
    members: dict[tuple[str, str, str | None], list[str]] = defaultdict(list)
    unread_en: list[NoteInput] = []
    owners = _tag_needs()
    for note in notes:
        reading = readings[note.ref]
        if reading.need:
            members[("need", reading.need, reading.need)].append(note.ref)
        elif reading.unread:
            tags = specific_tags(note.tags)
            pointed = set.intersection(*(owners.get(t, set()) for t in tags)) if tags else set()
            if len(pointed) == 1:
                (need,) = pointed
                members[("need", need, need)].append(note.ref)
            elif tags:
                # Keyed by a hash: tags are free text an RM typed, and a key is published.
                digest = hashlib.sha256("+".join(tags).encode()).hexdigest()[:10]
                members[("tags", f"tags:{digest}", None)].append(note.ref)
        else:
            unread_en.append(note)
    groups = [Group(key, kind, need, _ordered(refs, by_ref), _open_tags(refs, by_ref) if kind == "tags" else ())
              for (kind, key, need), refs in members.items()]
    groups += _emerging(unread_en, notes)
    return sorted(groups, key=lambda g: (-len(g.members), g.key))


def _open_tags(refs: list[str], by_ref: Mapping[str, NoteInput]) -> tuple[str, ...]:
    """The tags of a tag group, as its notes that may be shared carry them."""
    return tuple(sorted({t for ref in refs if not by_ref[ref].confidential for t in specific_tags(by_ref[ref].tags)}))


def _ordered(refs: list[str], by_ref: Mapping[str, NoteInput]) -> tuple[str, ...]:
    return tuple(sorted(refs, key=lambda ref: (by_ref[ref].noted_on, ref)))


def _emerging(unread: list[NoteInput], everything: Sequence[NoteInput]) -> list[Group]:
    if len(unread) < 2:
        return []
    unread = sorted(unread, key=lambda n: (n.noted_on, n.ref))[:MAX_EMERGING]
    vectoriser = TfidfVectorizer(analyzer=lambda text: _terms(text), sublinear_tf=True)
    vectoriser.fit([note.text for note in everything])
    matrix = vectoriser.transform([note.text for note in unread])
    keep = np.asarray(matrix.getnnz(axis=1) > 0)
    if keep.sum() < 2:
        return []
    rows = [note for note, kept in zip(unread, keep) if kept]
    dense = matrix[keep].toarray()
    labels = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                     distance_threshold=1.0 - EMERGING_SIMILARITY).fit_predict(dense)
    vocabulary = vectoriser.get_feature_names_out()
    clusters: dict[int, list[int]] = defaultdict(list)
    for index, label in enumerate(labels):
        clusters[int(label)].append(index)
    groups = []
    for indexes in clusters.values():
        if len(indexes) < 2:
            continue
        refs = tuple(rows[i].ref for i in indexes)  # already oldest first
        # The group's words come from notes that may be shared only: a title must not
        # quote a confidential note.
        open_rows = [i for i in indexes if not rows[i].confidential]
        centroid = dense[open_rows].mean(axis=0) if open_rows else np.zeros(dense.shape[1])
        shared = [vocabulary[i] for i in np.argsort(-centroid)[:4] if centroid[i] > 0]
        # Named after its first note, so the group keeps its key as later notes join it.
        anchor = hashlib.sha256(refs[0].encode()).hexdigest()[:10]
        groups.append(Group(f"emerging:{anchor}", "emerging", None, refs, tuple(shared)))
    return groups


# Words that carry no need: how notes are written, not what they are about.
_STOP = frozenset("""a an the and or of to in on at for with from by about as is are was were be been it its
this that these those they them their we our us you your he she his her i me my not no nor but so if then than
too very can will would should could may might must shall do does did done has have had having wants want
wanted asked asks ask need needs needed next week month months year years quarter call met meeting visit
lunch review video client whether also just now more most some any all each per via into over under out up
down one two three""".split())


def _terms(text: str) -> list[str]:
    words = [w for w in normalised_words(text) if w not in _STOP and not w.isdigit() and len(w) > 2]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]
