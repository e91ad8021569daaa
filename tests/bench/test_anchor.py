"""The bare-form anchor of the page benchmarks renders its 100 fields and validates a POST that
passes the CSRF check (a refused token or an unvalidated form fails the measurement)."""

from bench.measure.anchor import FIELDS, measure_anchor


def test_the_anchor_times_a_get_and_a_validated_post_through_the_csrf_middleware():
    anchor = measure_anchor(runs=2, warmup=1)
    assert anchor.get.runs == anchor.post.runs == 2
    assert anchor.get.p50_ms > 0 and anchor.post.p50_ms > 0


def test_a_page_is_stated_as_a_multiple_of_the_anchor():
    anchor = measure_anchor(runs=2, warmup=1)
    text = anchor.ratio_get(anchor.get.p50_ms * 3, anchor.get.cpu_p50_ms * 2 or None)
    assert text.startswith("3.0× the bare form's GET")
    assert FIELDS == 100
