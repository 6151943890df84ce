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
  the one that is the venue country's government is the host; a single party is the host.

Parties are the registry and country hits in a scope (a country right after "in", "to", "at", … is a place,
not a party) and the names the registry does not know: a capitalized run that holds a head word ("Institute",
"Police", "Authority", "Ministerio", …) or a demonym before a government word ("the Peruvian Government" is
Peru). Organizers, sponsors and hosts that are a national body made by rule (a ministry) stand for their
country, as the role contract says; participants keep the body itself. Participants are read from every
sentence of the event report that is not background, and also include the organizers and hosts, who take part
in their own event. Spans are clean text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from note_extract.core.findings import Finding
from note_extract.event.prose import CueFinder, Span, cue_key, cue_regex, prose_rules
from note_extract.event.vocab import event_nouns
from note_extract.lexicon.entities import Hit
from note_extract.parties.refs import Ref, RefBuilder, add_unique, role_rules
from note_extract.rules.bundle import Rules, derived
from note_extract.rules.rows import ProseRow

_CLAUSE_BREAK = re.compile(
    r",\s+(?!(?:and|et|y|or|the|la|le|les|l'|el|los|las|as well as|including|such as|notably|du|des|de|d'|"
    r"del|of|from|a|an)\b)[a-zà-ÿ]"
    r"|\s(?:to|which|who|that|qui|que|où|donde|where|aimed|aims)\s+[a-zà-ÿ]"
    r"|\s(?:and|y|et)\s+(?!(?:the|its|their|other|various|several|all|a|an|la|le|les|el|los|las|des|du|de|"
    r"l'|d')\b)[a-zà-ÿ]"
    r"|\s(?:under|in support of|as part of|on behalf of|in the framework of|dans le cadre|en el marco)\s"
    r"|\s(?:for|pour|para)\s+(?:the\s+|la\s+|le\s+|les\s+|el\s+|los\s+|las\s+)?[a-zà-ÿ]"
    r"|(?<!\b[A-Z])\.(?:\s|$)|[;:!?](?:\s|$)"
)
_LOCATION_BEFORE = re.compile(
    r"\b(?:in|to|at|en|à|au|a|near|across)\s+(?:the\s+)?(?:[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,2}\s*,\s*)?$"
)
_DATELINE_LEAD = re.compile(
    r"[A-Z][^\n()]{1,60}?\d[^\n()]{0,30}?(?:\([^()\n]{1,80}\)\s*)?(?:[-\u2013\u2014]{1,2}|:)\s+(?=[A-Z\"\u201c])"
)
"""A dateline at the start of a sentence, with the source in parentheses: it names the publisher."""
_MINISTRY = re.compile(
    r"(?:the\s+|la\s+|le\s+|el\s+)?(?:Ministry|Ministère|Ministerio|Cancillería|Cancilleria|Chancellerie|"
    r"Foreign Ministry|Foreign Office|Department\s+of\s+(?:Foreign|External)\s+Affairs|"
    r"Secretar[íi]a\s+de\s+Relaciones\s+Exteriores)\b",
    re.IGNORECASE,
)
"""A ministry named without its country ("la Cancillería", "the Ministry of Foreign Affairs")."""
_INITIALISM = re.compile(r"(?:\b[A-Za-z]\.)+$")
_LIST_BREAK = re.compile(
    r",\s+(?:[a-zà-ÿ]+(?:ed|ing|ée?s?|ados?|adas?|idos?|idas?))\b"
    r"|\s(?:to|which|who|that|qui|que|où|donde|where|aimed|aims)\s+[a-zà-ÿ]"
)
"""Where a list of participants ends: a participle after a comma (", supported by ..."), a relative or
purpose clause; a comma before a plain lower-case word goes on with the list."""
_RESOLUTION_AFTER = re.compile(r"\s+(?:resolutions?|résolutions?|resolución|resoluciones)\b", re.IGNORECASE)
_QUALIFIER = re.compile(r"^\s+(?:of|de|du|des|del)\s+(?:the\s+|la\s+|l'|l\u2019|el\s+)?$")
_NAME_WORD = r"[A-Z][\w'\u2019-]*"
_CAPITALIZED_RUN = re.compile(
    rf"[ \t]+{_NAME_WORD}(?:[ \t]+(?:(?:of|for|and|de|du|des|del|la|y|et)[ \t]+)?{_NAME_WORD})*"
)
_STANDALONE = frozenset({"customs", "police", "cancillería", "cancilleria", "chancellerie"})
"""Head words that name a body on their own ("Customs"); "Ministry" alone names none."""
_DEFINED_ACRONYM = re.compile(r"\s*\(([A-Z][A-Za-z&-]{1,9})\)")
_NAME_TOKEN = re.compile(r"[\w'\u2019.&-]+")


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


@derived
def _cue_pattern(rules: Rules) -> tuple[CueFinder, dict[str, ProseRow]]:
    table: dict[str, ProseRow] = {}
    for row in prose_rules(rules).cues:
        for phrase in row.phrases:
            table.setdefault(cue_key(phrase), row)
    return cue_regex(table), table


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


@derived
def _heads(rules: Rules) -> frozenset[str]:
    roles = role_rules(rules)
    extra = {
        "force", "forces", "unit", "laboratories", "laboratory", "superintendence", "administration",
        "cancillería", "cancilleria", "chancellerie", "embassy", "police", "customs", "authority",
        "superintendencia", "dirección", "direccion", "autoridad", "agencia", "oficina", "centro", "comisión",
        "consejo", "policía", "aduanas", "autorité", "agence", "direction", "conseil", "commission", "centre",
        "douanes", "gendarmerie", "administración", "institut", "instituto", "université", "universidad",
        "corporation", "fund", "trust", "endowment", "bank", "company", "fundación", "fondation",
    }  # fmt: skip
    return frozenset(roles.name_heads | set(roles.national_heads) | extra)


@cache
def _government_words() -> frozenset[str]:
    return frozenset(
        {
            "government",
            "governments",
            "gouvernement",
            "gobierno",
            "authorities",
            "autorités",
            "autoridades",
            "ministries",
            "ministerios",
            "ministères",
            "state",
        }
    )


class _Reader:
    def __init__(self, rules: Rules, hits: list[Hit], refs: RefBuilder) -> None:
        self.rules = rules
        self.text = refs.text
        self.hits = hits
        self._starts = [h.start for h in hits]
        self.refs = refs
        self.findings: list[Finding] = []
        """What resolving the names read so far raised."""
        # "and" joins names only before a capital (below); place words never stand inside a name here,
        # so "the Ministry of Foreign Affairs in Zagreb" ends before "in".
        place_words = {"in", "at", "to", "en", "à", "a"}
        connectors = prose_rules(rules).words["connector"]
        self.connectors = {w.casefold() for w in connectors} - {"and", "y", "et", "&"}
        self.connectors -= place_words

    def _candidate(self, start: int, end: int, acronym: tuple[int, int] | None = None) -> Ref:
        ref, doubt = self.refs.from_candidate(start, end, None, acronym)
        if doubt is not None:
            self.findings.append(doubt)
        return ref

    def cues(self, a: int, b: int) -> list[_Cue]:
        pattern, table = _cue_pattern(self.rules)
        return [
            _Cue(m.start(), m.end(), table[cue_key(m.group(0))])
            for m in pattern.finditer(self.text, a, b)
            if not self._inside_hit(m.start())  # "Experts of" inside a name
        ]

    def _hits_between(self, a: int, b: int) -> list[Hit]:
        """The hits that start in [a, b), found by bisection (hits are sorted by start)."""
        return self.hits[bisect.bisect_left(self._starts, a) : bisect.bisect_left(self._starts, b)]

    def _inside_hit(self, position: int) -> bool:
        index = bisect.bisect_right(self._starts, position) - 1
        return any(
            self.hits[i].start <= position < self.hits[i].end for i in range(max(0, index - 2), index + 1)
        )

    def forward_end(self, start: int, limit: int, breaks: re.Pattern[str]) -> int:
        """Where a forward cue's scope ends: the first clause break before ``limit`` that is not inside a
        name ("Centro Regional de las Naciones Unidas para la Paz" holds no clause)."""
        for found in breaks.finditer(self.text, start, limit):
            if not self._inside_hit(found.start() + 1):
                return found.start()
        return limit

    def parties(self, a: int, b: int) -> list[tuple[int, Ref]]:
        """Every party named in clean span [a, b), with its clean start."""
        out: list[tuple[int, Ref]] = []
        inside = self._hits_between(a, b)
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
            out.extend(self.unknown(cursor, hit.start))
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

    def _unit_end(self, hit: Hit, limit: int) -> int:
        """The end of a unit's name written right after its organization ("OSCE Programme Office",
        "ECOWAS Commission"): a capitalized run ending in a head word belongs to the organization."""
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
        code = self.refs.countries.demonym(before.group(1).split()[0])
        if code is not None:
            return start, self.refs.national_ref(code, start, hit.end)
        return start, self._candidate(start, hit.end)

    def unknown(self, a: int, b: int) -> list[tuple[int, Ref]]:
        """Names the registry does not know in [a, b): capitalized runs with a head word, and a demonym
        before a government word."""
        found: list[tuple[int, Ref]] = []
        tokens = [(m.start(), m.end()) for m in _NAME_TOKEN.finditer(self.text, a, b)]
        run: list[Span] = []

        def close() -> None:
            while run and self.text[run[-1][0] : run[-1][1]].casefold() in self.connectors:
                run.pop()
            if run and self.text[run[-1][1] - 1] == "." and not _INITIALISM.search(self.text, 0, run[-1][1]):
                run[-1] = (run[-1][0], run[-1][1] - 1)  # the sentence's full stop
            if run:
                ref = self.name(run[0][0], run[-1][1])
                if ref is not None:
                    found.append((run[0][0], ref))
            run.clear()

        for index, (s, e) in enumerate(tokens):
            word = self.text[s:e]
            gap = self.text[run[-1][1] : s] if run else ""
            if run and re.search(r"[,;:()\[\]\"“”]", gap):
                close()
            if (
                word[:1].isupper()
                or (run and word[:1].isdigit())
                or (not run and word[:1].isdigit() and index + 1 < len(tokens))
                or (run and word.casefold() in self.connectors)
            ):
                run.append((s, e))
            elif run and word.casefold() in {"and", "y", "et", "&"}:
                following = (
                    self.text[tokens[index + 1][0] : tokens[index + 1][1]] if index + 1 < len(tokens) else ""
                )
                if following.casefold() in {"de", "of", "du"} and index + 2 < len(tokens):
                    following = self.text[
                        tokens[index + 2][0] : tokens[index + 2][1]
                    ]  # "Aduanas y de Administración"
                if following[:1].isupper() and following.casefold() not in {"the", "la", "el", "le"}:
                    run.append((s, e))
                else:
                    close()
            elif run and word.casefold() in _government_words() and self._demonym_run(run):
                run.append((s, e))
                close()
            elif self._government_run(run) and self.refs.countries.demonym(word) is not None:
                code = self.refs.countries.demonym(word)
                assert code is not None
                found.append((run[0][0], self.refs.country_ref(code, run[0][0], e, "rule")))
                run.clear()
            else:
                close()
        close()
        return found

    def _government_run(self, run: list[Span]) -> bool:
        return len(run) == 1 and self.text[run[0][0] : run[0][1]].casefold() in _government_words()

    def _demonym_run(self, run: list[Span]) -> bool:
        return self.refs.countries.demonym(self.text[run[-1][0] : run[-1][1]]) is not None

    def name(self, a: int, b: int) -> Ref | None:
        words = self.text[a:b].split()
        lowered = [w.strip(".,'\u2019").casefold() for w in words]
        code = self.refs.countries.demonym(words[0]) if words else None
        if code is not None and len(words) >= 2 and lowered[1] in _government_words():
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
            return self._candidate(a, defined.end(), defined.span(1))
        return self._candidate(a, b)


def _as_country(ref: Ref, refs: RefBuilder, venue_country: str | None) -> Ref:
    """A rule-made national body in a role stands for its country; a ministry with no country of its own
    ("la Cancillería") for the venue's."""
    if ref.id is not None and ref.id.startswith("national:") and ref.country_code:
        return refs.standing_for(ref.country_code, ref)
    if ref.id is None and venue_country is not None and _MINISTRY.match(ref.text):
        return refs.standing_for(venue_country, ref)
    return ref


def read_prose_roles(
    rules: Rules,
    sentences: tuple[Span, ...],
    participant_sentences: tuple[Span, ...],
    hits: list[Hit],
    refs: RefBuilder,
    venue_country: str | None,
    near_count: int = NEAR_SENTENCES,
) -> tuple[ProseRoles, list[Finding]]:
    """Parties by role, and the findings of resolving their names; see the module docstring. Role cues
    count in ``sentences`` and the first ``near_count`` participant sentences (0: participants only)."""
    reader = _Reader(rules, hits, refs)
    roles = ProseRoles()
    near = set(sentences) | set(participant_sentences[:near_count])
    for a, b in sorted(set(sentences) | set(participant_sentences)):
        groups = _groups(reader, a, b, about_event=(a, b) in near)
        for _start, group_role, members in sorted(groups, key=lambda g: g[0]):  # parties in the order written
            _assign(roles, group_role, members, refs, venue_country)
    for ref in roles.organizers + roles.hosts:
        add_unique(roles.participants, ref)
    return roles, reader.findings


_Scope = tuple[int, str, Span]
"""A cue's index in its sentence, its direction, and the span it reaches."""


def _scopes(reader: _Reader, a: int, b: int, cues: list[_Cue]) -> tuple[list[_Scope], list[Span]]:
    """Each cue's scope in sentence [a, b) (cue index, direction, span), and the spans forward cues
    claimed (a backward cue does not take them)."""
    claimed: list[Span] = []
    scopes: list[_Scope] = []
    for index, cue in enumerate(cues):
        following = [c.start for c in cues[index + 1 :] if c.row.role != "participants"]
        limit = following[0] if following else b
        if cue.row.role == "participants" and index + 1 < len(cues):
            limit = cues[index + 1].start
        if cue.row.direction in ("forward", "both"):
            # who took part is listed past commas before lower case ("officials of customs, border
            # police and regulators of Guatemala, Honduras ..."), up to a participle or relative clause
            participants = cue.row.role == "participants"
            end = reader.forward_end(cue.end, limit, _LIST_BREAK if participants else _CLAUSE_BREAK)
            claimed.append((cue.end, end))
            scopes.append((index, "forward", (cue.end, end)))
    lead = _DATELINE_LEAD.match(reader.text, a, b)
    back_start = lead.end() if lead is not None else a  # "NEW YORK, 10 March (ODA) —" names no party
    for index, cue in enumerate(cues):
        if cue.row.direction in ("backward", "both"):
            scopes.append((index, "backward", (back_start, cue.start)))
            back_start = cue.end
    return scopes, claimed


def _groups(reader: _Reader, a: int, b: int, *, about_event: bool) -> list[tuple[int, str, list[Ref]]]:
    """The parties of each cue of sentence [a, b): (where the first is written, role, parties); only
    participant cues count in a sentence not about the event."""
    cues = reader.cues(a, b)
    scopes, claimed = _scopes(reader, a, b, cues)
    groups: list[tuple[int, str, list[Ref]]] = []
    for index, cue in enumerate(cues):
        role = cue.row.role or ""
        if role != "participants" and not about_event:
            continue
        parties: list[tuple[int, Ref]] = []
        for cue_index, direction, (s, e) in scopes:
            if cue_index != index:
                continue
            for start, ref in reader.parties(s, e):
                if direction == "backward" and any(ca <= start < cb for ca, cb in claimed):
                    continue
                parties.append((start, ref))
        if parties:
            parties.sort(key=lambda p: p[0])
            groups.append((parties[0][0], role, [ref for _start, ref in parties]))
    return groups


def _assign(
    roles: ProseRoles, role: str, parties: list[Ref], refs: RefBuilder, venue_country: str | None
) -> None:
    if role == "participants":
        for ref in parties:
            add_unique(roles.participants, ref)
        return
    as_countries = [_as_country(ref, refs, venue_country) for ref in parties]
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
