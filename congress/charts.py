"""Chart series for the results page, built from SurveyResults (no queries).

Charts only draw: floats are fine here; the tables beside them print the exact Decimal figures.
"""

from decimal import Decimal

from .selectors.survey_results import SurveyResults


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def results_charts(results: SurveyResults) -> dict:
    return {
        "samples": {
            "groups": [s.group_name for s in results.samples],
            "valid": [s.valid for s in results.samples],
            "invalid": [s.returned - s.valid for s in results.samples],
        },
        "satisfaction": [
            {
                "title": f"{q.number}. {q.text}",
                "groups": [row.group_name for row in (*q.by_group, q.overall)],
                "rates": [_float(row.rate) for row in (*q.by_group, q.overall)],
                "low": [_float(row.interval.low) if row.interval else None for row in (*q.by_group, q.overall)],
                "high": [_float(row.interval.high) if row.interval else None for row in (*q.by_group, q.overall)],
            }
            for q in results.satisfaction
        ],
        "problems": [
            {
                "title": f"{q.number}. {q.text}",
                "labels": [p.label for p in q.problems],
                "shares": [_float(p.share) for p in q.problems],
            }
            for q in results.problems
        ],
    }
