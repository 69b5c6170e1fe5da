"""Context that decides an ambiguous company mention (no I/O).

A name made of everyday words ("Apple", "Shell", "Target"), a two-letter name ("BP"), a
short form the press uses ("JPMorgan" for JPMorgan Chase & Co) or a name in a headline
where every word is capitalised is neither accepted nor refused on sight: the words around
it decide. "Apple shares slipped" and "drugmaker Shire" read as companies; "an apple a day"
never reaches this module (it is not capitalised) and "Apple pie recipes" finds no cue.

Cues, each named in the link's reason or in the rejection's:
- a company verb or noun right after the name ("said", "shares", "CEO", "'s profit"), also
  past a time or an adverb ("Lithia on Wednesday reported"), or its own analyst ("Stifel
  analyst Ben Nolan");
- a role noun right before it ("drugmaker", "lender", "rival", "shares of", "analysts at");
- finance words in the same sentence ("profit", "quarter", "downgraded", "billion");
- a possessive ("Exxon's interest"), weakly;
- another company linked on strong evidence in the same text (co-mention), and more when
  the two stand next to each other in a list ("Apple, Microsoft take a knock");
- a headline's source after a colon ("... hot year for equities: Deutsche"), or its subject
  before one at a line's start ("Amazon: One Of The Best Long-Term Investments");
- the document's industries (ISIC sections) overlapping the company's;
- the channel's market (an ISO 3166 code in the channel file) being the company's country.
Counter-cues: the same word written in lower case elsewhere in the text ("the shell"); an
index named after it ("the Philadelphia semiconductor index"); "the" before an everyday name
("the Bank said"); the same words written elsewhere as part of a longer name refused as
another's ("Doresy Gardner ... Gardner noted"); an acronym the text defines for another
phrase ("the Commodity Credit Corporation (CCC)").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from mi.analysis.linking_names import LEGAL_SUFFIXES, key
from mi.analysis.linking_records import EntityLink, MentionCandidate

# What the context must score (``judge``) to decide an ambiguous mention: a single everyday
# word or a short form needs a clear cue ("Apple shares", "drugmaker Shire"); several everyday
# words together ("Bank of America") or a distinctive name in a headline need less, since
# they rarely mean anything but the company.
BAR_WORD = 1.0
BAR_PHRASE = 0.5
BAR_HEADLINE = 0.5
CONFIDENCE = 0.85  # of a link the context decided
# Capitals inside a surname ("McCormick", "MacKenzie", "DeWitt") spell a person as often as a brand.
_SURNAME_CAPITALS = re.compile(r"(?:Mc|Mac|De|Di|Da|Du|La|Le|Van|Von)[A-Z]")

EXCHANGES = (
    r"NYSE(?:[ \t]+(?:American|Arca|MKT))?|NYSEArca|NASDAQ|Nasdaq(?:GS|GM|CM)?|AMEX|OTC(?:QX|QB|BB)?|"
    r"LSE|LON|TSX|TSXV|ASX|HKEX|HKG|SEHK|SSE|SZSE|SHA|SHE|TYO|TSE|XETRA|ETR|FRA|EPA|AMS|SIX|BME|BIT|Euronext"
)
TICKER = r"[A-Z0-9]{1,6}(?:[.\-/][A-Z]{1,2})?"
EXCHANGE_TICKER = re.compile(rf"\b(?:{EXCHANGES})[ \t]*:[ \t]*({TICKER})\b")
_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019&.-]*|\d[\d.,]*%?")
# Verbs and nouns that follow a company in news copy ("Apple said", "Shell CEO").
AFTER = frozenset(
    """
    said says say told reported reports report posted posts announced announces agreed agrees
    plans planned expects expected forecast forecasts warned warns raised raises cut cuts beat
    beats missed misses lifted lowered shares share stock stocks ceo cfo chairman chief executive
    executives boss spokesman spokeswoman spokesperson shareholders investors results earnings
    profit profits revenue revenues sales bought sold sells buys acquired acquires
    launched launches unveiled hired fired fell rose jumped slumped gained dropped declined climbed
    tumbled surged plunged rallied slid sank soared dipped edged earned confirmed filed sued
    sues shut closed opened owns owned employees workers staff unit units subsidiary stake board
    bonds debt rating economists analysts strategists inc corp plc ltd ag sa nv recommends
    recommended sees predicts estimates initiated rates maintains upgraded downgraded did does
    thinks believes wrote writes noted told offered offers eps net gains rises falls jumps slips
    drops surges plunges climbs tumbles soars slumps rallies dips sinks slides advances declines
    extends trims names appoints hires wins loses quits exits settles pays rejects approves denies
    invests expands delays recalls shuts closes downgrades upgrades sets stays joins faces cracks
    prices ups picks seen
    shuffles elevates promotes puts handpicks hits weighs offsets ticks seeks seeking takes eyes
    bags inks unveils lifts lowers completes halts suspends resumes reshuffles taps adds slashes
    boosts hikes ipo listing debut downgrade upgrade research head
    """.split()
)
# A firm's own people, right after its name ("Stifel analyst Ben Nolan"); nearby, they say little
# ("an economist at Wells Fargo in Charlotte").
_STAFF_AFTER = frozenset("analyst economist strategist".split())
# A reporting period right after a name: "Genpact Q1 net", "Infosys FY15", "Syntel H1 profit".
PERIOD = re.compile(r"(?:Q[1-4]|H[12]|[1-9]M)(?:\s?FY\d{2,4}|['’]?\d{2,4})?|FY['’]?\d{2,4}(?:-\d{2,4})?")
_AFTER_PAIRS = frozenset({"to buy", "to acquire", "to sell", "to cut", "to raise", "to expand", "to open", "to close",
                          "to launch", "to invest", "to settle", "to pay", "to hire", "to merge", "to list"})
# A time or an adverb between a company and its verb: "Lithia on Wednesday reported", "Ford also said".
_WHEN = re.compile(r"[ \t]*,?[ \t]*(?:(?:(?:late|early|earlier|later)[ \t]+)?on[ \t]+"
                   r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
                   r"|(?:also|earlier|later|yesterday|today|last[ \t]+week|this[ \t]+week"
                   r"|last[ \t]+month|this[ \t]+month|previously|separately))(?=[ \t,]),?")
# Auxiliaries after a name hint at a subject, weakly: "Target is" is also "the target is".
_AUXILIARIES = frozenset("has had is was will would could may might can are were".split())
# Nouns that introduce a company ("drugmaker Shire", "rival Target", "shares of Apple").
BEFORE = frozenset(
    """
    drugmaker drugmakers carmaker carmakers automaker automakers lender lenders bank banks insurer
    insurers retailer retailers airline airlines carrier carriers chipmaker chipmakers miner miners
    group firm firms company companies giant conglomerate operator operators maker makers
    producer producers supplier suppliers manufacturer manufacturers brewer brewers grocer
    grocers telecom telecoms utility utilities broker brokerage bankers rival rivals peer peers
    competitor competitors owner parent investor investors of at like including such as versus
    vs from by and
    """.split()
)
# Words of a finance story: two in the same sentence make a capitalised name read as a company.
FINANCE = frozenset(
    """
    profit profits loss losses revenue revenues sales earnings quarter quarterly results dividend
    dividends guidance outlook forecast shares share stock stocks investors shareholders
    analysts analyst valuation ipo merger acquisition deal deals takeover bid downgrade
    downgraded upgrade upgraded rating ratings target price layoffs jobs ceo executive billion
    million bn mln percent pct % market exchange traded trading premarket nasdaq nyse index
    bonds debt lender customers stake buyback margin margins tumbled surged plunged jumped rose
    fell gained slid rallied sank soared dropped declined climbed net impairment writedown pretax
    charge funds fund bank banks lenders brokerage said says reported announced agreed posted
    offer bid repurchase buybacks
    """.split()
)
# Verbs one company does to another: the name after them is likely a company too.
_OBJECT_VERBS = frozenset(
    "acquires acquired buys bought sues sued beats overtakes offsets replaces replaced upgrades upgraded downgrades "
    "downgraded backs backed rates sells sold outperforms underperforms trails tops".split())
# Roles that say little on their own: they count only in the cue right before a name.
_WEAK_BEFORE = frozenset("of at like including such as versus vs from by and".split())
_LISTING = frozenset("including like as and".split())
_KINDS = frozenset(
    "companies firms corporations banks lenders names stocks groups brands retailers carmakers automakers "
    "airlines insurers chipmakers managers peers rivals players giants".split()
)
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")
_LEGAL_FORMS = frozenset("inc corp plc ltd ag sa nv".split())
_WINDOW = 8  # finance words counted within this many words of the mention


_INDEX_AFTER = re.compile(r"(?:\s+[a-z][\w&-]*){0,2}\s+(?:index|indices|indexes)\b")
# Between two names of one list, maybe with other names between: "Goldman, CLSA, Credit Suisse".
_LIST_GAP = re.compile(r"[ \t]*(?:,[ \t]*[A-Z][\w&.'-]*(?:[ \t]+[A-Z][\w&.'-]*){0,3}[ \t]*){0,4}"
                       r"(?:,|&|/|,?[ \t]+and)[ \t]*")
# Another company written with its ticker in brackets, next in the same list: "... and Sanofi (SNY)".
_NAME_WITH_TICKER = (r"([A-Z][\w.&'-]*(?:[ \t]+[A-Z][\w.&'-]*){0,3}[ \t]*"
                     r"\((?:[A-Z]{2,6}[ \t]*:[ \t]*)?[A-Z]{1,5}(?:\.[A-Z]{1,2})?\))")
_LISTED_WITH_TICKER_AFTER = re.compile(rf"[ \t]*(?:,|&|and)[ \t]+{_NAME_WITH_TICKER}")
_LISTED_WITH_TICKER_BEFORE = re.compile(rf"{_NAME_WITH_TICKER}[ \t]*(?:,|&|and)[ \t]+$")
_SOURCE_BEFORE = re.compile(r"\w[^\n:]{8,}:[ \t]*$")  # a headline, then a colon
_LINE_START = re.compile(r"[\s\-\u2013\u2014*:]*")  # nothing but a bullet or a dash before it on its line
_TOPIC_AFTER = re.compile(r"['\u2019]?s?:[ \t\u00a0]+[A-Z0-9$\"'\u201c]")  # "Amazon: One Of...", not "Note: 3:30"
# Labels a headline starts with before a colon ("Highlight: ...", "Update: ..."): no subject.
_LABELS = frozenset(
    "highlight highlights update updates breaking exclusive analysis watch recap focus insight factbox "
    "explainer chart preview review comment opinion interview podcast video live alert poll snapshot brief "
    "digest wrap correction corrected refile rpt timeline graphic".split())
_LINE_END = re.compile(r"[ \t.]*(?:\n|$)")
_RAW_BEFORE = re.compile(r"(\S+)\s+$")


def _ends_a_name(full: str, left_edge: int, start: int) -> bool:
    """Whether the word right before a mention is a capitalised word inside the sentence, so the
    end of another name ("Ambit Group JV") rather than a role noun ("drugmaker Shire")."""
    m = _RAW_BEFORE.search(full, max(left_edge, start - 40), start)
    if m is None or not m.group(1)[:1].isupper():
        return False
    return bool(full[left_edge:m.start()].strip())  # not the sentence's first word ("Drugmaker Shire")


@dataclass(frozen=True)
class Context:
    """What the words around one mention say: cues for, cues against, and the verdict."""

    cues: tuple[str, ...]
    against: tuple[str, ...]
    score: float

    def reads_as_company(self, bar: float) -> bool:
        return self.score >= bar

    def describe(self) -> str:
        parts = list(self.cues) + [f"against: {a}" for a in self.against]
        return "; ".join(parts) if parts else "no finance context"


def _words(text: str) -> list[str]:
    """The words of ``text``, lower case; an exchange-qualified ticker ("NYSE:KMX") is no finance word."""
    return [w.lower().rstrip(".,") for w in _WORD.findall(EXCHANGE_TICKER.sub(" ", text))]


def judge(full: str, start: int, end: int, mention: str, *, co_mentioned: tuple[str, ...] = (),
          same_industry: bool = False, same_market: str = "", phrase: bool = False, short: bool = False,
          listed_with: tuple[tuple[int, int], ...] = (), everyday: bool = False, longer: str = "",
          acronym_of: str = "", the_name: bool = False) -> Context:
    """Score the context of ``full[start:end]`` (a capitalised mention of a company name).

    ``phrase``: several everyday words ("Bank of America"), for which capitals in mid-sentence
    already say much; ``everyday``: one everyday word ("Capital"), which starting a sentence and
    followed by a lower-case word reads as an adjective ("Capital goods"). ``short``: a short
    form, for which finance words nearby say little ("Moscow" is near "shares" as often as
    Moscow Cablecom is). ``longer``: the longer name the same words end elsewhere in the text
    ("Doresy Gardner", "Purolator Courier"), which a bare mention later most likely shortens;
    ``acronym_of``: the phrase the text defines the mention as the acronym of ("Commodity Credit
    Corporation (CCC)"); ``the_name``: the company's own name begins with "The" ("The Gap").
    """
    left_edge = max(full.rfind("\n", 0, start), max((m.end() for m in _SENTENCE.finditer(full, 0, start)), default=0))
    right = _SENTENCE.search(full, end)
    sentence_end = right.start() if right else len(full)
    before = _words(full[left_edge:start])[-_WINDOW:]
    after_text = full[end:sentence_end]
    after = _words(after_text)[:_WINDOW]
    cues: list[str] = []
    score = 0.0
    # "Exxon's interest", and a name ending in s: "Lloyds' core business"
    possessive = bool(re.match(r"['\u2019]s?\b", after_text) or re.search(r"\w['\u2019]s?$", mention)
                      or mention.endswith("s") and re.match(r"['\u2019][ \t]+[a-z]", after_text)
                      and full[start - 1 : start] not in ("'", "\u2018"))  # not "'Lloyds' after"
    if possessive:
        after = after[1:] if after and after[0] in ("'s", "s") else after
    when = _WHEN.match(after_text) if not possessive else None
    if when:  # "Lithia on Wednesday reported", "Ford also said": the verb after the time or adverb
        after = _words(after_text[when.end():])[:_WINDOW]
    first_after = after[0] if after else ""
    period = PERIOD.fullmatch(after_text.split()[0].rstrip(",.;:")) if after_text.split() else None
    if period:
        cues.append(f"reporting period '{period.group()}' after it")
        score += 1.0
    elif first_after in AFTER or first_after in _STAFF_AFTER or (
            len(after) > 1 and f"{after[0]} {after[1]}" in _AFTER_PAIRS):
        cues.append(f"'{first_after}' after it")
        score += 1.0
    elif first_after in _AUXILIARIES:
        cues.append(f"'{first_after}' after it")
        score += 0.5
    elif possessive and after and (after[0] in FINANCE or after[0] in AFTER):
        cues.append(f"'s {after[0]}' after it")
        score += 1.0
    elif possessive and after:  # "Exxon's interest", "FTX's downfall": something it owns or does
        cues.append("possessive after it")
        score += 0.5
    after_cue = bool(cues)
    last_before = before[-1] if before else ""
    two_before = " ".join(before[-2:]) if len(before) > 1 else ""
    if two_before in ("such as", "shares of", "stake in", "analysts at", "economists at"):
        cues.append(f"'{two_before}' before it")
        score += 1.0
    elif last_before in BEFORE and last_before not in _WEAK_BEFORE and not _ends_a_name(full, left_edge, start):
        cues.append(f"'{last_before}' before it")
        score += 1.0
    elif last_before in _OBJECT_VERBS:  # "Microsoft offsets Amazon", "UBS upgrades Apple"
        cues.append(f"the object of '{last_before}'")
        score += 0.5
    elif last_before in _LISTING and any(w in _KINDS for w in before[-5:-1]):
        cues.append(f"listed among {next(w for w in before[-5:-1] if w in _KINDS)}")  # "firms including Apple"
        score += 1.0
    around = bool(cues)  # a cue right after or right before the name
    before_cue = len(cues) > after_cue
    if phrase and before and last_before not in _LISTING:
        cues.append("capitalised mid-sentence")  # a sentence's first word is capitalised anyway
        score += 0.5
    counted = {first_after} if after_cue else set()  # a word already counted as the cue right after or before
    counted |= {last_before} if before_cue else set()
    nearby = sorted({w for w in before + after if w in FINANCE or w in AFTER and w not in _AUXILIARIES}
                    - counted - _LEGAL_FORMS)  # "Meta Platforms Inc" says nothing of Moscow
    if nearby:
        cues.append("finance words nearby (" + ", ".join(nearby[:4]) + ")")
        score += 0.5 * min(len(nearby), 1 if short else 2)
    if co_mentioned:
        cues.append("co-mentioned with " + ", ".join(co_mentioned[:2]))
        score += 0.5
    neighbour = next((full[s:e] for s, e in listed_with if 0 <= s - end < 120 and _LIST_GAP.fullmatch(full[end:s])
                      or 0 <= start - e < 120 and _LIST_GAP.fullmatch(full[e:start])), None)
    if neighbour:  # "Apple, Microsoft take a knock", "Shell, Chevron Corp and Equinor"
        cues.append(f"listed next to {' '.join(neighbour.split())}")
        score += 0.5
    else:
        quoted = (_LISTED_WITH_TICKER_AFTER.match(after_text)
                  or _LISTED_WITH_TICKER_BEFORE.search(full, left_edge, start))
        if quoted:  # "Regeneron Pharma and Sanofi (SNY) restructure": a company, known to the book or not
            cues.append(f"listed next to {' '.join(quoted.group(1).split())}, written with its ticker")
            score += 0.5
    if _LINE_START.fullmatch(full, full.rfind("\n", 0, start) + 1, start) and _TOPIC_AFTER.match(after_text) \
            and mention.casefold() not in _LABELS:
        cues.append("the headline's subject before a colon")  # "Amazon: One Of The Best Long-Term Investments"
        score += 1.0
    if _SOURCE_BEFORE.search(full, left_edge, start) and _LINE_END.match(full, end):
        cues.append("named as the source after a colon")  # "... 2014 to be hot year for equities: Deutsche"
        score += 1.0
    if same_market:  # "Raymond" in an Indian business wire, of a customer the book places in India
        cues.append(f"the channel's market ({same_market}) is the company's")
        score += 0.5
    if same_industry:
        cues.append("the document's industry is the company's")
        score += 0.5
    against: list[str] = []
    if everyday and not before and not around and re.match(r"[ \t]+[a-z]", after_text):
        against.append(f"a sentence's first word before '{first_after}', as in 'Capital goods'")
        score -= 0.5
    if everyday and last_before == "the" and not the_name:  # "the Bank said", "the Fund": an institution
        against.append("'the' before it, as before an institution ('the Bank said')")
        score -= 1.0
    if _INDEX_AFTER.match(after_text):  # "the Philadelphia semiconductor index", "KBW bank index"
        against.append("an index named after it")
        score -= 1.0
    if longer:
        against.append(f"'{longer}' elsewhere in the text, a longer name it may shorten")
        score -= 1.0
    if acronym_of:
        against.append(f"the text's acronym for '{acronym_of}'")
        score -= 2.0
    lowered = mention.lower()
    if len(mention) > 2 and re.search(rf"(?<![\w$]){re.escape(lowered)}(?!\w)", full):
        against.append(f"'{lowered}' also written in lower case")
        score -= 1.0
    return Context(tuple(cues), tuple(against), score)


# Capitals in brackets right after a capitalised phrase of two words or more: the phrase's own
# acronym or ticker, "the Commodity Credit Corporation (CCC)", "Brierley Investments Ltd (BIL)".
_DEFINED = re.compile(r"((?:[A-Z][\w.&'-]*[ \t\n]+(?:(?:of|and|for|the|de|&)[ \t\n]+)*){1,7}[A-Z][\w.&'-]*)>?"
                      r"[ \t\n]*\((?:the[ \t]+)?([A-Z][A-Z0-9&]{1,5})\)")
_PHRASE_SMALL = frozenset("of and for the de & inc corp co ltd plc llc".split())


def defined_for(full: str, mention: str, name: str) -> str:
    """The phrase a text defines ``mention`` as the acronym of, when that phrase is no name of the
    company ``name`` (it shares no word with it); else "". A company whose whole name is the
    acronym ("BP p.l.c.") may well be the phrase ("British Petroleum (BP)"): never for it."""
    if f"({mention})" not in full and f"(the {mention})" not in full:
        return ""
    own = {w.casefold() for w in re.findall(r"[\w&]+", name.replace(".", ""))}
    if own - _PHRASE_SMALL - LEGAL_SUFFIXES <= {mention.casefold()}:
        return ""
    for m in _DEFINED.finditer(full):
        if m.group(2) != mention:
            continue
        words = [w.strip(".'").casefold() for w in m.group(1).split()]
        if not ({w for w in words if w not in _PHRASE_SMALL} & own):
            return " ".join(m.group(1).split())
    return ""


# A rejection's note naming the capitalised word before the mention ("preceded by capitalised 'Doresy'"),
# or the word after it ("followed by 'Energy'", "followed by 'Plc', not its legal name").
_TAIL_OF = re.compile(r"preceded by capitalised '([^']+)'")
_HEAD_OF = re.compile(r"followed by '([^']+)'")


def longer_names(found: list[MentionCandidate]) -> dict[str, str]:
    """Comparison form of a mention -> a longer name the text writes with the same words and that
    was refused as another's: "Doresy Gardner" (the tail), "Triton Energy" (the head, for short
    forms only: "Apple Music" says nothing of a later "Apple")."""
    out: dict[str, str] = {}
    for c in found:
        if c.kind != "rejected":
            continue
        if m := _TAIL_OF.search(c.note):
            out[key(c.mention)] = f"{m.group(1)} {c.mention}"
        elif c.note.startswith("short form") and (m := _HEAD_OF.search(c.note)):
            out.setdefault("short:" + key(c.mention), f"{c.mention} {m.group(1)}")
    return out


def coined(mention: str) -> bool:
    """Whether a capital inside a word spells a brand ("JPMorgan", "JetBlue", "eBay"), as no word or surname
    does; not a plural of capitals ("CEOs")."""
    return re.search(r"[A-Za-z][A-Z][a-z]{2}", mention) is not None and not _SURNAME_CAPITALS.match(mention)


def decide(cid: int, name: str, found: list[MentionCandidate], full: str, co: tuple[str, ...],
           same_industry: bool, spans: tuple[tuple[int, int], ...] = (),
           same_market: str = "") -> tuple[EntityLink | None, str]:
    """A link when the words around an ambiguous mention of company ``cid`` read as a company;
    else why not. ``co``: companies linked on strong evidence; ``spans``: where they are;
    ``same_market``: the channel's market when it is the company's country."""
    open_ = [c for c in found if c.bar > 0]
    if not open_:
        notes = [c.note for c in found if c.kind != "rejected"] or [c.note for c in found]
        return None, notes[0]
    # the same words written as part of a longer name elsewhere: "director Doresy Gardner resigned ...
    # Gardner noted" is the director, "Purolator Courier Corp ... Courier said" Purolator, "Triton Energy
    # Corp said ... Triton" Triton Energy, not Triton Distribution Systems
    longer = longer_names(found)
    # a short form spelt as no word is ("JPMorgan", "JetBlue") counts finance words as other names do
    judged = [(c, judge(full, c.start, c.end, c.mention, co_mentioned=co, same_industry=same_industry,
                        same_market=same_market,
                        phrase="everyday words" in c.note and c.bar == BAR_PHRASE,
                        short=c.kind == "short" and not coined(c.mention)
                        or "as its ticker" in c.note,  # "PMI" is near "shares" as an index too
                        listed_with=spans, everyday="everyday words" in c.note and c.bar == BAR_WORD,
                        longer=longer.get(key(c.mention)) or (longer.get("short:" + key(c.mention), "")
                                                                 if c.kind == "short" else ""),
                        acronym_of=defined_for(full, c.mention, name),
                        the_name=name.casefold().startswith("the ")))
              for c in open_]
    best, context = max(judged, key=lambda pair: pair[1].score - pair[0].bar)
    base = best.note.replace(": decided by context", "")
    if context.reads_as_company(best.bar):
        return EntityLink(cid, name, best.mention, CONFIDENCE, f"{base}, decided by context: {context.describe()}"), ""
    return None, f"{base}, context too weak: {context.describe()} (score {context.score:g} < {best.bar:g})"
