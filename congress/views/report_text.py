"""The survey report's sections (一 to 三) are edited on its 报告稿 page in the reports app, like every
report's sections. These older addresses (bookmarks, links from before) lead there: GET with a 302,
a form still open on an old page with a 307, so what was typed reaches the new page's checks."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from .common import congress_year_for

SECTIONS = ("basic_situation", "achievements", "problems")  # the report's sections 一, 二, 三


def _section_url(request, year: int, section: str, name: str) -> str:
    congress_year_for(request, year, manage=True)
    if section not in SECTIONS:
        raise Http404("调研报告没有这一部分。")
    return reverse(name, args=["congress_survey", year, 0, SECTIONS.index(section) + 1])


def _follow(request, url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(url, status=307 if request.method == "POST" else 302)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_text_edit(request, year: int, section: str):
    return _follow(request, _section_url(request, year, section, "reports:draft_section_edit"))


@login_required
@require_POST
def report_text_reset(request, year: int, section: str):
    return _follow(request, _section_url(request, year, section, "reports:draft_section_reset"))
