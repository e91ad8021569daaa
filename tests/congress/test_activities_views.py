from django.urls import reverse

from congress.models import SurveyActivity

from .factories import CongressYearFactory, RecommendationFactory


def test_an_activity_is_logged_through_the_form(cast, client):
    CongressYearFactory()
    client.force_login(cast.congress)

    response = client.post(
        reverse("congress:activity_create", kwargs={"year": 2025}),
        {
            "kind": SurveyActivity.Kind.SITE_VISIT,
            "subject": "实地察看综合执法",
            "held_on": "2025-10-28",
            "ended_on": "2025-10-29",
            "place": "青石镇",
            "departments": [cast.dept_b.pk],
            "other_participants": "",
            "notes": "",
        },
    )

    assert response.url == reverse("congress:year_detail", kwargs={"year": 2025})
    assert SurveyActivity.objects.get().departments.get() == cast.dept_b


def test_a_finalised_year_hides_the_recommendation_buttons_and_refuses_edits(cast, client):
    recommendation = RecommendationFactory()
    client.force_login(cast.congress)
    client.post(reverse("congress:year_finalise", kwargs={"year": 2025}))

    page = client.get(reverse("congress:year_detail", kwargs={"year": 2025})).content.decode()
    response = client.post(
        reverse("congress:recommendation_update", kwargs={"pk": recommendation.pk}),
        {"title": "改", "content": "改", "version": 0},
    )

    assert reverse("congress:recommendation_create", kwargs={"year": 2025}) not in page
    assert "已定稿" in response.content.decode()


def test_the_year_page_takes_a_bounded_number_of_queries(cast, client, django_assert_max_num_queries):
    year = CongressYearFactory()
    for _ in range(10):
        RecommendationFactory(congress_year=year)
    client.force_login(cast.congress)

    with django_assert_max_num_queries(16):
        client.get(reverse("congress:year_detail", kwargs={"year": 2025}))
