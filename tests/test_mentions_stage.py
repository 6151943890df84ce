"""The mentions stage alone, on hand-built text and hits (see ``stage_inputs``)."""

from __future__ import annotations

from datetime import date

from note_extract.parties.mentions import extract_mentions

from .stage_inputs import RULES, hits, refs


def test_every_mention_keeps_its_clean_span_and_identity() -> None:
    text = (
        "Recalling resolution 1540 (2004) and UNSCRs 1810 and 1977, UNODA met Kenya on 4 May 2017. "
        "Write to Contact.Person@UN.org."
    )
    found = hits(text, ("UNODA", "org", "unoda"), ("Kenya", "country", "KE"))
    mentioned = extract_mentions(RULES, text, found, refs(text), ("en",), None)
    assert [(r.id, text[slice(*r.span)]) for r in mentioned.organizations] == [("unoda", "UNODA")]
    assert [(r.id, r.match.method) for r in mentioned.countries] == [("country:KE", "exact")]
    assert [(c.number, c.year, c.year_inferred, text[slice(*c.span)]) for c in mentioned.resolutions] == [
        (1540, 2004, False, "1540 (2004)"),
        (1810, 2008, True, "1810"),
        (1977, 2011, True, "1977"),
    ]
    assert [(d.start_date, text[d.start : d.end]) for d in mentioned.dates] == [
        (date(2017, 5, 4), "4 May 2017")
    ]
    [email] = mentioned.emails
    assert email.address == "contact.person@un.org" and text[slice(*email.span)] == "Contact.Person@UN.org"


def test_a_bare_number_is_no_resolution_and_an_unlisted_one_has_no_year() -> None:
    text = "The 1540 Committee noted resolution 2999; 1540 participants came."
    mentioned = extract_mentions(RULES, text, [], refs(text), ("en",), None)
    assert [(c.number, c.year, c.year_inferred) for c in mentioned.resolutions] == [(2999, None, False)]
