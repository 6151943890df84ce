"""Roles of an event told in prose, read from cue phrases with direction and scope.

Contract: :func:`read_prose_roles` takes the sentences that speak of the event (from
:mod:`note_extract.event.prose`), the phrase-matcher hits and a
:class:`~note_extract.parties.refs.RefBuilder`, and returns
the parties of each role with the findings resolving their names raised. Cue phrases are rows of
``data/prose.jsonl``, each with a role and a direction, in English, French and Spanish (the ConText idea: a
trigger, a direction, a scope):

- a **forward** cue ("hosted by", "with the financial support of", "en conjunto con") takes the parties
  after it, up to the next cue, the end of the sentence, or a clause break (a comma before a lower-case
  word that is not "and"/"including", "to"/"which"/"qui"/"que" before a lower-case word);
- a **backward** cue ("Canada and Norway sponsored the", "X held a", "X hosted the") takes the parties
  before it, from the sentence start (or the previous backward cue), less what forward cues took;
- **cohosts** ("co-hosted by A and B", "A and B hosted the"): several parties are all organizers, and
  the one that is the venue country's government is the host; a single party is the host;
- an **apposition** cue set between commas ("the Government of Togo, as host,") gives its role to the one
  party written right before it.

A fronted phrase ("With the support of Norway, UNODA, in cooperation with the AU, organized") ends at the
comma that opens the verb's subject: the last piece between commas that opens with no cue. A verb in the
reflexive passive ("se realizó") has no party for subject.

Parties are the registry and country hits in a scope (a country right after "in", "to", "at", … is a place,
not a party) and the names the registry does not know: a capitalized run that holds a head word ("Institute",
"Police", "Authority", "Ministerio", …) or a demonym before a government word ("the Peruvian Government" is
Peru). A State's own body named without its State ("the Police Force", "la Dirección Nacional de Aduanas")
belongs to the State its name ("of Ghana"), its sentence or the venue gives (:meth:`_Reader.state`).
Organizers, sponsors and hosts that are a government body made by rule (a ministry) stand for their
country, as the role contract says; participants keep the body itself. Participants are read from every
sentence of the event report that is not background, and also include the organizers and hosts, who take part
in their own event. Spans are clean text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from typing import Literal

from note_extract.core.findings import Finding
from note_extract.core.spans import CleanSpan
from note_extract.event.prose import CueFinder, cue_key, cue_regex, prose_rules
from note_extract.event.vocab import event_nouns
from note_extract.lexicon.entities import Hit
from note_extract.parties.refs import Ref, RefBuilder, Relation, RoleEvidence, add_unique, role_rules
from note_extract.rules.bundle import Rules, derived
from note_extract.rules.rows import ProseRow

_CLAUSE_BREAK = re.compile(
    r",\s+(?!(?:and|et|y|or|the|la|le|les|l'|el|los|las|as well as|including|such as|notably|du|des|de|d'|"
    r"del|of|from|a|an)\b)[a-zà-ÿ]"
    r"|\s(?:to|which|who|that|qui|que|où|donde|where|aimed|aims)\s+[a-zà-ÿ]"
    r"|\s(?:and|y|et)\s+(?!(?:the|its|their|other|various|several|all|a|an|la|le|les|el|los|las|des|du|de|"
    r"l'|d')\b)[a-zà-ÿ]"
    r"|\s(?:under|in support of|as part of|on behalf of|in the framework of|dans le cadre|en el marco)\s"
    r"|\s(?:for|pour|para)\s+(?>(?:the\s+|la\s+|le\s+|les\s+|el\s+|los\s+|las\s+)?)[a-zà-ÿ]"
    r"|(?<!\b[A-Z])\.(?:\s|$)|[;:!?](?:\s|$)"
)
_LOCATION_BEFORE = re.compile(
    r"\b(?:in|to|at|en|à|au|a|near|across)\s+(?:the\s+)?(?:[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,2}\s*,\s*)?$"
)
_DATELINE_LEAD = re.compile(
    r"[A-Z][^\n()]{1,60}?\d[^\n()]{0,30}?(?:\([^()\n]{1,80}\)\s*)?(?:[-\u2013\u2014]{1,2}|:)\s+(?=[A-Z\"\u201c])"
)
"""A dateline at the start of a sentence, with the source in parentheses: it names the publisher."""
_INITIALISM = re.compile(r"(?:\b[A-Za-z]\.)+$")
_LIST_BREAK = re.compile(
    r",\s+(?:[a-zà-ÿ]+(?:ed|ing|ée?s?|ados?|adas?|idos?|idas?))\b"
    r"|\s(?:to|which|who|that|qui|que|où|donde|where|aimed|aims)\s+[a-zà-ÿ]"
)
"""Where a list of participants ends: a participle after a comma (", supported by ..."), a relative or
purpose clause; a comma before a plain lower-case word goes on with the list."""
_RESOLUTION_AFTER = re.compile(r"\s+(?:resolutions?|résolutions?|resolución|resoluciones)\b", re.IGNORECASE)
_OF_COUNTRY = re.compile(r"\s+(?:of|de|du|del|des)\s+(?:the\s+|la\s+|l['\u2019]|el\s+)?$")
"""The end of a body's name before the State it belongs to ("Ministry of Defence of" Ghana)."""
_QUALIFIER = re.compile(r"^\s+(?:of|de|du|des|del)\s+(?:the\s+|la\s+|l'|l\u2019|el\s+)?$")
_NAME_WORD = r"[A-Z][\w'\u2019-]*"
_CAPITALIZED_RUN = re.compile(
    rf"[ \t]+{_NAME_WORD}(?:[ \t]+(?:(?:of|for|and|de|du|des|del|la|y|et)[ \t]+)?{_NAME_WORD})*"
)
_OF_PARENT = re.compile(
    r"\s+(?:of|de|du|des|del)\s+(?:the\s+|la\s+|l'|l\u2019|el\s+)?"
    rf"{_NAME_WORD}(?:[ \t]+(?:(?:of|for|and|de|du|des|del|la|y|et)[ \t]+)?{_NAME_WORD})*"
)
"""A qualifier naming the body an organization belongs to ("of the Security Council")."""
_STANDALONE = frozenset({"customs", "police", "cancillería", "cancilleria", "chancellerie"})
"""Head words that name a body on their own ("Customs"); "Ministry" alone names none."""
_DEFINED_ACRONYM = re.compile(r"\s*\(([A-Z][A-Za-z&-]{1,9})\)")
_NAME_TOKEN = re.compile(r"[\w'\u2019.&-]+")
_RUN_BREAK = re.compile(r"[,;:()\[\]\"\u201c\u201d]")
"""Punctuation between two tokens that ends a name."""
_AND_WORDS = frozenset({"and", "y", "et", "&"})
_REFLEXIVE = re.compile(r"(?<![\w'\u2019])(?:se\s+|s['\u2019]\s*)$", re.IGNORECASE)
"""A reflexive pronoun before a verb: the Spanish and French passive ("se realizó", "s'est tenu")."""
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|be|is|are|fue|fueron|été|est|sont)\s+$", re.IGNORECASE)
_APPOSITION_END = re.compile(r"\s*[,;)]")
_GENITIVE = frozenset(
    {"de", "des", "du", "del", "la", "le", "les", "las", "los", "l'", "d'", "l\u2019", "d\u2019"}
)
_ADJECTIVE_END = re.compile(
    r"(?:ale|ales|aux|al|ales|elle|elles|ère|ères|ier|iers|ière|ières|ique|iques|ica|icas|ico|icos|aire|aires"
    r"|ario|aria|arios|arias|eur|eure|eures|ior|iores|nal|nale|nales|ano|ana|anos|anas|aise|aises|oise|oises"
    r"|ense|enses|ivo|iva|ivos|ivas|ive|ives|ienne|iennes)$"
)
"""Endings of French and Spanish adjectives that go on a body's name in lower case ("étrangères",
"générale", "nacional", "pública"); participles ("organisé", "organizado") are not among them."""


NEAR_SENTENCES = 5
"""Besides the sentences that name the event, the first sentences of the report (from the event
sentence on) are read for every role: a report's second or third sentence often says who hosted or
paid without naming the event again."""


@dataclass
class ProseRoles:
    """Parties of each role read from prose."""

    organizers: list[Ref] = field(default_factory=list)
    sponsors: list[Ref] = field(default_factory=list)
    hosts: list[Ref] = field(default_factory=list)
    participants: list[Ref] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Cue:
    start: int
    end: int
    row: ProseRow
    phrase: str = ""
    """The cue's phrase as :func:`cue_key` folds it."""


@derived
def _cue_pattern(rules: Rules) -> tuple[CueFinder, dict[str, ProseRow]]:
    table: dict[str, ProseRow] = {}
    for row in prose_rules(rules).cues:
        for phrase in row.phrases:
            table.setdefault(cue_key(phrase), row)
    return cue_regex(table), table


_AGENT_WORDS = ("by", "par", "por")


@derived
def _passive_gap(rules: Rules) -> tuple[re.Pattern[str], dict[str, ProseRow]]:
    """Passives with words between the participle and its agent word ("financed in its entirety by",
    "organisé à Lomé par"): every forward cue written "<participle> by", found across up to four words
    with no punctuation. Returns the pattern (group ``p``: the participle, ``a``: the agent word) and
    the row of each participle."""
    table: dict[str, ProseRow] = {}
    for row in prose_rules(rules).cues:
        if row.direction not in ("forward", "both") or row.role == "participants":
            continue
        for phrase in row.phrases:
            words = cue_key(phrase).split()
            if len(words) == 2 and words[1] in _AGENT_WORDS:
                table.setdefault(words[0], row)
    participles = "|".join(re.escape(w) for w in sorted(table, key=len, reverse=True))
    pattern = re.compile(
        rf"(?<![\w'\u2019-])(?P<p>{participles})(?:\s+[\w'\u2019-]+){{1,4}}?\s+(?P<a>by|par|por)(?![\w'\u2019-])",
        re.IGNORECASE,
    )
    return pattern, table


@derived
def _verb_gap(rules: Rules) -> tuple[re.Pattern[str], dict[str, ProseRow]]:
    """Active role verbs whose object comes after a place phrase set between commas ("jointly held in
    Lima, Peru, a national workshop"): every backward cue written "<verb> <article>", found with
    "in/at/à/en <place>(, <place>)," between the two; a verb after a passive auxiliary ("was held in
    Lima, Peru, a city ...") is left out where the cues are read. Returns the pattern (group ``v``: the
    verb, ``art``: the article) and the row of each "<verb> <article>" key."""
    table: dict[str, ProseRow] = {}
    for row in prose_rules(rules).cues:
        if row.direction not in ("backward", "both") or row.role == "participants":
            continue
        for phrase in row.phrases:
            words = cue_key(phrase).split()
            if len(words) == 2 and words[1] in _ARTICLE_END:
                table.setdefault(" ".join(words), row)
    verbs = "|".join(re.escape(w) for w in sorted({k.split()[0] for k in table}, key=len, reverse=True))
    articles = "|".join(sorted({k.split()[1] for k in table}, key=len, reverse=True))
    pattern = re.compile(
        rf"(?<![\w'\u2019-])(?P<v>{verbs})"
        rf"\s+(?:in|at|à|en)\s+[^,.;:()\n]{{1,50}}?(?:,\s*[^,.;:()\n]{{1,30}}?)?,\s+(?P<art>{articles})(?![\w'\u2019-])",
        re.IGNORECASE,
    )
    return pattern, table


@derived
def _coagents(rules: Rules) -> frozenset[str]:
    """Phrases that, set inside the subject of a role verb, make their parties share its role."""
    return frozenset(cue_key(w) for w in prose_rules(rules).words.get("coagent", ()))


@derived
def _participant_finder(rules: Rules) -> CueFinder:
    return cue_regex(p for row in prose_rules(rules).cues if row.role == "participants" for p in row.phrases)


def participant_cues(rules: Rules, text: str, start: int) -> list[int]:
    """Where ``text[start:]`` writes a participant cue ("took part", "experts from"), in one pass."""
    return [m.start() for m in _participant_finder(rules).finditer(text, start)]


HeaderRole = Literal["organizers", "sponsors", "hosts"]
_HEADER_ROLE: dict[str, HeaderRole] = {
    "organizers": "organizers",
    "sponsors": "sponsors",
    "hosts": "hosts",
    "cohosts": "organizers",
}


@derived
def header_cues(rules: Rules) -> tuple[CueFinder, dict[str, HeaderRole]]:
    """The cues that switch the role of what follows inside a header field: the forward cues of the
    prose (one vocabulary for both), co-hosts as organizers; participant cues are left out."""
    table: dict[str, HeaderRole] = {}
    for row in prose_rules(rules).cues:
        role = _HEADER_ROLE.get(row.role or "")
        if role is not None and row.direction in ("forward", "both"):
            for phrase in row.phrases:
                table.setdefault(cue_key(phrase), role)
    return cue_regex(table), table


def _event_noun(rules: Rules) -> re.Pattern[str]:
    return event_nouns(rules)


def _heads(rules: Rules) -> frozenset[str]:
    return role_rules(rules).heads


def _government_words(rules: Rules) -> frozenset[str]:
    return role_rules(rules).government_words


class _Reader:
    def __init__(
        self, rules: Rules, hits: list[Hit], refs: RefBuilder, venue_country: str | None = None
    ) -> None:
        self.rules = rules
        self.text = refs.text
        self.hits = hits
        self._starts = [h.start for h in hits]
        self.refs = refs
        self.findings: list[Finding] = []
        """What resolving the names read so far raised."""
        self.venue_country = venue_country
        """The venue's State (see :meth:`state`)."""
        self.country: str | None = None
        """The State a body named without one belongs to ("the Police Force", "Customs") in the sentence
        being read (see :meth:`state`)."""
        self.role = ""
        self.owner: tuple[int, str] | None = None
        """Where "of <State>" starts after the name being read, and that State (see :meth:`_owned`)."""
        """The role of the cue being read: among participants any government body takes
        :attr:`country`; in a role only a State's own body does (``state_body`` rows)."""
        # "and" joins names only before a capital (below); place words never stand inside a name here,
        # so "the Ministry of Foreign Affairs in Zagreb" ends before "in".
        place_words = {"in", "at", "to", "en", "à", "a"}
        connectors = prose_rules(rules).words["connector"]
        self.connectors = {w.casefold() for w in connectors} - {"and", "y", "et", "&"}
        self.connectors -= place_words

    def _candidate(self, start: int, end: int, acronym: CleanSpan | None = None) -> Ref:
        name_end = acronym.start if acronym is not None else end
        name = self.text[start:name_end]
        owned = self.refs.state_body(name) or (
            self.role == "participants" and self.refs.national_type(name) == "government"
        )
        country = self.country
        if self.owner is not None and not self.text[name_end : self.owner[0]].strip():
            country = self.owner[1]  # "Ministry of Defence of Ghana"
        ref, doubt = self.refs.from_candidate(start, end, country if owned else None, acronym)
        if doubt is not None:
            self.findings.append(doubt)
        return ref

    def cues(self, a: int, b: int) -> list[_Cue]:
        """The role cues of clean span [a, b) in order: the cue phrases, and passives whose agent word
        stands a few words after the participle ("was financed in its entirety by")."""
        pattern, table = _cue_pattern(self.rules)
        found = [
            _Cue(m.start(), m.end(), row, cue_key(m.group(0)))
            for m in pattern.finditer(self.text, a, b)
            if not self.inside_hit(m.start())  # "Experts of" inside a name
            and not self._reflexive((row := table[cue_key(m.group(0))]), m.start(), a)
            and not self._loose_apposition(row, m.start(), m.end(), a)
        ]
        gap, participles = _passive_gap(self.rules)
        for m in gap.finditer(self.text, a, b):
            if any(c.start < m.end() and m.start() < c.end for c in found) or self.inside_hit(m.start()):
                continue
            key = f"{m.group('p').casefold()} {m.group('a').casefold()}"
            found.append(_Cue(m.start(), m.end(), participles[m.group("p").casefold()], key))
        verb_gap, verbs = _verb_gap(self.rules)
        for m in verb_gap.finditer(self.text, a, b):
            key = f"{m.group('v').casefold()} {m.group('art').casefold()}"
            if _PASSIVE_BEFORE.search(self.text, a, m.start()) or self.inside_hit(m.start()):
                continue  # "was held in Lima, Peru, a city ..."
            if key in verbs and not any(c.start < m.end() and m.start() < c.end for c in found):
                found.append(_Cue(m.start(), m.end(), verbs[key], key))
        return sorted(found, key=lambda c: c.start)

    def _reflexive(self, row: ProseRow, start: int, a: int) -> bool:
        """Whether an active verb stands in the reflexive passive ("se realizó", "se llevó a cabo"): the
        event is its subject, no party is."""
        return (
            row.direction in ("backward", "both")
            and _REFLEXIVE.search(self.text, max(a, start - 6), start) is not None
        )

    def _loose_apposition(self, row: ProseRow, start: int, end: int, a: int) -> bool:
        """Whether an apposition cue ("as host") stands outside commas: it then gives no role."""
        if row.direction != "apposition":
            return False
        return not self.text[a:start].rstrip().endswith(",") or _APPOSITION_END.match(self.text, end) is None

    def _hits_between(self, a: int, b: int) -> list[Hit]:
        """The hits that start in [a, b), found by bisection (hits are sorted by start)."""
        return self.hits[bisect.bisect_left(self._starts, a) : bisect.bisect_left(self._starts, b)]

    def inside_hit(self, position: int) -> bool:
        """Whether clean offset ``position`` falls inside a registry or country hit."""
        index = bisect.bisect_right(self._starts, position) - 1
        return any(
            self.hits[i].start <= position < self.hits[i].end for i in range(max(0, index - 2), index + 1)
        )

    def forward_end(self, start: int, limit: int, breaks: re.Pattern[str]) -> int:
        """Where a forward cue's scope ends: the first clause break before ``limit`` that is not inside a
        name ("Centro Regional de las Naciones Unidas para la Paz" holds no clause)."""
        for found in breaks.finditer(self.text, start, limit):
            if not self.inside_hit(found.start() + 1):
                return found.start()
        return limit

    def state(self, a: int, b: int) -> str | None:
        """The State a body named without one belongs to in sentence [a, b): the one country the
        sentence names as a place ("in Suva, Fiji"), else the venue's, else the one country the
        sentence names; None when there is none (or several and no venue)."""
        named: set[str] = set()
        places: set[str] = set()
        for hit in self._hits_between(a, b):
            if hit.kind == "country" and not self.lower_case(hit):
                named.add(hit.key)
                if _LOCATION_BEFORE.search(self.text, max(a, hit.start - 40), hit.start):
                    places.add(hit.key)
        if len(places) == 1:
            return next(iter(places))
        if self.venue_country is not None:
            return self.venue_country
        return next(iter(named)) if len(named) == 1 else None

    def last_comma(self, a: int, b: int) -> int | None:
        """The last comma in [a, b) outside parentheses and names, or None."""
        commas = self.commas(a, b)
        return commas[-1] if commas else None

    def commas(self, a: int, b: int) -> list[int]:
        """The commas in [a, b) outside parentheses and names, in order."""
        depth = 0
        found: list[int] = []
        for position in range(a, b):
            char = self.text[position]
            if char == "(":
                depth += 1
            elif char == ")":
                depth = max(0, depth - 1)
            elif char == "," and depth == 0 and not self.inside_hit(position):
                found.append(position)
        return found

    def lower_case(self, hit: Hit) -> bool:
        """Whether a country hit is written all in lower case: a common word ("une réunion", "turkey
        farming"), not the country, which is written with a capital ("the Bahamas")."""
        return hit.kind == "country" and not any(c.isupper() for c in self.text[hit.start : hit.end])

    def parties(self, a: int, b: int) -> list[tuple[int, Ref]]:
        """Every party named in clean span [a, b), with its clean start."""
        out: list[tuple[int, Ref]] = []
        inside = [hit for hit in self._hits_between(a, b) if not self.lower_case(hit)]
        cursor = a
        previous: Hit | None = None
        for hit in inside:
            if hit.start < cursor:
                continue
            if previous is not None and _QUALIFIER.match(self.text[previous.end : hit.start]):
                cursor = max(cursor, hit.end)  # "the Group of Experts of the 1540 Committee": one party
                continue
            previous = hit
            joined = self._name_in_country(cursor, hit)
            if joined is not None:
                out.extend(self.unknown(cursor, joined[0]))
                out.append(joined)
                cursor = hit.end
                continue
            out.extend(self._owned(cursor, hit))
            national = self._country_body(hit, b)
            if national is not None:
                out.append((hit.start, national[1]))
                cursor = national[0]
                continue
            cursor = max(cursor, hit.end)
            before = self.text[max(a, hit.start - 40) : hit.start]
            if hit.kind == "country" and _LOCATION_BEFORE.search(before):
                continue
            out.append((hit.start, self.refs.from_hit(hit)))
            if hit.kind == "org":
                cursor = max(cursor, self._unit_end(hit, b))
        out.extend(self.unknown(cursor, b))
        # "Security Council resolution 1540": a resolution's author is no party
        return [(s, ref) for s, ref in out if not _RESOLUTION_AFTER.match(self.text, ref.span.end)]

    def _owned(self, cursor: int, hit: Hit) -> list[tuple[int, Ref]]:
        """The names in [cursor, hit.start); when the country ``hit`` follows "of" or "de" ("the Ministerio
        de Defensa de España"), the name written right before it is that State's body."""
        of = _OF_COUNTRY.search(self.text, cursor, hit.start) if hit.kind == "country" else None
        if of is None:
            return self.unknown(cursor, hit.start)
        self.owner = (of.start(), hit.key)
        try:
            return self.unknown(cursor, hit.start)
        finally:
            self.owner = None

    def _unit_end(self, hit: Hit, limit: int) -> int:
        """The end of a unit's name written right after its organization ("OSCE Programme Office",
        "ECOWAS Commission"): a capitalized run ending in a head word belongs to the organization; so does
        the body it is "of" when the registry does not know that body ("Comité 1540 del Consejo de
        Seguridad" is one party)."""
        of = _OF_PARENT.match(self.text, hit.end, limit)
        if of is not None and self._hits_between(hit.end, of.end()) == []:
            return of.end()
        run = _CAPITALIZED_RUN.match(self.text, hit.end, limit)
        if run is None:
            return hit.end
        last = run.group(0).split()[-1].casefold()
        heads = role_rules(self.rules).name_heads
        return run.end() if last in heads and self._hits_between(hit.end, run.end()) == [] else hit.end

    def _country_body(self, hit: Hit, limit: int) -> tuple[int, Ref] | None:
        """ "the Nepal Police", "Ghana Atomic Energy Commission": a country, then a capitalized name with a
        head word, is that country's body. Returns its end and reference."""
        if hit.kind != "country":
            return None
        run = _CAPITALIZED_RUN.match(self.text, hit.end, limit)
        if run is None:
            return None
        words = [w.casefold() for w in run.group(0).split()]
        if not any(w in _heads(self.rules) or w.rstrip("s") in _heads(self.rules) for w in words):
            return None
        if self._hits_between(hit.end, run.end()):
            return None  # "United States Export Control ... Program (EXBS)" is the registry's own name
        return run.end(), self.refs.national_ref(hit.key, hit.start, run.end())

    def _name_in_country(self, cursor: int, hit: Hit) -> tuple[int, Ref] | None:
        """ "the Japanese Embassy in Mongolia": a headed name, "in", then a country is one name."""
        if hit.kind != "country":
            return None
        before = re.search(
            r"((?:[A-Z][\w'\u2019-]*\s+){1,4})(?:in|à|en)\s+(?:the\s+)?$", self.text[cursor : hit.start]
        )
        if before is None:
            return None
        start = cursor + before.start(1)
        words = [w.casefold() for w in before.group(1).split()]
        if not any(w in _heads(self.rules) for w in words):
            return None
        code = self.refs.demonym(before.group(1).split()[0])
        if code is not None:
            return start, self.refs.national_ref(code, start, hit.end)
        return start, self._candidate(start, hit.end)

    def unknown(self, a: int, b: int) -> list[tuple[int, Ref]]:
        """Names the registry does not know in [a, b): capitalized runs with a head word, and a demonym
        before a government word. A run of name tokens grows word by word (:meth:`_step`) and is
        closed into a name (:meth:`_close`) at punctuation or a word that cannot stand in a name."""
        found: list[tuple[int, Ref]] = []
        tokens = [CleanSpan(m.start(), m.end()) for m in _NAME_TOKEN.finditer(self.text, a, b)]
        run: list[CleanSpan] = []
        for index, token in enumerate(tokens):
            if run and _RUN_BREAK.search(self.text, run[-1].end, token.start):
                self._close(run, found)
            self._step(tokens, index, run, found)
        self._close(run, found)
        return found

    def _step(
        self, tokens: list[CleanSpan], index: int, run: list[CleanSpan], found: list[tuple[int, Ref]]
    ) -> None:
        """Take token ``index`` into the run, close the run before it, or read a demonym government."""
        token = tokens[index]
        word = self.text[token.start : token.end]
        folded = word.casefold()
        if self._in_name(word, bool(run), index + 1 < len(tokens)) or self._goes_on_lower(run, word):
            run.append(token)
        elif run and folded in _AND_WORDS:
            if self._and_joins(tokens, index):
                run.append(token)
            else:
                self._close(run, found)
        elif run and folded in _government_words(self.rules) and self._demonym_run(run):
            run.append(token)  # "the Peruvian Government"
            self._close(run, found)
        elif self._government_run(run) and self.refs.demonym(word) is not None:
            code = self.refs.demonym(word)  # "the Government Peruvian" in a Romance order
            assert code is not None
            found.append((run[0].start, self.refs.country_ref(code, run[0].start, token.end, "rule")))
            run.clear()
        else:
            self._close(run, found)

    def _in_name(self, word: str, running: bool, more: bool) -> bool:
        """A capitalized word, a number inside a run (or opening one before more words), or a connector
        inside a run ("of", "de la")."""
        if word[:1].isupper():
            return True
        if word[:1].isdigit():
            return running or more
        return running and word.casefold() in self.connectors

    def _goes_on_lower(self, run: list[CleanSpan], word: str) -> bool:
        """Whether a French or Spanish name goes on with lower-case ``word`` ("Ministère des Affaires
        étrangères", "Direction générale des douanes"): the run holds a head after which names go on in
        lower case, and the word is an adjective (by its ending) or follows "de", "des", "du", "la"."""
        if not run or not word[:1].islower() or not word.isalpha():
            return False
        lower_heads = role_rules(self.rules).lower_case_heads
        if not any(self.text[t.start : t.end].casefold() in lower_heads for t in run):
            return False
        previous = self.text[run[-1].start : run[-1].end].casefold()
        return previous in _GENITIVE or _ADJECTIVE_END.search(word) is not None

    def _and_joins(self, tokens: list[CleanSpan], index: int) -> bool:
        """Whether "and" at token ``index`` joins two parts of one name: the next word (past "de", "of")
        is capitalized and is no article ("Aduanas y de Administración")."""
        following = self._word(tokens, index + 1)
        if following.casefold() in {"de", "of", "du"}:
            following = self._word(tokens, index + 2)
        return following[:1].isupper() and following.casefold() not in {"the", "la", "el", "le"}

    def _word(self, tokens: list[CleanSpan], index: int) -> str:
        return self.text[tokens[index].start : tokens[index].end] if index < len(tokens) else ""

    def _close(self, run: list[CleanSpan], found: list[tuple[int, Ref]]) -> None:
        """Read the run as a name (trailing connectors and the sentence's full stop left out), then
        empty it."""
        while run and self.text[run[-1].start : run[-1].end].casefold() in self.connectors:
            run.pop()
        if run and self.text[run[-1].end - 1] == "." and not _INITIALISM.search(self.text, 0, run[-1].end):
            run[-1] = CleanSpan(run[-1].start, run[-1].end - 1)  # the sentence's full stop
        if run:
            ref = self.name(run[0].start, run[-1].end)
            if ref is not None:
                found.append((run[0].start, ref))
        run.clear()

    def _government_run(self, run: list[CleanSpan]) -> bool:
        return len(run) == 1 and self.text[run[0].start : run[0].end].casefold() in _government_words(
            self.rules
        )

    def _demonym_run(self, run: list[CleanSpan]) -> bool:
        return self.refs.demonym(self.text[run[-1].start : run[-1].end]) is not None

    def name(self, a: int, b: int) -> Ref | None:
        words = self.text[a:b].split()
        lowered = [w.strip(".,'\u2019").casefold() for w in words]
        code = self.refs.demonym(words[0]) if words else None
        if code is not None and len(words) >= 2 and lowered[1] in _government_words(self.rules):
            return self.refs.country_ref(code, a, b, "rule")
        heads = _heads(self.rules)
        if not any(w in heads or w.rstrip("s") in heads for w in lowered):
            return None
        if _event_noun(self.rules).search(self.text, a, b):
            return None  # "Regional Workshop on ... Security Council ..." names an event, not a body
        head_count = sum(w in heads or w.rstrip("s") in heads for w in lowered)
        filler = role_rules(self.rules).filler
        generic = all(w in filler or w in self.connectors for w in lowered if w not in heads)
        if generic and head_count < 2 and lowered[-1] not in _STANDALONE:
            return None
        if code is not None:
            return self.refs.national_ref(code, a, b)
        defined = _DEFINED_ACRONYM.match(self.text, b)
        if defined is not None:
            return self._candidate(a, defined.end(), CleanSpan(*defined.span(1)))
        return self._candidate(a, b)


def as_country(ref: Ref, refs: RefBuilder) -> Ref:
    """A rule-made government body in a role stands for its State ("la Cancillería" named in a sentence
    set in Lima is Peru's, read so by :meth:`_Reader.state`); another national body (a university) stays
    itself."""
    code = ref.country_code
    if ref.id is None or not ref.id.startswith("national:") or code is None or ref.type != "government":
        return ref
    standing = refs.standing_for(code, ref)
    if ref.evidence is None:
        return standing
    return replace(standing, evidence=replace(ref.evidence, as_country=True))


def _pronoun_followers(
    rules: Rules, text: str, sentences: tuple[CleanSpan, ...], candidates: tuple[CleanSpan, ...]
) -> set[CleanSpan]:
    """The sentences of ``candidates`` that open with a pronoun ("It was organized by ...") right after
    one of ``sentences`` (nothing but space between them): they speak of the same event."""
    words = prose_rules(rules).words.get("pronoun", ())
    if not words or not sentences:
        return set()
    pronoun = re.compile(rf"(?:{'|'.join(re.escape(w) for w in words)})\s")
    ends = {b for _a, b in sentences}
    return {
        span
        for span in candidates
        if pronoun.match(text, span.start)
        and any(e <= span.start and not text[e : span.start].strip() for e in ends if span.start - e < 4)
    }


def read_prose_roles(
    rules: Rules,
    sentences: tuple[CleanSpan, ...],
    participant_sentences: tuple[CleanSpan, ...],
    hits: list[Hit],
    refs: RefBuilder,
    venue_country: str | None,
    near_count: int = NEAR_SENTENCES,
) -> tuple[ProseRoles, list[Finding]]:
    """Parties by role, and the findings of resolving their names; see the module docstring. Role cues
    count in ``sentences`` and the first ``near_count`` participant sentences (0: participants only)."""
    reader = _Reader(rules, hits, refs, venue_country)
    roles = ProseRoles()
    near = set(sentences) | set(participant_sentences[:near_count])
    near |= _pronoun_followers(rules, refs.text, sentences, participant_sentences)
    for a, b in sorted(set(sentences) | set(participant_sentences)):
        groups = _groups(reader, a, b, about_event=(a, b) in near)
        for _start, group_role, members in sorted(groups, key=lambda g: g[0]):  # parties in the order written
            _assign(roles, group_role, members, refs, venue_country)
    if not roles.hosts:
        roles.hosts.extend(_organizing_venue_state(roles.organizers, venue_country))
    for ref in roles.organizers + roles.hosts:
        add_unique(roles.participants, ref)
    return roles, reader.findings


def _organizing_venue_state(organizers: list[Ref], venue_country: str | None) -> list[Ref]:
    """The venue's State when it alone organized the event (the one subject or agent of an organizing
    verb; partners "in cooperation with" aside): the government on whose territory an event took place
    and that organized it also hosted it. Several that organized together name no host."""
    agents = [r for r in organizers if r.evidence is not None and r.evidence.relation in ("subject", "agent")]
    if len(agents) != 1 or venue_country is None:
        return []
    ref = agents[0]
    return [ref] if ref.type == "country" and ref.country_code == venue_country else []


Direction = Literal["forward", "backward", "partner", "apposition"]


@dataclass(frozen=True, slots=True)
class _Scope:
    """A cue's reach in its sentence: the cue's index, which way it looks, and the clean span."""

    index: int
    direction: Direction
    span: CleanSpan


@dataclass(frozen=True, slots=True)
class _Clause:
    """The scopes of a sentence's cues, and the spans forward cues claimed (a backward cue's subject
    leaves them out, except a coagent phrase set inside it: "X, together with Y, organized")."""

    scopes: list[_Scope]
    claimed: list[CleanSpan]
    coagent: list[CleanSpan]


_ARTICLE_END = frozenset({"a", "an", "the", "un", "une", "una", "le", "la", "les", "el", "los", "las"})
_WITH_PARTNER = re.compile(
    r"\s(?:with|avec|con)\s+(?=(?:the\s+|l['\u2019]|la\s+|le\s+|les\s+|el\s+|los\s+|las\s+)?[A-Z])"
)
"""A partner after the object of an active role verb: "co-hosted a workshop with the Ministry"."""


def _is_verb(cue: _Cue) -> bool:
    """An active role verb: a backward cue of any role but participants."""
    return cue.row.direction in ("backward", "both") and cue.row.role != "participants"


def _forward_scope(reader: _Reader, cues: list[_Cue], index: int, b: int) -> CleanSpan:
    """Where forward cue ``index`` reaches: to the next role cue (a participant cue reaches only to the
    next cue of any kind), the sentence end or a clause break; a phrase set before an active role verb
    ("with funding from the EU, UNODA organized") ends at the last comma before the verb's subject."""
    cue = cues[index]
    participants = cue.row.role == "participants"
    following = [c.start for c in cues[index + 1 :] if c.row.role != "participants"]
    limit = following[0] if following else b
    if participants and index + 1 < len(cues):
        limit = cues[index + 1].start
    # who took part is listed past commas before lower case ("officials of customs, border police and
    # regulators of A, B and C"), up to a participle or relative clause
    end = reader.forward_end(cue.end, limit, _LIST_BREAK if participants else _CLAUSE_BREAK)
    verb = next((c for c in cues[index + 1 :] if _is_verb(c)), None)
    if verb is not None:
        comma = _subject_comma(reader, cues, cue.end, verb.start)
        if comma is not None and comma < end:
            end = comma
    return CleanSpan(cue.end, end)


def _subject_comma(reader: _Reader, cues: list[_Cue], a: int, verb: int) -> int | None:
    """The comma that opens the subject of the active verb at ``verb``, in [a, verb): the last
    comma-delimited piece that is not empty and does not open with a cue is the subject ("With the
    support of Norway, UNODA, in cooperation with the AU, organized": "UNODA"); None when no comma
    in [a, verb) opens one."""
    commas = reader.commas(a, verb)
    openings = {c.start for c in cues}
    bounds = [*commas, verb]
    for at in range(len(commas) - 1, -1, -1):
        piece = reader.text[commas[at] + 1 : bounds[at + 1]]
        if not piece.strip():
            continue
        if commas[at] + 1 + len(piece) - len(piece.lstrip()) in openings:
            continue  # an inserted phrase ("in cooperation with ...")
        return commas[at]
    return None


def _partner_scope(reader: _Reader, cues: list[_Cue], index: int, b: int) -> CleanSpan | None:
    """The with-phrase after the object of active verb ``index`` ("co-hosted a round-table with the
    Ministry of Foreign Affairs"), up to the clause's end; None when the verb has no object or no
    with-phrase naming a party follows it."""
    cue = cues[index]
    if cue.row.role not in ("organizers", "cohosts") or cue.phrase.split()[-1] not in _ARTICLE_END:
        return None
    limit = next((c.start for c in cues[index + 1 :]), b)
    end = reader.forward_end(cue.end, limit, _CLAUSE_BREAK)
    found = _WITH_PARTNER.search(reader.text, cue.end, end)
    if found is None or reader.inside_hit(found.start() + 1):
        return None
    return CleanSpan(found.end(), end)


def _scopes(reader: _Reader, a: int, b: int, cues: list[_Cue]) -> _Clause:
    """Each cue's scope in sentence [a, b), and the spans forward cues claimed."""
    clause = _Clause([], [], [])
    coagents = _coagents(reader.rules)
    for index, cue in enumerate(cues):
        if cue.row.direction in ("forward", "both"):
            span = _forward_scope(reader, cues, index, b)
            verb_after = any(_is_verb(c) for c in cues[index + 1 :])
            if cue.phrase in coagents and verb_after:
                clause.coagent.append(span)
            else:
                clause.claimed.append(span)
            clause.scopes.append(_Scope(index, "forward", span))
    lead = _DATELINE_LEAD.match(reader.text, a, b)
    back_start = lead.end() if lead is not None else a  # "NEW YORK, 10 March (ODA) —" names no party
    for index, cue in enumerate(cues):
        if cue.row.direction == "apposition":
            clause.scopes.append(_Scope(index, "apposition", CleanSpan(back_start, cue.start)))
        if cue.row.direction in ("backward", "both"):
            clause.scopes.append(_Scope(index, "backward", CleanSpan(back_start, cue.start)))
            back_start = cue.end
            partner = _partner_scope(reader, cues, index, b)
            if partner is not None:
                clause.scopes.append(_Scope(index, "partner", partner))
    return clause


_Group = tuple[int, str, list[Ref]]
"""Where a cue's first party is written, the cue's role, and its parties (with their evidence)."""


def _relation(cue: _Cue, scope: _Scope, start: int, clause: _Clause) -> Relation:
    if scope.direction in ("partner", "apposition"):
        return scope.direction
    if scope.direction == "backward":
        return "coagent" if any(s <= start < e for s, e in clause.coagent) else "subject"
    return "agent" if cue.phrase.split()[-1] in _AGENT_WORDS else "object"


def _groups(reader: _Reader, a: int, b: int, *, about_event: bool) -> list[_Group]:
    """The parties of each cue of sentence [a, b): (where the first is written, role, parties); only
    participant cues count in a sentence not about the event. Each party carries its
    :class:`~note_extract.parties.refs.RoleEvidence`."""
    cues = reader.cues(a, b)
    clause = _scopes(reader, a, b, cues)
    groups: list[_Group] = []
    for index, cue in enumerate(cues):
        role = cue.row.role or ""
        if role != "participants" and not about_event:
            continue
        parties: list[tuple[int, Ref, Relation, int]] = []
        # a body named without its State takes the one its sentence or the venue gives (see _Reader.state)
        reader.country = reader.state(a, b)
        reader.role = role
        for scope in clause.scopes:
            if scope.index != index:
                continue
            found = reader.parties(*scope.span)
            if scope.direction == "apposition":
                found = found[-1:]  # "A and the Government of Togo, as host,": the one the apposition follows
            for start, ref in found:
                if scope.direction == "backward" and any(ca <= start < cb for ca, cb in clause.claimed):
                    continue
                far = start - cue.end if scope.direction != "backward" else cue.start - ref.span.end
                parties.append((start, ref, _relation(cue, scope, start, clause), max(0, far)))
        if parties:
            parties.sort(key=lambda p: p[0])
            members = [
                replace(ref, evidence=RoleEvidence("prose", cue.phrase, relation, far, len(parties), n))
                for n, (_start, ref, relation, far) in enumerate(parties)
            ]
            groups.append((parties[0][0], role, members))
    return groups


def _assign(
    roles: ProseRoles, role: str, parties: list[Ref], refs: RefBuilder, venue_country: str | None
) -> None:
    if role == "participants":
        for ref in parties:
            add_unique(roles.participants, ref)
        return
    as_countries = [as_country(ref, refs) for ref in parties]
    if role == "cohosts":
        distinct: list[Ref] = []
        for ref in as_countries:
            add_unique(distinct, ref)
        if len(distinct) == 1:
            add_unique(roles.hosts, distinct[0])
            return
        for ref in distinct:
            add_unique(roles.organizers, ref)
            if venue_country is not None and ref.country_code == venue_country and ref.type == "country":
                add_unique(roles.hosts, ref)
        return
    target = {"organizers": roles.organizers, "sponsors": roles.sponsors, "hosts": roles.hosts}[role]
    for ref in as_countries:
        add_unique(target, ref)
