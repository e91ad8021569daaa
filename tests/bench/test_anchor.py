"""The bare-form anchor of the page benchmarks renders its 100 fields and validates a POST that
passes the CSRF check (a refused token or an unvalidated form fails the measurement)."""

from bench.measure.anchor import FIELDS, anchor_calls, measure_anchor


def test_the_anchor_times_a_get_and_a_validated_post_through_the_csrf_middleware():
    anchor = measure_anchor(runs=2, warmup=1)
    assert anchor.get.runs == anchor.post.runs == 2
    assert anchor.get.p50_ms > 0 and anchor.post.p50_ms > 0


def test_a_page_is_stated_as_a_multiple_of_the_anchor():
    anchor = measure_anchor(runs=2, warmup=1)
    text = anchor.ratio_get(anchor.get.p50_ms * 3, anchor.get.cpu_p50_ms * 2 or None)
    assert text.startswith("3.0× the bare form's GET")
    assert FIELDS == 100


def test_the_anchors_calls_can_be_timed_turn_about_with_a_page():
    get, post = anchor_calls()
    get(0)
    post(0)  # asserts inside: rendered, and validated past the CSRF check


def test_the_table_prints_a_pages_ratio_beside_its_target_and_whether_it_is_met():
    from bench.run import table

    result = {
        "section": "entry",
        "name": "data-entry page GET",
        "value": 50.0,
        "unit": "ms",
        "target": "≤ 2.5× bare GET (CPU), ≤ 10 queries",
        "met": True,
        "queries": 10,
        "extra": {"cpu_p50_ms": 40.0, "anchor": "bare GET", "ratio_wall": 2.43, "ratio_cpu": 2.1},
    }
    row = table([result], {"scale": "city", "sha": "abc"}).splitlines()[-1]
    assert "| CPU 2.10× (wall 2.43×) bare GET | ≤ 2.5× bare GET (CPU), ≤ 10 queries | yes |" in row
