"""How alike two field notes are, whatever the vocabulary knows: TF-IDF over their words and
their character n-grams, fitted on the batch being grouped.

Two views, averaged: content words and word pairs of the normalised text (short forms
expanded, typos in vocabulary words corrected), and character 3-5-grams within words, so
a typo in a word the vocabulary does not know ("sslaries", "armourde") still shares most
of its n-grams with the right spelling. Chinese has no spaces: its runs of characters are
cut into overlapping 1-3-grams, a segmentation that needs no dictionary. Words every note
uses (openers, next steps) weigh little because the IDF is fitted on the whole batch.
Pure functions, no database.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from mi.signals.needs import normalised_words

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

# Words that carry no need: how notes are written, not what they are about.
STOP = frozenset("""a an the and or of to in on at for with from by about as is are was were be been it its
this that these those they them their we our us you your he she his her i me my not no nor but so if then than
too very can will would should could may might must shall do does did done has have had having wants want
wanted asked asks ask need needs needed next week month months year years quarter call met meeting visit
lunch review video client whether also just now more most some any all each per via into over under out up
down one two three""".split())


def terms(text: str) -> list[str]:
    """Content words and word pairs of a note, plus 1-3-grams of its Chinese runs."""
    words = [w for w in normalised_words(text) if w not in STOP and not w.isdigit() and len(w) > 2]
    found = words + [f"{a} {b}" for a, b in zip(words, words[1:])]
    for run in _CJK_RUN.findall(text):
        found.extend(run[i:i + n] for n in (1, 2, 3) for i in range(len(run) - n + 1))
    return found


def _grams(text: str) -> list[str]:
    out: list[str] = []
    for word in normalised_words(text):
        if word in STOP or word.isdigit() or len(word) < 4:
            continue
        padded = f" {word} "
        out.extend(padded[i:i + n] for n in (3, 4, 5) for i in range(len(padded) - n + 1))
    return out


def note_vectors(texts: Sequence[str]) -> tuple[sparse.csr_matrix, TfidfVectorizer]:
    """Unit-length vectors of ``texts`` (rows) and the word vectoriser (for naming a group).

    In single precision: half the memory of the grouping's largest arrays (20,000 notes: the
    process's peak 442 -> 370 MB), and the groups and every figure of ``bench/signals.py``
    came out the same as in double precision."""
    words = TfidfVectorizer(analyzer=terms, sublinear_tf=True, dtype=np.float32)
    grams = TfidfVectorizer(analyzer=_grams, sublinear_tf=True, dtype=np.float32)
    word_part = words.fit_transform(texts)
    try:
        gram_part = grams.fit_transform(texts)
    except ValueError:  # no word long enough in the whole batch
        gram_part = sparse.csr_matrix((len(texts), 0), dtype=np.float32)
    return normalize(_side_by_side(word_part, gram_part), copy=False), words


def _side_by_side(left: sparse.csr_matrix, right: sparse.csr_matrix, block: int = 2048) -> sparse.csr_matrix:
    """``[left right]`` row by row, as ``sparse.hstack`` gives it, written a block of rows at a
    time into the result: hstack copies both wholes before writing (at 20,000 notes ~190 MB
    beside the 94 MB they make)."""
    rows = left.shape[0]
    indptr = left.indptr.astype(np.int64) + right.indptr
    index_type = np.int32 if left.shape[1] + right.shape[1] < 2**31 and indptr[-1] < 2**31 else np.int64
    indices = np.empty(indptr[-1], dtype=index_type)
    data = np.empty(indptr[-1], dtype=np.result_type(left.dtype, right.dtype))
    for start in range(0, rows, block):
        end = min(start + block, rows)
        part = sparse.hstack([left[start:end], right[start:end]], format="csr")
        indices[indptr[start]:indptr[end]] = part.indices
        data[indptr[start]:indptr[end]] = part.data
    return sparse.csr_matrix((data, indices, indptr.astype(index_type)), shape=(rows, left.shape[1] + right.shape[1]))


#: Notes multiplied at a time, here and by the grouping's unread notes against every note
#: (memory: block x notes floats): the sparse product of 3,000 notes with 3,000 at once held
#: about 110 MB beside the dense result; a block of rows holds a few.
SIMILARITY_BLOCK = 256


def condensed_distances(vectors: sparse.csr_matrix, rows: Sequence[int]) -> np.ndarray:
    """Cosine distance (1 - similarity, clipped to [0, 2]) between each pair of ``rows``, in
    scipy's condensed order (``squareform`` of the square matrix: row i's pairs with i+1 ...
    in turn): the pairs' values only, a block of rows multiplied at a time, never the square
    matrix (3,000 notes: 36 MB instead of a 72 MB square and its 36 MB condensed copy)."""
    n = len(rows)
    out = np.empty(n * (n - 1) // 2)
    if n < 2:
        return out
    left = vectors[list(rows)]
    right = left.T.tocsr()
    at = 0
    for start in range(0, n, SIMILARITY_BLOCK):
        block = (left[start:start + SIMILARITY_BLOCK] @ right).toarray()
        for offset, sims in enumerate(block):
            pairs = sims[start + offset + 1:]
            out[at:at + len(pairs)] = pairs
            at += len(pairs)
    np.subtract(1.0, out, out=out)
    return np.clip(out, 0.0, 2.0, out=out)
