"""Link company mentions in a document to the companies of the bank's book (no I/O).

Precision first: a company is linked only on strong evidence — an identifier (CIK, LEI,
unified social credit code), an exchange-qualified ticker ("NYSE: T", "NASDAQ:AAPL"), a
cashtag ("$XOM") or Reuters instrument code ("<AAPL.O>"), a name followed by a legal
suffix or by its ticker in parentheses, or a distinctive name in running text. A name made of everyday words ("Apple",
"Target", "Best Buy") or shared by several companies only counts with corroboration from
one of those, or from a second alias of the same company. Every link says why.

Names are found with one pass over the text against a trie of token keys built from the
gazetteer (not a regex per company): with ~14k SEC registrants, ~2k documents a second on
one core. Pass ``common_words`` learnt from recent documents
(``linking_names.common_words_from_texts``) so that registrants named after ordinary
words ("Local Corp", "Mentor Corp") need corroboration too.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from mi.analysis import linking_names as nm


@dataclass(frozen=True)
class CompanyName:
    company_id: int
    name: str  # legal name, e.g. "Apple Inc."
    aliases: tuple[str, ...] = ()
    tickers: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()  # "CIK:320193", LEI, unified social credit code, ...


@dataclass(frozen=True)
class EntityLink:
    company_id: int
    name: str
    mention: str
    confidence: float
    reason: str


@dataclass(frozen=True)
class MentionCandidate:
    """One piece of evidence found in a text, accepted or not, for audits."""

    company_id: int
    mention: str
    start: int  # offsets in ``title + "\n" + text``
    end: int
    kind: str  # identifier, exchange_ticker, cashtag, legal_name, name_ticker, name, alias, ambiguous
    strong: bool  # enough on its own to link
    confidence: float
    note: str  # the reason, or why it does not count on its own


_EXCHANGES = (
    r"NYSE(?:[ \t]+(?:American|Arca|MKT))?|NYSEArca|NASDAQ|Nasdaq(?:GS|GM|CM)?|AMEX|OTC(?:QX|QB|BB)?|"
    r"LSE|LON|TSX|TSXV|ASX|HKEX|HKG|SEHK|SSE|SZSE|SHA|SHE|TYO|TSE|XETRA|ETR|FRA|EPA|AMS|SIX|BME|BIT|Euronext"
)
_TICKER = r"[A-Z0-9]{1,6}(?:[.\-/][A-Z]{1,2})?"
_EXCHANGE_TICKER = re.compile(rf"\b(?:{_EXCHANGES})[ \t]*:[ \t]*({_TICKER})\b")
_REUTERS_CODE = re.compile(r"<([A-Z][A-Z0-9]{0,5})(?:\.[A-Z]{1,2})?>")
_CASHTAG = re.compile(r"(?<![\w$])\$([A-Z][A-Z0-9]{0,5}(?:\.[A-Z]{1,2})?)\b")
_PAREN_TICKER = re.compile(rf"[ \t]*\([ \t]*(?:(?:{_EXCHANGES})[ \t]*:[ \t]*)?\$?({_TICKER})[ \t]*[,;)]")
_CIK = re.compile(r"\bCIK(?:[ \t]*(?:No\.?|number|#))?[ \t]*:?[ \t]*(\d{1,10})\b")
# no \b: CJK text runs straight into the code ("代码91520000214434146R")
_ID_TOKEN = re.compile(r"(?<![0-9A-Za-z])(?=[0-9A-Z]*\d)[0-9A-Z]{10,20}(?![0-9A-Za-z])")
_GAP = re.compile(r"[ \t\n\-\u2010-\u2013]*")  # what may stand between the words of a name
# where a name can start: a capitalised or digit token, a CJK character, "eBay"/"iRobot"
_START = re.compile(rf"[{nm.CJK}]|(?<![^\W_])(?:[A-Z0-9]|[a-z]{{1,2}}[A-Z])")
# neighbours in the same phrase: only spaces between, no punctuation, no line break
_PREVIOUS_WORD = re.compile(r"(?<![\w.'\u2019&])([^\W_][\w.'\u2019&]*)[ \t]+$")
_NEXT_WORD = re.compile(r"[ \t]+([^\W_][\w'\u2019&]*)")
_FUNCTION_WORDS = frozenset(
    "the a an in on at for from by with as and but or to of if when while after before since "
    "rival rivals shares unlike like both including".split()
)
_CONFIDENCE = {
    "identifier": 0.99, "exchange_ticker": 0.97, "name_ticker": 0.97, "legal_name": 0.96,
    "cashtag": 0.93, "name": 0.9, "alias": 0.88, "two_aliases": 0.8,
}


class Linker:
    def __init__(self, companies: Iterable[CompanyName], common_words: Iterable[str] | None = None) -> None:
        common = nm.COMMON_WORDS | frozenset(w.casefold() for w in common_words or ())
        self._companies: dict[int, CompanyName] = {}
        self._trie: dict = {}
        owners: dict[tuple[str, ...], set[int]] = defaultdict(set)
        self._tickers: dict[str, set[int]] = defaultdict(set)
        self._ids: dict[tuple[str, str], set[int]] = defaultdict(set)
        for company in companies:
            self._companies[company.company_id] = company
            for variant in nm.variants(company.company_id, company.name, company.aliases, common):
                node = self._trie
                for k in variant.keys:
                    node = node.setdefault(k, {})
                node.setdefault(None, []).append(variant)
                owners[variant.keys].add(company.company_id)
            for ticker in company.tickers:
                self._tickers[nm.ticker_key(ticker)].add(company.company_id)
            for identifier in company.identifiers:
                self._ids[nm.identifier_key(identifier)].add(company.company_id)
        # a name written the same for several companies cannot decide between them alone
        self._shared = {keys for keys, ids in owners.items() if len(ids) > 1}

    def link(self, title: str | None, text: str | None) -> list[EntityLink]:
        by_company: dict[int, list[MentionCandidate]] = defaultdict(list)
        for candidate in self.mention_candidates(title, text):
            by_company[candidate.company_id].append(candidate)
        links = [self._decide(cid, found) for cid, found in by_company.items()]
        return sorted((x for x in links if x), key=lambda x: (-x.confidence, x.company_id))

    def mention_candidates(self, title: str | None, text: str | None) -> list[MentionCandidate]:
        """All evidence found, strong or not, with notes: the explain view of ``link``."""
        title = title or ""
        full = f"{title}\n{text or ''}"
        found = self._identifiers(full) + self._ticker_mentions(full)
        found += self._names(full, 0, len(title), _title_cased(title))
        found += self._names(full, len(title) + 1, len(full), False)
        return sorted(found, key=lambda c: (c.start, c.company_id))

    # -- evidence ---------------------------------------------------------------------

    def _identifiers(self, full: str) -> list[MentionCandidate]:
        out = []
        for m in _CIK.finditer(full):
            for cid in self._ids.get(("CIK", m.group(1).lstrip("0") or "0"), ()):
                out.append(self._evidence(cid, m.group(), m.start(), m.end(), "identifier", f"CIK {m.group(1)}"))
        for m in _ID_TOKEN.finditer(full):
            kind, value = nm.identifier_key(m.group())
            if kind == "CIK" and not m.group().startswith("00"):
                continue  # a bare number is a CIK only when written zero-padded
            for cid in self._ids.get((kind, value), ()):
                out.append(self._evidence(cid, m.group(), m.start(), m.end(), "identifier", f"{kind} {m.group()}"))
        return out

    def _ticker_mentions(self, full: str) -> list[MentionCandidate]:
        out = []
        for pattern, kind, label in (
            (_EXCHANGE_TICKER, "exchange_ticker", "exchange-qualified ticker {m}"),
            (_REUTERS_CODE, "cashtag", "Reuters instrument code {m}"),
            (_CASHTAG, "cashtag", "ticker ${t} with cashtag"),
        ):
            for m in pattern.finditer(full):
                owners = self._tickers.get(nm.ticker_key(m.group(1)), set())
                for cid in owners:
                    note = label.format(m=m.group(), t=m.group(1))
                    if len(owners) > 1:
                        note += f", but ticker {m.group(1)} belongs to {len(owners)} companies"
                    out.append(self._evidence(cid, m.group(), m.start(), m.end(), kind, note, strong=len(owners) == 1))
        return out

    def _names(self, full: str, begin: int, end: int, title_cased: bool) -> list[MentionCandidate]:
        """Leftmost-longest walk of the name trie from every token that can start a name.

        Only capitalised, digit, CJK and "eBay"-style tokens start a walk, found by one
        regex pass; tokenising every word costs several times more on long texts.
        """
        out: list[MentionCandidate] = []
        root, resume = self._trie, begin
        for hit in _START.finditer(full, begin, end):
            first = nm.TOKEN.match(full, hit.start(), end) if hit.start() >= resume else None
            if first is None:
                continue
            surface = first.group()
            node = root.get(surface.lower())
            if node is None and ("." in surface or "'" in surface or "\u2019" in surface):
                node = root.get(nm.key(surface))
            if node is None:
                continue
            words, pos = [surface], first.end()
            matched = (1, pos, node[None]) if None in node else None
            while True:
                following = nm.TOKEN.match(full, _GAP.match(full, pos, end).end(), end)
                node = node.get(nm.key(following.group())) if following else None
                if node is None:
                    break
                words.append(following.group())
                pos = following.end()
                if None in node:
                    matched = (len(words), pos, node[None])
            if matched is None:
                continue
            count, stop, found = matched
            for variant in found:
                out.append(self._judge(full, (begin, end), (first.start(), stop), words[:count], variant, title_cased))
            resume = stop
        return out

    def _judge(
        self, full: str, segment: tuple[int, int], span: tuple[int, int], words: list[str],
        variant: nm.NameVariant, title_cased: bool,
    ) -> MentionCandidate:
        """Evidence from one name match: kind and strength follow the rules in the module doc."""
        cid, (start, end) = variant.company_id, span
        mention = full[start:end]
        label = "exact legal name" if variant.kind == "legal" else variant.kind
        written = variant.written.split()

        def weak(kind: str, why: str, strong: bool = False) -> MentionCandidate:
            confidence = 0.0 if kind == "rejected" else None
            return self._evidence(cid, mention, start, end, kind, f"{label} '{mention}' {why}", strong, confidence)

        if variant.exact_case and [re.sub(r"['\u2019]s$", "", w) for w in words] != written:
            return weak("rejected", f"needs the exact case of '{variant.written}'")
        if len(written) == len(words) and not all(
            w == g or not w[0].islower() or nm.key(w) in nm.CONNECTORS for w, g in zip(words, written, strict=True)
        ):
            return weak("rejected", "is not capitalised")
        before = _previous_word(full, segment[0], start, title_cased)
        if before:  # the tail of a longer name: "First Union Bancorp Inc", "Harrison Ford"
            return weak("rejected", f"matched, but preceded by capitalised '{before}'")
        suffix = nm.STRONG_SUFFIX.match(full, end) if variant.kind != "legal" else None
        if suffix and not variant.takes_suffix:  # "Imperial Corp" is not Imperial Holdings Inc
            return weak("rejected", f"matched, but followed by '{suffix.group().strip()}', not its legal name")
        if suffix:
            mention = full[start : suffix.end()]
            return self._evidence(cid, mention, start, suffix.end(), "legal_name", f"legal name '{mention.strip()}'")
        ticker = _PAREN_TICKER.match(full, end)
        if ticker and nm.ticker_key(ticker.group(1)) in {nm.ticker_key(t) for t in self._companies[cid].tickers}:
            return weak("name_ticker", f"followed by its ticker ({ticker.group(1)})", strong=True)
        if variant.kind == "legal":
            return weak("legal_name", "", strong=True)
        after = None if title_cased else _next_word(full, segment[1], end, words[-1])
        if after:  # part of another name: "Ford Foundation", "Trans World Airlines"
            return weak("rejected", f"matched, but capitalised and followed by '{after}'")
        if variant.common:
            return weak(variant.kind, "is a common word: needs corroboration")
        if title_cased:
            return weak(variant.kind, "in a headline-case title: needs corroboration")
        if variant.keys in self._shared:
            return weak(variant.kind, "is shared by several companies: needs corroboration")
        return weak(variant.kind, "", strong=True)

    def _evidence(
        self, cid: int, mention: str, start: int, end: int, kind: str, note: str,
        strong: bool = True, confidence: float | None = None,
    ) -> MentionCandidate:
        conf = _CONFIDENCE.get(kind, 0.7) if confidence is None else confidence
        mention, note = " ".join(mention.split()), " ".join(note.split())  # names broken over lines
        return MentionCandidate(cid, mention, start, end, kind, strong, conf, note)

    def _decide(self, cid: int, found: list[MentionCandidate]) -> EntityLink | None:
        usable = [c for c in found if c.kind != "rejected"]
        strong = sorted((c for c in usable if c.strong), key=lambda c: -c.confidence)
        name = self._companies[cid].name
        if strong:
            best = strong[0]
            others = [c for c in usable if c.kind != best.kind and c is not best]
            reason = best.note
            if others:
                extra = others[0]
                reason += f" + {extra.kind.replace('_', ' ')} '{extra.mention.strip()}' in same text"
            named = ("legal_name", "name_ticker", "name", "alias")
            mention = next((c.mention for c in strong + usable if c.kind in named), best.mention)
            bonus = 0.01 * len({c.kind for c in usable} - {best.kind})
            return EntityLink(cid, name, mention.strip(), round(min(0.99, best.confidence + bonus), 3), reason)
        names: dict[str, str] = {}  # comparison form -> as written; "Pioneer's" = "Pioneer"
        for c in usable:
            if c.kind in ("name", "alias"):
                names.setdefault(" ".join(nm.key(t) for t in nm.TOKEN.findall(c.mention)), c.mention)
        tickers = [c for c in usable if c.kind in ("exchange_ticker", "cashtag")]
        if names and tickers:  # a shared ticker and a shared/common name agree on one company
            mention = sorted(names.values())[0]
            ticker = tickers[0].note.split(", but")[0]
            return EntityLink(cid, name, mention, 0.9, f"name '{mention}' + {ticker} in same text")
        if len(names) >= 2:
            first, second = sorted(names.values())[:2]
            reason = f"alias '{first}' + alias '{second}' in same text"
            return EntityLink(cid, name, first, _CONFIDENCE["two_aliases"], reason)
        return None


def _title_cased(title: str) -> bool:
    """Headline case carries no signal about which capitalised words are names."""
    words = [w for w in re.findall(r"[^\W\d_]+", title) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def _previous_word(full: str, begin: int, start: int, title_cased: bool) -> str | None:
    """The capitalised word right before a name in the same phrase, if any.

    In a headline-case title every word is capitalised, so there any word counts.
    """
    m = _PREVIOUS_WORD.search(full, max(begin, start - 60), start)
    if m is None:
        return None
    word = m.group(1)
    if word.lower() in _FUNCTION_WORDS or re.search(r"['\u2019]s$", word):  # "Italy's Eni"
        return None
    return word if title_cased or word[0].isupper() else None


def _next_word(full: str, stop: int, end: int, last: str) -> str | None:
    """The capitalised word right after a name in the same phrase, if any."""
    m = _NEXT_WORD.match(full, end, stop)
    if m is None or re.search(r"['\u2019]s$", last):  # "Ford's Jim Farley"
        return None
    word = m.group(1)
    return word if word[0].isupper() and nm.key(word) not in nm.LEGAL_SUFFIXES else None
