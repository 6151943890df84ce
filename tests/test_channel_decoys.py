"""A channel's own dates and addresses (a message's date, a reply's attribution, a signature) never
become the event's date or venue."""

from __future__ import annotations

import pytest

from note_extract.pipeline import Pipeline

from .conftest import extract

HEADER_NOTE = (
    "Event: Regional Workshop on Export Control\n\nOrganizers: UNODA\n\n"
    "Date and venue: 14-16 May 2019, Lima, Peru\n\n1. The workshop gathered officials.\n"
)
PROSE_NOTE = (
    "Press release\n\nThe United Nations Office for Disarmament Affairs (UNODA) held a national workshop "
    "on resolution 1540 (2004) in Lima, Peru, on 14 and 15 May 2019.\n"
)

WRAPPINGS = {
    "message date above its subject": "Date: 3 March 2021\nSubject: Re: Information Note\n\n{note}",
    "reply attribution": "On Tue, 3 March 2021 at 10:14, Desk Officer <desk@example.org> wrote:\n\n{note}",
    "attribution in French": "Le mar. 3 mars 2021 à 10:14, D. Officer <d@example.org> a écrit :\n\n{note}",
    "signature": "{note}\nBest regards,\n\nD. Officer\n405 East 42nd Street, New York, NY 10017\nUSA\n",
}


@pytest.mark.parametrize("note", [HEADER_NOTE, PROSE_NOTE], ids=["header", "prose"])
@pytest.mark.parametrize("wrapping", sorted(WRAPPINGS))
def test_the_channel_gives_no_event_date_or_venue(pipeline: Pipeline, note: str, wrapping: str) -> None:
    plain = extract(pipeline, note).event
    wrapped = extract(pipeline, WRAPPINGS[wrapping].format(note=note)).event
    assert (wrapped.start_date, wrapped.end_date) == (plain.start_date, plain.end_date)
    assert (wrapped.venue.city, wrapped.venue.country_code) == (plain.venue.city, plain.venue.country_code)
    assert wrapped.title == plain.title


def test_a_note_whose_date_label_stands_alone_keeps_it(pipeline: Pipeline) -> None:
    note = "Event: Workshop\n\nDate: 14 May 2019\n\nVenue: Lima, Peru\n\nOrganizers: UNODA\n"
    assert str(extract(pipeline, note).event.start_date) == "2019-05-14"
