"""The read-only API (/api/v1/). Thin: parse the query, ask a selector, serialise a page."""

import json
from typing import Any

from django.db.models import Count, QuerySet
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Department
from accounts.selectors import department_subtree_ids
from assessments.models import IndicatorValue
from assessments.selectors.figures import approved_values
from files.kinds import PDF
from files.responses import file_response, stored_file_response
from indicators.models import Indicator, IndicatorFramework
from indicators.selectors import framework_tree, frameworks_for_list
from publication.models import ReportPublication
from publication.selectors import published_reports

from .models import ApiToken
from .open_data import open_data_csv, open_data_document
from .pagination import FigureCursorPagination
from .permissions import HasApiToken
from .selectors import open_data_for_year, published_reports_in, report_figures, token_department_ids
from .serializers import (
    ApprovedFigureSerializer,
    FrameworkDetailSerializer,
    FrameworkSerializer,
    IndicatorSerializer,
    PublishedReportFiguresSerializer,
    PublishedReportSerializer,
    TokenSerializer,
    UnitSerializer,
    YearSerializer,
)
from .services import api_token_read_record

PUBLIC = "公开数据"
PRIVATE = "须令牌"


class QuerySerializer(serializers.Serializer[dict[str, Any]]):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100, help_text="考核年度")
    unit = serializers.CharField(required=False, max_length=32, help_text="单位编码：此单位及其全部下级单位")
    indicator = serializers.CharField(required=False, max_length=20, help_text="三级指标编码")


class ReadOnly:
    """A method the view has no handler for is answered 405 before the credential is looked at
    (DRF asks for the token first, so a POST without one would read 401: as if it might work)."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        method = request.method or ""
        if not hasattr(self, method.lower()):
            raise exceptions.MethodNotAllowed(method)
        super().initial(request, *args, **kwargs)  # type: ignore[misc]  # a mixin of APIView


def _query(request: Request) -> dict[str, Any]:
    query = QuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


def _published_frameworks() -> QuerySet[IndicatorFramework]:
    """Editions in force or archived; a draft is work in progress, never shown outside."""
    return frameworks_for_list().exclude(status=IndicatorFramework.Status.DRAFT).order_by("-year", "-version")


@extend_schema(tags=[PUBLIC], summary="年度：已发布指标体系的考核年度", responses=YearSerializer(many=True))
class YearList(ReadOnly, APIView):
    def get(self, request: Request) -> Response:
        frameworks = _published_frameworks().filter(status=IndicatorFramework.Status.PUBLISHED)
        counts = dict(published_reports().order_by().values_list("year").annotate(n=Count("id")))
        years = [
            {
                "year": f.year,
                "framework_id": f.pk,
                "framework_name": f.name,
                "is_historical": f.is_historical,
                "published_report_count": counts.get(f.year, 0),
                "open_data_csv": request.build_absolute_uri(reverse("api:open_data_csv", kwargs={"year": f.year})),
                "open_data_json": request.build_absolute_uri(reverse("api:open_data_json", kwargs={"year": f.year})),
            }
            for f in frameworks
        ]
        return Response(years)


@extend_schema(tags=[PUBLIC], summary="指标体系列表（已发布和已归档的版本）")
class FrameworkList(ReadOnly, generics.ListAPIView[IndicatorFramework]):
    serializer_class = FrameworkSerializer

    def get_queryset(self) -> QuerySet[IndicatorFramework]:
        return _published_frameworks()


@extend_schema(tags=[PUBLIC], summary="指标体系：一级、二级指标")
class FrameworkDetail(ReadOnly, generics.RetrieveAPIView[IndicatorFramework]):
    serializer_class = FrameworkDetailSerializer

    def get_queryset(self) -> QuerySet[IndicatorFramework]:
        return _published_frameworks()


@extend_schema(tags=[PUBLIC], summary="指标体系的三级指标及其定义（口径、单位、目标、适用范围）")
class IndicatorList(ReadOnly, generics.ListAPIView[Indicator]):
    serializer_class = IndicatorSerializer

    def get_queryset(self) -> list[Indicator]:  # type: ignore[override]  # the cached tree, paged as a list
        framework = get_object_or_404(_published_frameworks(), pk=self.kwargs["pk"])
        return framework_tree(framework).indicators


@extend_schema(
    tags=[PUBLIC],
    summary="单位",
    parameters=[OpenApiParameter("unit", OpenApiTypes.STR, description="单位编码：只列此单位及其全部下级单位")],
)
class UnitList(ReadOnly, generics.ListAPIView[Department]):
    serializer_class = UnitSerializer

    def get_queryset(self) -> QuerySet[Department]:
        units = Department.objects.filter(is_active=True).select_related("parent").order_by("sort_order", "code")
        code = _query(self.request).get("unit")
        if code:
            root = get_object_or_404(Department, code=code, is_active=True)
            units = units.filter(pk__in=department_subtree_ids(root_id=root.pk))
        return units


@extend_schema(tags=[PRIVATE], summary="本令牌：系统名称和单位范围", responses=TokenSerializer)
class TokenDetail(ReadOnly, APIView):
    permission_classes = [HasApiToken]

    def get(self, request: Request) -> Response:
        return Response(TokenSerializer(request.auth).data)


@extend_schema(
    tags=[PRIVATE],
    summary="已审核填报数据（已审核、已确认的年度填报中的各项数据，限令牌的单位范围）",
    parameters=[QuerySerializer],
)
class ApprovedFigureList(ReadOnly, generics.ListAPIView[IndicatorValue]):
    serializer_class = ApprovedFigureSerializer
    permission_classes = [HasApiToken]
    pagination_class = FigureCursorPagination

    def get_queryset(self) -> QuerySet[IndicatorValue]:
        token = self.request.auth
        if not isinstance(token, ApiToken):  # HasApiToken has refused already
            raise exceptions.NotAuthenticated
        query = _query(self.request)
        department_ids = token_department_ids(token)
        if code := query.get("unit"):
            unit = Department.objects.filter(code=code, pk__in=department_ids).first()
            if unit is None:  # unknown, or outside the token's scope: the same answer
                raise exceptions.NotFound
            department_ids = department_subtree_ids(root_id=unit.pk) & department_ids
        api_token_read_record(token=token, request=self.request._request)
        return approved_values(
            department_ids=department_ids, year=query.get("year"), indicator_code=query.get("indicator", "")
        )


# --- published reports, their figures, open data: public, and only what is on the public site now --

# Public files may be kept by browsers and proxies, briefly: a withdrawn report leaves caches within
# five minutes.
PUBLIC_FILE_CACHE = "public, max-age=300"

REPORT_QUERY = [
    OpenApiParameter("year", OpenApiTypes.INT, description="年度"),
    OpenApiParameter("unit", OpenApiTypes.STR, description="单位编码：此单位及其全部下级单位"),
]


def _unit_of(query: dict[str, Any]) -> Department | None:
    code = query.get("unit")
    return get_object_or_404(Department, code=code) if code else None


@extend_schema(tags=[PUBLIC], summary="已公开的年度报告（元数据）", parameters=REPORT_QUERY)
class ReportList(ReadOnly, generics.ListAPIView[ReportPublication]):
    serializer_class = PublishedReportSerializer

    def get_queryset(self) -> QuerySet[ReportPublication]:
        query = _query(self.request)
        return published_reports_in(year=query.get("year"), unit=_unit_of(query))


@extend_schema(
    tags=[PUBLIC], summary="已公开的年度报告：元数据和报告所列数据", responses=PublishedReportFiguresSerializer
)
class ReportDetail(ReadOnly, APIView):
    def get(self, request: Request, pk: int) -> Response:
        report = get_object_or_404(published_reports(), pk=pk)
        (item,) = report_figures([report])
        return Response(PublishedReportFiguresSerializer(item, context={"request": request}).data)


@extend_schema(
    tags=[PUBLIC], summary="已公开的年度报告：公开版 PDF", responses={(200, "application/pdf"): OpenApiTypes.BINARY}
)
class ReportPdf(ReadOnly, APIView):
    def get(self, request: Request, pk: int) -> FileResponse:
        report = get_object_or_404(published_reports(), pk=pk)
        response = stored_file_response(report.pdf_file, filename=f"{report.title}.pdf", content_type=PDF.content_type)
        response["Cache-Control"] = PUBLIC_FILE_CACHE
        return response


@extend_schema(
    tags=[PUBLIC],
    summary="已公开报告所列数据（每项为一份报告及其所列各项数据）",
    parameters=REPORT_QUERY,
    responses=PublishedReportFiguresSerializer(many=True),
)
class PublishedFigureList(ReadOnly, generics.ListAPIView[ReportPublication]):
    # Pages of reports, each serialised with its figures (list() below), not the report alone.
    serializer_class = PublishedReportFiguresSerializer  # type: ignore[assignment]

    def get_queryset(self) -> QuerySet[ReportPublication]:
        query = _query(self.request)
        return published_reports_in(year=query.get("year"), unit=_unit_of(query))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        items = report_figures(page or [])
        data = [PublishedReportFiguresSerializer(item, context={"request": request}).data for item in items]
        return self.get_paginated_response(data)


def _open_data_file(content: bytes, *, year: int, extension: str, content_type: str) -> FileResponse:
    response = file_response(
        content, filename=f"法治政府建设年度报告公开数据-{year}.{extension}", content_type=content_type
    )
    response["Cache-Control"] = PUBLIC_FILE_CACHE
    return response


@extend_schema(
    tags=[PUBLIC],
    summary="开放数据：某年度已公开报告所列数据及指标定义（CSV，UTF-8）",
    responses={(200, "text/csv"): OpenApiTypes.STR},
)
class OpenDataCsv(ReadOnly, APIView):
    def get(self, request: Request, year: int) -> FileResponse:
        content = open_data_csv(open_data_for_year(year))
        return _open_data_file(content, year=year, extension="csv", content_type="text/csv; charset=utf-8")


@extend_schema(
    tags=[PUBLIC],
    summary="开放数据：某年度已公开报告所列数据及指标定义（JSON）",
    responses={(200, "application/json"): OpenApiTypes.OBJECT},
)
class OpenDataJson(ReadOnly, APIView):
    def get(self, request: Request, year: int) -> FileResponse:
        document = json.dumps(open_data_document(open_data_for_year(year)), ensure_ascii=False, indent=1)
        return _open_data_file(
            document.encode("utf-8"), year=year, extension="json", content_type="application/json; charset=utf-8"
        )
