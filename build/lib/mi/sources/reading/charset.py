"""From a payload's bytes to text: the one character decoder every reader uses.

CSV and JSON tables, field notes, feeds and pages all decode here, so a GB18030 export, a
Big5 feed and a windows-1252 spreadsheet come out the same way whichever kind reads them.
The rule, in order:

1. A byte-order mark decides; so does the zero-byte pattern of UTF-16/32 text without one
   (or ``<?xm`` in EBCDIC).
2. Pure ASCII needs no decision.
3. Bytes that are valid UTF-8 (and not pure ASCII) are UTF-8, whatever was declared: text
   in another charset is practically never valid UTF-8 by accident.
4. The declared charsets (in the caller's order: HTTP header, XML declaration, HTML meta)
   are tried strictly. A single-byte label (ISO-8859-1, windows-1252, ...) cannot be
   checked that way, since every byte decodes in it; when the bytes read as Chinese
   (GB18030 or Big5, see ``_chinese``) the label is overruled, with a note.
5. Bytes that are mostly valid UTF-8 are read as UTF-8, the bad sequences replaced by
   U+FFFD (noted: text was lost).
6. Otherwise the charset is guessed: Chinese first, then charset-normalizer among the
   encodings the web uses (windows-1252 on a tie), noted as a guess.

Steps 1-4 recover the text exactly, so a mismatch they resolve is not reported. The notes
read ``character encoding: ...``; a guess says "by guessing" (nothing was lost, but
non-ASCII text may be wrong), a loss says how many sequences were replaced.
"""
from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from dataclasses import dataclass

#: Enough text to judge a charset by; a guess is then checked against the whole payload.
SAMPLE_BYTES = 200_000

_BYTE_PATTERNS: tuple[tuple[bytes, str, int], ...] = (
    # (prefix, codec, bytes to skip); UTF-32 before UTF-16: FF FE 00 00 starts with FF FE.
    (codecs.BOM_UTF32_BE, "utf-32-be", 4),
    (codecs.BOM_UTF32_LE, "utf-32-le", 4),
    (codecs.BOM_UTF8, "utf-8", 3),
    (codecs.BOM_UTF16_BE, "utf-16-be", 2),
    (codecs.BOM_UTF16_LE, "utf-16-le", 2),
    (b"\x4c\x6f\xa7\x94", "cp037", 0),  # "<?xm" in EBCDIC
)
# The legacy encodings of the WHATWG Encoding Standard: what web pages, feeds and office
# exports actually use. Guessing among more (DOS and Mac code pages) only finds worse fits.
WEB_ENCODINGS = [
    "utf_8", "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
    "cp874", "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_5", "iso8859_6", "iso8859_7", "iso8859_8",
    "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16", "koi8_r", "koi8_u", "ibm866",
    "mac_roman", "mac_cyrillic", "gb18030", "big5", "euc_jp", "iso2022_jp", "shift_jis", "euc_kr",
]
# Codecs in which one character may take several bytes (codecs.lookup names, by prefix);
# every other codec maps each byte to one character and so accepts any bytes.
_MULTIBYTE = ("utf", "gb", "big5", "cp932", "cp949", "cp950", "euc", "shift_jis", "iso2022", "hz", "johab")
# A lone ideograph against a Latin letter: how a misread "é" inside a word looks. Chinese
# text touches Latin words too ("PMI初值"), but at the end of a run of ideographs.
_STRAY = re.compile(r"(?<=[A-Za-z])[\u3400-\u9fff](?![\u3400-\u9fff])|(?<![\u3400-\u9fff])[\u3400-\u9fff](?=[A-Za-z])")
# Particles, endings and the syllables of everyday words: in Korean text a third or more
# of the syllables are among these, in Chinese bytes read as EUC-KR hardly any.
_FREQUENT_HANGUL = frozenset(
    "이다의는에을를가하고서기한지로사도으나자리대인시정수아들어것만해부보주게일전제국상적과와년원행은위되"
    "했장성경그거면있라여우내까동물중방문화학비관발소생회공계업결금세미연선말안요개러데히려며니습음마때신분"
    "통무모용실조산구교차치현저변명입외후추출단체영진표합반강확점및등또더높증감율투준억달러했던할된될없"
)
# How much cleaner (charset-normalizer's "chaos", 0-1) another charset must read for it to
# be preferred over windows-1252.
_WESTERN_MARGIN = 0.1
_HTTP_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # a codecs name: "utf-8", "gb18030", "cp1252"
    #: ``character encoding: ...`` when the charset was guessed or bytes were replaced.
    note: str | None = None
    guessed: bool = False
    lost: int = 0  # invalid byte sequences replaced with U+FFFD


def http_charset(content_type: str | None) -> str | None:
    """The ``charset=`` parameter of a Content-Type header, if any."""
    match = _HTTP_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def codec_for(label: str | None) -> str | None:
    """The codec a charset label means, read as browsers read it; None for a bogus label.

    ISO-8859-1 and US-ASCII labels mean windows-1252 (its printable superset, where the
    curly quotes on "ISO-8859-1" pages really come from); GB2312 and GBK mean GB18030 (their
    superset). A UTF-16/32 label on bytes without their zero bytes (step 1 found none)
    cannot be true, so it is ignored.
    """
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip()).name
    except LookupError:
        return None
    if name in ("ascii", "latin-1", "iso8859-1", "cp1252"):
        return "cp1252"
    if name in ("gb2312", "gbk"):
        return "gb18030"
    return None if name.startswith(("utf-16", "utf-32")) else name


def single_byte(codec: str) -> bool:
    return not codec.replace("-", "_").startswith(_MULTIBYTE)


def decode(body: bytes, declared: Iterable[str | None] = ()) -> Decoded:
    """Text of ``body`` by the rule in the module docstring; never raises."""
    labels = [label for label in declared if label]
    if found := _byte_pattern(body):
        codec, skip = found
        return _lossy(body[skip:], codec, "from the byte pattern at the start")
    if body.isascii():
        return Decoded(body.decode("ascii"), "ascii")
    try:
        return Decoded(body.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    declared_codecs: dict[str, str] = {}  # codec -> the label as the payload gave it
    for label in labels:
        if (codec := codec_for(label)) and codec not in declared_codecs:
            declared_codecs[codec] = label.strip()
    said = f"declared {', '.join(declared_codecs)}" if declared_codecs else "nothing declared"
    for codec, label in declared_codecs.items():
        if single_byte(codec) and (chinese := _chinese(body)):
            return _guessed(body, chinese, f"declared {label}, but the bytes read as {chinese} Chinese text")
        try:
            return Decoded(body.decode(codec), codec)
        except UnicodeDecodeError:
            continue
    if _mostly_utf8(body[:SAMPLE_BYTES]):
        return _lossy(body, "utf-8", f"{said}, mostly UTF-8")
    why = f"the bytes are not valid UTF-8 or any declared charset ({said})"
    if chinese := _chinese(body):
        return _guessed(body, chinese, why)
    for candidate in (_detected(body[:SAMPLE_BYTES]), "cp1252"):
        if candidate is None:
            continue
        try:  # strictly: a charset that does not fit the whole payload was the wrong guess
            return Decoded(body.decode(candidate), candidate, _guess_note(why, candidate), guessed=True)
        except (UnicodeDecodeError, LookupError):
            continue
    return Decoded(body.decode("latin-1"), "latin-1", _guess_note(why, "latin-1"), guessed=True)


def wide_unicode(body: bytes) -> bool:
    """UTF-16 or UTF-32 by its byte-order mark or zero-byte pattern: zero bytes that are text."""
    found = _byte_pattern(body)
    return found is not None and found[0].startswith(("utf-16", "utf-32"))


def _byte_pattern(body: bytes) -> tuple[str, int] | None:
    for prefix, codec, skip in _BYTE_PATTERNS:
        if body.startswith(prefix):
            return codec, skip
    return _zero_pattern(body[:512])


def _zero_pattern(head: bytes) -> tuple[str, int] | None:
    """UTF-16/32 without a byte-order mark: Latin text leaves zero bytes at fixed offsets."""
    if len(head) < 8 or head.count(0) < len(head) // 4:
        return None
    for codec, width in (("utf-32-le", 4), ("utf-32-be", 4), ("utf-16-le", 2), ("utf-16-be", 2)):
        usable = len(head) - len(head) % width
        units = [head[i:i + width] for i in range(0, usable, width)]
        low_first = codec.endswith("le")
        zeros_high = sum(1 for unit in units if (unit[1:] if low_first else unit[:-1]) == bytes(width - 1))
        zeros_low = sum(1 for unit in units if (unit[0] if low_first else unit[-1]) == 0)
        if zeros_high >= 0.6 * len(units) and zeros_low == 0:
            return codec, 0
    return None


def _lossy(body: bytes, codec: str, why: str) -> Decoded:
    try:
        return Decoded(body.decode(codec), codec)
    except UnicodeDecodeError:
        text = body.decode(codec, errors="replace")
    lost = text.count("\ufffd") - body.decode(codec, errors="ignore").count("\ufffd")
    note = f"character encoding: {lost} invalid byte sequence(s) in {codec} ({why}) replaced with U+FFFD"
    return Decoded(text, codec, note, lost=lost)


def _guess_note(why: str, codec: str) -> str:
    return f"character encoding: {why}; decoded as {codec} by guessing, non-ASCII text may be wrong"


def _guessed(body: bytes, codec: str, why: str) -> Decoded:
    """Decode with a guessed (Chinese) codec; bytes it cannot read, such as a character cut
    off by a truncated download, are replaced with U+FFFD and counted."""
    note = _guess_note(why, codec)
    try:
        return Decoded(body.decode(codec), codec, note, guessed=True)
    except UnicodeDecodeError:
        text = body.decode(codec, errors="replace")
    lost = text.count("\ufffd") - body.decode(codec, errors="ignore").count("\ufffd")
    return Decoded(text, codec, f"{note}; {lost} invalid byte sequence(s) replaced with U+FFFD", guessed=True,
                   lost=lost)


def _mostly_utf8(body: bytes) -> bool:
    text = body.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for char in text if char > "\x7f" and char != "\ufffd")
    return good > bad


# -- Chinese --------------------------------------------------------------------------

def _chinese(body: bytes) -> str | None:
    """``gb18030`` or ``big5`` when the bytes read as ordinary Chinese text in it, else None.

    Both charsets accept most byte pairs above 0x80, so decoding alone proves little: the
    text must also be nearly all Chinese characters and punctuation (a windows-1252 "é"
    before a letter decodes as a lone ideograph inside a Latin word; Big5 read as GBK
    brings kana and Greek), and its characters must be common ones: GB2312's or Big5's
    first level for GB18030 (which also carries traditional text), Big5's first level for
    Big5; a wrong reading lands mostly in rare characters. The better score wins; on a
    tie, GB18030. Korean and Japanese text pass these tests too (EUC-KR's Hangul sits where
    GB2312's common characters are), so text that reads as Korean or Japanese is not Chinese.
    """
    sample = body[:SAMPLE_BYTES]
    best, best_score = None, 0.0
    for codec, common in (("gb18030", _common_simplified), ("big5", _common_traditional)):
        text = _strict_prefix(sample, codec)
        if text is None:
            continue
        hanzi = [char for char in text if _ideograph(char)]
        odd = sum(1 for char in text if char > "\x7f" and not _ideograph(char) and not _cjk_punctuation(char))
        stray = len(_STRAY.findall(text))
        if len(hanzi) < 2 or odd > len(hanzi) // 10 or stray > len(hanzi) // 3:
            continue
        score = sum(1 for char in hanzi if common(char)) / len(hanzi)
        if score >= 0.8 and score > best_score:
            best, best_score = codec, score
    return None if best is None or _korean_or_japanese(sample) else best


def _korean_or_japanese(sample: bytes) -> bool:
    """Korean is written nearly all in Hangul, and mostly in its frequent syllables (EUC-KR
    puts its Hangul where GB2312 has common characters, but Chinese read as EUC-KR mixes in
    Hanja and makes rare, meaningless syllables); Japanese always has hiragana (particles,
    verb endings)."""
    korean = _strict_prefix(sample, "euc_kr")
    if korean is not None:
        wide = [char for char in korean if char > "\x7f"]
        hangul = [char for char in wide if "\uac00" <= char <= "\ud7a3"]
        frequent = sum(1 for char in hangul if char in _FREQUENT_HANGUL)
        if len(hangul) >= 2 and len(hangul) >= 0.9 * len(wide) and frequent >= 0.3 * len(hangul):
            return True
    for codec in ("euc_jp", "shift_jis"):
        text = _strict_prefix(sample, codec)
        wide = [char for char in text or "" if char > "\x7f"]
        if wide and sum(1 for char in wide if "\u3040" <= char <= "\u309f") >= 0.2 * len(wide):
            return True
    return False


def _strict_prefix(sample: bytes, codec: str) -> str | None:
    """The sample decoded strictly, a character cut off at its end (by the sample, or by a
    truncated download) left out."""
    try:
        return codecs.getincrementaldecoder(codec)("strict").decode(sample, final=False)
    except UnicodeDecodeError:
        return None


def _ideograph(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def _cjk_punctuation(char: str) -> bool:
    # CJK symbols (、。「」), fullwidth forms (，：（）), general punctuation (“”—…) and ·.
    return "\u3000" <= char <= "\u303f" or "\uff00" <= char <= "\uffef" or "\u2010" <= char <= "\u2044" \
        or char == "\u00b7"


def _common_simplified(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return _common_traditional(char)
    return True


def _common_traditional(char: str) -> bool:
    try:
        lead = char.encode("big5")[0]
    except UnicodeEncodeError:
        return False
    return 0xA4 <= lead <= 0xC6  # Big5 level 1: the 5,401 frequent characters


# -- detection ------------------------------------------------------------------------

def _detected(sample: bytes) -> str | None:
    """charset-normalizer's pick among the web's encodings, windows-1252 when it fits about
    as well, and never Chinese (``_chinese`` has already said the bytes are not).

    On short Western texts the library's scores are close to noise: "€3,400" alone fits Mac
    Roman ("Ä3,400") a little better than windows-1252, "coûte" fits windows-1250 ("coűte")
    just as well. Windows-1252 is by far the likelier of them in what this pipeline reads,
    so it wins unless another charset reads the bytes clearly more cleanly.
    """
    from charset_normalizer import from_bytes

    matches = [match for match in from_bytes(sample, cp_isolation=WEB_ENCODINGS)
               if codec_for(match.encoding) not in ("gb18030", "big5")]
    if not matches:
        return None
    least_chaos = min(match.chaos for match in matches)
    if any(m.chaos <= least_chaos + _WESTERN_MARGIN and "cp1252" in (m.encoding, *m.could_be_from_charset)
           for m in matches):
        return "cp1252"
    return codec_for(matches[0].encoding) or matches[0].encoding
