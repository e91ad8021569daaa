"""axe-core (tests/e2e/vendor/axe-core, vendored from npm) run in a Playwright page.

The script is evaluated through the DevTools protocol, not added as a <script> element, so the page's
Content-Security-Policy (script-src 'self') stays as it is in production while axe looks at it.
"""

from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


def axe_violations(page, *, impacts=BLOCKING) -> list[dict]:
    """The page's violations of the given impacts (WCAG 2.x A and AA rules and axe's best practices),
    each as {"id", "impact", "help", "nodes": [target selectors]}."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations'],"
        " runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
        if violation["impact"] in impacts
    ]
