"""How long ``review`` takes to write the site of a batch, for ``note-extract bench``.

Contract: :func:`time_review` converts the first ``notes`` files (with ``run_batch``, untimed, into a
temporary folder) and times :func:`~note_extract.review.site.build_site` over the records, raw notes
included, into another temporary folder; it returns (notes in the site, seconds). Both folders are
removed afterwards. Building the resolver is not timed (``review`` builds one Pipeline first).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from note_extract.batch.batch import default_workers, run_batch
from note_extract.core.settings import Settings
from note_extract.lexicon.registry import rules_registry
from note_extract.lexicon.resolve import Resolver
from note_extract.review.site import build_site
from note_extract.rules.bundle import rules_for

REVIEW_NOTES = 2000
"""How many notes the timed site holds (or fewer when the corpus is smaller)."""


def time_review(files: Sequence[Path], settings: Settings, notes: int = REVIEW_NOTES) -> tuple[int, float]:
    """Seconds to write the review site of the first ``notes`` files; see the module docstring."""
    chosen = list(files)[:notes]
    if not chosen:
        raise ValueError("no notes to build a site from")
    root = chosen[0].parent
    resolver = Resolver(rules_registry(rules_for(settings)), settings.fuzzy_cutoff, settings.fuzzy_margin)
    with tempfile.TemporaryDirectory(prefix="note-extract-bench-review-") as work:
        out, site = Path(work) / "out", Path(work) / "site"
        run_batch(root, out, settings, workers=default_workers(), force=True, files=chosen)
        started = time.perf_counter()
        summary = build_site(out, site, resolver, (root,))
        return summary.notes, time.perf_counter() - started
