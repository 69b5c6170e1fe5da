"""Patterns that find tickers, identifiers and name boundaries in text (no I/O).

Kept apart from ``mi.analysis.linking`` so that the linker reads as the decision it makes.
"""
from __future__ import annotations

import re
from dataclasses import replace

from mi.analysis import linking_names as nm
from mi.analysis.linking_context import AFTER, BEFORE, EXCHANGE_TICKER, EXCHANGES, PERIOD, TICKER
from mi.analysis.linking_records import MentionCandidate
# Reuters instrument codes: "<AAPL.O>", "<005930.KS>", "<VOWG_p.DE>"; "<.SPX>" is an index.
REUTERS_CODE = re.compile(r"<([A-Za-z0-9][A-Za-z0-9_]{0,9})(?:\.([A-Za-z]{1,3}))?>")
PAREN_RIC = re.compile(r"\(([A-Z0-9]{1,6})\.([A-Z]{1,2})\)")  # "(AAPL.O)"
CASHTAG = re.compile(r"(?<![\w$])\$([A-Z][A-Z0-9]{0,5}(?:\.[A-Z]{1,2})?)\b")
PAREN_TICKER = re.compile(rf"[ \t]*\([ \t]*(?:(?:{EXCHANGES})[ \t]*:[ \t]*)?\$?({TICKER})[ \t]*[,;)]")
RIC_AFTER = re.compile(r"[ \t]*<([A-Za-z0-9][A-Za-z0-9_]{0,9})(?:\.([A-Za-z]{1,3}))?>")
CIK = re.compile(r"\bCIK(?:[ \t]*(?:No\.?|number|#))?[ \t]*:?[ \t]*(\d{1,10})\b")
# no \b: CJK text runs straight into the code ("代码91520000214434146R")
ID_TOKEN = re.compile(r"(?<![0-9A-Za-z])(?=[0-9A-Z]*\d)[0-9A-Z]{10,20}(?![0-9A-Za-z])")
GAP = re.compile(r"[ \t\n\-\u2010-\u2013]*")  # what may stand between the words of a name
# Where no name is read: instrument and story codes ("<.SPX>", "[nL4N2Z028U]"), a wire
# story's sign-off "((reporter@example.com; Twitter: @x))" or one cut short by the text's end,
# addresses and handles; a cashtag ("$CNS" is Cohen & Steers' ticker, not CNS Inc's name).
NOT_NAMES = re.compile(
    EXCHANGE_TICKER.pattern + "|"  # "(NASDAQ:ACRX)": the exchange there is no mention of Nasdaq Inc
    r"(?<![\w$])\$[A-Z][A-Z0-9.]{0,7}|"
    r"<[^<>\n]{1,24}>|\[[A-Za-z0-9.]{6,}\]|\(\([^()]*(?:\)\)|$)|\S+@\S+|\bTwitter:\s*@\w*|@\w+|https?://\S+")
# Exchange suffixes of US listings in Reuters codes: "AAPL.O" is the ticker AAPL.
_US_SUFFIXES = frozenset({"N", "O", "OQ", "A", "K", "P", "PK", "OB"})
# The space between two words of one phrase: a line break too, as hard-wrapped wire copy has
# ("Dominican\nRepublic"), but not a blank line; ``_joins`` decides whether a break is a wrap.
_SPACE = r"(?:[ \t]+|[ \t]*\n[ \t]*)"
_WRAPPED = 40  # a line this long that breaks mid-phrase was wrapped; a shorter one is a heading or a table row
_PREVIOUS_WORD = re.compile(rf"(?<![\w.'\u2019&])([^\W_][\w.'\u2019&]*){_SPACE}$")
LOWER_AFTER = re.compile(r"[ \t]+[a-z]")  # a lower-case word next: running text
_NEXT_WORD = re.compile(rf"{_SPACE}([^\W_][\w'\u2019&]*)")
FUNCTION_WORDS = frozenset(
    "the a an in on at for from by with as and but or to of if when while after before since "
    "into onto over under via amid against about than vs "
    "rival rivals shares unlike like both including".split()
)
# Capitalised words that stand before a company without being part of its name:
# "French carmaker Renault", "U.S. lender Wells Fargo", "Drugmaker Shire".
NATIONALITIES = nm.NATIONALITIES | {"u.s"}
_COUNTRY_SHORT = frozenset({"u.s", "us", "usa", "uk", "u.k"})
CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december jan feb mar apr jun jul aug sep sept oct nov dec".split()
)


# Capitalised words right before a code: "Nio Inc <NIO.N>", "Domino's Pizza Inc <DPZ.N>".
# ("PUROLATOR<PCC>": wire titles may write no space before the code)
_NAME_BEFORE = re.compile(r"((?:[A-Z0-9][\w.'\u2019&-]*(?:[ \t]+(?:(?:&|and|of|de)[ \t]+)?|(?=[ \t]*$))){1,6})[ \t]*$")


def name_before(full: str, start: int) -> str | None:
    """The capitalised name written right before a ticker code, if any."""
    m = _NAME_BEFORE.search(full, max(0, start - 80), start)
    if m is None:
        return None
    words = m.group(1).split()
    while words and words[0].lower().rstrip(".") in FUNCTION_WORDS | NATIONALITIES | CALENDAR:
        words.pop(0)  # a sentence's first word: "The", "Shares"
    return " ".join(words) or None


# Companies named like the market index they run or lend their name to: "the Dow", "Nasdaq 100",
# "Dow up 26 points", "weighs on Nasdaq" are the index, "Nasdaq to settle lawsuit" the company.
INDEX_BRANDS = frozenset("dow nasdaq ftse nikkei dax stoxx russell msci topix kospi sensex nifty".split())
_INDEX_AFTER = re.compile(
    r"(?:['\u2019]s)?[ \t]*(?:\d+|composite|industrials?|average|futures|e-minis?|index|indices|indexes|transports?|"
    r"jones|points?|up|down|rose|fell|gained|lost|ended|closed|opened|slipped|dropped|rallied|climbed|edged|"
    r"was|is|hit|added|shed)\b", re.IGNORECASE)
_INDEX_BEFORE = re.compile(
    r"\b(?:the|on|lift|lifts|lifted|drag|drags|dragged|push|pushed|pushes|weigh|weighs|weighed|to|than|"
    r"and|in)[ \t]+$", re.IGNORECASE)


# A level in the thousands within two words, counting nothing: "Dow breaks through 28,000",
# "Nasdaq tops 9000 for the first time"; not "Dow to cut 2,000 jobs" nor a year.
_INDEX_LEVEL = re.compile(r"(?:[ \t]+[A-Za-z]+){1,2}[ \t]+(?!(?:19|20)\d\d\b)(?:\d{1,3}(?:,\d{3})+|\d{4,})"
                          r"(?=[ \t]*(?:$|[-\u2013\u2014|,.;:!?)\n]|(?:points?|level|mark|for|on|in|as|after|amid|"
                          r"again|intraday|today)\b))")


# Another index in the same list: "S&P 500, Nasdaq touch records", "Nasdaq, S&P 500 end higher".
_INDEX_NAMES = (r"S&P(?:[ \t]*500)?|Dow(?:[ \t]+Jones)?|Nasdaq|Russell[ \t]*2000|FTSE(?:[ \t]*100)?|Nikkei|DAX|"
                r"Stoxx|Topix|Kospi|Sensex|Nifty|Hang[ \t]+Seng")
_INDEX_LISTED_BEFORE = re.compile(rf"(?:{_INDEX_NAMES})[ \t]*(?:,|&|and)[ \t]*$")
_INDEX_LISTED_AFTER = re.compile(rf"[ \t]*(?:,|&|and)[ \t]*(?:the[ \t]+)?(?:{_INDEX_NAMES})\b")


def reads_as_index(full: str, start: int, end: int) -> bool:
    """Whether a mention of an index-brand name ("Dow", "Nasdaq") reads as the market index."""
    return bool(_INDEX_AFTER.match(full, end) or _INDEX_BEFORE.search(full, max(0, start - 20), start)
                or _INDEX_LEVEL.match(full, end) or _INDEX_LISTED_BEFORE.search(full, max(0, start - 20), start)
                or _INDEX_LISTED_AFTER.match(full, end))


# Exchanges outside the US by the Reuters suffixes of their listings: "EPA:LSS" is Lectra (LSS.PA),
# not the US ticker LSS. "TSE" is Tokyo's or Toronto's.
_EXCHANGE_SUFFIXES = {
    "LSE": ("L",), "LON": ("L",), "TSX": ("TO",), "TSXV": ("V",), "ASX": ("AX",), "HKEX": ("HK",),
    "HKG": ("HK",), "SEHK": ("HK",), "SSE": ("SS",), "SHA": ("SS",), "SZSE": ("SZ",), "SHE": ("SZ",),
    "TYO": ("T",), "TSE": ("T", "TO"), "XETRA": ("DE",), "ETR": ("DE",), "FRA": ("F", "DE"), "EPA": ("PA",),
    "AMS": ("AS",), "SIX": ("S",), "BME": ("MC",), "BIT": ("MI",), "EURONEXT": ("PA", "AS", "BR", "LS"),
}


def exchange_keys(m: re.Match) -> set[str]:
    """Ticker keys an exchange-qualified ticker ("NYSE:KMX", "EPA:LSS") can stand for."""
    exchange = m.group()[: m.start(1) - m.start()].rstrip(" \t:").upper()
    suffixes = _EXCHANGE_SUFFIXES.get(exchange)
    if suffixes is None:  # NYSE, NASDAQ, AMEX, OTC: the plain US ticker
        return {nm.ticker_key(m.group(1))}
    return {nm.ticker_key(f"{m.group(1)}.{suffix}") for suffix in suffixes}


def ric_keys(code: str, suffix: str | None) -> set[str]:
    """Ticker keys a Reuters code can stand for: "AAPL.O" is AAPL; "SNR.L" only SNR.L."""
    full = nm.ticker_key(f"{code}.{suffix}" if suffix else code)
    if suffix is None or suffix.upper() in _US_SUFFIXES:
        return {full, nm.ticker_key(code)}
    return {full}


# Words that headline case leaves in lower case ("Shares Slide after Profit Warning").
_TITLE_SMALL = frozenset(
    "about above after again against along amid among around before behind below beneath beside between "
    "beyond despite down during except from inside into like near next onto over past since than that "
    "their there these this those through throughout toward towards under until upon versus when where "
    "which while with within without".split())


_NOT_WORDS = re.compile(r"(?:https?://|www\.)\S+|[#$@]\w+")  # links, hashtags, cashtags, handles
_FIRST_SENTENCE = re.compile(r".*?(?:[.!?](?=\s)|$)", re.DOTALL)


def title_cased(title: str) -> bool:
    """Headline case carries no signal about which capitalised words are names.

    Most words of four letters or more are capitalised, and none of them is written in lower
    case except the small words headline case keeps small: "Lowe names Narayan Ram as India
    Managing Director" is a sentence-case title full of names, where the capitals still say
    which words are names."""
    headline = _FIRST_SENTENCE.match(_NOT_WORDS.sub(" ", title)).group()  # not "... Read more and sign up"
    words = [w for w in re.findall(r"[^\W\d_]+", headline) if len(w) > 3]
    lower = [w for w in words if w.islower() and w not in _TITLE_SMALL]
    return bool(words) and not lower and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def all_capitals(title: str) -> bool:
    """A title written all in capitals ("GENCORP SAYS TENDER TO BE ANNOUNCED"), as wires and some
    regulators' feeds write them: there no capital tells a name from a word ("CTS" is cents)."""
    letters = re.findall(r"[^\W\d_]", _NOT_WORDS.sub(" ", title))
    return len(title.split()) > 1 and bool(letters) and not any(ch.islower() for ch in letters)


# Lower-case particles inside European names; "of" is left out ("CEO of Apple").
_NAME_PARTICLES = frozenset("de du des la le van von der den di da del dei della degli".split())


# An analyst's call in a headline's capitals: "Sell Uber And Tesla".
_TRADE_CALLS = frozenset("buy sell hold short avoid accumulate".split())


def _joins(full: str, left: int, right: int) -> bool:
    """Whether the space ``full[left:right]`` between two words keeps them in one phrase: spaces,
    or the line break of wrapped text ("Costa Rica, Dominican\nRepublic"), not the end of a
    heading or a table row ("Nine Months\n Biomet Inc shr 49 cts")."""
    newline = full.find("\n", left, right)
    return newline < 0 or newline - (full.rfind("\n", 0, newline) + 1) >= _WRAPPED


def previous_word(full: str, begin: int, start: int) -> str | None:
    """The capitalised word right before a name in the same phrase, if it may be part of it.

    A nationality or a role noun ("French", "Drugmaker") is left out: it introduces the
    company. A possessive ("Italy's Eni") is left out too.
    """
    m = _PREVIOUS_WORD.search(full, max(begin, start - 60), start)
    if m is not None and not _joins(full, m.end(1), start):
        return None
    if m is not None and m.group(1) in _NAME_PARTICLES:  # "Monte dei Paschi di Siena": inside a longer name
        inner = _PREVIOUS_WORD.search(full, max(begin, m.start() - 60), m.start())
        joined = inner and _joins(full, inner.end(1), m.start())
        return f"{inner.group(1)} {m.group(1)}" if joined and inner.group(1)[0].isupper() else None
    if m is None:
        return None
    word = m.group(1)
    folded = word.lower().rstrip(".")
    if word.endswith(".") and "." not in word[:-1] and len(word) > 4 and folded not in nm.LEGAL_SUFFIXES:
        return None  # "... in Russia. Meta's shares": the end of a sentence, not of a name
    lead = full[max(begin, full.rfind("\n", 0, m.start()) + 1):m.start()].rstrip(" \t\"'“(")
    if (not lead or lead[-1] in ".!?:;") and folded in nm.ordinary_words() and re.search(r"(?:ed|ing)$", folded):
        return None  # a participle starting a phrase, capitalised as such: "Botched Facebook IPO", "Ailing Boeing"
    if folded in FUNCTION_WORDS or folded in NATIONALITIES or folded in CALENDAR or re.search(r"['\u2019]s$", word):
        return None
    if folded in BEFORE:  # one list of role nouns for this and for the context
        return None
    if folded in AFTER and folded not in nm.LEGAL_SUFFIXES and folded not in ("share", "shares", "stock", "unit") \
            or folded in _TRADE_CALLS:
        return None  # a verb in a headline's capitals: "UBS Upgrades Constellation Brands"
    return word if word[0].isupper() else None


# After a short form, a word that makes a company name of it, not its own: "Ambit Group".
# A US state or a Canadian province after a comma: the name before it is a town ("Hartford,
# Conn.-based", "Woodstock, Ontario"), when nothing capitalised goes on ("Apple, Texas Instruments").
_STATES = (
    "Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Kans|Ky|La|Md|Mass|Mich|Minn|Miss|Mo|Mont|Neb|Nev|"
    r"N\.H|N\.J|N\.M|N\.Y|N\.C|N\.D|Okla|Ore|Pa|R\.I|S\.C|S\.D|Tenn|Tex|Vt|Va|Wash|W\.Va|Wis|Wyo|"
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|"
    "Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|"
    "Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|"
    "North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|"
    "South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming|"
    "Ontario|Quebec|Alberta|British Columbia|Manitoba|Saskatchewan|Nova Scotia|New Brunswick|Newfoundland")
PLACE_AFTER = re.compile(rf",[ \t]+(?:{_STATES})\b\.?(?![ \t]*[A-Z&])")
GROUP_AFTER = re.compile(r"[ \t]+(Group|GROUP|Holdings?|HOLDINGS?|Capital|Partners|Ventures|Investments)\b")


def name_continues(full: str, end: int, stop: int, rest: list[str]) -> int:
    """Where a short form's own name goes on in the text: "Kratos" + "Defense and Security" of
    Kratos Defense & Security Solutions, "Regeneron" + "Pharma" (a word cut short, 4 letters at
    least). Returns the end of the words that follow the name in order, or 0 when none does."""
    matched = 0
    for word in rest:
        token = nm.TOKEN.match(full, GAP.match(full, end, stop).end(), stop)
        if token is None:
            break
        written, wanted = nm.key(token.group()), nm.key(word)
        if not token.group()[:1].isupper() and wanted not in nm.CONNECTORS:
            break
        if not (written == wanted or len(written) >= 4 and wanted.startswith(written)):
            break
        end = token.end()
        matched += wanted not in nm.CONNECTORS
    return end if matched else 0


def nationality_before(full: str, begin: int, start: int, everyday: bool = True) -> str | None:
    """A capitalised nationality right before a name ("Indian Bank"), if any; before a name that is
    no everyday word, not "U.S." or "UK", which stand before a brand as an adjective ("U.S. Google
    searches", but "U.S. National Debt")."""
    m = _PREVIOUS_WORD.search(full, max(begin, start - 30), start)
    word = m.group(1) if m and _joins(full, m.end(1), start) else ""
    folded = word.lower().rstrip(".")
    if everyday or folded not in _COUNTRY_SHORT:
        return word if word[:1].isupper() and folded in NATIONALITIES else None
    return None


# Words a headline capitalises that never continue a name ("Time To Reach For Constellation Brands During ...").
_TITLE_FUNCTION_WORDS = frozenset(
    "to for in on at with as after before during through and or but from by amid over into than vs".split())


def next_word(full: str, stop: int, end: int, last: str) -> str | None:
    """The capitalised word right after a name in the same phrase, if any."""
    m = _NEXT_WORD.match(full, end, stop)
    if m is None or re.search(r"['\u2019]s$", last) or not _joins(full, end, m.start(1)):  # "Ford's Jim Farley"
        return None
    word = m.group(1)
    if word.lower() in ("of", "de"):  # "Bank of England" is not Bank Holdings
        tail = _NEXT_WORD.match(full, m.end(), stop)
        joined = tail and _joins(full, m.end(), tail.start(1))
        return f"{word} {tail.group(1)}" if joined and tail.group(1)[0].isupper() else None
    if not word[0].isupper() or nm.key(word) in nm.LEGAL_SUFFIXES or PERIOD.fullmatch(word):
        return None  # "Genpact Q1 net up": a reporting period is no part of a name
    if word.lower() in _TITLE_FUNCTION_WORDS:  # headline case: "Constellation Brands During The Coronavirus"
        return None
    return None if word.lower() in AFTER and word.lower() not in nm.LEGAL_SUFFIXES else word


def shouted(c: MentionCandidate) -> MentionCandidate:
    """An ambiguous mention in a title all in capitals, where capitals say nothing: a short one
    ("CTS" of "66 CTS" is cents) or a short form, whose next word may go on with another's name
    ("TANDEM COMPUTERS" is not Tandem Diabetes Care), is refused; another is judged as in headline case."""
    if len(re.sub(r"\W", "", c.mention)) > 4 and c.kind != "short":
        return c
    return replace(c, kind="rejected", strong=False, confidence=0.0, bar=0.0,
                   note=c.note.replace(": decided by context", ", in a title all in capitals"))


def own_code(full: str, at: int, tickers: tuple[str, ...]) -> str:
    """A company's own ticker or instrument code written right at ``at``, described; else ""."""
    own = {nm.ticker_key(t) for t in tickers}
    ticker = PAREN_TICKER.match(full, at)
    if ticker:  # "(AAPL)", "(NYSE: AAPL)", "(AAPL.O)"
        code, _, suffix = ticker.group(1).partition(".")
        if ({nm.ticker_key(ticker.group(1))} | ric_keys(code, suffix or None)) & own:
            return f"ticker ({ticker.group(1)})"
    ric = RIC_AFTER.match(full, at)
    if ric and ric_keys(ric.group(1), ric.group(2)) & own:
        return f"instrument code {ric.group().strip()}"
    return ""
