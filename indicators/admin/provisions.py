from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accounts.models import User

from ..models import IndicatorProvision
from ..provisions import indicator_provision_remove, indicator_provision_set


@admin.register(IndicatorProvision)
class IndicatorProvisionAdmin(admin.ModelAdmin[IndicatorProvision]):
    """数据来源: set through the service, which refreshes the cached framework trees and audits."""

    list_display = ("indicator", "provider", "provider_agency", "part", "difference_percent")
    list_filter = ("provider", "provider_agency", "indicator__framework")
    list_select_related = ("indicator", "provider")
    autocomplete_fields = ("indicator",)
    search_fields = ("indicator__code", "indicator__name", "provider__name")

    def save_model(self, request: HttpRequest, obj: IndicatorProvision, form: Any, change: bool) -> None:
        saved = indicator_provision_set(
            indicator=obj.indicator,
            provider=obj.provider,
            provider_agency=obj.provider_agency,
            part=obj.part,
            difference_percent=obj.difference_percent,
            user=request.user if isinstance(request.user, User) else None,
        )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: IndicatorProvision) -> None:
        indicator_provision_remove(provision=obj, user=request.user if isinstance(request.user, User) else None)
