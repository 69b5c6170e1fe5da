"""Normalised word tokens of a whole batch of documents, as 64-bit hashes, in numpy.

Per document only the boilerplate clean-up and one ``encode`` run in Python; splitting into
tokens and hashing them is vectorised over the concatenated UTF-8 bytes of a chunk of
documents. (A regex ``findall`` per document plus a dict per token costs ~1 µs a token on
this machine, i.e. most of the time of a 100k-document run.)

Tokens are case-, width- and punctuation-insensitive: ASCII letters and digits and all
non-ASCII letters are word bytes; ASCII punctuation, Latin-1 and general Unicode
punctuation (quotes, dashes, currency signs) separate. Numbers keep their inner "." "," ":" "/"
and are flagged (so are number words), so templated stories that differ only in figures
stay apart; each CJK character is a
token, since CJK text has no spaces (so word 2-shingles are character bigrams there), and
Chinese is compared in its simplified spelling, so a traditional copy of a simplified story
is the same story (zh_text.to_simplified, OpenCC).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence

import numpy as np

from mi.analysis.zh_text import HAN, to_simplified

# Wire and site names that syndicated copies add around the same story.
_WIRES = (
    r"reuters|reuters breakingviews|bloomberg|bloomberg news|ap|afp|associated press|xinhua|"
    r"dow jones|dow jones newswires|cnbc|marketwatch|financial times|ft|bbc news|bbc|"
    r"yahoo finance|business wire|pr newswire|globe newswire|globenewswire|kyodo|ifr"
)
# "UPDATE 2-", "(CORRECTED) - ", "RPT-UPDATE 1-", "EXCLUSIVE:", stacked any number of times.
_TITLE_PREFIX = re.compile(
    r"^\s*(?:\(?(?:update|updated|refile|corrected|correction|rpt|repeat|wrapup|urgent|flash|"
    r"breaking|exclusive|brief|instant view)(?:\s*\d+)?\)?\s*[-:\u2013\u2014]+\s*)+",
    re.IGNORECASE,
)
_TITLE_SUFFIX = re.compile(
    rf"\s*(?:[-\u2013\u2014|:]+\s*(?:{_WIRES}|[\w-]+(?:\.[\w-]+)*\.(?:com|co\.uk|net|org))"
    rf"|\((?:{_WIRES})\))\s*$",
    re.IGNORECASE,
)
# "LONDON, March 3 (Reuters) - " at the start of a body.
_DATELINE = re.compile(rf"[^\n()]{{0,80}}?\((?:{_WIRES})\)\s*(?:[-\u2013\u2014]+|:)\s*", re.IGNORECASE)
# Credits, copyright and call-to-action lines differ between copies of one story and are
# shared by unrelated stories of one outlet: neither should decide what is a duplicate.
_TRAILER_LINE = re.compile(
    r"^[ \t]*\(?[ \t]*(?:(?:additional )?reporting by|writing by|editing by|compiled by|"
    r"our standards:|copyright\s*(?:\(c\)|\u00a9|\d{4})|\u00a9|all rights reserved|click here|"
    r"sign up\b|subscribe to\b|follow us\b|read more\b|related coverage\b).*$",
    re.IGNORECASE | re.MULTILINE,
)
_CREDIT_PAREN = re.compile(r"\((?:additional )?(?:reporting|writing|editing) by[^)]*\)", re.IGNORECASE)
_TRAILER_WORDS = (
    "reporting by", "writing by", "editing by", "compiled by", "our standards", "copyright",
    "\u00a9", "all rights reserved", "click here", "sign up", "subscribe to", "follow us",
    "read more", "related coverage",
)
_TAIL = 600  # trailers sit at the end; scanning only the tail keeps long texts cheap

_WORD = np.zeros(256, dtype=bool)
_WORD[list(b"abcdefghijklmnopqrstuvwxyz0123456789")] = True
_WORD[0x80:] = True
_NUMBER_INNER = np.zeros(256, dtype=bool)
_NUMBER_INNER[list(b".,:/")] = True
_BASE = np.uint64(0x100000001B3)  # odd, hence invertible modulo 2**64
_BASE_INV = np.uint64(pow(0x100000001B3, -1, 2**64))
# Text bytes tokenised at a time: each byte costs about 36 bytes of 64-bit work arrays, so
# 1 MB holds the step to ~40 MB (4 MB held 150 MB) at the same speed.
_CHUNK_BYTES = 1 << 20


def clean_title(title: str | None) -> str:
    """The title without wire prefixes ("UPDATE 1-") and outlet suffixes ("- Reuters")."""
    if not title:
        return ""
    previous = None
    while previous != title:  # prefixes and suffixes can be stacked
        previous = title
        title = _TITLE_SUFFIX.sub("", _TITLE_PREFIX.sub("", title))
    return title


def clean_text(text: str | None) -> str:
    """The body without its dateline, reporter credits and outlet trailers."""
    text = text or ""
    head = _DATELINE.match(text, 0, 160)
    if head:
        text = text[head.end() :]
    cut = max(0, len(text) - _TAIL)
    tail = text[cut:]
    lowered = tail.lower()
    if any(word in lowered for word in _TRAILER_WORDS):
        text = text[:cut] + _TRAILER_LINE.sub("", _CREDIT_PAREN.sub(" ", tail))
    return text


_HAN_CHAR = re.compile(f"[{HAN}]")


def _prepare(text: str) -> bytes:
    if text.isascii():
        return text.lower().encode()
    if _HAN_CHAR.search(text):
        text = to_simplified(text)
    return unicodedata.normalize("NFKC", text).casefold().encode()


def tokenise(docs: Sequence[tuple[str | None, str | None]]) -> tuple[np.ndarray, np.ndarray, list[bytes]]:
    """Token hashes of (title, text) documents: ``flat``, ``offsets`` and exact-match keys.

    Document i is ``flat[offsets[i]:offsets[i + 1]]`` (title tokens, then text tokens).
    The lowest bit of a hash flags a number token. Equal keys mean equal normalised title
    and equal normalised text.
    """
    parts = []
    for title, text in docs:
        parts.append(_prepare(clean_title(title)))
        parts.append(_prepare(clean_text(text)))
    hashes: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    begin = 0
    while begin < len(parts):
        end, size = begin, 0
        while end < len(parts) and (end == begin or size + len(parts[end]) < _CHUNK_BYTES):
            size += len(parts[end]) + 1
            end += 1
        chunk_hashes, chunk_counts = _tokenise_chunk(parts[begin:end])
        hashes.append(chunk_hashes)
        counts.append(chunk_counts)
        begin = end
    per_part = np.concatenate(counts) if counts else np.zeros(0, dtype=np.int64)
    flat = np.concatenate(hashes) if hashes else np.zeros(0, dtype=np.uint64)
    part_offsets = np.zeros(len(parts) + 1, dtype=np.int64)
    np.cumsum(per_part, out=part_offsets[1:])
    keys = []
    for i in range(len(docs)):
        a, b, c = part_offsets[2 * i : 2 * i + 3].tolist()
        keys.append(hashlib.blake2b(flat[a:b].tobytes() + b"|" + flat[b:c].tobytes(), digest_size=16).digest())
    return flat, part_offsets[::2].copy(), keys


_NUMBER_WORDS: np.ndarray | None = None


def _tokenise_chunk(parts: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of the tokens of the parts, and how many tokens each part has."""
    buf = np.frombuffer(b"\n".join(parts) + b"\n\n\n", dtype=np.uint8)
    word = _WORD[buf]
    # Unicode punctuation in UTF-8: U+00A0-00BF (C2 A0..BF), U+2000-2FFF (E2 ..), U+3000-303F
    # (E3 80 ..) and the byte-order mark (EF BB BF) separate words.
    latin = np.flatnonzero((buf[:-1] == 0xC2) & (buf[1:] >= 0xA0))
    general = np.flatnonzero(buf == 0xE2)
    cjk_punct = np.flatnonzero((buf[:-1] == 0xE3) & (buf[1:] == 0x80))
    bom = np.flatnonzero((buf[:-2] == 0xEF) & (buf[1:-1] == 0xBB) & (buf[2:] == 0xBF))
    for lead, width in ((latin, 2), (general, 3), (cjk_punct, 3), (bom, 3)):
        for k in range(width):
            word[np.minimum(lead + k, len(buf) - 1)] = False
    digit = (buf >= 0x30) & (buf <= 0x39)
    inner = np.flatnonzero(_NUMBER_INNER[buf[1:-1]] & digit[:-2] & digit[2:]) + 1
    word[inner] = True
    cjk = word & (buf >= 0xE3) & (buf <= 0xED)  # lead byte of a CJK or Hangul character
    after_cjk = np.zeros_like(cjk)
    after_cjk[3:] = cjk[:-3]
    previous = np.zeros_like(word)
    previous[1:] = word[:-1]
    start_mask = word & (~previous | cjk | after_cjk)
    starts = np.flatnonzero(start_mask)
    boundaries = np.flatnonzero(~word | start_mask)
    ends = boundaries[np.searchsorted(boundaries, starts, side="right")]
    # Position-free polynomial hash of each token's bytes: (P[end] - P[start]) / BASE**start
    powers = np.full(len(buf), _BASE, dtype=np.uint64)
    powers[0] = 1
    np.cumprod(powers, out=powers)
    prefix = np.zeros(len(buf) + 1, dtype=np.uint64)
    np.cumsum((buf.astype(np.uint64) + np.uint64(1)) * powers, out=prefix[1:])
    del powers
    inverse = np.full(len(buf), _BASE_INV, dtype=np.uint64)
    inverse[0] = 1
    np.cumprod(inverse, out=inverse)
    h = (prefix[ends] - prefix[starts]) * inverse[starts]
    h ^= h >> np.uint64(31)  # finaliser: spread the weak polynomial bits for MinHash
    h *= np.uint64(0x9E3779B97F4A7C15)
    h ^= h >> np.uint64(29)
    h &= ~np.uint64(1)
    number = digit[starts]
    if _NUMBER_WORDS is not None:  # "seven ships" vs "three ships" differ in a figure too
        spot = np.minimum(np.searchsorted(_NUMBER_WORDS, h), len(_NUMBER_WORDS) - 1)
        number |= _NUMBER_WORDS[spot] == h
    h |= number.astype(np.uint64)
    part_starts = np.zeros(len(parts) + 1, dtype=np.int64)
    np.cumsum([len(p) + 1 for p in parts], out=part_starts[1:])
    counts = np.diff(np.searchsorted(starts, part_starts))
    return h, counts


_NUMBER_WORDS = np.unique(
    _tokenise_chunk(
        [
            b"zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
            b" fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy"
            b" eighty ninety hundred thousand million billion trillion half quarter"
        ]
    )[0]
)
