"""What the API says about each thing. Values and targets read as the product's pages say them
(indicators.presenting); numbers are strings (JSON has no decimals), dates ISO 8601."""

import datetime
from decimal import Decimal
from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Department
from assessments.models import IndicatorValue
from assessments.values import reading_of
from indicators.models import Indicator, IndicatorFramework
from indicators.presenting import Place, number_text, target_text, value_text
from indicators.readings import IndicatorReading
from indicators.selectors import AreaNode, GroupNode, framework_tree
from publication.models import ReportPublication

from .selectors import PublishedFigure, PublishedReportFigures


class UnitSerializer(serializers.ModelSerializer[Department]):
    parent_code = serializers.CharField(source="parent.code", default=None, allow_null=True, help_text="上级单位编码")
    kind_label = serializers.CharField(source="get_kind_display", help_text="单位类型（中文）")
    level_label = serializers.CharField(source="get_level_display", help_text="行政层级（中文）")

    class Meta:
        model = Department
        fields = ("code", "name", "short_name", "kind", "kind_label", "level", "level_label", "parent_code")


class YearSerializer(serializers.Serializer[dict[str, Any]]):
    year = serializers.IntegerField(help_text="考核年度")
    framework_id = serializers.IntegerField(help_text="本年度已发布的指标体系")
    framework_name = serializers.CharField()
    is_historical = serializers.BooleanField(help_text="历史数据年度（补录的以前年度数据，不评分）")
    published_report_count = serializers.IntegerField(help_text="已公开的年度报告数")
    open_data_csv = serializers.CharField(help_text="本年度开放数据（CSV）")
    open_data_json = serializers.CharField(help_text="本年度开放数据（JSON）")


class FrameworkSerializer(serializers.ModelSerializer[IndicatorFramework]):
    status_label = serializers.CharField(source="get_status_display")
    indicator_count = serializers.IntegerField(help_text="三级指标数")

    class Meta:
        model = IndicatorFramework
        fields: tuple[str, ...] = (
            "id",
            "name",
            "year",
            "version",
            "status",
            "status_label",
            "is_historical",
            "description",
            "base_points",
            "bonus_cap",
            "published_at",
            "indicator_count",
        )


class GroupNodeSerializer(serializers.Serializer[GroupNode]):
    code = serializers.CharField(source="group.code")
    name = serializers.CharField(source="group.name")
    description = serializers.CharField(source="group.description")
    max_points = serializers.DecimalField(source="group.max_points", max_digits=6, decimal_places=2)
    indicator_codes = serializers.SerializerMethodField(help_text="所属三级指标的编码")

    def get_indicator_codes(self, node: GroupNode) -> list[str]:
        return [indicator.code for indicator in node.indicators]


class AreaNodeSerializer(serializers.Serializer[AreaNode]):
    code = serializers.CharField(source="area.code")
    name = serializers.CharField(source="area.name")
    description = serializers.CharField(source="area.description")
    max_points = serializers.DecimalField(source="area.max_points", max_digits=6, decimal_places=2)
    groups = GroupNodeSerializer(many=True, help_text="二级指标")


class FrameworkDetailSerializer(FrameworkSerializer):
    areas = serializers.SerializerMethodField(help_text="一级指标及其二级指标")

    class Meta(FrameworkSerializer.Meta):
        fields = (*FrameworkSerializer.Meta.fields, "areas")

    @extend_schema_field(AreaNodeSerializer(many=True))
    def get_areas(self, framework: IndicatorFramework) -> list[dict[str, Any]]:
        return [AreaNodeSerializer(area).data for area in framework_tree(framework).areas]


class IndicatorSerializer(serializers.ModelSerializer[Indicator]):
    """The framework's definition of one indicator (三级指标), as units report it."""

    area_code = serializers.CharField(source="group.area.code")
    group_code = serializers.CharField(source="group.code")
    nature_label = serializers.CharField(source="get_nature_display")
    value_type_label = serializers.CharField(source="get_value_type_display")
    target = serializers.SerializerMethodField(help_text="目标（如 ≥100%），与系统页面的写法一致")
    applies_to = serializers.SerializerMethodField(help_text="适用的单位类型")
    required_for = serializers.SerializerMethodField(help_text="必填的单位类型")

    class Meta:
        model = Indicator
        fields = (
            "code",
            "previous_code",
            "name",
            "area_code",
            "group_code",
            "nature",
            "nature_label",
            "value_type",
            "value_type_label",
            "unit",
            "numerator_label",
            "numerator_unit",
            "denominator_label",
            "denominator_unit",
            "options",
            "formula",
            "instructions",
            "legal_basis",
            "target",
            "scale_min",
            "scale_max",
            "max_points",
            "scoring_note",
            "applies_to",
            "required_for",
            "applicability_note",
            "allows_not_available",
        )

    def get_target(self, indicator: Indicator) -> str:
        return target_text(indicator, Place.ENTRY)

    def get_applies_to(self, indicator: Indicator) -> list[str]:
        return [kind for kind in Department.Kind.values if indicator.applies_to(kind)]

    def get_required_for(self, indicator: Indicator) -> list[str]:
        return [kind for kind in Department.Kind.values if indicator.is_required_for(kind)]


def _plain(value: object) -> object:
    """A reading's value as JSON holds it: numbers as strings, dates ISO, choices as a list."""
    if isinstance(value, Decimal):
        return number_text(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _number(value: Decimal | None) -> str | None:
    return None if value is None else number_text(value)


class ApprovedFigureSerializer(serializers.Serializer[IndicatorValue]):
    """One unit's figure for one indicator, from a return the bureau approved (已审核 / 已确认)."""

    id = serializers.IntegerField(help_text="行号（翻页顺序）")
    unit_code = serializers.CharField(source="annual_return.department.code")
    unit_name = serializers.CharField(source="annual_return.department.name")
    year = serializers.IntegerField(source="annual_return.year")
    return_status = serializers.CharField(source="annual_return.status", help_text="approved 已审核 / confirmed 已确认")
    indicator_code = serializers.CharField(source="indicator.code")
    indicator_name = serializers.CharField(source="indicator.name")
    value_type = serializers.CharField(source="indicator.value_type")
    measure_unit = serializers.CharField(source="indicator.unit", help_text="计量单位，如 件、%")
    state = serializers.CharField(help_text="value 填报数值 / not_applicable 不适用 / not_available 暂无数据")
    state_reason = serializers.CharField(help_text="不适用或暂无数据的原因")
    value = serializers.SerializerMethodField(
        method_name="value_of",
        help_text="数值（字符串）、是否（布尔）、日期（ISO）、选项（字符串或列表）或文字；比率见分子、分母",
    )
    numerator = serializers.SerializerMethodField()
    denominator = serializers.SerializerMethodField()
    rate = serializers.SerializerMethodField(help_text="比率（%，两位小数）；分母为 0 或缺一部分时为 null")
    text = serializers.SerializerMethodField(help_text="系统页面上的写法，如 96%（48/50）、12件、不适用（原因）")
    updated_at = serializers.DateTimeField()

    def _reading(self, row: IndicatorValue) -> IndicatorReading:
        cached: IndicatorReading | None = getattr(row, "_api_reading", None)
        if cached is None:
            cached = reading_of(row.indicator, row)
            row._api_reading = cached  # type: ignore[attr-defined]  # read by each field of one row
        return cached

    @extend_schema_field(OpenApiTypes.ANY)
    def value_of(self, row: IndicatorValue) -> object:
        reading = self._reading(row)
        return None if reading.is_rate else _plain(reading.value)

    @extend_schema_field(OpenApiTypes.DECIMAL)
    def get_numerator(self, row: IndicatorValue) -> str | None:
        return _number(self._reading(row).numerator)

    @extend_schema_field(OpenApiTypes.DECIMAL)
    def get_denominator(self, row: IndicatorValue) -> str | None:
        return _number(self._reading(row).denominator)

    @extend_schema_field(OpenApiTypes.DECIMAL)
    def get_rate(self, row: IndicatorValue) -> str | None:
        return _number(self._reading(row).rate)

    def get_text(self, row: IndicatorValue) -> str:
        return value_text(row.indicator, self._reading(row), Place.REVIEW)

    def to_representation(self, row: IndicatorValue) -> dict[str, Any]:
        """The same fields as declared above (which the schema reads), written out at once: a page
        holds 500 rows, and DRF's field-by-field walk cost twice the CPU of the rest of the call."""
        annual_return, indicator = row.annual_return, row.indicator
        reading = self._reading(row)
        return {
            "id": row.pk,
            "unit_code": annual_return.department.code,
            "unit_name": annual_return.department.name,
            "year": annual_return.year,
            "return_status": annual_return.status,
            "indicator_code": indicator.code,
            "indicator_name": indicator.name,
            "value_type": indicator.value_type,
            "measure_unit": indicator.unit,
            "state": row.state,
            "state_reason": row.state_reason,
            "value": None if reading.is_rate else _plain(reading.value),
            "numerator": _number(reading.numerator),
            "denominator": _number(reading.denominator),
            "rate": _number(reading.rate),
            "text": value_text(indicator, reading, Place.REVIEW),
            "updated_at": self.fields["updated_at"].to_representation(row.updated_at),
        }


class TokenSerializer(serializers.Serializer[object]):
    name = serializers.CharField(help_text="系统名称")
    key_prefix = serializers.CharField(help_text="令牌前缀")
    scope_code = serializers.CharField(source="scope.code", help_text="单位范围：此单位及其全部下级单位")
    scope_name = serializers.CharField(source="scope.name")


class PublishedReportSerializer(serializers.ModelSerializer[ReportPublication]):
    """A report on the public site: its metadata and where its public edition is."""

    unit_code = serializers.CharField(source="department.code")
    unit_name = serializers.CharField(source="department.name")
    kind_label = serializers.CharField(source="get_kind_display")
    pdf_url = serializers.SerializerMethodField(help_text="公开版 PDF")

    class Meta:
        model = ReportPublication
        fields: tuple[str, ...] = (
            "id",
            "year",
            "unit_code",
            "unit_name",
            "kind",
            "kind_label",
            "title",
            "published_at",
            "page_count",
            "pdf_size",
            "pdf_sha256",
            "pdf_url",
        )

    def get_pdf_url(self, report: ReportPublication) -> str:
        url = reverse("api:report_pdf", kwargs={"pk": report.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class PublishedFigureSerializer(serializers.Serializer[PublishedFigure]):
    indicator_code = serializers.CharField()
    indicator_name = serializers.CharField()
    figure = serializers.CharField(help_text="公开报告所列数值，如 96.99%、45次、16个单位")


class PublishedReportFiguresSerializer(serializers.Serializer[PublishedReportFigures]):
    """One published report's figures, as the report prints them."""

    report = PublishedReportSerializer()
    figures = PublishedFigureSerializer(many=True)
