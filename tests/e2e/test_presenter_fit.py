"""Presenter mode fits the room: on a 1280×720 projector, a 1920×1080 screen and a 3840×2160 wall, every
slide of every page shows its chart (title, at most two subtitle lines, plot with its axes and legend)
and its source line without scrolling.

One page load per page; each slide is measured at the three sizes by resizing the window, as a
presenter's laptop does when it is plugged into another screen. Waits for the chart to have been drawn
at the new size (Plotly redraws on a resize), never for a fixed time.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import expect_run, screenshot, wait_for_app_run, wait_for_presenter_style
from .test_browser import OVERLAPPING_TEXT_JS

SIZES = ((1280, 720), (1920, 1080), (3840, 2160))
DECKS = {
    "overview": ("", 3),
    "scenarios": ("scenarios", 7),
    "earmarked": ("earmarked", 3),
    "kpis": ("kpis", 3),
    "cluster": ("cluster", 6),
    # the ranges section's slides after the seven of the scenario page: the chance per year and two fans
    "ranges": ("scenarios?sc_view=ranges&sc_uceil=3.0&slide=8", 10),
}
FIRST = {"ranges": 8}

# the chart drawn at the size of its box (Plotly has redrawn after the window changed)
DRAWN_AT_SIZE_JS = """() => {
  const box = document.querySelector('[data-testid="stPlotlyChart"]');
  const svg = box && box.querySelector('.main-svg');
  if (!svg || !box.querySelector('.gtitle')) return false;
  const b = box.getBoundingClientRect(), s = svg.getBoundingClientRect();
  return Math.abs(b.height - s.height) < 2 && Math.abs(b.width - s.width) < 2;
}"""

# what does not fit: the page scrolls, or a part of the slide lies outside the window
OUTSIDE_JS = """() => {
  const out = [];
  const main = document.querySelector('[data-testid="stMain"]');
  if (main.scrollHeight > main.clientHeight + 1) out.push(['scrolls', main.scrollHeight, main.clientHeight]);
  const box = document.querySelector('[data-testid="stPlotlyChart"]');
  const inside = (r) => r.top >= -1 && r.left >= -1 && r.bottom <= innerHeight + 1 && r.right <= innerWidth + 1;
  if (!inside(box.getBoundingClientRect())) out.push(['chart', JSON.stringify(box.getBoundingClientRect())]);
  for (const t of box.querySelectorAll('text')) {
    if (!t.textContent.trim()) continue;
    const r = t.getBoundingClientRect();
    if (r.width && !inside(r)) out.push(['text', t.textContent.slice(0, 40), Math.round(r.top), Math.round(r.bottom)]);
  }
  // the plot itself keeps a good part of the slide (a network, a heat map's rows stay readable)
  const plot = box.querySelector('.nsewdrag') || box.querySelector('.cartesianlayer .bg');
  if (plot && plot.getBoundingClientRect().height < 0.3 * box.getBoundingClientRect().height)
    out.push(['plot squeezed', Math.round(plot.getBoundingClientRect().height), Math.round(box.getBoundingClientRect().height)]);
  const blocks = document.querySelectorAll('[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] > *');
  const source = blocks[blocks.length - 1];
  if (!inside(source.getBoundingClientRect())) out.push(['source line', Math.round(source.getBoundingClientRect().bottom)]);
  return out;
}"""


POSITION = {"nl": "grafiek {i} van {n}", "en": "chart {i} of {n}"}
NEXT = {"nl": "Volgende", "en": "Next"}


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("deck", list(DECKS))
def test_every_slide_fits_the_screen_at_every_size(page, app_url, deck, lang):
    """Dutch at every size; English (longer words) at the smallest, where it is tightest."""
    path, n = DECKS[deck]
    sizes = SIZES if lang == "nl" else SIZES[:1]
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{app_url}/{path}{'&' if '?' in path else '?'}present=1&lang={lang}")
    wait_for_app_run(page)
    wait_for_presenter_style(page)
    misfits = {}
    first = FIRST.get(deck, 1)
    for slide in range(first, n + 1):
        expect(page.get_by_text(POSITION[lang].format(i=slide, n=n))).to_be_visible(timeout=60_000)
        for width, height in sizes:
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_function(DRAWN_AT_SIZE_JS, timeout=60_000)
            # nothing outside the window, and no two texts of the chart on top of each other
            wrong = page.evaluate(OUTSIDE_JS) + [["overlap", *pair] for pair in page.evaluate(OVERLAPPING_TEXT_JS)]
            if wrong:
                misfits[(slide, f"{width}x{height}")] = wrong
            if slide == first and width == 1280:
                screenshot(page, f"{deck}-present-1280x720-{lang}")
        page.set_viewport_size({"width": 1280, "height": 720})
        if slide < n:
            with expect_run(page):
                page.get_by_role("button", name=NEXT[lang]).click()
    assert misfits == {}, "\n".join(f"slide {slide} at {size}: {wrong[:6]}" for (slide, size), wrong in misfits.items())
