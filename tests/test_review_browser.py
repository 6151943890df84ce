"""The review site in a real headless browser (system Chromium driven by Selenium).

Checks what a person relies on: every highlight's text is the raw slice its record names, every span
the record names is highlighted, and the index filters change what the table shows. Saves a
screenshot of one note page under artifacts/ (kept by CI). Without Chromium and chromedriver the
tests fail in CI (CI set) and are skipped elsewhere, with the reason.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from note_extract.batch.batch import run_batch
from note_extract.batch.records import load_batch
from note_extract.core.settings import Settings
from note_extract.pipeline import Pipeline
from note_extract.read.reader import read_note
from note_extract.review.site import build_site

from .conftest import ALL_NOTES, NOTES_DIR, RAW_DIR, ROOT

ARTIFACTS = ROOT / "artifacts"
INSTALL = "apt-get install -y chromium chromium-driver"


def _browser_paths() -> tuple[str, str] | None:
    driver = shutil.which("chromedriver")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    return (driver, browser) if driver and browser else None


def _require_browser() -> tuple[str, str]:
    """(chromedriver, chromium), or fail in CI / skip elsewhere with the reason."""
    paths = _browser_paths()
    if paths is None:
        reason = f"Chromium and chromedriver are not installed (Debian: {INSTALL})"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; .ci/run installs them", pytrace=False)
        pytest.skip(reason)
    return paths


def test_a_missing_browser_fails_in_ci_and_skips_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="not installed"):
        _require_browser()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="apt-get install"):
        _require_browser()


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    paths = _require_browser()
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("selenium is not installed (pip install -e '.[dev]')", pytrace=False)
        pytest.skip("selenium is not installed (pip install -e '.[dev]')")
    options = webdriver.ChromeOptions()
    options.binary_location = paths[1]
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000"):
        options.add_argument(arg)
    browser = webdriver.Chrome(options=options, service=Service(executable_path=paths[0]))
    try:
        yield browser
    finally:
        browser.quit()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The site of a batch over the seeds and tests/notes: (records folder, site folder)."""
    root = tmp_path_factory.mktemp("review")
    out = root / "out"
    for folder in (RAW_DIR, NOTES_DIR):
        summary = run_batch(folder, out, Settings(), workers=1, force=True)
        assert summary.count("failed") == 0
    build_site(out, root / "site", Pipeline(Settings()).resolver, (RAW_DIR, NOTES_DIR))
    return out, root / "site"


def _spans(node: Any) -> Iterator[tuple[int, int]]:
    """Every span in a record's JSON except those of sections and furniture (not highlighted)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("sections", "furniture"):
                continue
            if key in ("span", "title_span", "date_span", "label_span") and value is not None:
                yield (value[0], value[1])
            else:
                yield from _spans(value)
    elif isinstance(node, list):
        for item in node:
            yield from _spans(item)


PIECES = """return Array.from(document.querySelectorAll('mark[data-h]')).map(
  m => [m.dataset.h, Number(m.dataset.s), Number(m.dataset.e), m.textContent]);"""


def test_every_highlight_is_the_raw_slice_its_record_names(driver: Any, site: tuple[Path, Path]) -> None:
    out, site_dir = site
    batch = load_batch(out)
    assert len(batch) == len(ALL_NOTES)
    checked = 0
    for item in batch:
        record = item.record
        folder = RAW_DIR if (RAW_DIR / record.source.path).is_file() else NOTES_DIR
        raw, _source = read_note(folder / record.source.path)
        driver.get((site_dir / "notes" / f"{item.rel}.html").as_uri())
        joined: dict[str, str] = {}
        bounds: dict[str, tuple[int, int]] = {}
        for group, start, end, text in driver.execute_script(PIECES):
            joined[group] = joined.get(group, "") + text
            bounds[group] = (start, end)
        for group, (start, end) in bounds.items():
            assert joined[group] == raw[start:end], (record.id, group)
            checked += 1
        expected = {s for s in _spans(record.model_dump(mode="json")) if s[0] < s[1]}
        assert set(bounds.values()) == expected, record.id
    assert checked > 200


def test_hover_shows_field_identity_and_method(driver: Any, site: tuple[Path, Path]) -> None:
    out, site_dir = site
    record = next(i.record for i in load_batch(out) if i.record.id.startswith("001"))
    ici = next(m for g in record.participants for m in g.members if m.text == "ICI")
    organizer = record.organizers[0]
    driver.get((site_dir / "notes" / f"{record.id}.html").as_uri())
    mark = driver.find_element("id", f"h-{organizer.span[0]}-{organizer.span[1]}")
    driver.execute_script("arguments[0].focus()", mark)
    tip = driver.find_element("id", "tip").text
    assert f"organizer: {organizer.name} [{organizer.id}]" in tip
    assert f"{organizer.match.method} {organizer.match.score:g}" in tip
    link = driver.find_element("css selector", "a[data-issue-link]")
    link.click()
    focused = driver.switch_to.active_element
    assert focused.get_attribute("id") == f"h-{ici.span[0]}-{ici.span[1]}"
    assert "unresolved" in driver.find_element("id", "tip").text
    ARTIFACTS.mkdir(exist_ok=True)
    driver.execute_script("window.scrollTo(0, 0)")
    assert driver.save_screenshot(str(ARTIFACTS / "review-note.png"))


def _rows(driver: Any) -> list[str]:
    return [
        str(r)
        for r in driver.execute_script(
            "return Array.from(document.querySelectorAll('#notes tbody tr')).map(r => r.dataset.id);"
        )
    ]


def _choose(driver: Any, select_id: str, value: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element("id", select_id)).select_by_value(value)


def test_filters_and_sorting_change_the_index(driver: Any, site: tuple[Path, Path]) -> None:
    out, site_dir = site
    records = [i.record for i in load_batch(out)]
    driver.get((site_dir / "index.html").as_uri())
    assert sorted(_rows(driver)) == sorted(r.id for r in records)
    assert driver.find_element("id", "count").text == f"{len(records)} of {len(records)} notes"

    _choose(driver, "f-code", "org-unresolved")
    expected = sorted(r.id for r in records if any(i.code == "org-unresolved" for i in r.issues))
    assert expected and sorted(_rows(driver)) == expected

    _choose(driver, "f-code", "")
    _choose(driver, "f-year", "2016")
    expected = sorted(r.id for r in records if r.event.start_date and r.event.start_date.year == 2016)
    assert sorted(_rows(driver)) == expected

    _choose(driver, "f-year", "")
    _choose(driver, "f-country", "PA")
    expected = sorted(r.id for r in records if r.event.venue.country_code == "PA")
    assert sorted(_rows(driver)) == expected

    _choose(driver, "f-country", "")
    _choose(driver, "f-sev", "warning")
    expected = sorted(r.id for r in records if any(i.severity == "warning" for i in r.issues))
    assert sorted(_rows(driver)) == expected

    _choose(driver, "f-sev", "")
    organizer = records[0].organizers[0].name
    assert organizer is not None
    _choose(driver, "f-org", organizer)
    expected = sorted(r.id for r in records if any(o.name == organizer for o in r.organizers))
    assert sorted(_rows(driver)) == expected

    _choose(driver, "f-org", "")
    driver.find_element("css selector", 'button[data-sort="start"]').click()
    dated = sorted((r.event.start_date.isoformat(), r.id) for r in records if r.event.start_date)
    assert _rows(driver)[0] == dated[-1][1]
