"""axe-core (WCAG 2.2 A and AA rules) inside a Playwright page, and the layout checks that go
with it: a page passes when axe finds nothing serious or critical and nothing is wider than the
viewport.

axe comes from npm (``make js-deps`` installs the version pinned in package-lock.json).  It is
evaluated through the DevTools protocol, not added as a <script>: the pages' Content-Security-
Policy (nonces, no inline scripts) stays exactly as a citizen's browser sees it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
#: The WCAG 2.2 A and AA rule sets (axe tags); wcag22a has no rule of its own in axe 4.11.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING_IMPACTS = {"serious", "critical"}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}


@cache
def _axe_source() -> str:
    if not AXE.exists():
        raise AssertionError(f"{AXE} is missing: run `make js-deps` (npm ci)")
    return AXE.read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """The serious and critical violations axe finds in the page as it is now."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    result = page.evaluate(
        "options => window.axe.run(document, options)",
        {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    return [v for v in result["violations"] if v["impact"] in FAILING_IMPACTS]


def describe(violations: list[dict[str, Any]]) -> str:
    """One readable block per violation: rule, impact, what to do and where."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:8]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}: {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
        if len(violation["nodes"]) > 8:
            lines.append(f"    … and {len(violation['nodes']) - 8} more")
    return "\n".join(lines)


def overflow(page: Page) -> str:
    """Empty when nothing is wider than the viewport; otherwise the width and the culprits.

    Measured against the viewport the test asked for, not ``innerWidth``: a mobile browser
    widens its layout viewport to fit a page that is too wide (and zooms out)."""
    viewport = page.viewport_size["width"] if page.viewport_size else 0
    width, culprits = page.evaluate(
        """inner => {
        const wide = [];
        const clipped = el => {
            for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
                if (getComputedStyle(up).overflowX !== 'visible') return true;
            }
            return false;
        };
        for (const el of document.body.querySelectorAll('*')) {
            const box = el.getBoundingClientRect();
            if (box.right > inner + 1 && box.width > 0 && !clipped(el) && wide.length < 5) {
                const classes = typeof el.className === 'string' && el.className.trim()
                    ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
                wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + classes
                          + ' right=' + Math.round(box.right));
            }
        }
        return [document.documentElement.scrollWidth, wide];
    }""",
        viewport,
    )
    if width <= viewport:
        return ""
    return f"page is {width} px wide in a {viewport} px viewport; widest: {', '.join(culprits)}"


def check_page(page: Page, name: str) -> list[str]:
    """Axe and overflow problems of the page as it is now, each prefixed with ``name`` and the
    viewport width, to collect across pages and report together."""
    # A page whose text is visible may still be loading its style sheet; judged unstyled, its
    # links are 17 px tall.
    page.wait_for_load_state("load")
    width = page.viewport_size["width"] if page.viewport_size else 0
    problems = []
    violations = axe_violations(page)
    if violations:
        problems.append(f"{name} at {width} px: axe (WCAG 2.2 A/AA):\n{describe(violations)}")
    wide = overflow(page)
    if wide:
        problems.append(f"{name} at {width} px: {wide}")
    return problems


def assert_accessible(problems: list[str]) -> None:
    assert not problems, "\n\n".join(problems)
