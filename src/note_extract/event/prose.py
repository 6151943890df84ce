"""Stage 3b: the event read from prose — press releases, web pages, cables, reports without a header.

Contract: :func:`read_prose` takes the clean text (from ``start``, the end of any header), the phrase
matcher's hits and the languages, and returns a :class:`ProseEvent`: the sentence that reports the
event, the other sentences that speak of it, its date, its title and the place words of that
sentence. It never maps to raw offsets (every span here is clean text) and never raises because of
the text.

- **Sentences** end at ``.``/``!``/``?`` before a capital (not after "Mr", "U.S", an initial), at a
  blank line, and after a line with no lower-case letter (a cable's all-caps subject, a heading).
- **The event sentence** is the sentence of the best date candidate: each date (a year-less one too)
  scores the cue words of ``data/narrative.jsonl`` in its sentence, +2 for an event noun
  (``data/event_kinds.jsonl``), +1 for a place word before a capital; -2 when the date is the text's own
  date (a dateline ``NAIROBI, 15 September —`` or a date alone on its line), -3 when it ended more than
  30 days before that date, -3 for background words (``data/prose.jsonl``). The earliest wins a tie, so
  the first report beats later background.
- **Year**: a year-less event date takes its year from (1) the text's own date (the reading nearest
  it), (2) "adopted N years ago" beside a resolution of the 1540 family, (3) the latest earlier event
  the text dates (the event comes after it). Otherwise the date stays empty and an issue says so
  (``year_source`` is None). A stated duration ("a two-day workshop") completes a one-day date.
- **Related sentences**: the headline lines before the first sentence, the event sentence, and every
  later sentence that refers to the event with an anaphor ("The workshop", "This session") and names
  no other year; sentences of background are left out.
- **Title**: a quoted name with an event noun or after a title cue ("titled “…”"), else the first
  capitalized event name in the related sentences ("the UN Workshop on Implementing UNSCR 1540 in the
  Caribbean"), extended to the headline when a headline starts with it; else a headline that is a
  name, not a sentence (no verb of ``headline_verb``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from itertools import accumulate
from typing import Literal

from note_extract.core.spans import CleanSpan
from note_extract.event.dates import DateSpan, find_dates
from note_extract.event.vocab import (
    abbreviations,
    adoption_pattern,
    articles,
    duration_pattern,
    event_nouns,
    narrative_cues,
    page_date_pattern,
    trailing_place_pattern,
    years_ago,
)
from note_extract.lexicon.countries import country_index
from note_extract.lexicon.gazetteer import gazetteer
from note_extract.rules.bundle import Rules, derived
from note_extract.rules.rows import KnownResolution, ProseRow

YearSource = Literal["written", "text date", "years after adoption", "after earlier event"]

_PLACEHOLDER_YEAR = 2000
"""Year given to year-less dates while they are candidates (a leap year, so 29 February reads)."""


@dataclass(frozen=True)
class ProseRules:
    """The rows of ``data/prose.jsonl`` by kind."""

    cues: tuple[ProseRow, ...]
    words: dict[str, tuple[str, ...]]


@derived
def prose_rules(rules: Rules) -> ProseRules:
    """The rows of ``prose.jsonl``, by kind."""
    rows = rules.rows("prose.jsonl", ProseRow)
    words: dict[str, list[str]] = {}
    for row in rows:
        if row.kind != "cue":
            words.setdefault(row.kind, []).extend(row.words)
    return ProseRules(tuple(r for r in rows if r.kind == "cue"), {k: tuple(v) for k, v in words.items()})


@derived
def known_resolutions(rules: Rules) -> dict[int, int]:
    """Resolution number to adoption year, from ``data/resolutions.jsonl``."""
    return {row.number: row.year for row in rules.rows("resolutions.jsonl", KnownResolution)}


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _word_pattern(rules: Rules, kind: str) -> re.Pattern[str]:
    return rules.memo((_word_pattern, kind), lambda: _build_word_pattern(rules, kind))


def background_sentence(rules: Rules, text: str, sentence: CleanSpan) -> bool:
    """True when a sentence speaks of something before the event ("builds on", "previous", "last
    year")."""
    return _word_pattern(rules, "background").search(text, *sentence) is not None


def background_heading(rules: Rules, heading: str) -> bool:
    """True for the heading of a section about what came before the event ("1. Background",
    "Contexte", "Antecedentes")."""
    return _word_pattern(rules, "background_heading").search(heading) is not None


def _build_word_pattern(rules: Rules, kind: str) -> re.Pattern[str]:
    words = prose_rules(rules).words.get(kind, ())
    return re.compile(rf"(?<![\w'\u2019])(?:{_alternation(words)})(?![\w'\u2019])", re.IGNORECASE)


# --- sentences --------------------------------------------------------------------------------------

_LABEL_LINE = re.compile(r"^[ \t]*[A-Z][\w ]{0,30}:[ \t]+\S")
_END = re.compile(r"[.!?][\"”\u2019»)]*(?=\s+[\"“«(]?[A-Z0-9À-Þ])|\n[ \t]*\n")


def sentences(rules: Rules, text: str, start: int = 0) -> list[CleanSpan]:
    """The sentences of ``text[start:]`` as clean spans, whitespace trimmed; see the module docstring."""
    known = abbreviations(rules)
    cuts = [start]
    for match in _END.finditer(text, start):
        if match.group(0)[0] == ".":
            word = re.search(r"([\w.]+)$", text[max(start, match.start() - 12) : match.start()])
            if word and (word.group(1).casefold() in known or len(word.group(1)) == 1):
                continue
        cuts.append(match.end())
    for block in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text[start:]):
        cuts.extend(_line_cuts(text, start + block.start(), start + block.end()))
    cuts.append(len(text))
    spans = []
    for a, b in zip(sorted(set(cuts)), sorted(set(cuts))[1:], strict=False):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            spans.append(CleanSpan(a, b))
    return spans


def _line_cuts(text: str, a: int, b: int) -> list[int]:
    """Where a block of lines breaks between sentences although no end mark says so: around a line with
    no lower-case letter (a heading), a label line, a navigation line (``Home | News``), and after a
    short line with no end mark when the next starts with a capital (a headline over its text; a
    line wrapped by a converter is about as long as its neighbours)."""
    lines = [(m.start() + a, m.end() + a) for m in re.finditer(r"[^\n]+", text[a:b])]
    widest = max((e - s for s, e in lines), default=0)
    cuts: list[int] = []
    for index, (s, e) in enumerate(lines):
        line = text[s:e]
        if not any(c.islower() for c in line) or _LABEL_LINE.match(line) or _NAV_LINE.search(line):
            cuts.extend((s, e))
            continue
        following = lines[index + 1] if index + 1 < len(lines) else None
        if following is None or line.rstrip()[-1:] in ".!?:;,-\u2013—" or line.rstrip()[-1:].islower():
            continue
        nxt = text[following[0] : following[1]].lstrip()
        if nxt[:1].isupper() and (e - s) < 0.7 * widest:
            cuts.append(e)
    return cuts


_NAV_LINE = re.compile(r"\S\s+[|•\u203a>]\s+\S.*\s[|•\u203a>]\s+\S|^\s*[|•]|[|•]\s*$")


def _containing(spans: list[CleanSpan], position: int) -> CleanSpan:
    """The span (of sorted, disjoint ``spans``) that holds ``position``, else the empty span there."""
    index = bisect.bisect_right(spans, position, key=lambda span: span[0]) - 1
    if index >= 0 and spans[index][0] <= position < spans[index][1]:
        return spans[index]
    return CleanSpan(position, position)


def _any_between(starts: Sequence[int], a: int, b: int) -> bool:
    """True when some of the sorted ``starts`` lies in [a, b)."""
    index = bisect.bisect_left(starts, a)
    return index < len(starts) and starts[index] < b


# --- the text's own date ------------------------------------------------------------------------------

_DATELINE = re.compile(r"^[ \t]*[A-Z][A-Za-zÀ-ÿ .',-]{1,60},[ \t]*(?:(?:le|el|the|on)[ \t]+)?$")
"""What stands before a dateline's date: "NEW YORK, ", "Lomé, le ", "San José, el "."""
_AFTER_DATELINE = re.compile(r"^[ \t]*(?:\([^)\n]{0,80}\))?[ \t]*(?:[-\u2013—|:.]|$)")
_LINE_ALONE = re.compile(r"^[\s\w,.|]{0,16}$")


def _is_text_date(rules: Rules, text: str, span: DateSpan) -> bool:
    """A dateline date (``NEW YORK, 15 November 2013 (…) —``) or a date alone on its line."""
    line_start = text.rfind("\n", 0, span.start) + 1
    line_end = text.find("\n", span.end)
    line_end = len(text) if line_end < 0 else line_end
    before, after = text[line_start : span.start], text[span.end : line_end]
    if _DATELINE.match(before) and _AFTER_DATELINE.match(after):
        return True
    if page_date_pattern(rules).match(before):
        return True
    return (
        bool(_LINE_ALONE.match(before) and _LINE_ALONE.match(after))
        and not before.strip(" \t,")[-2:].isdigit()
    )


# --- event sentence and date ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProseEvent:
    """What the prose says about the event; every span is clean text."""

    sentence: CleanSpan | None
    related: tuple[CleanSpan, ...]
    date: DateSpan | None
    year_source: YearSource | None
    year_unknown: DateSpan | None
    """The event's date when its year could not be known (the date is then None)."""
    duration_days: int | None
    title: CleanSpan | None
    headline: CleanSpan | None
    reported: tuple[CleanSpan, ...] = ()
    """Every sentence from the event sentence on that is not background (where participants are read)."""
    dateline: CleanSpan | None = None
    """The sentence that opens with the text's dateline ("NAIROBI, 15 September 2015 -"), if any."""

    def place_sentences(self) -> tuple[CleanSpan, ...]:
        """Where the venue is looked for, in order: the event sentence, the others about the event, then
        the dateline's sentence."""
        if self.sentence is None:
            return ()
        found = (self.sentence, *(s for s in self.related if s != self.sentence))
        if self.dateline is not None and self.dateline not in found:
            found = (*found, self.dateline)
        return found


_RECENT = timedelta(days=30)
"""A report tells of an event within this long before its own date; older dates are background."""


def _sentence_score(rules: Rules, text: str, sentence: CleanSpan) -> int:
    """What a sentence adds to the score of each date in it: its cue words, an event noun, a place word
    before a capital, background words."""
    piece = text[sentence[0] : sentence[1]]
    score = sum(weight for pattern, weight in narrative_cues(rules) if pattern.search(piece))
    if event_nouns(rules).search(piece):
        score += 2
    if _place_before_capital(rules).search(piece):
        score += 1
    if _word_pattern(rules, "background").search(piece):
        score -= 3
    return score


@derived
def _place_before_capital(rules: Rules) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{_alternation(prose_rules(rules).words['place'])})\s+[A-Z]")


def _score(rules: Rules, text: str, sentence_score: int, span: DateSpan, text_date: DateSpan | None) -> int:
    """A date's score: its sentence's, +1 for a written year, -2 for the text's own date, -3 for a date
    more than 30 days before the text's own."""
    score = sentence_score
    if not span.year_inferred:
        score += 1
    if _is_text_date(rules, text, span):
        score -= 2
    elif text_date is not None and not span.year_inferred and span.end_date < text_date.start_date - _RECENT:
        score -= 3
    return score


def _undated_report(
    rules: Rules, text: str, spans: list[CleanSpan], dated: Sequence[DateSpan] = ()
) -> CleanSpan | None:
    """With no date to anchor it, the first sentence that reports an event: an event noun and a cue
    (a positive word of ``data/narrative.jsonl`` or a role cue of ``data/prose.jsonl``: "The Center
    held an Industry Roundtable ..."), no background word and no date of another event."""
    cues = _role_cue_pattern(rules)
    starts = sorted(d.start for d in dated)
    for a, b in spans:
        piece = text[a:b]
        if _LABEL_LINE.match(piece) or _word_pattern(rules, "background").search(piece):
            continue
        if _any_between(starts, a, b) or not event_nouns(rules).search(piece):
            continue
        cue = sum(w for pattern, w in narrative_cues(rules) if pattern.search(piece))
        if cue > 0 or (cue == 0 and cues.search(piece)):
            return CleanSpan(a, b)
    return None


_AGENT_WORDS = ("by", "par", "por")
_OF_WORDS = ("de", "del", "du", "des")
_ADVERB = r"(?:\s+[^\W\d_]+(?:ly|ment|mente))?"
_OF_FORMS = r"(?:(?:de[ls]?|du)(?![\w'\u2019-])|d['\u2019](?=\w))"
_KEY_ADVERB = re.compile(r"\s[^\W\d_]+(?:ly|ment|mente)(?=\s(?:by|par|por)$)")
_KEY_OF = re.compile(r"\s(?:del|des|du|d['\u2019])$")


_LETTERS = re.compile(r"[^\W\d_]+")


_WORDISH = re.compile(r"[\w'\u2019-]")
"""A character a cue's last word may not be followed by."""
_WORD_START = re.compile(r"(?<![\w'\u2019-])([^\W\d_]+)")
"""A word where a cue may start: a run of letters not inside a word (one group: ``split`` keeps it)."""


@dataclass(frozen=True, slots=True)
class _Words:
    """The words of one text where a cue may start: their starts and their lower-cased letters."""

    text: str
    starts: tuple[int, ...]
    lowered: tuple[str, ...]


_last_words: list[_Words] = []
"""The words of the last text asked about (every cue finder of a note reads the same text; rules play
no part, so one entry serves every bundle)."""


def _words_of(text: str) -> _Words:
    last = _last_words[:1]
    if last and last[0].text is text:
        return last[0]
    # split() alternates the text between words and the words, so the running sum of the pieces'
    # lengths gives every word's start without a Python step per word.
    pieces = _WORD_START.split(text)
    bounds = tuple(accumulate(map(len, pieces), initial=0))
    words = _Words(text, bounds[1:-1:2], tuple(map(str.lower, pieces[1::2])))
    _last_words[:] = [words]
    return words


@dataclass(frozen=True, slots=True)
class _CueScan:
    """Every cue of one text, found in one pass, and their starts and ends (for lookup by offset)."""

    text: str
    found: tuple[re.Match[str], ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]


@dataclass(frozen=True)
class CueFinder:
    """Finds cue phrases, once over the whole text: at each word that starts some cue, only the cues
    that start with that word are tried (instead of hundreds of alternatives at every position); a
    window (a sentence, a field) takes the cues that lie in it.

    A window gets exactly what scanning it alone would give: when a cue of the whole text straddles
    one of its edges, or a word goes on past its end, the window is scanned alone, the same way."""

    pattern: re.Pattern[str]
    """Every cue form, longest phrase first (the window scanned alone)."""
    starts: re.Pattern[str]
    """Any first word of a cue (the window scanned alone)."""
    by_word: dict[str, tuple[str, ...]]
    """The cue forms (in the order of ``pattern``) by their lower-cased first word."""
    _compiled: dict[str, re.Pattern[str]] = field(default_factory=dict, compare=False, repr=False)
    _last: list[_CueScan] = field(default_factory=list, compare=False, repr=False)

    def _for_word(self, word: str) -> re.Pattern[str] | None:
        """The cues that start with ``word``, compiled on first use."""
        found = self._compiled.get(word)
        if found is None:
            forms = self.by_word.get(word)
            if forms is None:
                return None
            found = self._compiled[word] = re.compile(f"(?:{'|'.join(forms)})", re.IGNORECASE)
        return found

    def _scan(self, text: str) -> _CueScan:
        last = self._last[:1]
        if last and last[0].text is text:
            return last[0]
        found: list[re.Match[str]] = []
        words = _words_of(text)
        after = 0
        for position, word in zip(words.starts, words.lowered, strict=True):
            if position < after or word not in self.by_word:
                continue
            pattern = self._for_word(word)
            match = pattern.match(text, position) if pattern is not None else None
            if match is not None:
                after = match.end()
                found.append(match)
        scan = _CueScan(text, tuple(found), tuple(m.start() for m in found), tuple(m.end() for m in found))
        self._last[:] = [scan]  # one text at a time: a note's stages ask about the same text
        return scan

    def _alone(self, text: str, start: int, stop: int) -> Iterator[re.Match[str]]:
        after = start
        for word in self.starts.finditer(text, start, stop):
            if word.start() < after:
                continue
            found = self.pattern.match(text, word.start(), stop)
            if found is not None:
                after = found.end()
                yield found

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
        """Every cue in ``text[start:end]``, left to right, not overlapping."""
        stop = len(text) if end is None else min(end, len(text))
        scan = self._scan(text)
        first = bisect.bisect_left(scan.starts, start)
        last = bisect.bisect_left(scan.starts, stop, first)
        straddles = (first > 0 and scan.ends[first - 1] > start) or (
            last > first and scan.ends[last - 1] > stop
        )
        if straddles or (stop < len(text) and _WORDISH.match(text, stop)):
            yield from self._alone(text, start, stop)
            return
        yield from scan.found[first:last]

    def search(self, text: str, start: int = 0, end: int | None = None) -> re.Match[str] | None:
        """The first cue in ``text[start:end]``."""
        return next(self.finditer(text, start, end), None)


def cue_regex(phrases: Iterable[str]) -> CueFinder:
    """A finder for cue phrases, as written or with the forms the same cue takes: any spacing, an
    adverb before its agent word ("organisé conjointement par", "organized jointly by"), and the
    contracted forms of a final "de" ("con el apoyo financiero del", "avec le soutien du", "d'");
    longest phrase first. :func:`cue_key` maps what it matches back to its phrase."""
    forms = []
    by_word: dict[str, list[str]] = {}
    keys = sorted({cue_key(p) for p in phrases}, key=len, reverse=True)
    first_words = sorted({m.group(0) for key in keys if (m := _LETTERS.match(key))}, key=len, reverse=True)
    starts = re.compile(
        rf"(?<![\w'\u2019-])(?:{'|'.join(re.escape(w) for w in first_words)})(?![^\W\d_])", re.IGNORECASE
    )
    for phrase in keys:
        form = _cue_form(phrase)
        forms.append(form)
        if (first := _LETTERS.match(phrase)) is not None:
            by_word.setdefault(first.group(0).lower(), []).append(form)
    pattern = re.compile(rf"(?<![\w'\u2019-])(?:{'|'.join(forms)})", re.IGNORECASE)
    return CueFinder(pattern, starts, {word: tuple(found) for word, found in by_word.items()})


def _cue_form(phrase: str) -> str:
    """The pattern of one cue phrase (see :func:`cue_regex`)."""
    words = phrase.split()
    head = r"\s+".join(re.escape(w) for w in words[:-1])
    last = words[-1]
    if last in _AGENT_WORDS and head:
        return rf"{head}{_ADVERB}\s+{last}(?![\w'\u2019-])"
    if last in _OF_WORDS and head:
        return rf"{head}\s+{_OF_FORMS}"
    return r"\s+".join(re.escape(w) for w in words) + r"(?![\w'\u2019-])"


def cue_key(text: str) -> str:
    """The phrase a cue was written from: case and spacing folded, an adverb before the agent word
    dropped, a contracted "de" restored."""
    key = " ".join(text.split()).casefold().replace("\u2019", "'")
    key = _KEY_ADVERB.sub("", key)
    if key.endswith("d'") and " " in key:
        return key[:-2] + "de"
    return _KEY_OF.sub(" de", key)


@derived
def _role_cue_pattern(rules: Rules) -> CueFinder:
    return cue_regex(p for row in prose_rules(rules).cues if row.role != "participants" for p in row.phrases)


def _with_year(span: DateSpan, year: int) -> DateSpan | None:
    try:
        start = span.start_date.replace(year=year)
        end = span.end_date.replace(year=year + (span.end_date.year - span.start_date.year))
    except ValueError:
        return None
    days = tuple(d.replace(year=year + (d.year - span.start_date.year)) for d in span.days)
    return replace(span, start_date=start, end_date=end, days=days, year_inferred=True)


_RESOLUTION_NUMBER = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_SPLIT_YEAR = re.compile(r"^,?[ \t]*\n?[ \t]*\n?[ \t]*((?:19|20)\d\d)(?!\d)")


def _year_after_adoption(rules: Rules, text: str, spans: list[CleanSpan]) -> int | None:
    """``adopted 20 years ago`` beside a resolution number of the 1540 family: its year plus N."""
    table = known_resolutions(rules)
    pattern, values = years_ago(rules)
    for match in pattern.finditer(text):
        raw = next(group for group in match.groups() if group is not None)
        years = int(raw) if raw.isdigit() else values[raw.casefold()]
        a, b = _containing(spans, match.start())
        numbers = [int(n) for n in _RESOLUTION_NUMBER.findall(text[a:b]) if int(n) in table]
        if numbers:
            return table[numbers[0]] + years
    return None


def _infer_year(
    rules: Rules,
    text: str,
    spans: list[CleanSpan],
    span: DateSpan,
    text_date: DateSpan | None,
    dated: list[DateSpan],
) -> tuple[DateSpan | None, YearSource | None]:
    if text_date is not None and not text_date.year_inferred:
        nearest = _nearest_text_date(span, text_date)
        if nearest is not None:
            return nearest, "text date"
    year = _year_after_adoption(rules, text, spans)
    if year is not None:
        found = _with_year(span, year)
        if found is not None:
            return found, "years after adoption"
    found = _after_earlier_event(rules, text, spans, span, text_date, dated)
    if found is not None:
        return found, "after earlier event"
    return None, None


def _nearest_text_date(span: DateSpan, text_date: DateSpan) -> DateSpan | None:
    """The reading of a year-less date nearest the text's own date (its year, the one before or
    after)."""
    options = [_with_year(span, text_date.start_date.year + k) for k in (-1, 0, 1)]
    readings = [o for o in options if o is not None]
    if not readings:
        return None
    anchor = text_date.start_date
    return min(readings, key=lambda o: (abs((o.start_date - anchor).days), o.start_date))


def _after_earlier_event(
    rules: Rules,
    text: str,
    spans: list[CleanSpan],
    span: DateSpan,
    text_date: DateSpan | None,
    dated: list[DateSpan],
) -> DateSpan | None:
    """The first reading of a year-less date after the latest earlier event the text dates (a dated
    sentence with an event noun, not a plan and not an adoption)."""
    earlier = [d for d in dated if (d.end < span.start or d.start > span.end) and d is not text_date]
    verdicts: dict[CleanSpan, bool] = {}  # many dates may share one sentence: it is read once
    past = []
    for d in earlier:
        sentence = _containing(spans, d.start)
        if sentence not in verdicts:
            verdicts[sentence] = _past_event(rules, text[slice(*sentence)])
        if verdicts[sentence]:
            past.append(d)
    if not past:
        return None
    latest = max(d.end_date for d in past)
    for year in (latest.year, latest.year + 1):
        found = _with_year(span, year)
        if found is not None and found.start_date > latest:
            return found
    return None


def _past_event(rules: Rules, sentence: str) -> bool:
    """True for a sentence that tells of an earlier event: an event noun, no future word, no
    adoption."""
    return (
        not _word_pattern(rules, "future").search(sentence)
        and not adoption_pattern(rules).search(sentence)
        and event_nouns(rules).search(sentence) is not None
    )


def _duration(rules: Rules, text: str, sentence: CleanSpan) -> int | None:
    numbers = prose_rules(rules).words.get("numbers", ())
    for match in duration_pattern(rules).finditer(text, *sentence):
        raw = match.group("n").casefold()
        n = int(raw) if raw.isdigit() else (numbers.index(raw) + 1 if raw in numbers else 0)
        if 1 < n <= 31:
            return n
    return None


def _split_year(text: str, span: DateSpan) -> DateSpan:
    """``May 29-30,`` / blank line / ``2007.``: the year a converter moved past a line break."""
    match = _SPLIT_YEAR.match(text[span.end : span.end + 12])
    if match is None:
        return span
    found = _with_year(span, int(match.group(1)))
    if found is None:
        return span
    return replace(found, end=span.end + match.end(), year_inferred=False)


def _candidates(
    rules: Rules, text: str, start: int, languages: tuple[str, ...]
) -> tuple[list[DateSpan], list[DateSpan]]:
    """Day-precision dates with their year (``dated``), and year-less ones with the placeholder year."""
    dated = [
        d for d in find_dates(rules, text[start:], languages=languages) if d.precision in ("day", "month")
    ]
    with_placeholder = find_dates(rules, text[start:], languages=languages, default_year=_PLACEHOLDER_YEAR)
    dated_starts = {d.start for d in dated}
    yearless = [d for d in with_placeholder if d.year_inferred and d.start not in dated_starts]

    def shift(d: DateSpan) -> DateSpan:
        return replace(d, start=d.start + start, end=d.end + start)

    return [shift(d) for d in dated], [_split_year(text, shift(d)) for d in yearless]


def read_prose(
    rules: Rules, text: str, start: int, languages: tuple[str, ...], org_spans: tuple[CleanSpan, ...] = ()
) -> ProseEvent:
    """Read the event from the prose of ``text[start:]``; see the module docstring. ``org_spans`` are
    the organizations found in the text: an event noun inside one ("OSCE Forum") names no event."""
    spans = sentences(rules, text, start)
    dated, yearless = _candidates(rules, text, start, languages)
    text_dates = [d for d in dated if d.precision == "day" and _is_text_date(rules, text, d)]
    datelines = [d for d in text_dates if text[text.rfind("\n", 0, d.start) + 1 : d.start].strip()]
    text_date = next(iter(datelines or text_dates), None)
    chosen = _best_date(rules, text, spans, [d for d in dated if d.precision == "day"] + yearless, text_date)
    sentence = _event_sentence(rules, text, spans, chosen, dated)
    chosen, year_source, unknown = _dated(rules, text, spans, chosen, text_date, dated)
    duration = None
    if chosen is not None and sentence is not None and chosen.start_date == chosen.end_date:
        duration = _duration(rules, text, sentence)
        if duration is not None:
            chosen = replace(chosen, end_date=chosen.start_date + timedelta(days=duration - 1))
    headline = _headline(rules, text, spans, start)
    years = {str(chosen.start_date.year), str(chosen.end_date.year)} if chosen is not None else set()
    own = set(text_dates)
    others = tuple(d for d in dated if d not in own and not _overlaps(d, chosen))
    related = _related(rules, text, spans, sentence, headline, others)
    stops = tuple(sorted({d.start for d in dated} | {d.start for d in yearless}))
    title = _title(rules, text, related, headline, stops, org_spans)
    reported = _reported(rules, text, spans, sentence, years)
    dateline = _containing(spans, datelines[0].start) if datelines else None
    return ProseEvent(
        sentence, related, chosen, year_source, unknown, duration, title, headline, reported, dateline
    )


def _best_date(
    rules: Rules, text: str, spans: list[CleanSpan], candidates: list[DateSpan], text_date: DateSpan | None
) -> DateSpan | None:
    """The candidate of the best score (the earliest on a tie), when that score is not negative; a
    written year before 1990 is no candidate."""
    best: tuple[int, DateSpan] | None = None
    scored: dict[CleanSpan, int] = {}  # many dates may share one sentence: it is read once
    for span in sorted(candidates, key=lambda d: d.start):
        if not span.year_inferred and span.start_date.year < 1990:
            continue
        sentence = _containing(spans, span.start)
        if sentence not in scored:
            scored[sentence] = _sentence_score(rules, text, sentence)
        score = _score(rules, text, scored[sentence], span, text_date)
        if best is None or score > best[0]:
            best = (score, span)
    return best[1] if best is not None and best[0] >= 0 else None


def _event_sentence(
    rules: Rules, text: str, spans: list[CleanSpan], chosen: DateSpan | None, dated: list[DateSpan]
) -> CleanSpan | None:
    """The sentence of the chosen date, else the first undated report; a labelled date ("Start Date:
    March 14, 2019") gives way to a sentence that reports the event."""
    sentence = _containing(spans, chosen.start) if chosen is not None else _undated_report(rules, text, spans)
    if (
        sentence is not None
        and _LABEL_LINE.match(text[sentence[0] : sentence[1]])
        and not event_nouns(rules).search(text, *sentence)
    ):
        # a labelled date ("Start Date: March 14, 2019"): the report is told in a sentence of its own
        sentence = _undated_report(rules, text, spans, dated) or sentence
    return sentence


def _dated(
    rules: Rules,
    text: str,
    spans: list[CleanSpan],
    chosen: DateSpan | None,
    text_date: DateSpan | None,
    dated: list[DateSpan],
) -> tuple[DateSpan | None, YearSource | None, DateSpan | None]:
    """The chosen date with its year (inferred for a year-less one), where the year came from, and the
    year-less date when no year could be known."""
    if chosen is None:
        return None, None, None
    if not chosen.year_inferred:
        return chosen, "written", None
    resolved, year_source = _infer_year(rules, text, spans, chosen, text_date, dated)
    return resolved, year_source, chosen if resolved is None else None


def _overlaps(d: DateSpan, chosen: DateSpan | None) -> bool:
    return chosen is not None and (d.start <= chosen.start < d.end or chosen.start <= d.start < chosen.end)


_YEAR = re.compile(r"(?<![\d(])(?:19|20)\d\d(?![\d)])")


def _reported(
    rules: Rules, text: str, spans: list[CleanSpan], sentence: CleanSpan | None, event_years: set[str]
) -> tuple[CleanSpan, ...]:
    if sentence is None:
        return ()
    years = event_years | set(_YEAR.findall(text[sentence[0] : sentence[1]]))
    return tuple(
        span
        for span in spans
        if span.start >= sentence.start
        and not _word_pattern(rules, "background").search(text, *span)
        and not set(_YEAR.findall(text[span.start : span.end])) - years
    )


def _headline(rules: Rules, text: str, spans: list[CleanSpan], start: int) -> CleanSpan | None:
    """The text's headline: among its first lines with no end punctuation and three words or more,
    the first that holds an event noun, else the first."""
    lines = []
    for span in spans[:10]:
        line = text[span.start : span.end]
        if "\n" in line or line.endswith((".", ":", "|")) or len(line.split()) < 3 or _LABEL_LINE.match(line):
            continue
        if sum(c.islower() for c in line) == 0:
            continue
        lines.append(span)
    named = [s for s in lines if event_nouns(rules).search(text, *s)]
    return next(iter(named or lines), None)


def _related(
    rules: Rules,
    text: str,
    spans: list[CleanSpan],
    sentence: CleanSpan | None,
    headline: CleanSpan | None,
    others: tuple[DateSpan, ...],
) -> tuple[CleanSpan, ...]:
    if sentence is None:
        return (headline,) if headline is not None else ()
    refers = _refers(rules)
    other_starts = sorted(d.start for d in others)
    found = [headline] if headline is not None and headline[1] <= sentence[0] else []
    for span in spans:
        a, b = span
        if span == sentence:
            found.append(span)
            continue
        if b <= sentence[0] or not refers.search(text, a, b):
            continue
        piece = text[a:b]
        if _word_pattern(rules, "background").search(piece):
            continue
        if _any_between(other_starts, a, b):
            continue
        found.append(span)
    return tuple(sorted(set(found)))


@derived
def _refers(rules: Rules) -> re.Pattern[str]:
    """An anaphor before an event noun ("The workshop", "this two-day session")."""
    anaphor = rf"(?:{_alternation(prose_rules(rules).words['anaphor'])})"
    return re.compile(
        rf"(?<!\w){anaphor}\s+(?:[\w-]+\s+){{0,3}}?(?:{event_nouns(rules).pattern})", re.IGNORECASE
    )


def _clean_title_bounds(rules: Rules, text: str, a: int, b: int) -> CleanSpan:
    connectors = {w.casefold() for w in prose_rules(rules).words["connector"]}
    words = list(_WORD.finditer(text, a, b))
    while words and words[-1].group().strip(",.;:").casefold() in connectors:
        words.pop()
    while words and words[0].group().casefold() in articles(rules):
        words.pop(0)
    if not words:
        return CleanSpan(a, a)
    s, e = words[0].start(), words[-1].end()
    while e > s and text[e - 1] in ",.;:":
        e -= 1
    return CleanSpan(s, e)


@derived
def _noun_before(rules: Rules) -> re.Pattern[str]:
    """An event noun right before a quotation: 'the workshop "…"'."""
    return re.compile(rf"(?:{event_nouns(rules).pattern})\s*[,:]?\s*$", re.IGNORECASE)


_WORD = re.compile(r"\S+")
_QUOTED = re.compile(r"[“\"«]\s*(?P<q>[^”\"»\n]{8,250}?)\s*[”\"»]")


def _name_phrases(rules: Rules, text: str, a: int, b: int) -> list[CleanSpan]:
    """Capitalized runs (with connector words inside) in ``text[a:b]``."""
    connectors = {w.casefold() for w in prose_rules(rules).words["connector"]}
    runs: list[CleanSpan] = []
    run: list[re.Match[str]] = []  # the words of the run being read
    for m in re.finditer(r"[^\s,;:.!?“”\"«»]+(?:\.(?=\w))?", text[a:b]):
        word = m.group(0)
        s = m.start() + a
        gap = text[run[-1].end() + a : s] if run else ""
        capital = word[:1].isupper() or word[:1].isdigit() or bool(re.match(r"\(\d{4}\)$", word))
        breaks = bool(re.search(r"[,;:.!?“”\"«»]", gap)) or (
            "\n" in gap and run and run[-1].group(0).casefold() not in connectors and capital
        )
        if breaks and run:
            runs.append(CleanSpan(run[0].start() + a, run[-1].end() + a))
            run = []
        if capital or (run and word.casefold() in connectors):
            run.append(m)
        elif run:
            runs.append(CleanSpan(run[0].start() + a, run[-1].end() + a))
            run = []
    if run:
        runs.append(CleanSpan(run[0].start() + a, run[-1].end() + a))
    return [_clean_title_bounds(rules, text, s, e) for s, e in runs]


def _without_trailing_city(rules: Rules, text: str, span: CleanSpan) -> CleanSpan:
    """ "Regional Workshop on Export Control Enforcement in Minsk" names the workshop without its
    city: a trailing "in <city of the gazetteer>" is left out (a country stays: "... in Mongolia")."""
    match = trailing_place_pattern(rules).search(text, *span)
    if match is None or match.end() != span[1]:
        return span
    place = match.group("place")
    if place in gazetteer(rules) and country_index(rules).lookup(place) is None:
        return CleanSpan(span.start, match.start())
    return span


def _is_name(rules: Rules, text: str, span: CleanSpan) -> bool:
    piece = text[span[0] : span[1]]
    noun = event_nouns(rules).search(piece)
    if noun is None or not piece[noun.start()].isupper():
        return False
    letters = [c for c in piece if c.isalpha()]
    if len(piece.split()) < 2 or all(c.isupper() for c in letters):
        return False
    return _word_pattern(rules, "headline_verb").search(piece) is None


def _title(
    rules: Rules,
    text: str,
    related: tuple[CleanSpan, ...],
    headline: CleanSpan | None,
    stops: tuple[int, ...],
    org_spans: tuple[CleanSpan, ...] = (),
) -> CleanSpan | None:
    """The event's name; ``stops`` are starts of dates, which end a name; a name whose event noun lies
    inside an organization's name ("OSCE Forum for Security Co-operation") names no event."""
    quoted = _quoted_title(rules, text, related)
    if quoted is not None:
        return quoted
    body = [s for s in related if s != headline]
    for a, b in body:
        for phrase in _name_phrases(rules, text, a, b):
            name = _event_name(rules, text, phrase, stops, org_spans)
            if name is not None:
                return _extended_to_headline(rules, text, name, headline)
    if headline is not None:
        head = _clean_title_bounds(rules, text, *headline)
        if _headline_is_name(rules, text, head):
            return head
    return None


def _quoted_title(rules: Rules, text: str, related: tuple[CleanSpan, ...]) -> CleanSpan | None:
    """A quoted name that starts with a capital and holds an event noun or follows a title cue or an
    event noun ('titled “…”', 'the workshop "…"')."""
    cue = _word_pattern(rules, "title_cue")
    for a, b in related:
        for match in _QUOTED.finditer(text, a, b):
            q = CleanSpan(*match.span("q"))
            before = text[max(a, match.start() - 30) : match.start()]
            quoted = match.group("q")
            named = (
                event_nouns(rules).search(quoted) or cue.search(before) or _noun_before(rules).search(before)
            )
            if text[q[0]].isupper() and named:
                return q
    return None


def _event_name(
    rules: Rules, text: str, phrase: CleanSpan, stops: tuple[int, ...], org_spans: tuple[CleanSpan, ...]
) -> CleanSpan | None:
    """A capitalized phrase cut at the first date inside it, when it names an event (not one inside an
    organization's name), without a trailing city."""
    inside = stops[bisect.bisect_left(stops, phrase[0]) : bisect.bisect_left(stops, phrase[1])]
    if inside and inside[0] > phrase[0]:
        phrase = _clean_title_bounds(rules, text, phrase[0], inside[0])
    if (inside and inside[0] == phrase[0]) or not _is_name(rules, text, phrase):
        return None
    noun = event_nouns(rules).search(text, *phrase)
    if noun is not None and any(a <= noun.start() < b for a, b in org_spans):
        return None
    return _without_trailing_city(rules, text, phrase)


def _extended_to_headline(
    rules: Rules, text: str, phrase: CleanSpan, headline: CleanSpan | None
) -> CleanSpan:
    """The headline, when it is a name that starts with the phrase; else the phrase."""
    if headline is None:
        return phrase
    head = _clean_title_bounds(rules, text, *headline)
    extends = text[head[0] : head[1]].casefold().startswith(text[phrase[0] : phrase[1]].casefold())
    if extends and _headline_is_name(rules, text, head):
        return head
    return phrase


def _headline_is_name(rules: Rules, text: str, span: CleanSpan) -> bool:
    piece = text[span[0] : span[1]]
    noun = event_nouns(rules).search(piece)
    return noun is not None and noun.start() <= 60 and _is_name(rules, text, span)
