"""Link mentions of the book's companies in Chinese text (no I/O).

A company is found by its Chinese legal name (中国工商银行股份有限公司), that name without
its legal form (中国工商银行), its short names (简称: 工商银行, 工行), its English names
(ICBC) and its stock codes in their common forms (601398, 601398.SH, sh601398, 1398.HK;
see zh_codes). Traditional spellings find simplified names and the other way round.

Chinese has no spaces, so a name only counts where the segmentation cuts the text on
both sides of it: "中行" (Bank of China) is not read inside "集中行业" (集中 | 行业), nor
"中国移动" (China Mobile) inside "中国移动支付" (中国 | 移动支付). The segmentation is jieba's
own reading, *without* the book's names in its dictionary: names added with a high
frequency would cut the text around themselves wherever they occur. A short name of two
characters (工行, 美的, 中建), or a longer one that is an everyday word (太阳能), needs
corroboration: another of the company's names or its code in the same document, or a
market word next to it (股份, 股价, 涨停, 公告, ...). A name shared by two companies of the book decides neither. Every link and
every candidate left out says why, with the segmentation around it.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from mi.analysis.linking import CompanyName, EntityLink, Rejection
from mi.analysis.zh_codes import book_code_keys, code_mentions
from mi.analysis.zh_tags import analysis_words, zh_lexicon_cues
from mi.analysis.zh_text import HAN, Segmenter, joined_words, segmenter, to_simplified

_LEGAL_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "股份公司", "（集团）", "(集团)")
_HAN_CHAR = re.compile(f"[{HAN}]")
# How sure each kind of evidence is; a link's confidence is its best evidence's.
_CONFIDENCE = {"code": 0.98, "legal_name": 0.97, "name": 0.95, "code_in_brackets": 0.95, "short": 0.92,
               "english_name": 0.92, "corroborated": 0.88}
# jieba's own dictionary counts how often a word occurs in general text: a short name
# that common (平安 "safe", 太阳能 "solar power") is an everyday word first.
_EVERYDAY_FREQ = 300
_MARKET_WORDS = frozenset("股份 股价 股票 集团 公司 涨停 跌停 涨超 跌超 公告 发布 披露 年报 财报 A股 H股 港股 "
                          "净利润 营收 市值 董事长 旗下 回购 增持 减持 控股 收购 并购 入主".split())
_CONTEXT_WORDS = 3  # words on each side that may corroborate an everyday-word name


@dataclass(frozen=True)
class _Form:
    company_id: int
    written: str  # as the book writes it
    kind: str  # legal_name, name, short, english_name


def legal_base(name: str) -> str:
    """The name without its legal form: 中国工商银行股份有限公司 -> 中国工商银行."""
    base = name.strip()
    changed = True
    while changed:
        changed = False
        for suffix in _LEGAL_FORMS:
            if base.endswith(suffix) and len(base) - len(suffix) >= 2:
                base, changed = base[: -len(suffix)], True
    return base


def _price_move(word: str) -> bool:
    """A word that says a price moved outright (涨停, 跳水: the tone cues of weight 2)."""
    return abs(zh_lexicon_cues().get(word, 0.0)) >= 2


class ZhLinker:
    def __init__(self, companies: Iterable[CompanyName]) -> None:
        self._companies: dict[int, CompanyName] = {}
        forms: dict[str, list[_Form]] = defaultdict(list)  # simplified Chinese or ASCII key -> forms
        self._codes: dict[tuple[str, str], set[int]] = defaultdict(set)
        for company in companies:
            self._companies[company.company_id] = company
            for written, kind in self._forms_of(company):
                key = to_simplified(written) if _HAN_CHAR.search(written) else written.casefold()
                if all(f.company_id != company.company_id for f in forms[key]):
                    forms[key].append(_Form(company.company_id, written, kind))
            for ticker in company.tickers:
                for key in book_code_keys(ticker):
                    self._codes[key].add(company.company_id)
        self._forms = dict(forms)
        han = sorted((k for k in forms if _HAN_CHAR.search(k)), key=len, reverse=True)
        latin = sorted((k for k in forms if not _HAN_CHAR.search(k)), key=len, reverse=True)
        self._han = re.compile("|".join(map(re.escape, han))) if han else None
        self._latin = (re.compile(r"(?<![0-9a-z])(?:" + "|".join(map(re.escape, latin)) + r")(?![0-9a-z])")
                       if latin else None)
        self.names = frozenset(han)  # the Chinese forms, simplified: words the segmenter should know
        self.company_names = frozenset(c.name for c in self._companies.values())

    @staticmethod
    def _forms_of(company: CompanyName) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for written in (company.name, *company.aliases):
            written = written.strip()
            if _HAN_CHAR.search(written):
                base = legal_base(written)
                if base != written:
                    out += [(written, "legal_name"), (base, "name")]
                else:
                    out.append((written, "name" if written == company.name else "short"))
            elif len(written) >= 4 or (len(written) >= 3 and written.isupper()):
                out.append((written, "english_name"))
        return out

    @staticmethod
    def segmenter() -> Segmenter:
        """The segmentation names are checked against: jieba's own, plus the rule and tone words."""
        return segmenter(analysis_words())

    def link(self, title: str | None, text: str | None) -> list[EntityLink]:
        return self.explain(title, text)[0]

    def explain(self, title: str | None, text: str | None) -> tuple[list[EntityLink], list[Rejection]]:
        """Links with their reasons, and every company found but not linked with the reason."""
        full = f"{title or ''}\n{text or ''}"
        seg = self.segmenter()
        words = seg.words(full)
        cuts = {0, len(full)} | {w.start for w in words} | {w.end for w in words}
        evidence: dict[int, list[tuple[str, str, str]]] = defaultdict(list)  # cid -> (kind, mention, reason)
        doubts: dict[int, list[tuple[str, str]]] = defaultdict(list)  # cid -> (mention, reason)

        for mention in code_mentions(full):
            owners = self._codes.get(mention.key, set())
            kind = "code" if mention.qualified else "code_in_brackets"
            for cid in owners:
                if len(owners) > 1:
                    doubts[cid].append((mention.written, f"code {mention.written} is shared by {len(owners)} companies"))
                else:
                    how = "exchange-qualified" if mention.qualified else "in brackets after a name"
                    evidence[cid].append((kind, mention.written, f"stock code {mention.written} ({how})"))

        simplified = to_simplified(full)
        same = len(simplified) == len(full)
        if self._han is not None:
            for match in self._han.finditer(simplified):
                start, end = match.span()
                written = full[start:end] if same else match.group()
                owners = self._forms[match.group()]
                around = joined_words(w for w in words if w.end > start - 6 and w.start < end + 6)
                if same and (start not in cuts or end not in cuts):
                    for form in owners:
                        doubts[form.company_id].append(
                            (written, f'"{written}" falls inside other words of the segmentation: {around}'))
                    continue
                for form in owners:
                    if len(owners) > 1:
                        doubts[form.company_id].append((written, f'"{written}" names {len(owners)} companies'))
                        continue
                    label = {"legal_name": "legal name", "name": "name", "short": "short name (简称)"}[form.kind]
                    reason = f'{label} "{written}", a whole word in the segmentation: {around}'
                    if form.kind == "short" and self._everyday(seg, match.group()):
                        if self._market_word_near(words, start, end):
                            evidence[form.company_id].append(
                                ("corroborated", written, reason + "; too short or common to stand alone, read "
                                 "as the company because a market word stands next to it"))
                        else:
                            doubts[form.company_id].append(
                                (written, f'short name "{written}" is too short or too common to stand alone and '
                                 f'nothing nearby says it is the company: {around}'))
                        continue
                    evidence[form.company_id].append((form.kind, written, reason))
        if self._latin is not None:
            for match in self._latin.finditer(full.casefold()):
                written = full[match.start():match.end()]
                owners = self._forms[match.group()]
                for form in owners:
                    if len(owners) > 1:
                        doubts[form.company_id].append((written, f'"{written}" names {len(owners)} companies'))
                    else:
                        evidence[form.company_id].append(("english_name", written, f'English name "{written}"'))

        links, rejections = [], []
        for cid in set(evidence) | set(doubts):
            company = self._companies[cid]
            found = evidence.get(cid, [])
            if found:  # any evidence lifts the doubts: another name or the code corroborates an everyday word
                kind, mention, reason = max(found, key=lambda e: _CONFIDENCE[e[0]])
                links.append(EntityLink(cid, company.name, mention, _CONFIDENCE[kind], reason))
            else:
                mention, why = doubts[cid][0]
                rejections.append(Rejection(cid, company.name, mention, why))
        links.sort(key=lambda x: (-x.confidence, x.company_id))
        rejections.sort(key=lambda r: (r.name, r.company_id))
        return links, rejections

    @staticmethod
    def _everyday(seg: Segmenter, word: str) -> bool:
        return len(word) <= 2 or (len(word) == 3 and seg.base_frequency(word) >= _EVERYDAY_FREQ)

    @staticmethod
    def _market_word_near(words: list, start: int, end: int) -> bool:
        content = [w for w in words if w.text.strip()]
        at = next((i for i, w in enumerate(content) if w.start == start), None)
        if at is None:
            return False
        after = next((i for i in range(at, len(content)) if content[i].end == end), at)
        near = content[max(0, at - _CONTEXT_WORDS):at] + content[after + 1:after + 1 + _CONTEXT_WORDS]
        return any(to_simplified(w.text) in _MARKET_WORDS or _price_move(to_simplified(w.text)) for w in near)
