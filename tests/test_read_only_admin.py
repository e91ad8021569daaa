"""Records that change only through the services are read only in the admin (one ReadOnlyModelAdmin)."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from assessments.models import AnnualReturn, Evidence, IndicatorValue, NarrativeSection, ValueChange
from audit.models import AuditEvent
from reviews.models import Adjustment, Appeal, Notification, Publication, ReviewAuditEntry, ReviewScore, ScoreSheet

READ_ONLY = [
    AuditEvent,
    AnnualReturn,
    ValueChange,
    IndicatorValue,
    NarrativeSection,
    Evidence,
    ScoreSheet,
    ReviewScore,
    Adjustment,
    Appeal,
    Publication,
    ReviewAuditEntry,
    Notification,
]


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda model: model.__name__)
def test_the_administrator_may_look_but_not_add_change_or_delete(model, cast):
    request = RequestFactory().get("/")
    request.user = cast.admin
    model_admin = admin.site._registry[model]

    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
