"""Mentions: resolutions, e-mail addresses, organizations and countries anywhere in the note."""

from __future__ import annotations

from note_extract.pipeline import Pipeline

from .conftest import extract


def test_resolutions_with_and_without_year_but_never_bare_numbers(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "Resolutions 1977 (2011) and 2325 (2016) encourage the 1540 Committee; see Res.1540 and "
        "UNSCR 2663, resolution 1234, the1540 Committee and 4000 participants.",
    )
    found = [(r.number, r.year, r.year_inferred, r.text) for r in record.mentions.resolutions]
    assert found == [
        (1977, 2011, False, "1977 (2011)"),
        (2325, 2016, False, "2325 (2016)"),
        (1540, 2004, True, "1540"),
        (2663, 2022, True, "2663"),
        (1234, None, False, "1234"),  # not of the 1540 family: no year is invented
    ]


def test_resolution_lists_and_parenthesized_keywords(pipeline: Pipeline) -> None:
    record = extract(
        pipeline,
        "consistent with UNSCRs 1540 and\n1810. Resolution (UNSCR) 1673 and the Resolution 2055 "
        "(UNSCR 2055).",
    )
    found = [(r.number, r.year) for r in record.mentions.resolutions]
    assert found == [(1540, 2004), (1810, 2008), (1673, 2006), (2055, 2012), (2055, 2012)]


def test_emails_lower_cased_with_spans(pipeline: Pipeline) -> None:
    raw = "contact [1540Experts@UN.org](mailto:1540Experts@UN.org) now"
    [email] = extract(pipeline, raw).mentions.emails
    assert email.address == "1540experts@un.org"
    assert raw[email.span[0] : email.span[1]] == "1540Experts@UN.org"


def test_acronyms_are_case_sensitive(pipeline: Pipeline) -> None:
    record = extract(pipeline, "The WHO said who would come. The Who were not there.")
    assert [m.text for m in record.mentions.organizations] == ["WHO"]


def test_a_name_wrapped_over_lines_is_found(pipeline: Pipeline) -> None:
    raw = "with the International Atomic\nEnergy Agency (IAEA) and OPCW"
    orgs = extract(pipeline, raw).mentions.organizations
    assert [o.id for o in orgs] == ["iaea", "opcw"]
    assert orgs[0].text == "International Atomic\nEnergy Agency (IAEA)"
