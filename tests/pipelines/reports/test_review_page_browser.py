"""report.html driven in headless Chromium as an analyst uses it: search, filters, the
需复核 filter, CSV export of the rows shown, the link to the whole document and back.
Screenshots of what it shows go to docs/screenshots/ (the README shows them).

Debian's chromium (``make test`` installs it where missing), driven by Playwright from
PyPI through its own executable path: no browser is downloaded."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make test installs it; apt-get install chromium)"),
    pytest.mark.xdist_group("seed-run"),
]
SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
# as the machine's notes say: without these, Chromium's calls home are refused, many at a time
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def page(seed_run, tmp_path_factory):
    playwright = pytest.importorskip("playwright.sync_api")
    out, _ = seed_run
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900}, locale="zh-CN")
        tab = context.new_page()
        problems = []
        tab.on("pageerror", lambda exc: problems.append(str(exc)))
        tab.goto((out / "report.html").as_uri())
        yield tab, out, problems
        browser.close()


def _catalogue(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "catalogue.jsonl").read_text(encoding="utf-8").splitlines()]


def _shown(tab) -> int:
    return tab.locator("#measures tbody tr:not([hidden])").count()


def _reset(tab) -> None:
    tab.fill("#f-search", "")
    for key in ("class", "status", "level", "body", "document"):
        tab.select_option(f"#f-{key}", "")
    tab.set_checked("#f-review", False)


def test_search_looks_at_every_field(page):
    tab, out, problems = page
    rows = _catalogue(out)
    assert _shown(tab) == len(rows) and tab.locator("#measures thead th").count() == 2
    # a place name: every measure of the documents of that region (the measure itself rarely names it)
    tab.fill("#f-search", "靖江")
    expected = [r for r in rows if any("靖江" in (r.get(k) or "") for k in ("title", "region", "issuing_body", "sentence", "text", "source_path"))
                or any("靖江" in (b.get("mention") or "") for b in r["bodies"])]
    assert _shown(tab) == len(expected) > 10
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.locator("#measure-list").scroll_into_view_if_needed()
    tab.screenshot(path=str(SCREENSHOTS / "review-search.png"))
    # a word of the sentence alone, not of the measure
    sample = next(r for r in rows if len(r["sentence"]) > len(r["text"]) + 8)
    word = next(sample["sentence"][i : i + 4] for i in range(len(sample["sentence"]) - 4) if sample["sentence"][i : i + 4] not in sample["text"])
    tab.fill("#f-search", word)
    assert _shown(tab) >= 1
    assert tab.locator(f"#m-{sample['measure_id']}").is_visible()
    assert problems == []


def test_review_filter_and_class_filter(page):
    tab, out, problems = page
    rows = _catalogue(out)
    _reset(tab)
    tab.set_checked("#f-review", True)
    assert _shown(tab) == sum(1 for r in rows if r["needs_review"]) > 0
    tab.screenshot(path=str(SCREENSHOTS / "review-filter.png"))
    code = rows[0]["category"]
    tab.select_option("#f-class", code)
    assert _shown(tab) == sum(1 for r in rows if r["needs_review"] and r["category"] == code)
    assert tab.locator("#f-count").inner_text().startswith(f"显示 {_shown(tab)} /")
    assert problems == []


def test_export_writes_the_rows_shown(page):
    tab, out, _ = page
    _reset(tab)
    tab.set_checked("#f-review", True)
    shown = _shown(tab)
    with tab.expect_download() as caught:
        tab.click("#f-export")
    download = caught.value
    data = Path(download.path()).read_bytes()
    assert data.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert lines[0][0] == "举措编号" and len(lines) - 1 == shown
    review_ids = {r["measure_id"] for r in _catalogue(out) if r["needs_review"]}
    assert {line[0] for line in lines[1:]} == review_ids


def test_a_measure_opens_in_its_whole_document(page):
    tab, out, problems = page
    _reset(tab)
    rows = _catalogue(out)
    target = next(r for r in rows if r["needs_review"])
    tab.click(f"#m-{target['measure_id']} a.full")
    tab.wait_for_load_state()
    assert "/documents/" in tab.url and tab.url.endswith(f"#m-{target['measure_id']}")
    same_doc = [r for r in rows if r["doc_id"] == target["doc_id"]]
    marked = tab.eval_on_selector_all("mark.m", "els => els.flatMap(e => e.dataset.measures.split(' '))")
    assert set(marked) == {r["measure_id"] for r in same_doc}
    # coloured by class: the marks of two classes differ in colour
    colours = tab.eval_on_selector_all("mark.m", "els => [...new Set(els.map(e => getComputedStyle(e).backgroundColor))]")
    assert len(colours) >= min(2, len({r["category"] for r in same_doc}))
    tab.screenshot(path=str(SCREENSHOTS / "document-view.png"))
    # and back to the row of the table
    tab.click(f"a.back[href$='#m-{target['measure_id']}']")
    tab.wait_for_load_state()
    assert tab.url.endswith(f"report.html#m-{target['measure_id']}")
    assert problems == []
