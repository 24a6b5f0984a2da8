"""axe-core in a Playwright page: `assert_no_axe_violations(page)` fails on any violation of
a WCAG 2.1 level A or AA rule on the page as it is now (open menus and listboxes included).

axe-core comes from the PyPI package axe-playwright-python (dev extra), which ships
axe.min.js: no node, no download, nothing copied into the repository.
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

# The rules WCAG 2.1 A and AA ask for (axe's tags); best practices and AAA are left out.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_axe = Axe()


def axe_violations(page, *, context: str | None = None) -> list[dict]:
    """axe's violations on `page` (or inside the CSS selector `context`)."""
    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
    return _axe.run(page, context=context, options=options).response["violations"]


def _describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['failureSummary']}")
            lines.append(f"      {node['html'][:200]}")
    return "\n".join(lines)


def assert_no_axe_violations(page, *, context: str | None = None) -> None:
    violations = axe_violations(page, context=context)
    assert not violations, f"axe on {page.url}:\n{_describe(violations)}"
