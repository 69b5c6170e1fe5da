"""Link company mentions in a document to the companies of the bank's book (no I/O).

A company is linked on strong evidence — an identifier (CIK, LEI, unified social credit
code), an exchange-qualified ticker ("NYSE: T", "NASDAQ:AAPL"), a cashtag ("$XOM"), a
Reuters instrument code ("<AAPL.O>", "(AAPL.O)"), a name followed by a legal suffix or by
its ticker, or a distinctive name in running text — or on an ambiguous mention that its
context decides (``mi.analysis.linking_context``): a name made of everyday words ("Apple",
"Shell", "Bank of America"), a name of two letters ("BP"), the press's short form of a
longer name ("Citi"; one spelt with a capital inside a word, "JPMorgan", needs less), or a
name in a headline-case title (its long words all capitalised) that capitalised words border
or that is a single word. A name shared by several companies needs a ticker, or another name
of one of them, unless they share a ticker too (one issuer under an old and a new
registration: both are linked). A match inside a longer name (after a nationality, across a
wrapped line, within another book name's first words), a town ("Hartford, Conn."), a short or
short-form name in a title all in capitals, or a code after another company's name is refused.
Every link says why; every candidate left out says why too (``Linker.explain``).

Names are found with one pass over the text against a trie of token keys built from the
gazetteer (not a regex per company): with ~14k SEC registrants, ~2k documents a second on
one core. Pass ``common_words`` learnt from recent documents
(``linking_names.common_words_from_texts``) so that registrants named after ordinary
words ("Local Corp", "Mentor Corp") need corroboration too.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable

from mi.analysis import linking_context as ctx
from mi.analysis import linking_names as nm
from mi.analysis import linking_scan as sc
from mi.analysis.linking_records import CompanyName, EntityLink, MentionCandidate, Rejection

__all__ = ["CompanyName", "EntityLink", "Linker", "MentionCandidate", "Rejection"]

_CONFIDENCE = {
    "identifier": 0.99, "exchange_ticker": 0.97, "name_ticker": 0.97, "legal_name": 0.96,
    "cashtag": 0.93, "name": 0.9, "alias": 0.88, "context": ctx.CONFIDENCE, "two_aliases": 0.8,
}
_GENERIC_FIRST_WORD = 3  # distinct second words after which a first word is no short form


class Linker:
    def __init__(self, companies: Iterable[CompanyName], common_words: Iterable[str] | None = None) -> None:
        common = nm.COMMON_WORDS | frozenset(w.casefold() for w in common_words or ())
        self._companies: dict[int, CompanyName] = {}
        self._trie: dict = {}
        owners: dict[tuple[str, ...], set[int]] = defaultdict(set)
        self._tickers: dict[str, set[int]] = defaultdict(set)
        self._ids: dict[tuple[str, str], set[int]] = defaultdict(set)
        lower_starts: set[str] = set()
        found: list[nm.NameVariant] = []
        for company in companies:
            self._companies[company.company_id] = company
            found.extend(nm.variants(company.company_id, company.name, company.aliases, common))
            for ticker in company.tickers:
                self._tickers[nm.ticker_key(ticker)].add(company.company_id)
            for identifier in company.identifiers:
                self._ids[nm.identifier_key(identifier)].add(company.company_id)
        # A first word that starts many different names is a place or a kind, not a short
        # form: "Philadelphia" (Consolidated, Suburban, Trust), "Indian" (Hill, Oil, ...).
        continuations: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for variant in found:
            if variant.kind == "short" and " " in variant.long:
                continuations[variant.keys].add(variant.long.split()[1].lower())
        for variant in found:
            if variant.kind == "short" and " " in variant.long \
                    and len(continuations[variant.keys]) >= _GENERIC_FIRST_WORD:
                continue
            node = self._trie
            for k in variant.keys:
                node = node.setdefault(k, {})
            node.setdefault(None, []).append(variant)
            if variant.kind != "short":
                owners[variant.keys].add(variant.company_id)
            first = variant.written.split()[0]
            if first[:1].islower() and not re.search(f"[{nm.CJK}]", first):
                lower_starts.add(re.escape(first))  # "abrdn", "thyssenkrupp": written so by their owners
        # a name written the same for several companies cannot decide between them alone, unless
        # they also share a ticker: one issuer under successive registrations (AT&T Corp, AT&T Inc)
        self._shared = {keys for keys, ids in owners.items() if len(ids) > 1 and not self._one_issuer(ids)}
        # Where a name can start: a capitalised or digit token, a CJK character, "eBay",
        # "easyJet", or a name its owner writes in lower case.
        lower = rf"|(?<![^\W_])(?:{'|'.join(sorted(lower_starts))})(?![^\W_])" if lower_starts else ""
        self._start = re.compile(rf"[{nm.CJK}]|(?<![^\W_])(?:[A-Z0-9]|[a-z]+[A-Z]){lower}")

    def _one_issuer(self, ids: set[int]) -> bool:
        tickers = [{nm.ticker_key(t) for t in self._companies[cid].tickers} for cid in ids]
        return bool(set.intersection(*tickers))

    def link(self, title: str | None, text: str | None, sections: Iterable[str] = (),
             context: bool = True, market: str = "") -> list[EntityLink]:
        """Confident links, best first. ``sections``: the document's ISIC sections, if tagged;
        ``market``: its channel's market, an ISO 3166 two-letter code, if the channel has one."""
        return self.explain(title, text, sections, context, market)[0]

    def explain(self, title: str | None, text: str | None, sections: Iterable[str] = (),
                context: bool = True, market: str = "") -> tuple[list[EntityLink], list[Rejection]]:
        """Links with their reasons, and every company found but not linked with its reason.

        ``context=False`` (a document in a language the English cues cannot read) links only
        on strong evidence: exact names, tickers, identifiers. ``market``: a customer of that
        country counts it as context ("Raymond" in an Indian wire)."""
        by_company: dict[int, list[MentionCandidate]] = defaultdict(list)
        for candidate in self.mention_candidates(title, text):
            by_company[candidate.company_id].append(candidate)
        links: dict[int, EntityLink] = {}
        for cid, found in by_company.items():
            link = self._decide(cid, found)
            if link:
                links[cid] = link
        full = f"{title or ''}\n{text or ''}"
        strong = {cid: link.mention for cid, link in links.items()}
        spans = tuple((c.start, c.end) for cid in links for c in by_company[cid] if c.kind != "rejected")
        doc_sections, market, rejections = frozenset(sections), market.upper(), []
        for cid, found in by_company.items():
            if cid in links:
                continue
            co = tuple(m for other, m in strong.items() if other != cid)
            same_industry = bool(doc_sections & set(self._companies[cid].sections))
            same_market = market if market and self._companies[cid].country.upper() == market else ""
            if context:
                link, why = ctx.decide(cid, self._companies[cid].name, found, full, co, same_industry, spans,
                                       same_market)
            else:
                link, why = None, found[0].note.replace("decided by context", "not decided outside English")
            if link:
                links[cid] = link
            else:
                rejections.append(Rejection(cid, self._companies[cid].name, found[0].mention, why))
        ordered = sorted(links.values(), key=lambda x: (-x.confidence, x.company_id))
        return ordered, sorted(rejections, key=lambda r: (r.name, r.company_id))

    def mention_candidates(self, title: str | None, text: str | None) -> list[MentionCandidate]:
        """All evidence found, strong or not, with notes: the explain view of ``link``."""
        title = title or ""
        full = f"{title}\n{text or ''}"
        found = self._identifiers(full) + self._ticker_mentions(full)
        skip = [(m.start(), m.end()) for m in sc.NOT_NAMES.finditer(full)]
        in_title = self._names(full, 0, len(title), sc.title_cased(title), skip)
        if sc.all_capitals(title):
            in_title = [sc.shouted(c) if c.bar > 0 else c for c in in_title]
        found += in_title
        found += self._names(full, len(title) + 1, len(full), False, skip)
        return sorted(found, key=lambda c: (c.start, c.company_id))

    # -- evidence ---------------------------------------------------------------------

    def _identifiers(self, full: str) -> list[MentionCandidate]:
        out = []
        for m in sc.CIK.finditer(full):
            for cid in self._ids.get(("CIK", m.group(1).lstrip("0") or "0"), ()):
                out.append(self._evidence(cid, m.group(), m.start(), m.end(), "identifier", f"CIK {m.group(1)}"))
        for m in sc.ID_TOKEN.finditer(full):
            kind, value = nm.identifier_key(m.group())
            if kind == "CIK" and not m.group().startswith("00"):
                continue  # a bare number is a CIK only when written zero-padded
            for cid in self._ids.get((kind, value), ()):
                out.append(self._evidence(cid, m.group(), m.start(), m.end(), "identifier", f"{kind} {m.group()}"))
        return out

    def _ric_owners(self, code: str, suffix: str | None) -> set[int]:
        return {cid for key in sc.ric_keys(code, suffix) for cid in self._tickers.get(key, ())}

    def _ticker_mentions(self, full: str) -> list[MentionCandidate]:
        found: list[tuple[re.Match, set[int], str, str]] = []
        for m in sc.EXCHANGE_TICKER.finditer(full):
            owners = {cid for key in sc.exchange_keys(m) for cid in self._tickers.get(key, ())}
            found.append((m, owners, "exchange_ticker", f"exchange-qualified ticker {m.group()}"))
        for pattern in (sc.REUTERS_CODE, sc.PAREN_RIC):
            for m in pattern.finditer(full):
                found.append((m, self._ric_owners(m.group(1), m.group(2)), "cashtag",
                              f"Reuters instrument code {m.group()}"))
        for m in sc.CASHTAG.finditer(full):
            owners = self._tickers.get(nm.ticker_key(m.group(1)), set())
            found.append((m, owners, "cashtag", f"ticker ${m.group(1)} with cashtag"))
        out = []
        for m, owners, kind, label in found:
            written = sc.name_before(full, m.start()) if label.startswith("Reuters") else None
            for cid in owners:
                shared = f", but ticker {m.group(1)} belongs to {len(owners)} companies" if len(owners) > 1 else ""
                if written and not nm.may_be_written(self._companies[cid], written):
                    # "Nio Inc <NIO.N>" when the book's NIO is an old fund: the code is the named company's
                    out.append(self._evidence(cid, m.group(), m.start(), m.end(), "rejected",
                                              f"{label} follows the name '{written}', not this company's", False, 0.0))
                    continue
                note = label + shared
                out.append(self._evidence(cid, m.group(), m.start(), m.end(), kind, note, strong=len(owners) == 1))
        return out

    def _names(self, full: str, begin: int, end: int, title_cased: bool,
               skip: list[tuple[int, int]]) -> list[MentionCandidate]:
        """Leftmost-longest walk of the name trie from every token that can start a name.

        Only capitalised, digit, CJK and "eBay"-style tokens start a walk, found by one
        regex pass; tokenising every word costs several times more on long texts.
        """
        out: list[MentionCandidate] = []
        root, resume = self._trie, begin
        owner = ""  # the name matched last, when it ends in a possessive: "Domino's" of "Domino's Pizza"
        starts = [s for s, _ in skip]
        for hit in self._start.finditer(full, begin, end):
            at = bisect_right(starts, hit.start()) - 1
            if at >= 0 and skip[at][1] > hit.start():
                continue  # inside "<.SPX>", a story code or a sign-off
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
                following = nm.TOKEN.match(full, sc.GAP.match(full, pos, end).end(), end)
                node = node.get(nm.key(following.group())) if following else None
                if node is None:
                    break
                words.append(following.group())
                pos = following.end()
                if None in node:
                    matched = (len(words), pos, node[None])
            if matched is None:
                if len(words) >= 2:  # "Compass Minerals Reports": the first words of a longer name no
                    resume = pos     # company owns whole; "Minerals" is no name on its own there
                continue
            count, stop, found = matched
            named = [v for v in found if v.kind != "short"]
            shorts = [v for v in found if v.kind == "short"]
            if not named and shorts:  # the press's short form: the one whose name the text goes on
                # with ("Kratos Defense"), else the parent name (fewest words) owns it
                goes_on = {id(v): sc.name_continues(full, stop, end, v.long.split()[1:]) for v in shorts}
                longest = max(goes_on.values())
                fewest = min(v.rank for v in shorts)
                named = [v for v in shorts if (goes_on[id(v)] == longest if longest else v.rank == fewest)]
            judged = [self._judge(full, (begin, end), (first.start(), stop), words[:count], variant, title_cased,
                                  len(named) if variant.kind == "short" and len(named) > 1 else 0,
                                  owner if owner and not full[resume:first.start()].strip() else "")
                      for variant in named]
            out.extend(judged)
            # past the words a short form's fuller name took ("Compass Minerals" of Compass Minerals International)
            resume = max([stop] + [c.end for c in judged if c.kind != "rejected"])
            owner = words[count - 1] if re.search(r"['\u2019]s$", words[count - 1]) else ""
        return out

    def _judge(
        self, full: str, segment: tuple[int, int], span: tuple[int, int], words: list[str],
        variant: nm.NameVariant, title_cased: bool, shared_short: int = 0, owner: str = "",
    ) -> MentionCandidate:
        """Evidence from one name match: kind and strength follow the rules in the module doc."""
        cid, (start, end) = variant.company_id, span
        mention = full[start:end]
        label = {"legal": "exact legal name", "short": "short form"}.get(variant.kind, variant.kind)
        written = variant.written.split()

        def weak(kind: str, why: str, strong: bool = False, bar: float = 0.0) -> MentionCandidate:
            confidence = 0.0 if kind == "rejected" else None
            return self._evidence(cid, mention, start, end, kind, f"{label} '{mention}' {why}", strong, confidence, bar)

        def core(tokens: list[str]) -> list[str]:  # the legal form's case does not matter: "plc" = "PLC"
            return [re.sub(r"['\u2019]s$", "", w) for w in tokens if nm.key(w) not in nm.LEGAL_SUFFIXES]

        shouted, as_written = " ".join(core(words)), " ".join(core(written))
        # the book's "Hca Holdings" is the SEC's "HCA HOLDINGS" title-cased: capitals that spell its ticker are its name
        # ("II-VI" of the SEC's "Ii-vi Inc" spells its ticker IIVI but for the hyphen)
        own_ticker = shouted.isupper() and bool({nm.ticker_key(shouted), re.sub(r"[\s-]", "", shouted)}
                                                & {nm.ticker_key(t) for t in self._companies[cid].tickers})
        if variant.exact_case and core(words) != core(written) and not own_ticker:
            return weak("rejected", f"needs the exact case of '{variant.written}'")
        if len(written) == len(words) and not all(  # "iRobot" is capitalised as its owner writes it
            w == g or not w[0].islower() or re.match(r"[a-z]+[A-Z]", w) or nm.key(w) in nm.CONNECTORS
            or i == len(words) - 1 and i > 0 and nm.key(w) in nm.GENERIC_TAIL and words[0][:1].isupper()
            and nm.key(words[0]) not in nm.COMMON_WORDS
            for i, (w, g) in enumerate(zip(words, written, strict=True))
        ):
            return weak("rejected", "is not capitalised")
        if not title_cased and segment[0] > 0 and shouted.isupper() and not as_written.isupper() and len(shouted) > 4 \
                and not own_ticker \
                and not sc.LOWER_AFTER.match(full, end):  # "KAYAK said": running text, not a dateline
            return weak("rejected", "is written in capitals, as a dateline is, not as its owner writes it")
        if len(words) == 1 and nm.key(words[0]) in sc.INDEX_BRANDS and sc.reads_as_index(full, start, end):
            return weak("rejected", "reads as the market index")
        if owner and variant.kind == "short":  # "Domino's Pizza" is not Pizza Inn
            return weak("rejected", f"matched, but right after the name '{owner}', as part of it")
        # "Indian Bank", "Czech Republic", "Swiss National Bank": the name of another, longer; capitals
        # that spell a brand stand on their own ("Dutch ING")
        adjective = sc.nationality_before(full, segment[0], start, variant.common) if not words[0].isupper() else None
        if adjective:
            return weak("rejected", f"matched, but preceded by '{adjective}' as part of a longer name")
        place = sc.PLACE_AFTER.match(full, end) if variant.kind != "legal" else None
        if place:  # "Hartford, Conn.-based", "Woodstock, Ontario": a town
            return weak("rejected", f"matched, but followed by '{place.group().strip(', ')}', as a town is")
        before = None if title_cased else sc.previous_word(full, segment[0], start)
        if before:  # the tail of a longer name: "First Union Bancorp Inc", "Harrison Ford"
            return weak("rejected", f"matched, but preceded by capitalised '{before}'")
        fuller = variant.kind == "short" and sc.name_continues(full, end, segment[1], variant.long.split()[1:])
        if fuller:  # "Regeneron Pharma", "Kratos Defense and Security": more of its own name follows
            end, mention, label = fuller, " ".join(full[start:fuller].split()), "first words"
        other = sc.GROUP_AFTER.match(full, end) if variant.kind == "short" else None
        if other:  # "Ambit Group", "Pioneer Holdings": another company of that first word
            return weak("rejected", f"matched, but followed by '{other.group(1)}', another company's name")
        suffix = nm.STRONG_SUFFIX.match(full, end) if variant.kind != "legal" else None
        if suffix and not variant.takes_suffix:  # "Imperial Corp" is not Imperial Holdings Inc
            code = sc.own_code(full, suffix.end(), self._companies[cid].tickers)
            if code:  # "Baker Hughes Co <BKR.N>": the book records no legal form, the code decides
                mention = " ".join(full[start : suffix.end()].split())
                return self._evidence(cid, mention, start, suffix.end(), "name_ticker",
                                      f"name '{mention}' followed by its {code}")
            return weak("rejected", f"matched, but followed by '{suffix.group().strip()}', not its legal name")
        if suffix:
            mention = full[start : suffix.end()]
            return self._evidence(cid, mention, start, suffix.end(), "legal_name", f"legal name '{mention.strip()}'")
        code = sc.own_code(full, end, self._companies[cid].tickers)
        if code:  # "(AAPL)", "(NYSE: AAPL)", "(AAPL.O)", "<AAPL.O>"
            return weak("name_ticker", f"followed by its {code}", strong=True)
        if variant.kind == "legal":
            return weak("legal_name", "", strong=True)
        after = None if title_cased else sc.next_word(full, segment[1], end, words[-1])
        if after:  # part of another name: "Ford Foundation", "Trans World Airlines"
            return weak("rejected", f"matched, but capitalised and followed by '{after}'")
        if shared_short:
            return weak("short", f"is the short form of {shared_short} companies: needs a ticker or a fuller name")
        if variant.keys in self._shared:
            return weak(variant.kind, "is shared by several companies: needs corroboration")
        if variant.kind == "short":  # "JPMorgan", "JetBlue": capitals inside a word spell a brand, not a word
            return weak("short", f"of '{variant.long}': decided by context",
                        bar=ctx.BAR_PHRASE if fuller or ctx.coined(mention) else ctx.BAR_WORD)
        if own_ticker and core(words) != core(written):  # "PMI" is also an index, "HCA" a company
            return weak(variant.kind, "is written in capitals as its ticker: decided by context", bar=ctx.BAR_WORD)
        if variant.common:
            if variant.place_or_person:
                return weak(variant.kind, "is a place or a person's name: needs corroboration")
            phrase = sum(k not in nm.CONNECTORS for k in variant.keys) >= 2
            why = "is too short to stand alone" if len(variant.written) < 3 else "is made of everyday words"
            # one everyday word in a headline-case title is capitalised as every word there is
            bar = ctx.BAR_PHRASE if phrase else ctx.BAR_WORD + (ctx.BAR_HEADLINE if title_cased else 0.0)
            return weak(variant.kind, f"{why}: decided by context", bar=bar)
        if title_cased and (len(words) < 2 or sc.previous_word(full, segment[0], start)
                            or sc.next_word(full, segment[1], end, words[-1])):
            # one word, or between capitalised words, where headline case cannot tell a name from
            # a word or where it ends; a name of several words bounded by punctuation, lower case
            # or the line's ends ("Molson Coors", "Constellation Brands goes ex-dividend") it can
            return weak(variant.kind, "in a headline-case title: decided by context", bar=ctx.BAR_HEADLINE)
        return weak(variant.kind, "", strong=True)

    def _evidence(
        self, cid: int, mention: str, start: int, end: int, kind: str, note: str,
        strong: bool = True, confidence: float | None = None, bar: float = 0.0,
    ) -> MentionCandidate:
        conf = _CONFIDENCE.get(kind, 0.7) if confidence is None else confidence
        mention, note = " ".join(mention.split()), " ".join(note.split())  # names broken over lines
        return MentionCandidate(cid, mention, start, end, kind, strong, conf, note, bar)

    # -- decisions --------------------------------------------------------------------

    def _decide(self, cid: int, found: list[MentionCandidate]) -> EntityLink | None:
        """A link on strong evidence, or on two pieces of weak evidence that agree."""
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
            named = ("legal_name", "name_ticker", "name", "alias", "short")
            mention = next((c.mention for c in strong + usable if c.kind in named), best.mention)
            bonus = 0.01 * len({c.kind for c in usable} - {best.kind})
            return EntityLink(cid, name, mention.strip(), round(min(0.99, best.confidence + bonus), 3), reason)
        names: dict[str, str] = {}  # comparison form -> as written; "Pioneer's" = "Pioneer"
        for c in usable:
            if c.kind in ("name", "alias", "short"):
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
