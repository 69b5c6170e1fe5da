"""Company-name normalisation for ``mi.analysis.linking``: tokens, legal suffixes, common
words, tickers and identifiers. Plain functions and data, no I/O.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from mi.analysis.linking_records import CompanyName

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A token keeps inner "." "'" "&" ("S.A", "AT&T", "McDonald's"); hyphens split ("Coca-Cola"
# and "Coca Cola" then match alike); a lone "&" is a token; each CJK character is one.
TOKEN = re.compile(rf"[{CJK}]|&|[^\W_{CJK}]+(?:[.'\u2019&][^\W_{CJK}]+)*")
_POSSESSIVE = re.compile(r"['\u2019]s$", re.IGNORECASE)

# Keys (see ``key``) that end a legal name. Stripped from gazetteer names to get the
# name people write; "group" and "holdings" only there, see STRONG_SUFFIX.
LEGAL_SUFFIXES = frozenset(
    "inc incorporated corp corporation co company companies cos ltd limited llc llp lp plc "
    "ag sa se nv bv gmbh kgaa spa sas sarl ab as asa oyj oy kk bhd berhad tbk pte pty pvt "
    "holdings holding group".split()
)
CJK_SUFFIXES = (  # longest first
    "集团股份有限公司", "控股股份有限公司", "股份有限公司", "有限责任公司", "集团有限公司",
    "控股有限公司", "有限公司", "集团", "控股", "股份", "公司",
)
# A legal suffix written after a name in running text, case-sensitive so that the English
# words "as", "co" or "group" do not count. "Group"/"Holdings" are left out: "Target Group"
# is another company more often than Target Corp's full name.
STRONG_SUFFIX = re.compile(
    r"[ \t]*,?[ \t]*(?:Inc\b\.?|INC\b\.?|Incorporated\b|Corp\b\.?|CORP\b\.?|Corporation\b|"
    r"Co\b\.?|CO\b\.?|Company\b|Ltd\b\.?|LTD\b\.?|Limited\b|L\.?L\.?C\b\.?|LLP\b|L\.P\.|"
    r"plc\b|PLC\b|Plc\b|AG\b|S\.A\.|SA\b|SE\b|N\.V\.|NV\b|B\.V\.|GmbH\b|KGaA\b|S\.p\.A\.|SpA\b|"
    r"A/S\b|AS\b|ASA\b|Oyj\b|Bhd\b|Berhad\b|Tbk\b|Pte\b|Pty\b|p\.l\.c\.)"
    rf"|(?:{'|'.join(CJK_SUFFIXES)})"
)
# Spellings of one legal form, interchangeable in a legal name.
_SAME_FORM = {
    "corp": ("corporation",), "corporation": ("corp",), "inc": ("incorporated",), "incorporated": ("inc",),
    "co": ("company",), "company": ("co",), "ltd": ("limited",), "limited": ("ltd",),
}
# Connectors that may be lower-case inside a capitalised name ("Bank of America").
CONNECTORS = frozenset("of and the de du des la le van von der den for & y e di da del".split())

# Words that also name companies but mostly mean something else in news text. A name made
# only of these needs corroboration (legal suffix, ticker, identifier or another alias).
# Extend it per deployment with ``common_words_from_texts``.
COMMON_WORDS_EVERYDAY = frozenset(
    """
    a an the of and or for in on at to by with from as new first one two three best good
    great big little top next last open general national international global american
    united world universal standard royal first federal central western eastern northern
    southern pacific atlantic continental overseas domestic public private capital energy
    financial finance bank trust savings credit equity fund funds income growth value
    market markets trade trading exchange investment investments investors partners
    resources industries industrial systems services solutions technologies technology
    tech software data digital network networks media communications entertainment health
    healthcare medical care life insurance properties property realty real estate land
    homes home house housing building construction materials metals gold silver mining
    oil gas power water air airlines air lines rail transport logistics shipping auto
    motors motor foods food farm farms brands products retail stores store shop shops
    apple target gap visa ball best buy block square snap match progressive discovery
    monster oracle alphabet amazon shell delta chase ally key regions citizens truist
    fifth third southwest frontier spirit allegiant sun sunrise horizon summit
    pioneer liberty freedom patriot eagle star north south east west center centre
    union state states city county community citizens peoples people heritage legacy
    premier prime select quality reliance alliance advance advanced applied integrated
    dynamic dynamics precision innovative strategic mutual security secure safe guard
    guardian sentinel shield genesis vision focus core edge bridge gateway harbor harbour
    river lake ocean sea island mountain valley rock stone oak pine cedar maple
    green blue red black white orange gold golden silver diamond pearl crystal
    lions tigers bulls bears giants rangers cardinals
    unit units sovereign pioneer news post times herald journal daily week today
    bancorp bancshares bankshares financial holdings corp company
    express direct digital online mobile smart cloud solar wind nuclear clean total
    """.split()
)
# Places and surnames: a name made only of these ("Texas", "Morgan") is never decided by
# context ("Texas said" is the state), only by a ticker, legal suffix or identifier.
PLACES = frozenset(
    """
    york jersey america americas europe asia africa china japan india canada mexico brazil
    london paris texas california florida carolina virginia georgia washington boston
    chicago dallas houston atlanta denver phoenix miami detroit pittsburgh seattle hong
    kong singapore tokyo sydney ireland britain england scotland wales france germany italy
    spain sweden norway holland australia korea russia israel africa midland midwest
    pennsylvania ohio michigan illinois indiana iowa kansas kentucky louisiana maryland
    massachusetts minnesota missouri montana nevada oregon tennessee utah vermont wisconsin
    arizona colorado connecticut delaware hawaii idaho maine nebraska oklahoma alabama
    beijing shanghai shenzhen guangzhou moscow mumbai delhi bangalore dubai zurich geneva frankfurt
    munich milan rome madrid amsterdam brussels vienna stockholm oslo copenhagen helsinki dublin
    seoul taipei bangkok jakarta manila istanbul cairo lagos johannesburg toronto montreal vancouver
    melbourne auckland lima santiago bogota caracas havana indonesia vietnam thailand malaysia
    philippines pakistan turkey egypt nigeria argentina chile colombia peru venezuela ukraine poland
    switzerland austria belgium netherlands denmark finland portugal greece
    """.split()
)
PEOPLE = frozenset(
    """
    smith johnson williams brown jones miller davis wilson anderson taylor thomas moore
    martin jackson thompson lewis robinson walker young allen king wright scott hill adams
    nelson carter mitchell roberts turner phillips campbell parker evans edwards collins
    stewart morris murphy cook rogers morgan peterson cooper reed bailey bell kelly howard
    ward cox richardson wood watson brooks bennett gray james hughes price sanders myers long
    ross foster patterson hamilton graham sullivan wallace west cole hunt palmer
    harris baker marshall
    """.split()
)
PLACES_AND_PEOPLE = PLACES | PEOPLE
_PLACE_WORDS = frozenset("new north south east west united states city county great upper lower saint st".split())
COMMON_WORDS = COMMON_WORDS_EVERYDAY | PLACES_AND_PEOPLE


def key(token: str) -> str:
    """Comparison form of a token: case-folded, possessive and dots dropped, "&" = "and"."""
    if token == "&":
        return "and"
    return _POSSESSIVE.sub("", token).casefold().replace(".", "").replace("'", "").replace("\u2019", "")


def tokenize(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)]


@dataclass(frozen=True)
class NameVariant:
    """One way a company's name can be written, as token keys for the scan."""

    company_id: int
    keys: tuple[str, ...]
    written: str  # as in the gazetteer, for reasons
    kind: str  # "legal" (with its legal suffix), "name" (legal name without it), "alias"
    common: bool  # made only of common words: needs corroboration
    exact_case: bool  # short or all-capital: must appear exactly so ("IBM", "Sony")
    # "Invacare Corp" names Invacare Corporation; but "Imperial Corp" is not Imperial
    # Holdings, and "Capital Ltd" not Capital Group: only when just a legal form was dropped
    takes_suffix: bool
    rank: int = 0  # a short form: how many words the name it shortens has (fewest wins)
    long: str = ""  # a short form: the name it shortens
    place_or_person: bool = False  # only place names or surnames: never decided by context


_STATE_TAG = re.compile(r"\s*/[A-Za-z]{2,3}/?\s*$")  # SEC "/DE/"
_PARENTHESISED = re.compile(r"\s*\([^)]*\)")  # "Alphabet Inc. (Class A)"


# Legal forms written with slashes or dots, made one token before the name is split:
# "Novo Nordisk A/S" ends in the form "AS", "BP p.l.c." in "plc".
_SPELLED_FORMS = ((re.compile(r"\bA/S\b", re.IGNORECASE), "AS"), (re.compile(r"\bp\.l\.c\.?", re.IGNORECASE), "plc"))
# A short form ("JPMorgan" for JPMorgan Chase & Co) is the first word of a longer name;
# shorter first words ("Ace", "Air") name too many other things.
_SHORT_FORM_MIN = 4


# "British" of British Telecommunications, "Swiss" of Swiss Re: never a short form.
# Generic last words of a name that headlines may write in lower case after a distinctive first
# word ("Deutsche bank", "Tata steel").
GENERIC_TAIL = frozenset("bank group motors steel airlines airways insurance securities industries energy power "
                         "telecom cement finance".split())
NATIONALITIES = frozenset(
    """
    us usa american british uk french german italian swiss dutch spanish chinese japanese
    korean indian canadian australian european asian russian brazilian danish swedish norwegian
    finnish irish belgian austrian mexican saudi israeli taiwanese singaporean
    turkish greek polish hungarian czech portuguese scottish welsh english icelandic
    thai malaysian indonesian philippine filipino vietnamese pakistani bangladeshi iranian iraqi
    egyptian nigerian kenyan african arab emirati qatari kuwaiti argentine argentinian chilean
    colombian peruvian venezuelan latin nordic scandinavian ukrainian romanian bulgarian
    """.split()
)
_CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december".split()
)


_FUND_WORDS = frozenset("fund funds trust portfolio".split())


@lru_cache(maxsize=1)
def ordinary_words() -> frozenset[str]:
    """Words written in lower case in the bundled finance headlines (data/sentiment_train.csv),
    with weekdays and months: a short form is never one of these ("Chief" of Chief
    Consolidated Mining, "Tuesday" of Tuesday Morning Corporation)."""
    text = resources.files("mi.analysis").joinpath("data/sentiment_train.csv").read_text(encoding="utf-8")
    return frozenset(re.findall(r"(?<![\w$@#])[a-z][a-z]+(?![\w])", text)) | _CALENDAR


def short_form_allowed(first_key: str, common_words: frozenset[str]) -> bool:
    """Whether the first word of a longer name may stand for it ("JPMorgan", "Infineon")."""
    return (len(first_key) >= _SHORT_FORM_MIN and first_key.isalpha() and first_key not in common_words
            and first_key not in CONNECTORS and not is_ordinary(first_key) and first_key not in NATIONALITIES)


def is_ordinary(word_key: str) -> bool:
    """An ordinary word, or its plural: "Corrections" of Corrections Corp is the word "correction"."""
    words = ordinary_words()
    return word_key in words or word_key.endswith("s") and word_key[:-1] in words


def variants(company_id: int, name: str, aliases: Iterable[str], common_words: frozenset[str]) -> list[NameVariant]:
    out: dict[tuple[str, ...], NameVariant] = {}
    shorts: dict[tuple[str, ...], NameVariant] = {}
    for position, raw in enumerate((name, *aliases)):
        cleaned = _PARENTHESISED.sub("", _STATE_TAG.sub("", raw)).strip()
        cleaned = re.sub(r"^the\s+", "", cleaned, flags=re.IGNORECASE)
        for pattern, form in _SPELLED_FORMS:
            cleaned = pattern.sub(form, cleaned)
        cleaned = _strip_cjk_suffix(cleaned)
        toks = [t for t, _, _ in tokenize(cleaned)]
        keys = [key(t) for t in toks]
        core = len(keys)
        while core > 1 and keys[core - 1] in LEGAL_SUFFIXES:
            core -= 1
        while core > 1 and keys[core - 1] == "and":  # "Johnson Controls & Co" style left-over
            core -= 1
        base_kind = "name" if position == 0 else "alias"
        generic_only = not any(k in ("holdings", "holding", "group", "companies", "cos") for k in keys[core:])
        forms = [(tuple(keys[:core]), toks[:core], base_kind)]
        if core < len(keys):
            forms.append((tuple(keys), toks, "legal"))
            # "Target Corp." is Target Corporation's legal name too
            for i in range(core, len(keys)):
                for other in _SAME_FORM.get(keys[i], ()):
                    swapped = (*keys[:i], other, *keys[i + 1 :])
                    forms.append((swapped, [*toks[:i], other.title(), *toks[i + 1 :]], "legal"))
        for form_keys, form_toks, kind in forms:
            written = " ".join(form_toks)
            # "AT&T", "3i" and "G4S" are names; "24" or "7" alone names nothing reliably
            if not any(ch.isalpha() for k in form_keys for ch in k) or len(written) < 2 \
                    or form_keys in out and out[form_keys].kind == "legal":
                continue
            common = all(k in common_words or k in CONNECTORS or k.isdigit() for k in form_keys)
            common = common or len(written) < 3  # "Hi", "GE": too short to stand alone
            # one word that headlines write in lower case ("Road shows", "Oracle" aside): an everyday word too
            common = common or len(form_keys) == 1 and form_keys[0] in ordinary_words()
            cjk = bool(re.search(f"[{CJK}]", written))
            # an all-capital legal name ("APPLE INC") says nothing about how it is written
            shouting = raw.isupper() and len(raw.split()) > 1
            core_written = " ".join(form_toks[:core])
            exact_case = not cjk and not shouting and (len(core_written) <= 4 or (core_written.isupper() and core == 1))
            if cjk and len(written) <= 2:
                common = True  # two-character CJK names are ordinary words too often
            common = common and kind != "legal"
            takes_suffix = generic_only and not common and kind != "legal"
            # "Texas", "New York" or "Morgan"; "Baker Hughes" and "New York Times" are names all the same
            people = common and (all(k in PLACES or k in _PLACE_WORDS or k in CONNECTORS for k in form_keys)
                                 and form_keys[-1] in PLACES or len(form_keys) == 1 and form_keys[0] in PEOPLE)
            out[form_keys] = NameVariant(company_id, form_keys, written, kind, common, exact_case, takes_suffix,
                                         place_or_person=people)
        first = toks[0] if toks else ""
        # "FTX" of FTX Trading: three capitals do, when the owner writes them so
        acronym = len(first) == 3 and first.isupper() and keys[0] not in ordinary_words()
        # "Taiwan" is never the press's name for Taiwan Fund Inc: funds and trusts go by their full names
        fund = core >= 2 and keys[1] in _FUND_WORDS
        if core >= 2 and not cjk and not fund and first.isalpha() \
                and (acronym or short_form_allowed(keys[0], common_words)):
            exact = first.isupper() or len(first) <= 4
            shorts[(keys[0],)] = NameVariant(company_id, (keys[0],), first, "short", True, exact, False,
                                             rank=core, long=" ".join(toks[:core]))
        stem = _group_stem(toks[0], keys[0], common_words) if core == 1 and toks else None
        if stem:  # "Citi" of Citigroup: a one-word name the press writes without its "group"
            shorts[(key(stem),)] = NameVariant(company_id, (key(stem),), stem, "short", True, len(stem) <= 4,
                                               False, rank=1, long=toks[0])
    for keys_, variant in shorts.items():
        out.setdefault(keys_, variant)  # a full name written so wins over a short form
    return list(out.values())


# Prefixes that make words rather than names ("Intergroup", "Amerigroup"): no short form.
_WORD_PREFIXES = frozenset("inter intelli ameri ener petro multi tele info omni poly trans".split())


def _group_stem(written: str, first_key: str, common_words: frozenset[str]) -> str | None:
    """"Citi" of "Citigroup", "Pulte" of "PulteGroup": the stem of a one-word name ending in "group"."""
    if not first_key.endswith("group") or not written.isalpha():
        return None
    stem = written[: len(first_key) - len("group")]
    if stem.casefold() in _WORD_PREFIXES or not short_form_allowed(stem.casefold(), common_words):
        return None
    return stem[:1].upper() + stem[1:]


def _strip_cjk_suffix(name: str) -> str:
    stripped = True
    while stripped:
        stripped = False
        for suffix in CJK_SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix) + 1:
                name, stripped = name[: -len(suffix)], True
                break
    return name


def ticker_key(ticker: str) -> str:
    """"BRK.B", "BRK-B", "BRK/B" and "brk.b" are one ticker."""
    return re.sub(r"[-/]", ".", ticker.strip().lstrip("$")).upper()


def identifier_key(value: str) -> tuple[str, str]:
    """(kind, comparison form) of an identifier: CIK without leading zeros, LEI, USCC, ..."""
    raw = re.sub(r"\s+", "", value).upper()
    if raw.startswith("CIK"):
        raw = raw[3:].lstrip(":#")
        return "CIK", raw.lstrip("0") or "0"
    if raw.isdigit() and len(raw) <= 10:
        return "CIK", raw.lstrip("0") or "0"
    if len(raw) == 20 and raw.isalnum():
        return "LEI", raw
    if len(raw) == 18 and raw.isalnum():
        return "USCC", raw  # China's unified social credit code
    if len(raw) == 12 and raw[:2].isalpha():
        return "ISIN", raw
    return "ID", raw


def common_words_from_texts(texts: Iterable[str], min_count: int = 5, min_lower_share: float = 0.3) -> frozenset[str]:
    """Words that a corpus writes in lower case often enough to be ordinary words.

    A deployment can add these to ``COMMON_WORDS`` (e.g. from the last month of documents),
    so that a registrant named after an everyday word needs corroboration too.
    """
    lower: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for text in texts:
        for token in re.findall(r"[A-Za-z]+", text):
            folded = token.lower()
            total[folded] += 1
            if token.islower():
                lower[folded] += 1
    return frozenset(w for w, n in total.items() if n >= min_count and lower[w] >= min_lower_share * n)


def may_be_written(company: CompanyName, written: str) -> bool:
    """Whether a name written before a code may be this company's: a word in common with one
    of its names (legal forms aside: "Well Fargo" is Wells Fargo & Co's), or one of its tickers."""
    tokens = [t for t in re.findall(r"[^\W_]+", written) if t.lower() not in LEGAL_SUFFIXES | CONNECTORS]
    if not tokens:
        return True
    own = {key(t) for n in (company.name, *company.aliases) for t in re.findall(r"[^\W_]+", n)}
    own |= {w[:-1] for w in own if w.endswith("s")}
    tickers = {ticker_key(t) for t in company.tickers}  # "IBM <IBM.N>", but not "Nio Inc <NIO.N>"
    return any(key(t) in own or key(t).rstrip("s") in own or (t.isupper() and ticker_key(t) in tickers)
               for t in tokens)
