"""Joining emerging clusters that name the same unknown theme in different words.

The similarity clustering (``mi.signals.grouping``) keeps a need the vocabulary does not
know in one cluster only while RMs word it alike: "payroll outsourcing for our staff" and
"can you run their payroll, payslips included" share one word in a dozen and end up as
two clusters. What ties them is the theme's own noun, written in most notes of both. Two
clusters are joined when they share such a **theme word**:

- it is written in most notes of each cluster (a typo of it counts: one edit for five
  letters or more);
- it says what the need is about: at least four letters, not a function word, not one of
  ``COMMON_WORDS`` (people, time, size, places, generic verbs and business words: two
  different needs share "staff" or "monthly" as easily as one does);
- it is no cue of a known need (a shared "receivables" means misread notes of a known
  need, which are not one unknown theme);
- the two clusters hold at least half of the unread notes that use it, so a word of the notes'
  boilerplate ("follow-up booked") joins nothing.

A joined group must itself mostly write the word it is joined on next, so no chain of
words ("petty cash" to cash, cash to cards) runs through unrelated clusters. Pure functions.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from rapidfuzz.distance import OSA

from mi.signals.needs import normalised_words, single_word_cues
from mi.signals.similarity import STOP

#: Shortest theme word; shorter ones are mostly abbreviations a batch shares by chance.
MIN_THEME_LENGTH = 4
#: Words any need's notes may share: who, when, how much, where, generic doing, business
#: and banking words, and what a business owns (shops, a fleet: the setting of a need, not
#: the need). Written from ordinary English and banking, not from any split's notes.
COMMON_WORDS = frozenset("""
staff employee employees team teams people person persons worker workers colleague colleagues founder founders
owner owners family partner partners director directors manager managers management board boss member members
customer customers client clients user users
daily weekly monthly yearly annual annually quarterly today tomorrow yesterday night nights morning mornings
evening evenings week weeks month months year years time times soon later early late currently current recently
next last every first second third date dates period periods season
many much more less most least several other others same different whole full half total number numbers
amount amounts level levels share shares part parts
high higher highest large larger largest small smaller smallest little bigger biggest
fast faster quick quickly slow slower slowly cheap cheaper cheapest expensive better best good great worse worst
easy easier simple simpler main major minor local foreign international global domestic abroad overseas
open closed free specific general usual normal standard proper properly really still already again
hold holds held holding take takes taking took make makes making made give gives given keep keeps help helps
like likes look looks looking offer offers offered find found send sends sent start starts started stop stops
stopped come comes coming back follow follows following booked book prepared prepare waiting wait revert loop
discuss discussed discussion told tell says said think thinks thought plan plans planned planning consider
considering interested interest arrange arranged provide provides provided work works working worked
set sets setting support supports supported change changes changed move moves moved pay pays paid paying
call calls called meet meets visit visits visited write wrote sign signed check checked
business businesses company companies firm firms group groups service services product products solution
solutions option options proposal proposals quote quotes offer idea ideas information details detail
bank banks banking banker finance financing financial money funds fund price prices pricing cost costs fee fees
site sites office offices country countries region regions market markets city cities branch branches area
thing things kind type types case cases issue issues problem problems question questions point points reason
side sides place places comparison feedback contact contacts event events topic topics matter matters
outlook audit catch hello fair industry relationship shape action nothing something everything anything
shop shops store stores outlet outlets warehouse warehouses plant plants factory factories fleet fleets truck
trucks vehicle vehicles machine machines equipment premises building buildings property properties asset assets
account accounts loan loans credit line lines facility facilities payment payments balance balances
transaction transactions rate rates currency currencies cash
""".split())


def join_by_theme(clusters: Sequence[Sequence[str]], words_of: Mapping[str, Iterable[str]]) -> list[list[int]]:
    """Which of ``clusters`` (each its notes' refs) are one theme: lists of their indexes,
    each in order, in the order of their first cluster. ``words_of``: the theme words
    (``theme_words``) of every unread note of the batch, by ref."""
    words = {ref: frozenset(found) for ref, found in words_of.items()}
    users: Counter[str] = Counter(w for found in words.values() for w in found)
    parts = [[i] for i in range(len(clusters))]
    members = [list(refs) for refs in clusters]
    themes = [_themes(refs, words) for refs in members]
    i = 0
    while i < len(parts):
        for j in range(i + 1, len(parts)):
            if _theme_of_both(themes[i] & themes[j], members[i] + members[j], words, users):
                parts[i] += parts.pop(j)
                members[i] += members.pop(j)
                themes.pop(j)
                # The joined group must itself mostly write a word it is joined on next.
                themes[i] = _themes(members[i], words)
                break
        else:
            i += 1
    return parts


def _theme_of_both(shared: frozenset[str], refs: list[str], words: Mapping[str, frozenset[str]],
                   users: Counter[str]) -> bool:
    """Whether a shared theme word is mostly used by these notes, not the rest of the batch."""
    return any(2 * sum(word in words.get(ref, ()) for ref in refs) >= users[word] for word in shared)


def theme_words(text: str) -> frozenset[str]:
    """The words of ``text`` that could name a theme (see the module docstring)."""
    cues = single_word_cues()
    return frozenset(_stem(w) for w in normalised_words(text)
                     if len(w) >= MIN_THEME_LENGTH and w.isalpha() and w not in STOP and w not in COMMON_WORDS
                     and _stem(w) not in COMMON_WORDS and not cues(w))


def _stem(word: str) -> str:
    """A plural cut to its singular, roughly ("cards" -> card); enough to compare notes."""
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _themes(members: Sequence[str], words_of: Mapping[str, frozenset[str]]) -> frozenset[str]:
    """The theme words written (or mistyped) in most of ``members``."""
    sets = [words_of.get(ref, frozenset()) for ref in members]
    exact = Counter(w for words in sets for w in words)
    # Spelt right in a quarter of them at least (and twice): only those are worth a
    # look for typos, which keeps a large cluster cheap.
    candidates = [w for w, count in exact.items() if count >= 2 and 4 * count >= len(sets)]
    return frozenset(w for w in candidates
                     if 2 * (exact[w] + sum(w not in words and _mistyped(w, words) for words in sets)) > len(sets))


def _mistyped(word: str, words: frozenset[str]) -> bool:
    return len(word) >= 5 and any(abs(len(w) - len(word)) <= 1 and OSA.distance(w, word, score_cutoff=1) <= 1
                                  for w in words)
