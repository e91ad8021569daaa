import json
import re

from django.urls import reverse

from congress.models import GroupTally, Question, Response, Survey

from .conftest import HEADER, xlsx_upload
from .factories import CongressYearFactory, respond


def test_congress_staff_create_the_year_and_its_survey_through_the_forms(cast, client):
    client.force_login(cast.congress)

    client.post(reverse("congress:year_create"), {"year": 2026, "title": "年度调研"})
    response = client.post(
        reverse("congress:survey_create", kwargs={"year": 2026}),
        {"title": "2026年度社情民意调查", "method": "电话访谈", "started_on": "", "ended_on": ""},
    )

    survey = Survey.objects.get(congress_year__year=2026)
    assert response.url == reverse("congress:survey_detail", kwargs={"pk": survey.pk})
    assert survey.groups.count() == 5


def test_a_year_cannot_be_created_twice(cast, client):
    CongressYearFactory(year=2026)
    client.force_login(cast.congress)

    response = client.post(reverse("congress:year_create"), {"year": 2026})

    assert response.status_code == 200
    assert "2026年度已存在" in response.content.decode()


def test_a_rating_question_is_added_with_a_preset_scale(cast, client, survey):
    client.force_login(cast.congress)

    client.post(
        reverse("congress:question_create", kwargs={"pk": survey.pk}),
        {"number": 4, "text": "执法满意度", "kind": Question.Kind.SINGLE, "preset": "done4"},
    )

    question = survey.questions.get(number=4)
    assert [o.label for o in question.options.filter(counts_as_satisfied=True)] == ["做到了", "大多数做到了"]


def test_a_custom_scale_names_its_satisfied_and_excluded_options(cast, client, survey):
    client.force_login(cast.congress)

    client.post(
        reverse("congress:question_create", kwargs={"pk": survey.pk}),
        {
            "number": 4,
            "text": "依法办事评价",
            "kind": Question.Kind.SINGLE,
            "options_text": "很好\n较好\n一般\n不好\n不了解",
            "satisfied_text": "很好、较好",
            "excluded_text": "不了解",
        },
    )

    question = survey.questions.get(number=4)
    assert [(o.label, o.counts_as_satisfied, o.is_excluded_from_base) for o in question.options.all()][-1] == (
        "不了解",
        False,
        True,
    )


def test_a_satisfied_option_missing_from_the_list_is_shown_as_a_form_error(cast, client, survey):
    client.force_login(cast.congress)

    response = client.post(
        reverse("congress:question_create", kwargs={"pk": survey.pk}),
        {"number": 4, "text": "x", "kind": "single", "options_text": "好\n差", "satisfied_text": "满意"},
    )

    assert "以下选项不在选项列表中：满意" in response.content.decode()


def test_one_questionnaire_is_entered_through_the_form(cast, client, survey):
    rating, problems, open_question = survey.questions.all()
    client.force_login(cast.congress)

    response = client.post(
        reverse("congress:response_create", kwargs={"pk": survey.pk}),
        {
            "group": survey.groups.first().pk,
            "reference": "F1",
            "valid": "on",
            f"q{rating.pk}": rating.options.first().pk,
            f"q{problems.pk}": [o.pk for o in problems.options.all()[:2]],
            f"q{open_question.pk}": "多听群众意见",
        },
    )

    assert response.status_code == 302
    assert Response.objects.get().answers.count() == 4
    assert Response.objects.get().is_valid


def test_a_questionnaire_entered_without_the_valid_tick_is_stored_as_invalid(cast, client, survey):
    client.force_login(cast.congress)

    response = client.post(
        reverse("congress:response_create", kwargs={"pk": survey.pk}),
        {"group": survey.groups.first().pk, "reference": "F2"},
    )

    assert response.status_code == 302
    assert not Response.objects.get().is_valid


def test_the_import_page_lists_row_errors_and_imports_nothing(cast, client, survey):
    client.force_login(cast.congress)
    upload = xlsx_upload([HEADER, ("A", "人大代表", "是", "非常好", None, None)])

    response = client.post(reverse("congress:response_import", kwargs={"pk": survey.pk}), {"file": upload})

    assert "第2行：第1题的选项“非常好”无效" in response.content.decode()
    assert not Response.objects.exists()


def test_a_clean_import_redirects_to_the_response_list(cast, client, survey):
    client.force_login(cast.congress)
    upload = xlsx_upload([HEADER, ("A", "人大代表", "是", "好", None, None)])

    response = client.post(reverse("congress:response_import", kwargs={"pk": survey.pk}), {"file": upload})

    assert response.url == reverse("congress:response_list", kwargs={"pk": survey.pk})
    assert Response.objects.count() == 1


def test_an_unsafe_upload_is_refused_on_the_form(cast, client, survey):
    client.force_login(cast.congress)
    upload = xlsx_upload([]).__class__("x.xlsx", b"not a workbook")

    response = client.post(reverse("congress:response_import", kwargs={"pk": survey.pk}), {"file": upload})

    assert "不是 Excel" in response.content.decode()


def test_aggregate_counts_are_entered_per_group_through_the_form(cast, client, survey):
    group = survey.groups.first()
    good = survey.questions.get(number=1).options.get(label="好")
    client.force_login(cast.congress)
    data = {"returned_count": 20, "valid_count": 18, "note": "第三方汇总表"}
    data.update({f"o{o.pk}": 0 for q in survey.questions.all() for o in q.options.all()})
    data[f"o{good.pk}"] = 15

    response = client.post(reverse("congress:tally_edit", kwargs={"pk": group.pk}), data)

    assert response.status_code == 302
    assert GroupTally.objects.get(group=group).counts.get().count == 15


def test_the_results_page_passes_chart_data_as_json_for_the_static_script(cast, client, survey):
    respond(survey.groups.first(), survey.questions.get(number=1).options.get(label="好"))
    client.force_login(cast.reviewer)

    response = client.get(reverse("congress:survey_results", kwargs={"pk": survey.pk}))

    html = response.content.decode()
    assert 'id="congress-charts"' in html
    assert "js/congress-results.js" in html
    assert "<script>" not in html  # no inline script: the CSP allows 'self' only
    payload = re.search(r'<script id="congress-charts" type="application/json">(.*?)</script>', html).group(1)
    charts = json.loads(payload)
    assert charts["satisfaction"][0]["rates"] == [100.0, None, 100.0]


def test_the_results_export_is_an_xlsx_download(cast, client, survey):
    client.force_login(cast.reviewer)

    response = client.get(reverse("congress:survey_results_export", kwargs={"pk": survey.pk}))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]


def test_the_response_list_takes_a_bounded_number_of_queries(cast, client, survey, django_assert_max_num_queries):
    rating = survey.questions.get(number=1)
    for group in survey.groups.all():
        for _ in range(30):
            respond(group, rating.options.first())
    client.force_login(cast.congress)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("congress:response_list", kwargs={"pk": survey.pk}))
    assert len(response.context["page"]) == 50


def test_the_year_index_takes_a_bounded_number_of_queries(cast, client, django_assert_max_num_queries):
    for year in range(2020, 2026):
        CongressYearFactory(year=year)
    client.force_login(cast.congress)

    with django_assert_max_num_queries(8):
        client.get(reverse("congress:index"))
