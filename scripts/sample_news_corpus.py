"""Source texts of the sample news (``make_sample_news.py``): finance headlines and news
paragraphs read from ``../shared/data/news``, cleaned and sorted into kinds.

Only the redistributable sets are read: the MIT-licensed zeroshot
*twitter-financial-news-sentiment* headlines and the ODC-BY-1.0 FinEntity paragraphs.
Texts that would not pass for this morning's news are left out: truncated tweets, calls to
action, hashtags and mentions, and stories tied to their year (the virus, elections, a
dated figure).
"""
from __future__ import annotations

import csv
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

TWEETS = "twitter-financial-news-sentiment"
FINENTITY = "FinEntity"
_TWEET_LABELS = {"0": "bearish", "1": "bullish", "2": "neutral"}

_URL = re.compile(r"\s*https?://\S+")
_CASHTAG = re.compile(r"\$[A-Z][A-Z0-9.]{0,6}\b")
# "$GM - ", "$MPLX $MPC - ", "$ESS: ": the ticker block a markets tweet opens with
_LEADING_CASHTAGS = re.compile(r"^(?:\$[A-Z][A-Z0-9.]{0,6}[\s,]*)+(?:[-:\u2013]\s*)?")
_NOT_NEWS = re.compile(
    r"\u2026|\.\.\.|#|@|\bRT\b|seeking alpha|subscribe|sign up|continue reading|slideshow|transcript|"
    r"read more|click|follow|\blive\b|watch|video|podcast|radio|eco day|tweet|newsletter|here's why|"
    r"here are|here is|what you need|things to|::|\bRs\b|crore|-\s*Nasdaq$|samenvatting|\?$",
    re.IGNORECASE,
)
# "Dow up 26 points": the index, which a linker may take for Dow Inc., a customer of the
# sample book; left out rather than shown to Dow's RM as news about the company.
_DOW_INDEX = re.compile(r"\bDow\b(?! Inc| Chemical)(?=.*\b(?:points?|S&P|Nasdaq|Jones|industrials|futures)\b)"
                        r"|\bDow (?:Jones|futures|industrials)\b", re.IGNORECASE)
# Stories tied to the years the sets were collected in, or to another day or season than a
# Thursday and Friday in late November: they would date the sample morning.
_DATED = re.compile(
    r"corona|virus|covid|pandemic|lockdown|quarantine|stimulus|\b(?:19|20)\d\d\b|trump|biden|powell|mnuchin|"
    r"impeach|brexit|election|phase one|\bQ[1-4]\b|(?:first|second|third|fourth)[- ]quarter|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend|tonight|yesterday|"
    r"january|february|march|april|june|july|august|september|october|december|\bjan\b|\bfeb\b|"
    r"valentine|christmas|easter|summer|winter|spring",
    re.IGNORECASE,
)
# Outside Latin-1 only typographic punctuation and the currency signs a headline uses.
_ODD_CHARACTER = re.compile(r"[^\x20-\xff\u2018\u2019\u201c\u201d\u2013\u2014\u20ac]")
MARKET = re.compile(
    r"\b(?:Fed|Federal Reserve|ECB|central banks?|rate cuts?|rate hikes?|interest rates?|Treasury|Treasuries|"
    r"yields?|bonds?|dollar|euro|yen|yuan|sterling|currenc(?:y|ies)|forex|oil|crude|OPEC\+?|Brent|gold|"
    r"inflation|CPI|GDP|payrolls|jobless|PMI|Wall Street|S&P 500|Dow|Nasdaq|futures|recession)\b"
)
# A markets headline that is really one company's story ("Marvell Technology (MRVL) gains as ...").
COMPANY_STORY = re.compile(r"\([A-Z]{1,5}\)|\b(?:shares?|stock|Inc|Corp|Co|Ltd|buying|to buy|acquire)\b|'s stock")
SECTOR = re.compile(
    r"\b(?:airlines?|banks|lenders|insurers|chipmakers?|semiconductors?|automakers?|carmakers|retailers|"
    r"drugmakers|pharma|biotech|homebuilders|housing|utilities|miners|mining|steel|shipping|freight|"
    r"railroads?|truckers|REITs?|real estate|hotels|casinos|restaurants|cruise|telecoms?|streaming|"
    r"refiners?|shale|natural gas|LNG|coal|copper|aluminum|wheat|corn|soybeans|tech stocks|energy stocks)\b",
    re.IGNORECASE,
)
_STORY_CODE = re.compile(r"\s*\[[^\]\s]{1,20}\]")  # Reuters story and page codes: [nL4N2Z028U], [O/R]
RIC = re.compile(r"\s*<[A-Z0-9.^=]{1,12}>")  # Reuters instrument codes: <JNJ.N>
# A paragraph that continues another story cannot stand alone as an item.
_CONTINUES = re.compile(r"^(?:[\"'\u201c(\-\u2013]|[a-z]|"
                        r"(?:But|And|However|It|Its|This|That|These|Those|He|She|They|Meanwhile|Still|Also|In|On|At|"
                        r"During|After|The (?:company|bank|move|firm|probe|deal|report|data|decision|agency|group|"
                        r"unit|plan|new|two))\b)")
_ABBREVIATION = re.compile(r"(?:\b[A-Z]|\b[A-Z]\.[A-Z]|Inc|Corp|Co|Ltd|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|"
                           r"Oct|Nov|Dec|No|St|Mr|Ms|Dr|vs)\.$")


@dataclass(frozen=True)
class Source:
    """One text as found, and where: enough to find it again and to credit it."""

    dataset: str
    where: str  # "sent_valid.csv row 17", "FinEntity.json item 4"
    text: str  # cleaned
    label: str  # the set's own annotation (bearish/bullish/neutral; entity tags)

    @property
    def cashtags(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(tag[1:] for tag in _CASHTAG.findall(self.text)))


def clean_tweet(raw: str) -> str | None:
    """The headline without its link, or None when it would not pass for a news item."""
    if "\n" in raw.strip():
        return None  # a headline with a comment under it
    text = " ".join(html.unescape(_URL.sub("", raw)).split())
    if not 30 <= len(text) <= 170 or len(text.split()) < 5:
        return None
    if _NOT_NEWS.search(text) or _DATED.search(text) or _ODD_CHARACTER.search(text) or _DOW_INDEX.search(text):
        return None
    return text


def read_tweets(folder: Path) -> list[Source]:
    """Usable headlines of the validation split first (the sentiment model never trained on
    them), then the training split; exact repeats kept once."""
    found: dict[str, Source] = {}
    for name in ("sent_valid.csv", "sent_train.csv"):
        with open(folder / name, newline="", encoding="utf-8") as handle:
            for number, row in enumerate(csv.DictReader(handle), start=1):
                text = clean_tweet(row["text"])
                if text and text.casefold() not in found:
                    found[text.casefold()] = Source(TWEETS, f"{name} row {number}", text,
                                                    _TWEET_LABELS.get(row["label"], row["label"]))
    return list(found.values())


def headline_of_tweet(text: str) -> str | None:
    """A markets tweet opens with its tickers ("$AAPL - Apple forecasts ..."): the headline
    is the rest, when the rest reads as one (not trader shorthand such as "$X rising late")."""
    rest = _LEADING_CASHTAGS.sub("", text, count=1)
    if rest == text or len(rest) < 20 or not rest[0].isupper() or _CASHTAG.search(rest):
        return None
    return rest


def read_finentity(path: Path) -> list[Source]:
    """Paragraphs that stand alone, without story codes; mojibake ones and repeats left out."""
    found: dict[str, Source] = {}
    for number, item in enumerate(json.loads(path.read_text(encoding="utf-8"))):
        content = item["content"]
        if "\ufffd" in content:
            continue
        text = " ".join(_STORY_CODE.sub("", content).split())
        if _CONTINUES.match(text) or _DATED.search(text) or not 120 <= len(text) <= 480:
            continue
        if len(re.findall(r"\d+(?:[.,]\d+)*", first_sentence(text))) > 5:
            continue  # a table row of figures, not a sentence
        tags = "; ".join(f"{a['value']}: {a['tag']}" for a in item["annotations"])
        found.setdefault(text, Source(FINENTITY, f"FinEntity.json item {number}", text, tags))
    return list(found.values())


def first_sentence(text: str) -> str:
    """Up to the first full stop that ends a sentence (not "U.S." or "Corp.")."""
    for match in re.finditer(r"[.!?](?=\s+[A-Z\"\u201c])", text):
        if not _ABBREVIATION.search(text[: match.end()]):
            return text[: match.end()]
    return text


def title_from_paragraph(text: str, limit: int = 110) -> str:
    """A headline cut from a paragraph: its first sentence, instrument codes and full stop
    dropped, shortened at a word boundary when long."""
    title = " ".join(RIC.sub("", first_sentence(text)).split()).rstrip(".")
    if len(title) <= limit:
        return title
    return title[: title.rfind(" ", 0, limit - 1)].rstrip(",;:") + "\u2026"
