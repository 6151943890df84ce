"""Bar charts as inline SVG for the review site: no plotting library, no script.

Contract: :func:`bar_chart` returns one ``<figure>`` holding an ``<svg>`` of horizontal bars, one per
(label, count) pair in the order given, each labelled with its text and count, with a ``<title>`` per
bar for screen readers and hover, and the figure caption as its accessible name. Every label is
HTML-escaped. With ``control`` (the id of an index filter), each bar is a button that sets that filter
to its label (or to its entry of ``values``). An empty list gives a figure that says there is nothing
to show.
"""

from __future__ import annotations

from html import escape

ROW = 22
LABEL_WIDTH = 230
BAR_WIDTH = 300
COUNT_WIDTH = 50


def _cut(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(
    caption: str,
    items: list[tuple[str, int]],
    colour: str = "#0072B2",
    control: str | None = None,
    values: list[str] | None = None,
) -> str:
    """One chart; see the module docstring."""
    if not items:
        return f'<figure class="chart"><figcaption>{escape(caption)}</figcaption><p>none</p></figure>'
    top = max(count for _label, count in items) or 1
    height = ROW * len(items) + 4
    width = LABEL_WIDTH + BAR_WIDTH + COUNT_WIDTH
    rows = []
    for index, (label, count) in enumerate(items):
        y = index * ROW + 2
        length = max(1.0, BAR_WIDTH * count / top)
        target = ""
        if control is not None:
            value = values[index] if values is not None else label
            target = (
                f' data-control="{escape(control)}" data-value="{escape(value)}" tabindex="0" role="button"'
                f' aria-label="show only {escape(label)} ({count})"'
            )
        rows.append(
            f"<g{target}><title>{escape(label)}: {count}</title>"
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end">{escape(_cut(label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{length:.1f}" height="{ROW - 6}" fill="{colour}"/>'
            f'<text x="{LABEL_WIDTH + length + 5:.1f}" y="{y + 15}">{count}</text></g>'
        )
    return (
        f'<figure class="chart"><figcaption>{escape(caption)}</figcaption>'
        f'<svg role="img" aria-label="{escape(caption)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
        + "".join(rows)
        + "</svg></figure>"
    )
