"""The public site's search by words, year and unit (publication.selectors.public_search).

The search reads a lower-cased copy of each report's title and public text (indexed by pg_trgm on
PostgreSQL) instead of upper-casing every text on every search. The answers must stay those of the
case-insensitive substring search it replaced, which `_as_before` restates as the reference.
"""

import pytest
from django.db import connection
from django.db.models import Q
from django.urls import reverse

from publication import services
from publication.documents import document_from_json, parts_of
from publication.models import ReportPublication
from publication.selectors import PUBLIC_PAGE_SIZE, _matches_word, public_search, public_search_page, published_reports
from tests.factories import DepartmentFactory

from .builders import final_report
from .factories import publication

Status = ReportPublication.Status


def _as_before(*, year=None, unit=None, words=""):
    """The search as it was: icontains on the title, the unit's name and the public text, per word."""
    found = published_reports(year=year, unit=unit)
    for word in words.split()[:5]:
        found = found.filter(Q(title__icontains=word) | Q(department__name__icontains=word) | Q(text__icontains=word))
    return list(found.values_list("pk", flat=True))


def _found(**criteria):
    return list(public_search(**criteria).values_list("pk", flat=True))


@pytest.fixture
def reports(cast):
    """Published reports of four units over two years, and two the public must never find."""
    return {
        "a": publication(
            cast.dept_a, user=cast.admin, text="全面推行行政执法三项制度，办理行政复议案件71件。APP上线一网通办。"
        ),
        # A title without the unit's name: found by the unit's name only through the unit.
        "b": publication(cast.dept_b, user=cast.admin, title="年度报告", text="乡镇综合执法改革；行政诉讼应诉率100%。"),
        "county": publication(
            cast.county, user=cast.admin, year=2024, text="开展法治督察，完成率95%以上，文件以Pdf格式公开，编号x_1。"
        ),
        "city": publication(cast.city, user=cast.admin, text="市政府常务会议学法4次，行政复议决定全部公开。"),
        "reviewing": publication(
            cast.justice_bureau, user=cast.admin, status=Status.REVIEWING, text="三项制度 行政复议"
        ),
        "withdrawn": publication(cast.court, user=cast.admin, status=Status.WITHDRAWN, text="三项制度 行政复议"),
    }


CASES = [
    {"words": "诉"},  # one character
    {"words": "复议"},  # two characters: no trigram
    {"words": "三项制度"},  # three or more: the trigram index
    {"words": "行政复议案件"},
    {"words": "行政 复议"},  # every word must match
    {"words": "三项制度 乡镇"},  # in two different reports: none has both
    {"words": "app"},  # Latin letters, case aside
    {"words": "PDF"},
    {"words": "%"},  # LIKE's wildcards are literal characters
    {"words": "95%"},
    {"words": "x_1"},
    {"words": "_"},
    {"words": "乙镇"},  # the unit's name, not in the title or text
    {"words": "测试市"},  # in the titles and the units' names
    {"words": "复议", "year": 2025},
    {"words": "公开", "year": 2024},
    {"words": "执法", "unit": "dept_b"},
    {"words": "三项制度", "unit": "dept_b"},
    {"words": "没有这样的词"},  # no match
    {"words": "督察", "year": 2025},  # no match in that year
    {"words": ""},
]


@pytest.mark.parametrize("case", CASES)
def test_the_search_finds_what_the_substring_search_found(cast, reports, case):
    criteria = dict(case)
    if "unit" in criteria:
        criteria["unit"] = getattr(cast, criteria["unit"]).pk
    assert _found(**criteria) == _as_before(**criteria)


def test_a_one_character_word_is_found_inside_the_text(cast, reports):
    assert _found(words="诉") == [reports["b"].pk]


def test_a_two_character_word_is_found_in_every_report_that_holds_it(cast, reports):
    assert set(_found(words="复议")) == {reports["a"].pk, reports["city"].pk}


def test_a_longer_word_is_found_in_the_report_that_holds_it(cast, reports):
    assert _found(words="三项制度") == [reports["a"].pk]


def test_latin_letters_match_whatever_their_case(cast, reports):
    assert _found(words="pdf") == _found(words="PDF") == [reports["county"].pk]


def test_a_word_in_the_units_name_finds_the_units_report(cast, reports):
    assert _found(words="乙镇") == [reports["b"].pk]


def test_year_and_unit_narrow_the_words(cast, reports):
    assert _found(words="公开", year=2024) == [reports["county"].pk]
    assert _found(words="执法", unit=cast.dept_b.pk) == [reports["b"].pk]


def test_words_no_report_holds_find_nothing(cast, reports):
    assert _found(words="没有这样的词") == [] and _found(words="三项制度 乡镇") == []


def test_reports_under_review_or_withdrawn_never_match(cast, reports):
    found = set(_found(words="三项制度")) | set(_found(words="行政复议"))
    assert reports["reviewing"].pk not in found and reports["withdrawn"].pk not in found


def test_the_search_follows_a_reports_changed_text(cast, reports):
    item = reports["city"]
    item.text = "政务公开标准化规范化。"
    item.save(update_fields=["text"])
    assert _found(words="标准化") == [item.pk] and _found(words="常务会议") == []


def test_the_public_edition_is_searched_not_the_internal_one(cast):
    personal = "办案民警张某某（身份证号110101199001011234）获评先进。"
    run = final_report(cast.dept_a, cast.staff_a, narratives={"measures": f"本年度我局扎实推进依法行政。\n{personal}"})
    item = services.publication_start(run=run, user=cast.staff_a)
    part = next(p for p in parts_of(document_from_json(item.source_document), {}) if "举措" in p.key)
    assert "张某某" in part.original  # the final (internal) edition keeps it
    item = services.publication_redact(
        publication=item,
        number=part.number,
        text=part.original.replace(personal, "办案民警获评先进。"),
        version=item.version,
        user=cast.staff_a,
    )
    item = services.publication_confirm_review(publication=item, version=item.version, user=cast.staff_a)
    services.publication_publish(publication=item, user=cast.staff_a)
    assert _found(words="张某某") == [] and _found(words="110101199001011234") == []
    assert _found(words="办案民警获评先进") == [item.pk]


def test_the_result_pages_hold_thirty_reports_each_in_the_lists_order(cast):
    count = PUBLIC_PAGE_SIZE + 2
    units = [DepartmentFactory(code=f"P{n:03d}", name=f"测试单位{n:03d}", sort_order=n) for n in range(count)]
    for unit in units:
        publication(unit, user=cast.admin, text="行政复议")
    first = public_search_page(words="复议", number=1)
    second = public_search_page(words="复议", number="2")
    assert first.paginator.count == PUBLIC_PAGE_SIZE + 2
    assert [item.department for item in [*first, *second]] == units


def test_a_page_number_out_of_range_shows_the_last_page(cast, reports):
    assert public_search_page(words="复议", number="99").number == 1


def test_the_search_page_reads_a_fixed_number_of_queries(cast, client, django_assert_max_num_queries):
    for n in range(12):
        unit = DepartmentFactory(code=f"Q{n:03d}", name=f"测试单位{n:03d}")
        publication(unit, user=cast.admin, text="行政复议案件")
    with django_assert_max_num_queries(6):
        page = client.get(reverse("public:index"), {"q": "复议 案件", "year": 2025}).content.decode()
    assert "共 12 份" in page


def test_the_search_form_keeps_the_chosen_year_and_unit_selected(cast, client, reports):
    page = client.get(reverse("public:index"), {"q": "复议", "year": 2025, "unit": cast.city.pk}).content.decode()
    assert '<option value="2025" selected>2025年度</option>' in page
    assert f'<option value="{cast.city.pk}" selected>{cast.city.name}</option>' in page
    assert page.count(" selected>") == 2


def test_a_unit_name_is_escaped_in_the_search_form(cast, client):
    unit = DepartmentFactory(code="X001", name="<b>测试</b>局")
    publication(unit, user=cast.admin)
    page = client.get(reverse("public:index")).content.decode()
    assert "&lt;b&gt;测试&lt;/b&gt;局</option>" in page and "<b>测试</b>局" not in page


def test_on_postgresql_a_word_of_three_characters_can_be_looked_up_in_the_trigram_index(cast, reports, is_postgres):
    if not is_postgres:
        pytest.skip("the trigram index exists on PostgreSQL only (SQLite reads the column)")
    with connection.cursor() as cursor:
        # A handful of rows: the planner would read them all, or walk another index (the full suite's
        # statistics made it walk the primary key). Left with no plain scan, only the trigram index
        # can answer the LIKE — if it can.
        for scan in ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan"):
            cursor.execute(f"SET LOCAL {scan} = off")
    plan = ReportPublication.objects.filter(_matches_word("三项制度")).explain()
    assert "publication_search_text_trgm" in plan
