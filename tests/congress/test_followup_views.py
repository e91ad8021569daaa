import datetime

from django.urls import reverse
from django.utils import timezone

from congress.models import Assignment, HandlingStatus

from .factories import AssignmentFactory, OpinionFactory


def _answer(client, assignment, status=HandlingStatus.PARTIALLY_RESOLVED, version=0):
    return client.post(
        reverse("congress:assignment_detail", kwargs={"pk": assignment.pk}),
        {"status": status, "answer": "已制定整改方案，部分措施已落实。", "version": version},
    )


def test_a_department_answers_and_congress_staff_see_the_totals_update_while_another_department_cannot_see_it(
    cast, client
):
    opinion = OpinionFactory()
    assignment = AssignmentFactory(opinion=opinion, department=cast.dept_a)
    totals_url = reverse("congress:opinion_list", kwargs={"year": opinion.congress_year.year})
    client.force_login(cast.congress)
    before = client.get(totals_url).context["totals"][2]
    assert (before.partially_resolved, before.pending) == (0, 1)

    client.force_login(cast.staff_a)
    response = _answer(client, assignment)
    assert response.status_code == 302

    client.force_login(cast.congress)
    after = client.get(totals_url).context["totals"][2]
    assert (after.partially_resolved, after.pending, str(after.handled_share)) == (1, 0, "100.00")

    client.force_login(cast.staff_b)
    assert client.get(reverse("congress:assignment_detail", kwargs={"pk": assignment.pk})).status_code == 404
    assert assignment.pk not in [a.pk for a in client.get(reverse("congress:my_assignments")).context["assignments"]]


def test_department_staff_see_only_their_own_assignments_in_their_list(cast, client):
    own = AssignmentFactory(department=cast.dept_a)
    AssignmentFactory(department=cast.dept_b, opinion=own.opinion)
    client.force_login(cast.staff_a)

    response = client.get(reverse("congress:my_assignments"))

    assert list(response.context["assignments"]) == [own]


def test_the_assignment_page_of_a_department_does_not_show_other_departments_answers(cast, client):
    own = AssignmentFactory(department=cast.dept_a)
    AssignmentFactory(
        department=cast.dept_b,
        opinion=own.opinion,
        status=HandlingStatus.RESOLVED,
        answer="乙镇的内部办理情况",
        answered_at=timezone.now(),
    )
    client.force_login(cast.staff_a)

    response = client.get(reverse("congress:assignment_detail", kwargs={"pk": own.pk}))

    assert "乙镇的内部办理情况" not in response.content.decode()


def test_a_stale_answer_shows_a_message_and_keeps_the_first_answer(cast, client):
    assignment = AssignmentFactory(department=cast.dept_a)
    client.force_login(cast.staff_a)
    _answer(client, assignment, HandlingStatus.RESOLVED, version=0)

    response = _answer(client, assignment, HandlingStatus.UNRESOLVED, version=0)

    assert response.status_code == 200
    assert "已被他人修改" in response.content.decode()
    assert Assignment.objects.get(pk=assignment.pk).status == HandlingStatus.RESOLVED


def test_reviewers_read_the_assignment_without_an_answer_form(cast, client):
    assignment = AssignmentFactory(department=cast.dept_a)
    client.force_login(cast.reviewer)

    response = client.get(reverse("congress:assignment_detail", kwargs={"pk": assignment.pk}))

    assert response.status_code == 200
    assert response.context["form"] is None


def test_a_scoped_reviewer_sees_only_assignments_of_departments_in_scope_on_the_opinion_page(cast, client):
    opinion = OpinionFactory()
    AssignmentFactory(opinion=opinion, department=cast.dept_a)
    in_scope = AssignmentFactory(opinion=opinion, department=cast.dept_b)
    client.force_login(cast.reviewer_scoped)

    response = client.get(reverse("congress:opinion_detail", kwargs={"pk": opinion.pk}))

    assert list(response.context["assignments"]) == [in_scope]


def test_congress_staff_assign_an_opinion_to_departments_through_the_form(cast, client):
    opinion = OpinionFactory()
    client.force_login(cast.congress)

    response = client.post(
        reverse("congress:assignment_create", kwargs={"pk": opinion.pk}),
        {"departments": [cast.dept_a.pk, cast.dept_b.pk], "deadline": "2025-09-30"},
    )

    assert response.status_code == 302
    assert opinion.assignments.count() == 2


def test_congress_staff_mark_a_look_back_through_the_page(cast, client):
    assignment = AssignmentFactory(
        department=cast.dept_a, status=HandlingStatus.RESOLVED, answer="x", answered_at=timezone.now()
    )
    client.force_login(cast.congress)

    client.post(reverse("congress:opinion_review", kwargs={"pk": assignment.opinion_id}), {"note": "已回访"})

    assignment.opinion.refresh_from_db()
    assert assignment.opinion.is_reviewed


def test_the_overdue_list_shows_late_unanswered_assignments(cast, client):
    late = AssignmentFactory(department=cast.dept_a, deadline=datetime.date(2020, 1, 1))
    AssignmentFactory(department=cast.dept_b, deadline=datetime.date(2999, 1, 1))
    client.force_login(cast.congress)

    response = client.get(reverse("congress:overdue_list"))

    assert list(response.context["assignments"]) == [late]


def test_the_opinion_list_takes_a_bounded_number_of_queries(cast, client, django_assert_max_num_queries):
    opinion = OpinionFactory()
    for _ in range(15):
        AssignmentFactory(opinion=OpinionFactory(congress_year=opinion.congress_year), department=cast.dept_a)
    client.force_login(cast.congress)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("congress:opinion_list", kwargs={"year": opinion.congress_year.year}))
    assert len(response.context["rows"]) == 16


def test_the_department_list_and_overdue_list_take_a_bounded_number_of_queries(
    cast, client, django_assert_max_num_queries
):
    for _ in range(15):
        AssignmentFactory(department=cast.dept_a, deadline=datetime.date(2020, 1, 1))
    client.force_login(cast.staff_a)
    with django_assert_max_num_queries(10):
        client.get(reverse("congress:my_assignments"))
    client.force_login(cast.congress)
    with django_assert_max_num_queries(10):
        client.get(reverse("congress:overdue_list"))


def test_a_look_back_recorded_without_a_person_does_not_print_none(cast, client):
    """The demo's 回头看 had a time and no person: the page read "已回头看 None 于 2025年11月20日"."""
    opinion = OpinionFactory()
    opinion.reviewed_at = timezone.make_aware(datetime.datetime(2025, 11, 20, 15, 0))
    opinion.save(update_fields=["reviewed_at"])
    client.force_login(cast.congress)
    html = client.get(reverse("congress:opinion_detail", args=[opinion.pk])).content.decode()
    assert "已回头看" in html and "2025年11月20日" in html and "None" not in html
