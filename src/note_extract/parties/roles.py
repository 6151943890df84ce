"""Stage 5: read the header's organizer, sponsor, host, observer and participant fields.

Contract: :func:`extract_roles` takes the layout, every entity hit of the note and a
:class:`~note_extract.parties.refs.RefBuilder` over its clean text, and returns :class:`Roles` (clean-text
references) with the findings of the stage: names it could not resolve or resolved only fuzzily, no
organizer at all (``organizers-missing``), or organizers read from prose (``organizers-from-text``).
Within a field value, each hit is a party; the forward role cues of ``data/prose.jsonl`` ("sponsored by",
"hosted by", "con el apoyo financiero de"; the prose and the header share one vocabulary) switch the role
of what follows; a country right after a location phrase ("Embassy, Panama") is a place, not a party;
text between hits that looks like a name (a capitalized word that is not filler) is resolved by the
resolver, or read as a national body of the group's country ("Panama: Ministry of Health") or of the
country it names ("University of Panama"); a phrase ending in "of" before an organization qualifies it
("The Office of the Secretary General of SICA" is SICA). Participants keep the note's groups ("States -
...; International organizations - ..."). Parties are listed once per role, first mention kept. A
government body written for its State as organizer or host ("Ministry of Foreign Affairs of the Republic
of Korea") stands for that State in the role list (elsewhere it stays a national body); co-hosts
(``Co-hosted by``) are organizers, and the one that is the venue's State is also the host. A note whose
event was read from its prose (:class:`~note_extract.event.event.EventContext`) gets every role its header
leaves empty from the cue phrases of the sentences that report the event
(:mod:`note_extract.parties.prose_roles`); those participants form one group without a label.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

from note_extract.core.findings import Finding, finding
from note_extract.core.spans import CleanSpan
from note_extract.event.dates import date_words, find_dates
from note_extract.event.event import EventContext
from note_extract.event.prose import background_heading, background_sentence, cue_key, sentences
from note_extract.event.vocab import event_nouns
from note_extract.layout.layout import Layout
from note_extract.lexicon.entities import Hit
from note_extract.lexicon.resolve import acronym_like
from note_extract.parties.prose_roles import as_country, header_cues, participant_cues, read_prose_roles
from note_extract.parties.refs import Ref, RefBuilder, RoleEvidence, add_unique, identity, role_rules
from note_extract.rules.bundle import Rules
from note_extract.rules.rows import FieldName

Role = Literal["organizers", "sponsors", "hosts", "observers", "participants"]

_PIECE_SPLIT = re.compile(r",|;|\n|\(|\)|:|\s-\s|/")
_AND = re.compile(r"\s(?:and|&|et|y)\s+(?P<next>[^\s,;()]+)", re.IGNORECASE)
_WORD = re.compile(r"[^\s]+")
_OF_END = re.compile(r"\b(?:of|of the|de|de la|du|des|del)\s*$", re.IGNORECASE)
_GROUP_LINE = re.compile(r"[ \t]*[A-Z][\w ,'/()-]{1,60}?[ \t]*:[ \t]+\S")
_GROUP_LABEL = re.compile(r"\s*(?P<label>[^:;()\n]{2,80}?)\s*(?::|\s-\s)\s*")


@dataclass
class Group:
    """Participants in one of the groups the note uses (clean text)."""

    label: str | None
    label_span: CleanSpan | None
    country_code: str | None
    members: list[Ref] = field(default_factory=list)
    found_in: Literal["header", "text"] = "header"


@dataclass
class Roles:
    """Parties by role, and participants in their groups."""

    organizers: list[Ref] = field(default_factory=list)
    sponsors: list[Ref] = field(default_factory=list)
    hosts: list[Ref] = field(default_factory=list)
    observers: list[Ref] = field(default_factory=list)
    participants: list[Group] = field(default_factory=list)
    organizers_from_text: bool = False
    """True when the organizers were read from the event sentence, not from a header field."""

    def role(self, name: Role) -> list[Ref]:
        """The list for a role name."""
        found: list[Ref] = getattr(self, name)
        return found


def _is_name(rules: Rules, text: str) -> bool:
    """True when a piece of text could name an organization."""
    filler = role_rules(rules).filler
    words = [w.strip(".,'\"") for w in _WORD.findall(text)]
    named = [w for w in words if w and (w[0].isupper() or w[0].isdigit()) and w.casefold() not in filler]
    if not named:
        return False
    if len(words) == 1:
        return len(words[0]) >= 2 and (words[0].isupper() or words[0][0].isupper())
    return any(w[0].isupper() for w in named)


def _is_filler(rules: Rules, text: str, a: int, b: int) -> bool:
    return text[a:b].strip(".,'\"").casefold() in role_rules(rules).filler


def _trim(rules: Rules, text: str, start: int, end: int) -> CleanSpan:
    """Shrink a piece past leading and trailing filler or lower-case words and punctuation."""
    filler = role_rules(rules).filler
    words = [(m.start() + start, m.end() + start) for m in _WORD.finditer(text[start:end])]

    def droppable(a: int, b: int) -> bool:
        word = text[a:b].strip(".,'\"")
        return not word or word.casefold() in filler or word[0].islower()

    while words and droppable(*words[0]):
        words.pop(0)
    # French and Spanish names go on in lower case after their head ("Ministère des Affaires
    # étrangères", "Autoridad Nacional de control"): kept when the piece opens with a national head
    # word that is not English.
    romance_head = (
        bool(words) and text[words[0][0] : words[0][1]].casefold() in role_rules(rules).lower_case_heads
    )
    while words and (
        not text[words[-1][0] : words[-1][1]].strip(".,'\"")
        or (text[words[-1][0]].islower() and (not romance_head or _is_filler(rules, text, *words[-1])))
    ):
        words.pop()
    if not words:
        return CleanSpan(start, start)
    a, b = words[0][0], words[-1][1]
    while b > a and text[b - 1] in ".,;:'\"":
        b -= 1
    while a < b and text[a] in "'\"":
        a += 1
    return CleanSpan(a, b)


class _FieldReader:
    """Reads one field value into (role, reference) pairs."""

    def __init__(
        self, rules: Rules, hits: list[Hit], refs: RefBuilder, venue_country: str | None = None
    ) -> None:
        self.rules = rules
        self.venue_country = venue_country
        """The State a State's own body named without one belongs to ("Ministry of Foreign Affairs")."""
        self.text = refs.text
        self.hits = hits
        self._starts = [h.start for h in hits]
        self.refs = refs
        self.cue_pattern, self.cue_roles = header_cues(rules)
        self.findings: list[Finding] = []
        """What resolving the names read so far raised."""

    def _candidate(self, start: int, end: int, country: str | None, acronym: CleanSpan | None) -> Ref:
        name_end = acronym.start if acronym is not None else end
        if country is None and self.refs.state_body(self.text[start:name_end]):
            country = self.venue_country  # a ministry named without its State is the venue's
        ref, doubt = self.refs.from_candidate(start, end, country, acronym)
        if doubt is not None:
            self.findings.append(doubt)
        return ref

    def _is_location(self, hit: Hit) -> bool:
        before = " ".join(self.text[max(0, hit.start - 40) : hit.start].split()).casefold()
        return hit.kind == "country" and any(before.endswith(p) for p in role_rules(self.rules).locations)

    def read(self, start: int, end: int, role: Role, country: str | None) -> list[tuple[Role, Ref]]:
        """Parties in clean span [start, end), starting in ``role``."""
        switches = [
            (m.start(), m.end(), self.cue_roles[cue_key(m.group(0))])
            for m in self.cue_pattern.finditer(self.text, start, end)
        ]
        first = bisect.bisect_left(self._starts, start)
        last = bisect.bisect_left(self._starts, end, first)
        inside = [h for h in self.hits[first:last] if h.end <= end]
        out: list[tuple[Role, Ref]] = []
        cursor = start
        previous: Hit | None = None
        absorbed: set[int] = set()
        for hit in inside:
            current = _role_at(switches, hit.start, role)
            found, consumed = self._gap(cursor, hit.start, current, country, hit, previous)
            out.extend(found)
            previous = hit
            qualified = self._qualifies(hit, inside)
            if (
                qualified is not None
                and qualified.in_parentheses
                and current in _FOR_ITS_COUNTRY
                and qualified.type == "government"
            ):
                absorbed.add(qualified.start)  # "Germany (Federal Foreign Office)" pays: Germany does
                qualified = None
            if (
                not consumed
                and hit.start >= cursor
                and hit.start not in absorbed
                and not self._is_location(hit)
                and qualified is None
            ):
                out.append((current, self.refs.from_hit(hit)))
            cursor = max(cursor, hit.end)
        out.extend(self._gap(cursor, end, _role_at(switches, end, role), country, None, previous)[0])
        return out

    def _qualifies(self, hit: Hit, inside: list[Hit]) -> _Agency | None:
        """The agency a country is written just before, when it is one of its own: "Germany (BAFA)",
        "United States Export Control and Related Border Security Program"."""
        if hit.kind != "country":
            return None
        following = [h for h in inside if h.start >= hit.end]
        if not following or following[0].kind != "org":
            return None
        between = self.text[hit.end : following[0].start]
        if between.strip() not in ("", "("):  # "Germany (BAFA)", "United States Export Control ..."
            return None
        entry = self.refs.org_entry(following[0].key)
        if entry is None or entry.country != hit.key or following[0].start - hit.end > 3:
            return None
        return _Agency(following[0].start, entry.type, between.strip() == "(")

    def _pieces(self, start: int, end: int, cues: list[CleanSpan]) -> list[CleanSpan]:
        """A value cut where names part: at commas, semicolons, parentheses, " - ", "/", a line break
        that is no wrapped name, an "and" before a head word, an article or an acronym, and around
        each cue."""
        bounds = [start]
        for m in _PIECE_SPLIT.finditer(self.text, start, end):
            if m.group(0) != "\n" or not _wrapped(self.text, m.start(), start, end):
                bounds.extend(m.span())
        heads = role_rules(self.rules).name_heads
        for m in _AND.finditer(self.text, start, end):
            following = m.group("next")
            if (
                following.casefold() in heads
                or following.casefold() in {"the", "its", "their"}
                or (len(following) > 1 and following.isupper())
            ):
                bounds.extend((m.start(), m.start("next")))
        for a, b in cues:
            bounds.extend((a, b))
        bounds.append(end)
        bounds.sort()
        return [CleanSpan(bounds[i], bounds[i + 1]) for i in range(0, len(bounds) - 1)]

    def _part_of(self, previous: Hit | None, ta: int, tb: int, role: Role) -> bool:
        """True when the name at [ta, tb) belongs to the hit just before it: a government body in
        parentheses after its State as organizer, sponsor or host ("Government of Kenya (Ministry of
        Foreign Affairs)"), a bare head word after an organization ("ECCAS Secretariat"), or the
        acronym the note gives an organization ("OSCE Conflict Prevention Centre (CPC)")."""
        if previous is None:
            return False
        opened = _OPEN.fullmatch(self.text, previous.end, ta) is not None
        if previous.kind == "country":
            return (
                role in _FOR_ITS_COUNTRY
                and opened
                and self.refs.national_type(self.text[ta:tb]) == "government"
            )
        if not self.text[previous.end : ta].strip():
            return self.text[ta:tb].casefold() in role_rules(self.rules).name_heads
        return opened and _CLOSE.match(self.text, tb) is not None and acronym_like(self.text[ta:tb])

    def _gap(
        self,
        start: int,
        end: int,
        role: Role,
        country: str | None,
        next_hit: Hit | None,
        previous: Hit | None = None,
    ) -> tuple[list[tuple[Role, Ref]], bool]:
        """Candidate names between hits; True when the next hit was absorbed into a national body. A
        government body in parentheses right after its State as organizer or host ("Government of
        Kenya (Ministry of Foreign Affairs)") is no party of its own: the State stands for it; nor is a
        bare head word written right after an organization ("ECCAS Secretariat")."""
        if end <= start:
            return [], False
        cues = [CleanSpan(*m.span()) for m in self.cue_pattern.finditer(self.text, start, end)]
        pieces = self._pieces(start, end, cues)
        names: list[CleanSpan] = []
        before_hit: tuple[bool, Ref | None] = (False, None)
        for position, (a, b) in enumerate(pieces):
            if b <= a or any(ca <= a and b <= cb for ca, cb in cues):
                continue
            if position == len(pieces) - 1 and b == end and next_hit is not None:
                tail = self._before_hit(a, b, next_hit, role)
                if tail is not None:
                    before_hit = tail
                    continue
            name = _trim(self.rules, self.text, a, b)
            ta, tb = name
            if (
                tb > ta
                and _is_name(self.rules, self.text[ta:tb])
                and not self._part_of(previous, ta, tb, role)
            ):
                names.append(name)
        found: list[tuple[Role, Ref]] = [
            (role, self._candidate(name.start, name.end, country, acronym))
            for name, acronym in _pair_acronyms(self.text, names)
        ]
        consumed, national = before_hit
        if national is not None:
            found.append((role, national))
        return found, consumed

    def _before_hit(self, a: int, b: int, next_hit: Hit, role: Role) -> tuple[bool, Ref | None] | None:
        """The last piece of a gap, written right before the next hit: a prefix hyphenated to it
        ("SG-SICA": no name), or a national body's head ending in "of" before a country ("Ministry of
        Defence of" Ghana: the body, or in a role its State stands for it; True: the hit is absorbed).
        None when the piece is neither, and is read as a name."""
        piece = self.text[a:b]
        if piece.endswith("-") and " " not in piece.strip():
            return False, None  # "SG-SICA": a prefix joined to the name that follows
        if not _OF_END.search(piece):
            return None
        ta, _tb = _trim(self.rules, self.text, a, b)
        kind = self.refs.national_type(self.text[ta:b]) if ta < b else None
        if next_hit.kind != "country" or kind is None:
            return False, None
        if role in _FOR_ITS_COUNTRY and kind == "government":
            return True, self.refs.from_hit(next_hit)  # the ministry stands for its State
        return True, self.refs.national_ref(next_hit.key, ta, next_hit.end)


@dataclass(frozen=True, slots=True)
class _Agency:
    """A registry body of a country, written right after it: where it starts and its type."""

    start: int
    type: str
    in_parentheses: bool
    """"Germany (BAFA)": the agency as a detail; else the country is part of its name ("United States
    Export Control and Related Border Security Program")."""


_FOR_ITS_COUNTRY: frozenset[Role] = frozenset({"organizers", "sponsors", "hosts"})
"""The roles in which a government body stands for its State (a ministry that organizes, pays or hosts)."""
_WRAP_END = re.compile(
    r"(?<![^\W\d_])(?:and|of|for|the|on|to|de|des|du|la|le|les|et|y|del|los|las|en|à)$", re.IGNORECASE
)


def _wrapped(text: str, at: int, start: int, end: int) -> bool:
    """True when the line break at ``at`` falls inside a name wrapped over lines: the line before ends
    with a joining word ("Ministry of International Relations and" / "Cooperation") or the line after
    goes on in lower case."""
    before = text[start:at].rstrip()
    after = text[at:end].lstrip()
    return bool(before) and bool(after) and (_WRAP_END.search(before) is not None or after[0].islower())


_OPEN = re.compile(r"\s*\(\s*$")
_CLOSE = re.compile(r"\s*\)")


def _pair_acronyms(text: str, names: list[CleanSpan]) -> list[tuple[CleanSpan, CleanSpan | None]]:
    """Join "Full Name (ACR)" into one candidate: (its span, the acronym's span or None)."""
    out: list[tuple[CleanSpan, CleanSpan | None]] = []
    index = 0
    while index < len(names):
        a, b = names[index]
        if index + 1 < len(names):
            acronym = names[index + 1]
            c, d = acronym
            close = _CLOSE.match(text, d)
            if (
                _OPEN.match(text[b:c])
                and close is not None
                and acronym_like(text[c:d])
                and not acronym_like(text[a:b])
            ):
                out.append((CleanSpan(a, close.end()), acronym))
                index += 2
                continue
        out.append((names[index], None))
        index += 1
    return out


def _role_at(switches: Sequence[tuple[int, int, Role]], position: int, default: Role) -> Role:
    role = default
    for _a, b, cue_role in switches:
        if b <= position:
            role = cue_role
    return role


def _segments(text: str, start: int, end: int) -> list[CleanSpan]:
    """Split a participants value at top-level ';', blank lines and lines that open a group
    ("International organizations: ...")."""
    segments = []
    depth = 0
    cursor = start
    for index in range(start, end):
        char = text[index]
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif (
            (char == ";" and depth == 0)
            or (char == "\n" and text[index - 1 : index] == "\n")
            or (char == "\n" and _GROUP_LINE.match(text, index + 1, end) is not None)
        ):
            segments.append((cursor, index))
            cursor = index + 1
            depth = 0
    segments.append((cursor, end))
    return [CleanSpan(a, b) for a, b in segments if text[a:b].strip()]


def _participants(layout_value: CleanSpan, reader: _FieldReader) -> list[Group]:
    text = reader.text
    groups: list[Group] = []
    for a, b in _segments(text, *layout_value):
        match = _GROUP_LABEL.match(text, a, b)
        label_span: CleanSpan | None = None
        country: str | None = None
        body_start = a
        if match is not None and len(match.group("label").split()) <= 8:
            la, lb = match.span("label")
            covering = [h for h in reader.hits if h.start <= la and lb <= h.end]
            label_span = CleanSpan(la, lb)
            if not covering or covering[0].kind == "country":
                body_start = match.end()
                country = covering[0].key if covering else reader.refs.country_code(text[la:lb])
            # else an organization heads its own group ("1540 Committee: the Chair and ...") and is
            # its first member
        if label_span is not None or not groups:
            label = " ".join(text[label_span.start : label_span.end].split()) if label_span else None
            groups.append(Group(label, label_span, country))
        group = groups[-1]
        for _role, ref in reader.read(body_start, b, "participants", group.country_code):
            add_unique(group.members, ref)
    # "25 participants from 12 States" names no one
    return [group for group in groups if group.label is not None or group.members]


_FIELD_ROLES: dict[FieldName, Role] = {
    "organizers": "organizers",
    "sponsors": "sponsors",
    "hosts": "hosts",
    "observers": "observers",
}


def extract_roles(
    rules: Rules,
    layout: Layout,
    hits: list[Hit],
    refs: RefBuilder,
    context: EventContext | None = None,
    venue_country: str | None = None,
    days: tuple[date, date] | None = None,
    languages: tuple[str, ...] = (),
) -> tuple[Roles, list[Finding]]:
    """Parties of every role field in the header, or of the event sentence, and the findings of the
    stage; see the module docstring."""
    roles = Roles()
    reader = _FieldReader(rules, hits, refs, venue_country)
    for header_field in layout.fields:
        span = CleanSpan(header_field.value_start, header_field.value_end)
        if header_field.field == "participants":
            roles.participants.extend(_participants(span, reader))
            continue
        if header_field.field == "cohosts":  # co-hosts organize; the venue's own State also hosts
            for found_role, read in reader.read(*span, "organizers", None):
                ref = as_country(_in_field(read, header_field.field), refs)
                add_unique(roles.role(found_role), ref)
                if venue_country is not None and ref.id == f"country:{venue_country}":
                    add_unique(roles.hosts, ref)
            continue
        role = _FIELD_ROLES.get(header_field.field)
        if role is None:
            continue
        for found_role, ref in reader.read(*span, role, None):
            found = _in_field(ref, header_field.field)
            add_unique(
                roles.role(found_role), as_country(found, refs) if found_role in _FOR_ITS_COUNTRY else found
            )
    findings = reader.findings
    if context is not None:
        findings += _from_prose(rules, roles, layout, hits, refs, context)
    elif layout.fields and not roles.participants:
        _from_body(rules, roles, layout, hits, refs, days, languages)
    if roles.organizers_from_text and context is not None:
        findings.append(finding("organizers-from-text", context.sentence))
    if not roles.organizers:
        findings.append(finding("organizers-missing"))
    return roles, findings


def _in_field(ref: Ref, name: str) -> Ref:
    """``ref`` with the evidence of a party read from header field ``name``."""
    return replace(ref, evidence=RoleEvidence("header", name, "field"))


def _from_body(
    rules: Rules,
    roles: Roles,
    layout: Layout,
    hits: list[Hit],
    refs: RefBuilder,
    days: tuple[date, date] | None,
    languages: tuple[str, ...],
) -> None:
    """For a header note whose header lists no participants: those its body names as taking part
    ("UNODA presented the assistance available", "experts from the IAEA"), as one group without a
    label (reading every body costs a quarter of the time of a note, so a note that lists its
    participants is taken at its word). Only the
    participant cues of the sentences that report the event count (see :func:`_reporting`); only known
    organizations and countries are taken; reading the body raises no finding (a name the registry does
    not know in a sentence is no doubt about the header)."""
    body = _reporting(rules, refs.text, layout, days, languages)
    found, _doubts = read_prose_roles(rules, (), body, hits, refs, None, near_count=0)
    listed = {identity(m) for group in roles.participants for m in group.members}
    extra: list[Ref] = []
    for ref in found.participants:
        if ref.id is not None and identity(ref) not in listed:
            listed.add(identity(ref))
            extra.append(ref)
    if extra:
        roles.participants.append(Group(None, None, None, extra, "text"))


def _reporting(
    rules: Rules, text: str, layout: Layout, days: tuple[date, date] | None, languages: tuple[str, ...]
) -> tuple[CleanSpan, ...]:
    """The body's sentences that report the event: not in a background section ("1. Background",
    "Contexte"), without background words ("builds on", "previous"), and naming no date outside the
    event's days (another event's)."""
    background = [
        (part.start, part.end)
        for part in layout.sections
        if part.heading and background_heading(rules, part.heading)
    ]
    cues = participant_cues(rules, text, layout.header_end)
    if not cues:
        return ()
    chosen = []
    for sentence in sentences(rules, text, layout.header_end):
        a, b = sentence
        if not any(a <= at < b for at in cues):
            continue  # only sentences that say someone took part are read
        if any(s <= a < e for s, e in background) or background_sentence(rules, text, sentence):
            continue
        dated = find_dates(rules, text[a:b], languages=languages or tuple(date_words(rules)))
        if any(days is None or d.end_date < days[0] or d.start_date > days[1] for d in dated):
            continue  # another event's date
        chosen.append(sentence)
    return tuple(chosen)


LEAD_SENTENCES = 6
"""How many of the text's first sentences may tell who organized the event before the sentence that
dates it ("UNRCPD, in cooperation with the OSCE, organized a round-table meeting. The meeting took place
from 8 to 10 May ...")."""
_YEAR = re.compile(r"(?<![\d(])(?:19|20)\d\d(?![\d)])")


def _lead(rules: Rules, text: str, layout: Layout, context: EventContext) -> tuple[CleanSpan, ...]:
    """The sentences among the text's first :data:`LEAD_SENTENCES` that come before the event's sentence,
    name an event ("a national round-table meeting"), are no background and name no year the event's
    sentence does not."""
    event_a, event_b = context.sentence
    years = set(_YEAR.findall(text, event_a, event_b))
    chosen = []
    if event_a <= layout.header_end:
        return ()
    for sentence in sentences(rules, text[:event_a], layout.header_end)[:LEAD_SENTENCES]:
        a, b = sentence
        if b > event_a:
            break
        if not event_nouns(rules).search(text, a, b) or background_sentence(rules, text, sentence):
            continue
        if set(_YEAR.findall(text, a, b)) - years:
            continue
        chosen.append(sentence)
    return tuple(chosen)


def _from_prose(
    rules: Rules, roles: Roles, layout: Layout, hits: list[Hit], refs: RefBuilder, context: EventContext
) -> list[Finding]:
    """Fill every role the header leaves empty from the sentences of the event report; returns the
    findings of reading them."""
    sentences = (*_lead(rules, refs.text, layout, context), *(context.related or (context.sentence,)))
    found, findings = read_prose_roles(rules, sentences, context.reported, hits, refs, context.venue_country)
    for name in ("organizers", "sponsors", "hosts"):
        if layout.first(name) is None and not roles.role(name):
            roles.role(name).extend(getattr(found, name))
    roles.organizers_from_text = bool(found.organizers) and roles.organizers == found.organizers
    if layout.first("participants") is None and not roles.participants and found.participants:
        roles.participants.append(Group(None, None, None, found.participants, "text"))
    return findings
