"""No inline styles (issue 18 §4): the CSP's style-src is 'self' only, so no page template may carry
a style="" attribute or a <style> element; sizes are classes in static/css/lawgov.css. The report
preview (the print layout, reports/pdf/) is the one page allowed them, by its own header."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

TEMPLATES = Path(settings.BASE_DIR) / "templates"
PRINT_LAYOUT = TEMPLATES / "reports" / "pdf"
CSS = Path(settings.BASE_DIR) / "static" / "css"
INLINE = re.compile(r"\sstyle\s*=|<style[\s>]", re.IGNORECASE)


def _page_templates():
    return [path for path in TEMPLATES.rglob("*.html") if PRINT_LAYOUT not in path.parents]


def test_no_page_template_carries_an_inline_style():
    offenders = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in _page_templates()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if INLINE.search(line)
    ]
    assert not offenders, offenders


def test_the_csp_allows_no_inline_style(client):
    policy = client.get(reverse("accounts:login"))["Content-Security-Policy"]
    style_src = next(part.strip() for part in policy.split(";") if part.strip().startswith("style-src"))
    assert style_src == "style-src 'self'"


def test_every_class_the_templates_use_for_sizes_is_defined():
    css = "\n".join(path.read_text(encoding="utf-8") for path in CSS.glob("*.css"))
    used = set()
    for path in _page_templates():
        used |= set(re.findall(r"\blg-(?:max|min|col|input|chart|depth|w)-[\w-]+", path.read_text(encoding="utf-8")))
    templated = {name for name in used if name.endswith("-")}  # lg-w-{{ percent }}, lg-depth-{{ depth }}
    assert not [name for name in used - templated if f".{name} " not in css]
    for prefix, last in (("lg-w-", 100), ("lg-depth-", 12)):
        assert all(f".{prefix}{n} " in css for n in range(last + 1))
