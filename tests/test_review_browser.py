"""The review site in a real headless browser (system Chromium driven by Selenium).

Checks what a person relies on: every highlight's text is the raw slice its record names, every span
the record names is highlighted, and the index filters change what the table shows. Saves a
screenshot of each view, at a desktop (1440x900) and a phone (390x844) size, under artifacts/
(ignored by git, kept by CI). Without Chromium and chromedriver the
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
from note_extract.review.page import KINDS, highlights, least_confident
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
        assert driver.execute_script("return document.getElementById('raw').textContent") == raw
    assert checked > 200


def _pop(driver: Any) -> dict[str, Any]:
    """The details box: its text, whether it shows, and whether it lies inside the viewport."""
    return dict(
        driver.execute_script(
            """var p = document.getElementById('pop'), r = p.getBoundingClientRect();
            var w = document.documentElement.clientWidth, h = document.documentElement.clientHeight;
            return {text: p.textContent, shown: !p.hidden && r.height > 0,
                    inside: r.left >= 0 && r.top >= 0 && r.right <= w && r.bottom <= h};"""
        )
    )


def test_hover_shows_field_identity_and_method_in_words(driver: Any, site: tuple[Path, Path]) -> None:
    out, site_dir = site
    record = next(i.record for i in load_batch(out) if i.record.id.startswith("001"))
    ici = next(m for g in record.participants for m in g.members if m.text == "ICI")
    organizer = record.organizers[0]
    driver.get((site_dir / "notes" / f"{record.id}.html").as_uri())
    mark = driver.find_element("id", f"h-{organizer.span[0]}-{organizer.span[1]}")
    driver.execute_script("arguments[0].focus()", mark)
    tip = _pop(driver)["text"]
    assert "organizer" in tip and f"{organizer.name}" in tip and f"[{organizer.id}]" in tip
    assert tip.splitlines()[-1].startswith("line") and "[" + str(organizer.span[0]) not in tip
    link = driver.find_element("css selector", "a[data-issue-link]")
    link.click()
    focused = driver.switch_to.active_element
    assert focused.get_attribute("id") == f"h-{ici.span[0]}-{ici.span[1]}"
    text = _pop(driver)["text"]
    assert "not in the registry" in text and "unresolved" not in text.replace("org-unresolved", "")


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


VIEWS = {"desktop": (1440, 900, False), "phone": (390, 844, True)}


def _view(driver: Any, name: str) -> None:
    width, height, mobile = VIEWS[name]
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
    )
    driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": mobile})


def _shot(driver: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    assert driver.save_screenshot(str(ARTIFACTS / f"review-{name}.png"))


def _longest(out: Path) -> str:
    """The id of the note with the most highlights (the hardest page to place details on)."""
    return max(load_batch(out), key=lambda i: (len(highlights(i.record)), i.rel)).rel


@pytest.mark.parametrize("view", VIEWS)
def test_every_highlight_shows_its_details_inside_the_viewport(
    driver: Any, site: tuple[Path, Path], view: str
) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    out, site_dir = site
    _view(driver, view)
    try:
        for rel in (_longest(out), load_batch(out)[0].rel):
            driver.get((site_dir / "notes" / f"{rel}.html").as_uri())
            marks = driver.find_elements("css selector", "mark[id]")
            assert marks, rel
            for n, mark in enumerate(marks):
                driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", mark)
                if view == "desktop":
                    ActionChains(driver).move_to_element(mark).perform()
                    how = "hover"
                elif n % 2:
                    mark.click()
                    how = "tap"
                else:
                    driver.execute_script("arguments[0].focus()", mark)
                    how = "focus"
                pop = _pop(driver)
                assert pop["shown"] and pop["inside"], (rel, mark.get_attribute("id"), how)
                assert pop["text"].splitlines()[-1].startswith("line"), pop["text"]
            driver.execute_script(
                "arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus()", marks[-1]
            )
            _shot(driver, f"note-{view}-{'long' if rel == _longest(out) else 'first'}")
    finally:
        _view(driver, "desktop")


@pytest.mark.parametrize("view", VIEWS)
def test_the_legend_lists_present_kinds_with_counts_and_toggles_them(
    driver: Any, site: tuple[Path, Path], view: str
) -> None:
    out, site_dir = site
    _view(driver, view)
    try:
        item = next(i for i in load_batch(out) if i.rel == _longest(out))
        counts: dict[str, int] = {}
        for h in highlights(item.record):
            for kind in h.kinds:
                counts[kind] = counts.get(kind, 0) + 1
        driver.get((site_dir / "notes" / f"{item.rel}.html").as_uri())
        shown = driver.execute_script(
            "return Array.from(document.querySelectorAll('.legend button')).map("
            "b => [b.dataset.kind, Number(b.querySelector('b').textContent)]);"
        )
        assert dict(shown) == counts
        assert [kind for kind, _n in shown] == [k for k, _name in KINDS if k in counts]
        kind = next(k for k in ("participant", "organizer", "country") if k in counts)
        coloured = f"return document.querySelectorAll('mark.k-{kind}').length;"
        assert driver.execute_script(coloured) > 0
        button = driver.find_element("css selector", f'.legend button[data-kind="{kind}"]')
        button.click()
        assert button.get_attribute("aria-pressed") == "false"
        assert driver.execute_script(coloured) == 0
        _shot(driver, f"legend-{view}-{kind}-hidden")
        button.click()
        assert button.get_attribute("aria-pressed") == "true" and driver.execute_script(coloured) > 0
    finally:
        _view(driver, "desktop")


@pytest.mark.parametrize("view", VIEWS)
def test_the_index_fits_the_screen_and_finds_an_organizer_by_acronym(
    driver: Any, site: tuple[Path, Path], view: str
) -> None:
    out, site_dir = site
    records = [i.record for i in load_batch(out)]
    _view(driver, view)
    try:
        driver.get((site_dir / "index.html").as_uri())
        width = driver.execute_script("return document.documentElement.clientWidth")
        assert driver.execute_script("return document.documentElement.scrollWidth") <= width
        _shot(driver, f"index-{view}")
        search = driver.find_element("id", "f-text")
        search.send_keys("UNODA")
        expected = sorted(r.id for r in records if any(o.acronym == "UNODA" for o in r.organizers))
        assert expected and sorted(_rows(driver)) == expected
        assert "text=UNODA" in driver.current_url
        _shot(driver, f"index-{view}-unoda")
        driver.get((site_dir / "index.html").as_uri() + "#kind=workshop")
        expected = sorted(r.id for r in records if r.event.kind == "workshop")
        assert expected and sorted(_rows(driver)) == expected
        assert driver.find_element("id", "f-kind").get_attribute("value") == "workshop"
    finally:
        _view(driver, "desktop")


def test_a_chart_bar_filters_the_index(driver: Any, site: tuple[Path, Path]) -> None:
    out, site_dir = site
    records = [i.record for i in load_batch(out)]
    driver.get((site_dir / "index.html").as_uri())
    bar = driver.find_element("css selector", 'g[data-control="f-year"]')
    year = bar.get_attribute("data-value")
    driver.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", bar)
    expected = sorted(r.id for r in records if r.event.start_date and str(r.event.start_date.year) == year)
    assert sorted(_rows(driver)) == expected
    assert f"year={year}" in driver.current_url


def test_keys_move_between_issues(driver: Any, site: tuple[Path, Path]) -> None:
    from selenium.webdriver.common.keys import Keys

    out, site_dir = site
    item = next(i for i in load_batch(out) if sum(1 for x in i.record.issues if x.span) >= 2)
    starts = sorted({x.span[0] for x in item.record.issues if x.span})
    driver.get((site_dir / "notes" / f"{item.rel}.html").as_uri())
    body = driver.find_element("tag name", "body")
    body.send_keys("n")
    first = driver.switch_to.active_element.get_attribute("id")
    assert first is not None and int(first.split("-")[1]) == starts[0]
    driver.switch_to.active_element.send_keys("n")
    second = driver.switch_to.active_element.get_attribute("id")
    assert second is not None and int(second.split("-")[1]) == starts[1]
    driver.switch_to.active_element.send_keys("p")
    assert driver.switch_to.active_element.get_attribute("id") == first
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    assert not _pop(driver)["shown"]
    tab_stops = driver.execute_script("return document.querySelectorAll('mark[tabindex=\"0\"]').length")
    mentions_only = driver.execute_script(
        "return document.querySelectorAll('mark.k-country[tabindex=\"0\"]:not(.has-issue)').length"
    )
    assert tab_stops > 0 and mentions_only == 0


def test_the_index_sorts_and_filters_by_least_confidence(driver: Any, site: tuple[Path, Path]) -> None:
    out, site_dir = site
    records = [i.record for i in load_batch(out)]
    lows = {r.id: low for r in records if (low := least_confident(r)) is not None}
    if not lows:
        pytest.skip("these records carry no confidence")
    driver.get((site_dir / "index.html").as_uri() + "#conf=0.8")
    assert sorted(_rows(driver)) == sorted(i for i, low in lows.items() if low[0] < 0.8)
    driver.get((site_dir / "index.html").as_uri() + "#sort=conf")
    first = _rows(driver)[0]
    assert lows[first][0] == min(low[0] for low in lows.values())
