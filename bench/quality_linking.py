"""Entity-linking recall and precision on real finance text, against a large book.

The book: every SEC registrant and S&P 500 member (``refine_parts.load_gazetteer``, ~14k
companies, so that ordinary-word names such as "Target" or "Gap" compete with text) plus
``data/linking_book_extra.csv``: listed companies outside that list (European and Asian
issuers, recent US listings), with the legal names, tickers and former names a bank's book
records. Nothing in it was copied from the evaluation texts' spans. Each company carries its
industry as a bank's book does (the SEC's SIC code, else the S&P list's GICS sector, mapped to an
ISIC section by the project's tables), and each text is linked as the pipeline links it: its
industries tagged first and passed to the linker.

Gold, per text:
- FinEntity (ODC-BY) news paragraphs: each annotated span whose words name one book
  company. A span maps when its normalised words equal a company's name or alias without
  the legal form, or are the leading words of one ("JPMorgan" of "JPMorgan Chase & Co",
  "Citi" of "Citigroup"); when several companies fit and exactly one is an S&P 500 member,
  that one; otherwise the span is *unresolved*: links to any of its candidates are neither
  right nor wrong, and it does not count for recall. A span written with a legal form ("Delta
  Corp") is a full name: it maps only to a company of exactly that name, never by leading words
  (Delta Corp, an Indian casino operator, is not Delta Air Lines). A span that is only the name of an index
  or exchange ("Nasdaq", "the Dow") is unresolved too: it names the market as often as the
  company. Spans naming no book company (indices, central banks, commodities) are not in
  the gold set. A span followed by a Reuters instrument code ("<DPZ.N>") is decided by the
  code: the name's candidate owning it; else, for a name written amiss ("CVS Heath Corp <CVS.N>",
  the SEC's reversed "Lilly Eli & Co" for "Eli Lilly <LLY.N>"), the one owner sharing a word
  with it; else (a listing the book does not record: "BNP <BNPP.PA>" is not BNP Residential
  Properties) only an exact name stays gold, a short form is unresolved; a span before an
  index code ("Staples <.SPLRCS>") is unresolved. A company written with its code but not
  annotated (FinEntity marks the entities it gives a sentiment, not every company) is
  unresolved when the words before the code begin with one of its names' words. These rules
  were decided on dev paragraphs. This procedure knows nothing of the linker's rules.
- MIT twitter-financial-news validation headlines: the book companies of their cashtags;
  and, as a test of names alone, the headlines that also write a cashtag company's name
  (a run of words the rule above maps to it), with every cashtag removed.
- SEntFiN headlines (no licence: read here, never copied): each entity key that the rule
  above maps to one S&P 500 member or extra-book company (a key in lower case is a kind, "realty",
  unless written as "iGate" or "eBay") (most keys are Indian issuers,
  indices or currencies and drop out; see ``sentfin_cases``).

The headline sets are linked twice: as a document's body (the rows above them) and as a
title with no body, which is how a feed item's headline reaches the linker in the pipeline
(a title in headline case is read differently: its capitals say little about names).

Split: FinEntity paragraphs, SEntFiN titles and MIT name-only headlines whose SHA-1 starts
with a byte below 77 (~30%) are held out: their figures are printed, their errors never
are, and no rule was tuned on them. The dev splits (the other 70%) and the MIT cashtag
headlines were looked at while tuning, so their figures are not held-out.

    .venv/bin/python bench/quality_linking.py [--errors] [--dev-only]
    (--errors: the dev split's misses and false links; --dev-only: leave the held-out split unscored)
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from refine_parts import SHARED, load_gazetteer  # noqa: E402

from mi.analysis.industries import tag_industries  # noqa: E402
from mi.analysis.linking import CompanyName, Linker  # noqa: E402

_EXTRA_BOOK = BENCH / "data" / "linking_book_extra.csv"
_FINENTITY = Path("news/finentity/FinEntity.json")
_MIT_VALID = Path("news/twitter_financial_sentiment/sent_valid.csv")
_SENTFIN = Path("news/sentfin/dataset_1.csv")
_HELD_OUT_BELOW = 77  # first SHA-1 byte < 77 of 256: ~30% held out
_FORMS = set("inc incorporated corp corporation co company companies cos ltd limited llc llp lp plc "
             "ag sa se nv bv as asa oyj spa group holdings holding the".split())
# A span of one of these words alone names the index or the market as often as the company
# that runs it or shares its name: such spans are unresolved.
_INDEX_BRANDS = frozenset("dow nasdaq ftse nikkei dax stoxx russell msci topix kospi sensex nifty nyse".split())
_CASHTAG = re.compile(r"\$([A-Z][A-Z.]{0,6})\b")
# A Reuters instrument code right after a span: "<DPZ.N>", "<BNPP.PA>", "<.SPLRCS>" (an index).
_CODE = re.compile(r"[ \t]*<(\.?[A-Za-z0-9]{1,10})(?:\.([A-Za-z]{1,3}))?>")
_US_VENUES = frozenset({"N", "O", "OQ", "A", "K", "P", "PK", "OB"})
# The capitalised words right before a code: the name the text writes it with.
_WRITTEN_BEFORE = re.compile(r"((?:[A-Z0-9][\w.'\u2019&-]*[ \t]+(?:(?:&|and|of|de)[ \t]+)?){1,6})$")


@dataclass
class Case:
    text: str
    gold: set[int]
    unresolved: set[int] = field(default_factory=set)  # linking any of these is neither right nor wrong
    held_out: bool = False


def words(name: str, forms: bool = False) -> tuple[str, ...]:
    """Comparison words of a name; ``forms``: keep its trailing legal forms."""
    name = re.sub(r"\s*/[A-Za-z]{2,3}/?\s*$", "", name)
    name = re.sub(r"['\u2019]s?(?=\s|$)", "", name)  # "Wells Fargo & Co's", "Lloyds'"
    name = re.sub(r"['\u2019]", "", name.lower().replace(".com", "")).replace(".", "")  # "Domino's" = "Dominos"
    toks = re.findall(r"[a-z0-9]+", name.replace("&", " and "))
    while toks and toks[-1] in _FORMS and not forms:
        toks.pop()
    while toks and toks[0] == "the":
        toks.pop(0)
    return tuple(toks)


EXTRA_IDS: set[int] = set()  # companies of the extra book (filled by load_book)


def load_book() -> list[CompanyName]:
    companies = load_gazetteer(SHARED)
    by_ticker = {t.upper(): i for i, c in enumerate(companies) for t in c.tickers}
    next_id = max(c.company_id for c in companies) + 1
    with _EXTRA_BOOK.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            tickers = tuple(t for t in row["tickers"].split(";") if t)
            aliases = tuple(a for a in row["aliases"].split(";") if a)
            known = next((by_ticker[t.upper()] for t in tickers if t.upper() in by_ticker), None)
            if known is not None and words(companies[known].name)[:1] != words(row["name"])[:1]:
                # a ticker the SEC export still gives an earlier holder (SPOT of Intelsat, TRI of Triad
                # Hospitals): a listing reuses it, the old registrant no longer trades under it
                c, reused = companies[known], {t.upper() for t in tickers}
                companies[known] = CompanyName(c.company_id, c.name, c.aliases,
                                               tuple(t for t in c.tickers if t.upper() not in reused),
                                               c.identifiers, c.sections)
                known = None
            if known is not None:  # the same company under its current name: old name kept as an alias
                c = companies[known]
                companies[known] = CompanyName(c.company_id, row["name"], tuple({*c.aliases, c.name, *aliases}),
                                               tuple({*c.tickers, *tickers}), c.identifiers, c.sections)
                EXTRA_IDS.add(c.company_id)
            else:
                companies.append(CompanyName(next_id, row["name"], aliases, tickers))
                EXTRA_IDS.add(next_id)
                next_id += 1
    return companies


class GoldMap:
    """Span words -> book companies, by the rule in the module doc."""

    def __init__(self, companies: list[CompanyName], sp500: set[int], ordinary: set[str]) -> None:
        self.ordinary = ordinary  # a span starting with one of these ("Second", "Design") is no short form
        self.exact: dict[tuple[str, ...], set[int]] = defaultdict(set)
        self.names: list[tuple[tuple[str, ...], int]] = []
        self.tickers: dict[str, set[int]] = defaultdict(set)
        self.sp500 = sp500
        for c in companies:
            for name in (c.name, *c.aliases):
                w = words(name)
                if w:
                    self.exact[w].add(c.company_id)
                    self.names.append((w, c.company_id))
            for t in c.tickers:
                self.tickers[t.upper().split(".")[0]].add(c.company_id)
        # first words the book writes in capitals ("FTX Trading"): a span "FTX" may be their short form
        self.caps = {n.split()[0] for c in companies for n in (c.name, *c.aliases) if n.split()[0].isupper()}
        self.by_ticker: dict[str, set[int]] = defaultdict(set)  # "SHEL.L", "DPZ"
        for c in companies:
            for t in c.tickers:
                self.by_ticker[t.upper().replace("-", ".")].add(c.company_id)
        self.name_words = {c.company_id: {t for n in (c.name, *c.aliases) for t in words(n)} for c in companies}
        self.by_first: dict[str, list[tuple[tuple[str, ...], int]]] = defaultdict(list)
        for w, cid in self.names:
            self.by_first[w[0][:3]].append((w, cid))

    def resolve(self, span: str) -> tuple[set[int], set[int]]:
        """(gold, unresolved) company ids for one span."""
        w = words(span)
        if not w:
            return set(), set()
        exact = set(self.exact.get(w, ()))
        leading = set()  # names the span's words begin: whole words, or a last word cut short ("Citi")
        # a span written with a legal form ("Delta Corp") is a full name: no other name's leading words
        legal = len(words(span, forms=True)) > len(w)
        for name, cid in () if legal else self.by_first.get(w[0][:3], ()):
            if len(w) < len(name) and name[: len(w) - 1] == w[:-1] and name[len(w) - 1] == w[-1] \
                    and w[0] not in self.ordinary and (len(w[0]) >= 4 or span.isupper() and span in self.caps):
                leading.add(cid)
            elif len(w) == len(name) == 1 and name[0] in (w[0] + "group", w[0] + "corp"):
                leading.add(cid)  # "Citi" of "Citigroup"
        found = exact | leading
        if len(w) == 1 and w[0] in _INDEX_BRANDS:  # "the Nasdaq", "the Dow": an index or a market more often than not
            return set(), found
        if not found and span.isupper() and len(span) >= 2:  # "GS", "ICE": a ticker may be meant, or not
            return set(), set(self.tickers.get(span, ()))
        listed = found & self.sp500
        if len(listed) == 1:  # "Meta": Meta Platforms, not the old registrant Meta Group
            return listed, found - listed
        if len(exact) == 1 and not listed:
            return exact, leading - exact
        if len(found) == 1:
            return found, set()
        return set(), found

    def code_owners(self, code: str, venue: str | None, strict: bool = False) -> set[int]:
        """Book companies of a Reuters instrument code: its full ticker ("SHEL.L") or the code alone
        ("DPZ.N", and unless ``strict`` "STLA.MI", a listing the book records under its home ticker)."""
        owners = set(self.by_ticker.get(f"{code}.{venue}".upper(), ())) if venue else set()
        if not strict or venue is None or venue.upper() in _US_VENUES:
            owners |= self.by_ticker.get(code.upper(), set())
        return owners

    def by_code(self, span: str, gold: set[int], unresolved: set[int], coded: list[re.Match]) -> tuple[set, set]:
        """(gold, unresolved) of a span written with an instrument code after it, by the rule in the module doc."""
        candidates = gold | unresolved
        if any(m.group(1).startswith(".") for m in coded):  # "Staples <.SPLRCS>": an index
            return set(), candidates
        owners = set().union(*(self.code_owners(m.group(1), m.group(2)) for m in coded))
        strict = set().union(*(self.code_owners(m.group(1), m.group(2), strict=True) for m in coded))
        close = {cid for cid in strict if set(words(span)) & self.name_words[cid]}  # owners it may name
        if gold & owners:  # the code agrees with the name
            agreed = gold & owners
        elif len(unresolved & owners) == 1:  # the code decides between the name's candidates
            agreed = unresolved & owners
        elif len(close) == 1 and not candidates & owners:  # written amiss: "CVS Heath Corp <CVS.N>"
            agreed = close
        else:  # a listing the book does not record: a full name still names its company, a short form not
            agreed = gold & self.exact.get(words(span), set())
        return agreed, (candidates | close) - agreed


def _held_out(text: str) -> bool:
    return hashlib.sha1(text.encode("utf-8")).digest()[0] < _HELD_OUT_BELOW


def finentity_cases(gold_map: GoldMap) -> list[Case]:
    data = json.loads((SHARED / _FINENTITY).read_text(encoding="utf-8"))
    seen, cases = set(), []
    for paragraph in data:
        text = paragraph["content"]
        if text in seen:
            continue
        seen.add(text)
        case = Case(text, set(), held_out=_held_out(text))
        for span in paragraph["annotations"]:
            gold, unresolved = gold_map.resolve(span["value"])
            coded = list(re.finditer(re.escape(span["value"]) + _CODE.pattern, text))
            if coded:  # the instrument code after the span says which security it is
                gold, unresolved = gold_map.by_code(span["value"], gold, unresolved, coded)
            case.gold |= gold
            case.unresolved |= unresolved
        for m in _CODE.finditer(text):  # a company written with its code, not annotated: named all the same
            before = _WRITTEN_BEFORE.search(text, max(0, m.start() - 80), m.start())
            first = words(before.group(1))[:1] if before else ()
            case.unresolved |= {cid for cid in gold_map.code_owners(m.group(1), m.group(2))
                                if first and first[0] in gold_map.name_words[cid]} - case.gold
        cases.append(case)
    return cases


def sentfin_cases(gold_map: GoldMap) -> list[Case]:
    """SEntFiN headlines (measured only, never copied): each entity key that names one book company.

    Most SEntFiN entities are Indian issuers, indices and markets whose names collide with
    small US registrants ("ITC", "UltraTech", "Raymond", "Wall Street"): a key counts only
    when it maps to an S&P 500 member or a company of the extra book (listed issuers a bank
    would hold); a key mapping elsewhere is unresolved, neither right nor wrong."""
    notable = gold_map.sp500 | EXTRA_IDS
    cases = []
    with (SHARED / _SENTFIN).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            case = Case(row["Title"], set(), held_out=_held_out(row["Title"]))
            for entity in json.loads(row["Decisions"]):
                if re.match(r"[a-z]+(?![\w&]*[A-Z])", entity):  # "realty", "shell companies": a kind, not a name
                    continue  # ("iGate" and "eBay" are names)
                gold, unresolved = gold_map.resolve(entity)
                case.gold |= gold & notable
                case.unresolved |= unresolved | (gold - notable)
            if case.gold or case.unresolved:
                cases.append(case)
    return cases


def named_in(text: str, gold_map: GoldMap) -> set[int]:
    """Companies that a run of 1-4 words of ``text`` (starting with a capital) names by the rule above."""
    toks = re.findall(r"[A-Za-z0-9&.'\u2019-]+", text)
    named: set[int] = set()
    for i in range(len(toks)):
        if toks[i][:1].isupper():
            for n in range(1, 5):
                if i + n <= len(toks):
                    named |= gold_map.resolve(" ".join(toks[i:i + n]))[0]
    return named


def mit_name_cases(cases: list[Case], gold_map: GoldMap) -> list[Case]:
    """The MIT headlines that also write a cashtag company's name, with every cashtag removed:
    the company must be found by its name alone."""
    out = []
    for case in cases:
        text = _CASHTAG.sub(" ", case.text)
        named = named_in(text, gold_map) & case.gold
        if named:
            out.append(Case(text, named, case.unresolved - named, held_out=_held_out(case.text)))
    return out


def mit_cases(companies: list[CompanyName], gold_map: GoldMap) -> list[Case]:
    """Gold: the cashtag companies. Other companies the headline names (by the rule above, on
    the text without its cashtags) are unresolved: the cashtags are the only labels, so a link
    to them is neither right nor wrong; a name read out of a cashtag ("$CNS") still counts false."""
    owners: dict[str, set[int]] = defaultdict(set)
    for c in companies:
        for t in c.tickers:
            owners[t.upper()].add(c.company_id)
    cases = []
    with (SHARED / _MIT_VALID).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            tags = [owners[t] for t in _CASHTAG.findall(row["text"]) if t in owners]
            if tags:
                case = Case(row["text"], {next(iter(o)) for o in tags if len(o) == 1})
                case.unresolved = {cid for o in tags if len(o) > 1 for cid in o}
                case.unresolved |= named_in(_CASHTAG.sub(" ", row["text"]), gold_map) - case.gold
                cases.append(case)
    return cases


def score(linker: Linker, cases: list[Case], names: dict[int, str], errors: list[str] | None = None,
          as_titles: bool = False) -> dict:
    """``as_titles``: each text is a document's title with no body, as a feed item's headline
    reaches the linker (headline case is judged there); else it is the body."""
    tp = fp = fn = 0
    started = time.perf_counter()
    for case in cases:
        title, body = (case.text, "") if as_titles else (None, case.text)
        # as in the pipeline: the document's industries, tagged first, meet the book's
        found = linker.link(title, body, tag_industries(title, body))
        linked = {link.company_id for link in found}
        counted = linked - case.unresolved
        tp += len(counted & case.gold)
        fp += len(counted - case.gold)
        fn += len(case.gold - linked)
        if errors is not None and (counted - case.gold or case.gold - linked):
            errors.append(f"- {case.text[:300]}\n    missed {[names[c] for c in case.gold - linked]} "
                          f"false {[names[c] for c in counted - case.gold]}")
    elapsed = time.perf_counter() - started
    return {"texts": len(cases), "gold": tp + fn, "recall": round(tp / max(1, tp + fn), 4),
            "precision": round(tp / max(1, tp + fp), 4), "texts_per_second": round(len(cases) / elapsed)}


def evaluate(show_errors: bool = False, dev_only: bool = False) -> dict:
    companies = load_book()
    with (SHARED / "reference" / "sp500_constituents_gics.csv").open(encoding="utf-8") as handle:
        sp500 = {int(r["CIK"]) for r in csv.DictReader(handle)}
    names = {c.company_id: c.name for c in companies}
    paragraphs = json.loads((SHARED / _FINENTITY).read_text(encoding="utf-8"))
    ordinary = {w for p in paragraphs for w in re.findall(r"(?<![\w.])[a-z]+\b", p["content"])}
    gold_map = GoldMap(companies, sp500, ordinary)
    linker = Linker(companies)
    cases = finentity_cases(gold_map)
    sentfin = sentfin_cases(gold_map)
    mit = mit_cases(companies, gold_map)
    mit_names = mit_name_cases(mit, gold_map)
    errors: list[str] = []
    shown = errors if show_errors else None
    out: dict = {"book": len(companies), "mit_headlines_dev": score(linker, mit, names)}
    # each set's dev split (its errors shown on request) and held-out split (aggregates only);
    # the headline sets again as titles
    for key, found, as_titles in (("finentity", cases, False), ("mit_names", mit_names, False),
                                  ("sentfin", sentfin, False), ("mit_names_titles", mit_names, True),
                                  ("sentfin_titles", sentfin, True)):
        out[f"{key}_dev"] = score(linker, [c for c in found if not c.held_out], names,
                                  None if as_titles else shown, as_titles)
        out[f"{key}_held_out"] = None if dev_only else score(linker, [c for c in found if c.held_out], names,
                                                              as_titles=as_titles)
    if show_errors:
        print("\n".join(errors))
    return out


def main() -> int:
    if not (SHARED / _FINENTITY).is_file():
        print(f"skipped: {SHARED / _FINENTITY} is absent (the evaluation data is not part of the project)")
        return 0
    figures = evaluate(show_errors="--errors" in sys.argv, dev_only="--dev-only" in sys.argv)
    print(f"linking against a book of {figures['book']} companies (target: recall >= 0.90, precision >= 0.95)")
    for key, label in (("finentity_dev", "FinEntity paragraphs, dev split (tuned on)"),
                       ("finentity_held_out", "FinEntity paragraphs, HELD-OUT split"),
                       ("mit_headlines_dev", "MIT headlines, cashtag companies (looked at)"),
                       ("mit_names_dev", "MIT headlines, names without cashtags, dev"),
                       ("mit_names_held_out", "MIT headlines, names without cashtags, HELD-OUT"),
                       ("sentfin_dev", "SEntFiN headline entities, dev split"),
                       ("sentfin_held_out", "SEntFiN headline entities, HELD-OUT split"),
                       ("mit_names_titles_dev", "the same headlines as titles: MIT names, dev"),
                       ("mit_names_titles_held_out", "  MIT names, HELD-OUT"),
                       ("sentfin_titles_dev", "  SEntFiN, dev"),
                       ("sentfin_titles_held_out", "  SEntFiN, HELD-OUT")):
        f = figures[key]
        if f is None:
            continue
        print(f"  {label:46s} texts {f['texts']:5d}  gold links {f['gold']:5d}  recall {f['recall']:.4f}  "
              f"precision {f['precision']:.4f}  {f['texts_per_second']} texts/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
