"""Wrappings a converter or a channel may put around a note, one small function per decoration.

Each decoration takes the note's text and a seeded :class:`random.Random` and returns the wrapped
text; it knows nothing of the extractor. :func:`wrap` stacks a seeded random combination of them
(inner decorations first: labels and values, then inline markup, escapes, line prefixes, containers).
A wrapped note must give the same record as the note itself on title, dates, venue and parties.

:data:`HELD_OUT` names the decorations kept out of the development loop (chosen before any failure
was looked at): their figure measures how the reader generalizes to shapes it was not tuned on.
"""

from __future__ import annotations

import html
import html.entities
import json
import quopri
import random
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

Decoration = Callable[[str, random.Random], str]

# A header line "Label: value" (markdown emphasis allowed around the label) before the first heading.
_LABEL_LINE = re.compile(
    r"^(?P<lead>[ \t]*)(?:\*\*)?(?P<label>[A-Z\u00c0-\u00de][\w' ()/&\u00c0-\u00ff-]{1,40}?)[ \t]*(?:\*\*)?"
    r"[ \t]*:[ \t]*(?:\*\*)?[ \t]+(?P<value>\S[^\n]*)$",
    re.MULTILINE,
)
_BODY = re.compile(r"^[ \t]*(?:#{1,6}[ \t]*)?(?:\d{1,2}|[IVX]{1,4})[.)][ \t]+[A-Z]", re.MULTILINE)


def _header_end(text: str) -> int:
    body = _BODY.search(text)
    return body.start() if body is not None else min(len(text), 2500)


def _map_label_lines(text: str, fn: Callable[[re.Match[str]], str]) -> str:
    """Apply ``fn`` to each ``Label: value`` line of the header (the part before the first heading)."""
    end = _header_end(text)
    return _LABEL_LINE.sub(fn, text[:end]) + text[end:]


def _lines(text: str, fn: Callable[[int, str], str]) -> str:
    return "\n".join(fn(i, line) for i, line in enumerate(text.split("\n")))


# ------------------------------------------------------------------ labels and values


def labels_upper(text: str, rng: random.Random) -> str:
    """Labels in capitals: ``EVENT: ...``."""
    return _map_label_lines(text, lambda m: f"{m['lead']}{m['label'].upper()}: {m['value']}")


def label_separator(text: str, rng: random.Random) -> str:
    """Another mark after the label: ``::``, ``=``, ``|``, a TAB or two spaces and more."""
    sep = rng.choice([" :: ", " = ", " | ", "\t", "    "])
    return _map_label_lines(text, lambda m: f"{m['lead']}{m['label']}{sep}{m['value']}")


def label_above(text: str, rng: random.Random) -> str:
    """Each label alone on its line, its value on the next."""
    return _map_label_lines(text, lambda m: f"{m['lead']}{m['label']}:\n{m['value']}")


def trailing_scores(text: str, rng: random.Random) -> str:
    """Two numeric columns after each labelled value (extraction scores, coordinates)."""

    def add(m: re.Match[str]) -> str:
        a, b = rng.random(), rng.uniform(-90, 90)
        return f"{m.group(0)}\t{a:.2f}\t{b:.4f}"

    return _map_label_lines(text, add)


def placeholders(text: str, rng: random.Random) -> str:
    """Empty template fields the note does not fill: ``Observers: N/A``, ``Remarks: --``."""
    end = _header_end(text)
    filler = rng.choice(["N/A", "--", "(blank)", "[insert text]", "{{value}}", "n/a", "-", "TBD"])
    extra = [f"Observers: {filler}", f"Remarks: {rng.choice(['N/A', '--', '(blank)'])}"]
    if re.search(r"observ", text[:end], re.IGNORECASE):
        extra = extra[1:]
    head = text[:end].rstrip("\n")
    return head + "\n" + "\n".join(extra) + "\n\n" + text[end:]


def key_value_csv(text: str, rng: random.Random) -> str:
    """The header as key/value rows of a CSV file: ``"Event","Regional ..."``."""

    def row(m: re.Match[str]) -> str:
        value = m["value"].replace('"', '""')
        return f'{m["lead"]}"{m["label"]}","{value}"'

    return _map_label_lines(text, row)


def key_value_tsv(text: str, rng: random.Random) -> str:
    """The header as key/value rows of a TSV file."""
    return _map_label_lines(text, lambda m: f"{m['label']}\t{m['value']}")


# ------------------------------------------------------------------ inline markup


def bold_labels(text: str, rng: random.Random) -> str:
    """Labels in markdown or wiki emphasis: ``**Event:**``, ``__Event__:``, ``'''Event:'''``."""
    form = rng.choice(["**{}:**", "__{}__:", "'''{}:'''", "*{}*:"])
    return _map_label_lines(text, lambda m: f"{m['lead']}{form.format(m['label'])} {m['value']}")


def html_inline(text: str, rng: random.Random) -> str:
    """HTML tags inside the text: labels in ``<b>``, values in ``<i>`` or ``<span>``."""
    tag = rng.choice(["i", "span", "em"])
    return _map_label_lines(
        text, lambda m: f"{m['lead']}<b>{m['label']}:</b> <{tag}>{html.escape(m['value'], False)}</{tag}>"
    )


def latex_commands(text: str, rng: random.Random) -> str:
    """LaTeX-like commands: ``\\textbf{Event:} value \\\\``."""
    return _map_label_lines(text, lambda m: f"{m['lead']}\\textbf{{{m['label']}:}} {m['value']} \\\\")


def markdown_headings(text: str, rng: random.Random) -> str:
    """Each label a markdown heading, its value below it."""
    return _map_label_lines(text, lambda m: f"### {m['label']}\n\n{m['value']}\n")


def wiki_definitions(text: str, rng: random.Random) -> str:
    """A wiki definition list: ``; Event : value``."""
    return _map_label_lines(text, lambda m: f"; {m['label']} : {m['value']}")


# ------------------------------------------------------------------ escapes and invisible debris


def html_entities(text: str, rng: random.Random) -> str:
    """Accented letters and marks as named or numeric character references."""
    numeric = rng.random() < 0.5

    def ref(ch: str) -> str:
        if ord(ch) < 128 and ch not in "&'\"":
            return ch
        name = html.entities.codepoint2name.get(ord(ch))
        if name is not None and not numeric:
            return f"&{name};"
        return f"&#{ord(ch)};" if rng.random() < 0.5 else f"&#x{ord(ch):X};"

    return "".join(ref(ch) for ch in text)


def backslash_escapes(text: str, rng: random.Random) -> str:
    """Markdown-style backslash escapes before punctuation: ``\\(UNODA\\)``, ``1540 \\(2004\\)``."""
    return re.sub(r"([()\[\]\-.!_#*+])", r"\\\1", text)


def unicode_escapes(text: str, rng: random.Random) -> str:
    """Non-ASCII letters as ``\\uNNNN`` escapes."""
    return "".join(ch if ord(ch) < 128 else f"\\u{ord(ch):04x}" for ch in text)


def rtf_escapes(text: str, rng: random.Random) -> str:
    """RTF: accented letters as ``\\'e9``, line ends as ``\\par``, the group braces around it."""
    body = "".join(
        ch if ord(ch) < 128 else (f"\\'{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch)}?") for ch in text
    )
    body = body.replace("\n", "\\par\n")
    return "{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}}\n\\f0\\fs24 " + body + "\n}"


def quoted_printable(text: str, rng: random.Random) -> str:
    """Quoted-printable as a mail body: ``=C3=A9``, ``=3D``, soft line breaks at 76 columns."""

    return quopri.encodestring(text.encode("utf-8")).decode("ascii")


def soft_hyphens(text: str, rng: random.Random) -> str:
    """Soft hyphens and zero-width characters inside long words."""

    def word(m: re.Match[str]) -> str:
        w = m.group(0)
        if rng.random() < 0.3:
            cut = rng.randrange(2, len(w) - 2)
            return w[:cut] + rng.choice(["\u00ad", "\u200b", "\u200c", "\u2060"]) + w[cut:]
        return w

    return re.sub(r"[^\W\d_]{7,}", word, text)


def form_feeds(text: str, rng: random.Random) -> str:
    """Form feeds between paragraphs (a page break from a printer dump)."""
    return re.sub(r"\n\n(?=\S)", lambda m: "\n\f\n" if rng.random() < 0.3 else m.group(0), text)


# ------------------------------------------------------------------ line prefixes


def quote_marks(text: str, rng: random.Random) -> str:
    """An e-mail quote: ``> `` before every line, once or twice."""
    prefix = rng.choice(["> ", ">", "> > ", ">> "])
    return _lines(text, lambda i, line: (prefix + line).rstrip() if line else prefix.rstrip())


def chat_prefix(text: str, rng: random.Random) -> str:
    """A chat export: every line after a time stamp and a speaker."""
    who = rng.choice(["alice", "J. Smith", "ops-bot"])
    hour = rng.randrange(8, 18)

    def line(i: int, s: str) -> str:
        return f"[{hour:02d}:{(i // 3) % 60:02d}] {who}: {s}"

    return _lines(text, line)


def line_numbers(text: str, rng: random.Random) -> str:
    """A numbered listing: ``  12 | text`` or ``0012  text``."""
    form = rng.choice(["{:4d} | ", "{:04d}  ", "{:3d}: ", "{:d}\t"])
    return _lines(text, lambda i, s: form.format(i + 1) + s)


def indented(text: str, rng: random.Random) -> str:
    """The whole note indented (a code block, a quoted mail in some clients)."""
    pad = rng.choice(["    ", "\t", "  "])
    return _lines(text, lambda i, s: pad + s if s else s)


def list_markers(text: str, rng: random.Random) -> str:
    """A bullet or list marker before every non-blank header line."""
    mark = rng.choice(["- ", "* ", "\u2022 ", "+ "])
    end = _header_end(text)
    head = _lines(text[:end], lambda i, s: mark + s if s.strip() else s)
    return head + text[end:]


def boxed(text: str, rng: random.Random) -> str:
    """Every line inside a box border: ``| text |``, padded to one width."""
    width = min(100, max(len(s) for s in text.split("\n")))
    bar = rng.choice(["|", "\u2502"])
    return _lines(text, lambda i, s: f"{bar} {s.ljust(width)} {bar}")


def hard_wrap(text: str, rng: random.Random) -> str:
    """Lines broken at a fixed width, as a mail client or a text export does."""

    width = rng.choice([60, 66, 72])
    return "\n".join(
        "\n".join(textwrap.wrap(s, width, break_long_words=False, break_on_hyphens=False)) if s.strip() else s
        for s in text.split("\n")
    )


# ------------------------------------------------------------------ containers


def json_object(text: str, rng: random.Random) -> str:
    """The note as a text field of a JSON object, with other fields around it."""
    key = rng.choice(["text", "body", "content"])
    data = {"id": f"doc-{rng.randrange(1000)}", "source": "export", key: text, "lang": "en"}
    return json.dumps(data, ensure_ascii=rng.random() < 0.5, indent=rng.choice([None, 2]))


def json_lines(text: str, rng: random.Random) -> str:
    """The note as JSON lines, one object per line of text."""
    return "\n".join(
        json.dumps({"line": i + 1, "text": s}, ensure_ascii=False) for i, s in enumerate(text.split("\n"))
    )


def html_document(text: str, rng: random.Random) -> str:
    """The note as an HTML page: a head, a paragraph per block, lines broken by ``<br>``."""
    paragraphs = [p for p in re.split(r"\n[ \t]*\n", text) if p.strip()]
    body = "\n".join(
        "<p>" + "<br>\n".join(html.escape(s, False) for s in p.split("\n")) + "</p>" for p in paragraphs
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Information Note</title>\n'
        f"<style>p {{ margin: 0 }}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def email_forward(text: str, rng: random.Random) -> str:
    """E-mail headers and a forward banner before the note."""
    day = rng.randrange(1, 28)
    banner = rng.choice(
        ["---------- Forwarded message ---------", "-----Original Message-----", "Begin forwarded message:"]
    )
    return (
        f"From: Registry <registry@example.org>\nSent: Monday, {day} March 2021 09:{day:02d}\n"
        f"To: desk@example.org\nSubject: FW: Information Note\n\n{banner}\n"
        f"From: Secretariat <sec@example.org>\nDate: Fri, {day} Feb 2021 16:02:11 +0100\n"
        f"Subject: Information Note\n\n{text}\n"
    )


def mail_reply(text: str, rng: random.Random) -> str:
    """A reply's attribution line and a header block with the message's own date (no sender line)."""
    day = rng.randrange(1, 28)
    month = rng.choice(["March", "April", "June"])
    attribution = rng.choice(
        [
            f"On Tue, {day} {month} 2021 at 10:{day:02d}, Desk Officer <desk@example.org> wrote:",
            f"Le mar. {day} mars 2021 à 10:{day:02d}, Desk Officer <desk@example.org> a écrit :",
        ]
    )
    return f"Date: {day} {month} 2021\nSubject: Re: Information Note\n\n{attribution}\n\n{text}\n"


def signature_block(text: str, rng: random.Random) -> str:
    """A sign-off and a signature with an office's address after the note."""
    sign_off = rng.choice(["Best regards,", "Kind regards,", "Cordialement,", "Saludos cordiales,"])
    address = rng.choice(
        [
            "405 East 42nd Street, New York, NY 10017\nUnited States of America",
            "Wagramer Strasse 5, 1400 Vienna, Austria",
            "Palais des Nations, 1211 Geneva 10, Switzerland",
        ]
    )
    day = rng.randrange(1, 28)
    return (
        f"{text.rstrip()}\n\n{sign_off}\n\nDesk Officer\nSecretariat\n{address}\nTel: +1 212 963 {day:04d}\n"
    )


@dataclass(frozen=True)
class Kind:
    """A decoration and the stage it belongs to (lower stages are applied first)."""

    name: str
    stage: int
    apply: Decoration


KINDS: tuple[Kind, ...] = (
    Kind("labels_upper", 0, labels_upper),
    Kind("label_separator", 0, label_separator),
    Kind("label_above", 0, label_above),
    Kind("trailing_scores", 0, trailing_scores),
    Kind("placeholders", 0, placeholders),
    Kind("key_value_csv", 0, key_value_csv),
    Kind("key_value_tsv", 0, key_value_tsv),
    Kind("bold_labels", 1, bold_labels),
    Kind("html_inline", 1, html_inline),
    Kind("latex_commands", 1, latex_commands),
    Kind("markdown_headings", 1, markdown_headings),
    Kind("wiki_definitions", 1, wiki_definitions),
    Kind("soft_hyphens", 2, soft_hyphens),
    Kind("form_feeds", 2, form_feeds),
    Kind("hard_wrap", 2, hard_wrap),
    Kind("quote_marks", 3, quote_marks),
    Kind("chat_prefix", 3, chat_prefix),
    Kind("line_numbers", 3, line_numbers),
    Kind("indented", 3, indented),
    Kind("list_markers", 3, list_markers),
    Kind("boxed", 3, boxed),
    Kind("html_entities", 4, html_entities),
    Kind("backslash_escapes", 4, backslash_escapes),
    Kind("unicode_escapes", 4, unicode_escapes),
    Kind("rtf_escapes", 4, rtf_escapes),
    Kind("quoted_printable", 5, quoted_printable),
    Kind("json_object", 5, json_object),
    Kind("json_lines", 5, json_lines),
    Kind("html_document", 5, html_document),
    Kind("email_forward", 5, email_forward),
    Kind("mail_reply", 5, mail_reply),
    Kind("signature_block", 2, signature_block),
)
BY_NAME = {kind.name: kind for kind in KINDS}

HELD_OUT = frozenset({"chat_prefix", "rtf_escapes", "latex_commands", "key_value_tsv", "json_lines"})
"""Decorations never looked at while the reader was developed: the generalization figure."""

# Decorations whose output no other decoration may wrap again in a way a converter would not.
_LAST = frozenset({"rtf_escapes", "json_object", "json_lines", "quoted_printable", "html_document"})


def combination(rng: random.Random, kinds: tuple[Kind, ...] = KINDS, most: int = 3) -> list[Kind]:
    """One to ``most`` decorations, one per stage at most, in stage order, at most one container."""
    chosen: dict[int, Kind] = {}
    for kind in rng.sample(kinds, k=min(len(kinds), rng.randint(1, most))):
        chosen.setdefault(kind.stage, kind)
    ordered = [chosen[stage] for stage in sorted(chosen)]
    last = [k for k in ordered if k.name in _LAST]
    return [k for k in ordered if k.name not in _LAST] + last[:1]


def wrap(text: str, seed: int, kinds: tuple[Kind, ...] = KINDS, most: int = 3) -> tuple[str, list[str]]:
    """``text`` under a seeded random combination of decorations, and their names in order."""
    rng = random.Random(seed)
    chosen = combination(rng, kinds, most)
    for kind in chosen:
        text = kind.apply(text, rng)
    return text, [k.name for k in chosen]


# ------------------------------------------------------------------ what must not change

NOTE_SETS = (
    "data/raw",
    "tests/notes",
    "tests/reports/notes",
    "tests/heldout/notes",
    "tests/heldout2/notes",
    "../shared/corpus/notes",
    "../shared/corpus/converted/notes",
)
"""Every set of notes with gold, relative to the repository (the shared corpus only when present)."""

FIELDS = ("title", "start", "end", "city", "country", "organizers", "sponsors", "hosts")


_VISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")


def _party(party: dict[str, object]) -> str:
    """A party by its registry id, else by the words of its text (decoration between them aside)."""
    return str(
        party.get("id")
        or party.get("name")
        or " ".join(re.findall(r"[^\W_]+", _VISIBLE.sub("", str(party.get("text")))))
    )


def signature(record: dict[str, object]) -> dict[str, object]:
    """The fields a wrapping must not change, from a record as JSON: title, dates, venue, parties."""
    event = record.get("event") or {}
    assert isinstance(event, dict)
    venue = event.get("venue") or {}
    title = event.get("title")
    return {
        "title": " ".join(str(title).split()) if title else None,
        "start": event.get("start_date"),
        "end": event.get("end_date"),
        "city": venue.get("city"),
        "country": venue.get("country_code"),
        **{
            role: sorted({_party(p) for p in record.get(role) or []})  # type: ignore[attr-defined]
            for role in ("organizers", "sponsors", "hosts")
        },
    }
