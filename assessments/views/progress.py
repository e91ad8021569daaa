"""填报进度 dashboard for the justice bureau (reviewers, administrators; congress staff read only)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.models import Department
from audit.services import audit_record, is_cross_department_reader
from files.responses import xlsx_response

from ..excel.progress import progress_xlsx
from ..models import AnnualReturn
from ..permissions import can_open_returns, can_view_progress
from ..selectors.deadlines import local_today
from ..selectors.progress import ProgressFilter, progress_board, progress_years


class ProgressFilterForm(forms.Form):
    year = forms.TypedChoiceField(label="考核年度", coerce=int, required=False)
    kind = forms.ChoiceField(label="单位类型", choices=[("", "全部类型"), *Department.Kind.choices], required=False)
    level = forms.ChoiceField(label="行政层级", choices=[("", "全部层级"), *Department.Level.choices], required=False)
    status = forms.ChoiceField(label="状态", choices=[("", "全部状态"), *AnnualReturn.Status.choices], required=False)
    overdue = forms.BooleanField(label="只看逾期", required=False)

    def __init__(self, data, *, years: list[int]):
        super().__init__(data)
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.ChoiceField)
        year_field.choices = [(year, f"{year}年度") for year in years]
        self.years = years

    def to_filter(self) -> ProgressFilter:
        cleaned = self.cleaned_data if self.is_valid() else {}
        return ProgressFilter(
            year=cleaned.get("year") or (self.years[0] if self.years else local_today().year - 1),
            kind=cleaned.get("kind", ""),
            level=cleaned.get("level", ""),
            status=cleaned.get("status", ""),
            overdue_only=bool(cleaned.get("overdue")),
        )


def _board(request):
    if not can_view_progress(request.user):
        raise PermissionDenied
    form = ProgressFilterForm(request.GET or None, years=progress_years(request.user))
    return form, progress_board(request.user, form.to_filter())


# A province has 3,000 units: the table shows a page of them and the overdue box the longest
# overdue; the counts above them and the xlsx export cover every unit.
ROWS_PER_PAGE = 100
OVERDUE_SHOWN = 20


@login_required
@require_safe
def progress_dashboard(request):
    form, board = _board(request)
    filters = request.GET.copy()
    filters.pop("page", None)
    context = {
        "form": form,
        "board": board,
        "page": Paginator(board.rows, ROWS_PER_PAGE).get_page(request.GET.get("page")),
        "overdue": board.overdue,
        "overdue_shown": OVERDUE_SHOWN,
        "query": filters.urlencode(),
        "status_choices": AnnualReturn.Status,
        "can_open_returns": can_open_returns(request.user),
    }
    return render(request, "assessments/dashboard.html", context)


@login_required
@require_safe
def progress_export(request):
    _, board = _board(request)
    if is_cross_department_reader(request.user):  # every unit's progress leaves the system in one file
        audit_record(
            action="read",
            user=request.user,
            object_type="assessments:progress_export",
            object_id=board.filters.year,
            after={"units": len(board.rows)},
            request=request,
        )
    return xlsx_response(progress_xlsx(board), f"{board.filters.year}年度填报进度.xlsx")
