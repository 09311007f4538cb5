"""Run axe-core in a page and fail with a readable list of what it found."""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE_JS = Path(__file__).resolve().parents[2] / "build" / "axe" / "axe.min.js"
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: Any) -> list[dict[str, Any]]:
    if not AXE_JS.exists():
        raise AssertionError(
            f"{AXE_JS} is missing: run `npm ci --no-audit --no-fund && node scripts/build_assets.mjs`"
        )
    # Judge the page as the reader sees it once it has settled: an element fading in (Wagtail's
    # messages do) has a lower contrast halfway through its animation.
    page.evaluate(
        "() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null)))"
    )
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})""",
        WCAG_AA_TAGS,
    )
    return result["violations"]


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
            f"  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(node['target'])}: {node['html'][:200]}")
            if node.get("failureSummary"):
                summary = node["failureSummary"].replace("\n", "\n      ")
                lines.append(f"      {summary}")
    return "\n".join(lines)


def assert_accessible(page: Any, ignore: dict[str, str] | None = None) -> None:
    """No WCAG 2.1 A/AA violation, except rule ids in ``ignore`` (each with the reason)."""
    ignore = ignore or {}
    violations = [v for v in axe_violations(page) if v["id"] not in ignore]
    assert not violations, (
        f"axe found {len(violations)} WCAG 2.1 AA violation(s) on {page.url}:\n"
        + describe(violations)
    )
