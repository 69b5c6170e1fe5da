"""MinHash signatures and LSH candidate pairs behind ``mi.analysis.dedupe``.

Everything here is vectorised over a whole batch of token-hash arrays (see
``dedupe_text.tokenise``), so 100k documents sketch in seconds on two cores. The MinHash
family is multiply-shift on 64-bit shingle hashes (no modulus, no per-document Python
loop), which is what makes it cheaper than one ``datasketch.MinHash`` per document.
"""
from __future__ import annotations

import numpy as np

_rng = np.random.default_rng(20240611)  # fixed: signatures must agree between runs
_SHINGLE_MULT = _rng.integers(1, 2**63, size=8, dtype=np.uint64) * np.uint64(2) + np.uint64(1)


def shingles(flat: np.ndarray, offsets: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of word k-shingles and the document each belongs to (sorted by document).

    A document shorter than k tokens gets one shingle of all its tokens.
    """
    n = len(offsets) - 1
    lengths = np.diff(offsets)
    doc_of = np.repeat(np.arange(n, dtype=np.int64), lengths)
    total = len(flat)
    if total >= k:
        span = total - k + 1
        values = flat[:span] * _SHINGLE_MULT[0]
        for j in range(1, k):
            values += flat[j : j + span] * _SHINGLE_MULT[j]
        valid = doc_of[:span] == doc_of[k - 1 :]
        values, owners = values[valid], doc_of[:span][valid]
    else:
        values, owners = np.empty(0, np.uint64), np.empty(0, np.int64)
    short = np.flatnonzero((lengths > 0) & (lengths < k))
    if len(short):
        extra = np.zeros(len(short), dtype=np.uint64)
        for j in range(k - 1):
            has = lengths[short] > j
            extra[has] += flat[offsets[short[has]] + j] * _SHINGLE_MULT[j]
        values = np.concatenate([values, extra])
        owners = np.concatenate([owners, short])
        order = np.argsort(owners, kind="stable")
        values, owners = values[order], owners[order]
    return values, owners


def minhash(values: np.ndarray, owners: np.ndarray, n_docs: int, num_perm: int) -> np.ndarray:
    """MinHash signatures (n_docs x num_perm, uint32); documents without shingles get 2**32-1."""
    rng = np.random.default_rng(num_perm)  # same permutations for every batch of one config
    mult = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    add = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
    sig = np.full((n_docs, num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    counts = np.bincount(owners, minlength=n_docs)
    docs = np.flatnonzero(counts)
    starts = np.concatenate([[0], np.cumsum(counts[docs])])
    chunk = max(1, (1 << 21) // num_perm)  # ~16 MB of 64-bit products at a time, cache-friendly
    d = 0
    while d < len(docs):
        e = int(np.searchsorted(starts, starts[d] + chunk, side="right")) - 1
        e = max(e, d + 1)
        s0, s1 = starts[d], starts[e]
        # permutations x shingles: each row is contiguous, so reduceat runs along memory
        products = (values[None, s0:s1] * mult[:, None] + add[:, None]) >> np.uint64(32)
        sig[docs[d:e]] = np.minimum.reduceat(products, starts[d:e] - s0, axis=1).T
        d = e
    return sig


def band_hashes(sig: np.ndarray, bands: int) -> np.ndarray:
    """One 64-bit hash per (document, band): equal band hashes make an LSH candidate pair."""
    n, num_perm = sig.shape
    rows = num_perm // bands
    mult = np.random.default_rng(7).integers(1, 2**63, size=rows, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    blocks = sig[:, : bands * rows].reshape(n, bands, rows).astype(np.uint64)
    return (blocks * mult).sum(axis=2, dtype=np.uint64)


def batch_candidates(bands: np.ndarray, usable: np.ndarray, max_run: int = 16) -> np.ndarray:
    """Pairs (i < j) of usable documents that share a band hash, each pair once.

    A bucket of more than ``max_run`` documents (templated stories) is linked as a chain
    rather than all-pairs, so one crowded bucket cannot make the work quadratic; union-find
    still joins the verified links transitively.
    """
    idx = np.flatnonzero(usable)
    found: list[np.ndarray] = []
    for b in range(bands.shape[1]):
        col = bands[idx, b]
        order = np.argsort(col, kind="stable")
        same = col[order][1:] == col[order][:-1]
        if not same.any():
            continue
        left, right = idx[order[:-1][same]], idx[order[1:][same]]
        found.append(np.stack([np.minimum(left, right), np.maximum(left, right)], axis=1))
        # runs longer than two: add the pairs that the chain above does not cover
        edges = np.diff(np.concatenate([[0], same.view(np.int8), [0]]))
        run_starts, run_ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        for s, e in zip(run_starts, run_ends, strict=True):
            if 2 < e - s + 1 <= max_run:
                members = np.sort(idx[order[s : e + 1]])
                ii, jj = np.triu_indices(len(members), k=2)
                found.append(np.stack([members[ii], members[jj]], axis=1))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(found)
    return np.unique(pairs, axis=0)
