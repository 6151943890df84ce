"""Confidence: how likely each decided value is right, from how it was found.

Contract: :func:`event_features` and :func:`party_features` turn one note's stage results (an
:class:`Evidence`) into named features, each a number in [0, 1], per decided value: the five event
fields (``title``, ``start_date``, ``end_date``, ``city``, ``country``), every party of a role list
(family ``party``) and every participant (family ``participant``). Features say which label or cue gave
the value and where it stands (header or text), how well it fits its type (a full date, a known city, a
resolved name), the debris around it, whether independent readings agree (a date or place said again
elsewhere, a party named again, a title field and the first line), the rivals it had (other places,
other dates, and how close they come), and how well the note's form was understood
(:mod:`note_extract.record.form`: the share of lines the layout read, markup left in and beside the
value, debris in it, the findings raised), which holds across forms the models never saw.

:class:`Scorer` holds one logistic model per family, read from ``data/confidence.jsonl`` (fitted by
``scripts/train_confidence.py``, ``make train``, and calibrated there on notes held out from the fit):
``p = sigmoid(a * (intercept + w . x) + b)``, rounded to 3 decimals. A family with no row scores
nothing (``None``). The runtime is plain Python; nothing here learns, reads a file, or changes a value.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from note_extract.core.findings import Finding
from note_extract.core.spans import CleanSpan
from note_extract.event.event import EventDraft
from note_extract.layout.layout import HeaderField, Layout
from note_extract.parties.mentions import Mentioned
from note_extract.parties.refs import Ref, identity
from note_extract.parties.roles import Group, Role, Roles
from note_extract.record.form import around, debris, form_features
from note_extract.rules.bundle import Rules, derived
from note_extract.rules.rows import ConfidenceModelRow, ConfidenceRow

EVENT_FIELDS: tuple[str, ...] = ("title", "start_date", "end_date", "city", "country")
PARTY_ROLES: tuple[Role, ...] = ("organizers", "sponsors", "hosts", "observers")
Features = dict[str, float]

_DEBRIS = frozenset("|*#_[]{}<>=")
_DATE_DOUBTS = (
    "date-ambiguous",
    "date-unparsed",
    "date-year-unknown",
    "date-year-inferred",
    "date-range-end-missing",
)


@dataclass(frozen=True)
class Evidence:
    """One note's stage results, as the confidence features read them (clean text)."""

    text: str
    layout: Layout
    event: EventDraft
    roles: Roles
    mentions: Mentioned
    findings: Sequence[Finding]

    @cached_property
    def form(self) -> Features:
        """How well the note's form was read (:func:`note_extract.record.form.form_features`)."""
        return form_features(self.text, self.layout, self.findings)

    @property
    def codes(self) -> Counter[str]:
        """How many findings of each code the note has."""
        return Counter(f.code for f in self.findings)


def _cap(count: float, top: float) -> float:
    return min(count, top) / top


def _common(ev: Evidence, codes: Counter[str]) -> Features:
    """What every event field shares: where the event was read, how many doubts the note raised."""
    return {
        "header": float(ev.event.found_in == "header"),
        "text": float(ev.event.found_in == "text"),
        "header_fields": _cap(len(ev.layout.fields), 8),
        "doubts": _cap(sum(codes[c] for c in ("org-unresolved", "org-fuzzy", "ocr-repaired")), 6),
    }


def _title(ev: Evidence, codes: Counter[str]) -> Features:
    title = ev.event.title
    out = _common(ev, codes)
    if not title:
        out["missing"] = 1.0
        out["header_missing"] = float(not ev.layout.fields)
        return out
    words = title.split()
    start = ev.event.title_span.start if ev.event.title_span else 0
    out.update(
        {
            "words": _cap(len(words), 30),
            "long": float(len(words) > 25),
            "short": float(len(words) < 4),
            "kind_named": float(ev.event.kind != "other"),
            "in_header": float(start < ev.layout.header_end),
            "debris": float(any(c in _DEBRIS for c in title) or title.rstrip()[-1:] in ",;:-("),
            "lower_start": float(title[:1].islower()),
            "upper": float(title.isupper()),
            "quoted": float(title[:1] in "\"'\u201c\u00ab"),
            "repeated": float(ev.text.count(title[:40]) > 1),
        }
    )
    return out


def _date_features(ev: Evidence, codes: Counter[str], end: bool) -> Features:
    dates = ev.event.dates
    out = _common(ev, codes)
    if dates is None:
        out["missing"] = 1.0
        out["rivals"] = _cap(len(ev.mentions.dates), 10)
        out["seen_unread"] = float(
            any(codes[c] for c in ("date-year-unknown", "date-unparsed", "date-ambiguous"))
        )
        return out
    value = (dates.end or dates.start) if end else dates.start
    said = sum(1 for d in ev.mentions.dates if (d.end_date if end else d.start_date) == value)
    out.update(
        {
            "day": float(dates.precision == "day"),
            "month": float(dates.precision == "month"),
            "year_inferred": float(dates.year_inferred),
            "range": float(dates.end is not None and dates.end != dates.start),
            "open_end": float(dates.end is None),
            "in_header": float(dates.span.start < ev.layout.header_end),
            "from_text": float(codes["date-from-text"] > 0),
            "doubt": float(any(codes[c] for c in _DATE_DOUBTS)),
            "duration": float(codes["date-end-from-duration"] > 0),
            "said_again": float(said > 1),
            "rivals": _cap(len({d.start_date for d in ev.mentions.dates} - {dates.start}), 10),
        }
    )
    return out


def _start(ev: Evidence, codes: Counter[str]) -> Features:
    return _date_features(ev, codes, end=False)


def _end(ev: Evidence, codes: Counter[str]) -> Features:
    return _date_features(ev, codes, end=True)


def _venue(ev: Evidence, codes: Counter[str]) -> Features:
    venue = ev.event.venue
    out = _common(ev, codes)
    out.update(
        {
            "virtual": float(venue.virtual),
            "several": float(codes["venue-several"] > 0),
            "venue_missing": float(codes["venue-missing"] > 0),
            "written": float(venue.country_source in (None, "written") and venue.country is not None),
            "gazetteer": float(venue.country_source == "gazetteer"),
            "government": float(venue.country_source == "government"),
            "place": float(venue.place is not None),
            "in_header": float(venue.span is not None and venue.span.start < ev.layout.header_end),
        }
    )
    return out


def _city(ev: Evidence, codes: Counter[str]) -> Features:
    out = _venue(ev, codes)
    city = ev.event.venue.city
    if city is None:
        out["missing"] = 1.0
        return out
    out["said_again"] = float(ev.text.count(city) > 1)
    out["words"] = _cap(len(city.split()), 4)
    out["no_country"] = float(ev.event.venue.country is None)
    return out


def _country(ev: Evidence, codes: Counter[str]) -> Features:
    out = _venue(ev, codes)
    code = ev.event.venue.country_code
    if code is None:
        out["missing"] = 1.0
        out["rivals"] = _cap(len({r.id for r in ev.mentions.countries}), 10)
        return out
    said = sum(1 for r in ev.mentions.countries if r.id == f"country:{code}")
    out["said_again"] = float(said > 1)
    out["rivals"] = _cap(len({r.id for r in ev.mentions.countries} - {f"country:{code}"}), 10)
    out["no_city"] = float(ev.event.venue.city is None)
    out["country_missing"] = float(codes["venue-country-missing"] > 0)
    return out


def _first_line(text: str) -> CleanSpan:
    """The first line that holds more than blanks."""
    start = len(text) - len(text.lstrip())
    end = text.find("\n", start)
    return CleanSpan(start, len(text) if end < 0 else end)


def _folded(value: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in value).split()).casefold()


def _within(span: CleanSpan | None, field: HeaderField | None) -> bool:
    return span is not None and field is not None and field.value_start <= span.start < field.value_end


def _title_sources(ev: Evidence) -> Features:
    """Where the title was read (a title field, the first line, the prose) and whether the field and
    the first line agree."""
    span, title = ev.event.title_span, ev.event.title
    if span is None or not title:
        return {}
    a, b = _first_line(ev.text)
    field = _within(span, ev.layout.first("title"))
    line = _folded(ev.text[a:b])
    said = _folded(title)
    return {
        "from_field": float(field),
        "from_first_line": float(not field and a <= span.start < b),
        "from_prose": float(not field and not a <= span.start < b),
        "agree_first_line": float(field and bool(line) and (line in said or said in line)),
    }


def _date_sources(ev: Evidence, end: bool) -> Features:
    """Where the date was read (a header field, a dateline) and how many other dates come close."""
    dates = ev.event.dates
    if dates is None:
        return {}
    value = (dates.end or dates.start) if end else dates.start
    others = {(d.end_date if end else d.start_date) for d in ev.mentions.dates} - {value}
    close = sum(1 for d in others if abs((d - value).days) <= 31)
    _a, b = _first_line(ev.text)
    field = ev.layout.first("date_venue") or ev.layout.first("date") or ev.layout.first("start_date")
    elsewhere = sum(
        1
        for d in ev.mentions.dates
        if (d.end_date if end else d.start_date) == value and not dates.span.start <= d.start < dates.span.end
    )
    return {
        "from_field": float(_within(dates.span, field)),
        "dateline": float(dates.span.start < b + 200 and ev.event.found_in == "text"),
        "close_rivals": _cap(close, 5),
        "far_rivals": _cap(len(others) - close, 10),
        "agree": float(elsewhere > 0),
    }


def _venue_sources(ev: Evidence, name: str) -> Features:
    """Whether the venue was read from a venue field and whether the text names it again elsewhere."""
    venue = ev.event.venue
    value = venue.city if name == "city" else venue.country
    if value is None or venue.span is None:
        return {}
    field = ev.layout.first("venue") or ev.layout.first("date_venue")
    span = venue.span
    outside = ev.text[: span.start] + " " + ev.text[span.end :]
    return {"from_field": float(_within(span, field)), "agree": float(value in outside)}


def _sources(ev: Evidence, name: str) -> Features:
    if name == "title":
        return _title_sources(ev)
    if name in ("start_date", "end_date"):
        return _date_sources(ev, name == "end_date")
    return _venue_sources(ev, name)


def _value_form(ev: Evidence, name: str) -> Features:
    """Markup around the field's value and the debris in it (nothing for a value left empty)."""
    event = ev.event
    span: CleanSpan | None
    if name == "title":
        span, value = event.title_span, event.title
    elif name in ("start_date", "end_date"):
        span = event.dates.span if event.dates else None
        value = event.dates.text if event.dates else None
    else:
        span = event.venue.span
        value = event.venue.city if name == "city" else event.venue.country
    if span is None or not value:
        return {}
    own = {f"{name}.{key}": v for key, v in debris(ev.text[span.start : span.end]).items()}
    return {**around(ev.text, span.start, span.end), **own}


_EVENT = {"title": _title, "start_date": _start, "end_date": _end, "city": _city, "country": _country}
SHARED = (
    "missing",
    "text",
    "header",
    "in_header",
    "said_again",
    "rivals",
    "doubt",
    "debris",
    "venue_missing",
)
"""Features every event field has in common, weighed once for all five (each field keeps its own too)."""


def _empty(ev: Evidence) -> dict[str, bool]:
    venue = ev.event.venue
    return {
        "title": not ev.event.title,
        "start_date": ev.event.dates is None,
        "end_date": ev.event.dates is None,
        "city": venue.city is None,
        "country": venue.country_code is None,
    }


def event_features(ev: Evidence) -> dict[str, Features]:
    """The features of each of the five event fields (a field left empty included), for the one
    event model: each field's own features under ``field.name``, the field itself (``is_field``),
    the shared ones (:data:`SHARED`) unprefixed, and how many of the other fields were left empty (a
    note whose form the reader did not understand leaves several)."""
    codes = ev.codes
    empty = _empty(ev)
    virtual = ev.event.venue.virtual
    form = ev.form
    out: dict[str, Features] = {}
    for name in EVENT_FIELDS:
        own = _EVENT[name](ev, codes)
        own.update(_sources(ev, name))
        pooled = {f"{name}.{key}": value for key, value in own.items()}
        pooled.update({key: own[key] for key in SHARED if key in own})
        pooled.update(form)
        pooled.update(_value_form(ev, name))
        pooled[f"is_{name}"] = 1.0
        others = sum(empty[other] for other in EVENT_FIELDS if other != name and other != "end_date")
        if not (virtual and name in ("city", "country")):
            pooled["others_empty"] = _cap(others, 3)
        out[name] = pooled
    return out


def _ref_features(ev: Evidence, ref: Ref, said: Counter[str], local: bool = True) -> Features:
    """What any party shares: how its name was resolved, what it is, where and how often it is named,
    and (``local``) what the form left in and around it."""
    method = ref.match.method
    words = ref.text.split()
    near = {**around(ev.text, ref.span.start, ref.span.end), **debris(ref.text)} if local else {}
    return {
        **near,
        "exact": float(method == "exact"),
        "alias": float(method == "alias"),
        "fuzzy": float(method == "fuzzy"),
        "rule": float(method == "rule"),
        "unresolved": float(method == "unresolved"),
        "country": float(ref.type == "country"),
        "un_body": float(ref.type == "un_body"),
        "intergovernmental": float(ref.type in ("intergovernmental", "regional_organization")),
        "government": float(ref.type == "government"),
        "in_header": float(ref.span.start < ev.layout.header_end),
        "said_again": float(said[identity(ref)] > 1),
        "long_name": float(len(words) > 8),
        "lower_start": float(ref.text[:1].islower()),
        "debris": float(any(c in _DEBRIS for c in ref.text)),
    }


def _said(ev: Evidence) -> Counter[str]:
    return Counter(identity(r) for r in (*ev.mentions.organizations, *ev.mentions.countries))


def _event_read(ev: Evidence) -> Features:
    """How much of the event the note gave: a note whose event was not found is doubtful throughout."""
    empty = _empty(ev)
    return {
        "event_empty": sum(empty[name] for name in ("title", "start_date", "city", "country")) / 4,
        "event_in_text": float(ev.event.found_in == "text"),
    }


def party_features(ev: Evidence) -> list[tuple[Role, int, Features]]:
    """``(role, position, features)`` of every party in organizers, sponsors, hosts and observers, in
    the record's order."""
    said = _said(ev)
    form = {**ev.form, **_event_read(ev)}
    roles_of: Counter[str] = Counter()
    for role in PARTY_ROLES:
        roles_of.update({identity(r) for r in ev.roles.role(role)})
    out = []
    for role in PARTY_ROLES:
        refs = ev.roles.role(role)
        for index, ref in enumerate(refs):
            features = _ref_features(ev, ref, said)
            features.update(form)
            features.update(
                {
                    f"role_{role}": 1.0,
                    "from_text": float(role == "organizers" and ev.roles.organizers_from_text),
                    "first": float(index == 0),
                    "crowded": _cap(len(refs), 10),
                    "other_role": float(roles_of[identity(ref)] > 1),
                }
            )
            out.append((role, index, features))
    return out


def _group_features(ev: Evidence, group: Group, said: Counter[str], roles: set[str]) -> Iterable[Features]:
    form = {**ev.form, **_event_read(ev)}
    for ref in group.members:
        features = _ref_features(ev, ref, said, local=False)
        features.update(form)
        features.update(
            {
                "group_text": float(group.found_in == "text"),
                "labelled": float(group.label is not None),
                "crowded": _cap(len(group.members), 20),
                "other_role": float(identity(ref) in roles),
            }
        )
        yield features


def participant_features(ev: Evidence) -> list[Features]:
    """The features of every participant, group by group, member by member (the record's order)."""
    said = _said(ev)
    roles = {identity(r) for role in PARTY_ROLES for r in ev.roles.role(role)}
    return [f for group in ev.roles.participants for f in _group_features(ev, group, said, roles)]


def logit(model: ConfidenceModelRow, features: Mapping[str, float]) -> float:
    """The model's raw score of the features (unknown features weigh nothing)."""
    weights = model.weights
    return model.intercept + sum(weights.get(name, 0.0) * value for name, value in features.items())


def probability(model: ConfidenceModelRow, features: Mapping[str, float]) -> float:
    """The calibrated probability, rounded to 3 decimals."""
    a, b = model.platt
    z = a * logit(model, features) + b
    z = max(-30.0, min(30.0, z))
    return round(1.0 / (1.0 + math.exp(-z)), 3)


@derived
def confidence_models(rules: Rules) -> dict[str, ConfidenceModelRow]:
    """The model of each family in ``data/confidence.jsonl``."""
    rows = (r.root for r in rules.rows("confidence.jsonl", ConfidenceRow))
    return {row.family: row for row in rows if isinstance(row, ConfidenceModelRow)}


@dataclass(frozen=True)
class Scored:
    """One note's probabilities: per event field, per role list (record order), per participant."""

    event: dict[str, float] | None
    parties: dict[str, list[float | None]]
    participants: list[float | None]


@dataclass(frozen=True)
class Scorer:
    """Scores a note's decided values with the models of one rule bundle."""

    models: Mapping[str, ConfidenceModelRow]

    @classmethod
    def of(cls, rules: Rules) -> Scorer:
        """The scorer of ``rules``' ``confidence.jsonl``."""
        return cls(confidence_models(rules))

    def _p(self, family: str, features: Features) -> float | None:
        model = self.models.get(family)
        return None if model is None else probability(model, features)

    def score(self, ev: Evidence) -> Scored:
        """Every decided value's probability (None where the family has no model)."""
        fields = {name: self._p("event", f) for name, f in event_features(ev).items()}
        event: dict[str, float] = {k: v for k, v in fields.items() if v is not None}
        parties: dict[str, list[float | None]] = {role: [] for role in PARTY_ROLES}
        for role, _index, features in party_features(ev):
            parties[role].append(self._p("party", features))
        participants = [self._p("participant", f) for f in participant_features(ev)]
        return Scored(event if len(event) == len(EVENT_FIELDS) else None, parties, participants)
