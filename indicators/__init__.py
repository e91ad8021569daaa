"""The indicator framework (指标体系). What other apps use:

models        IndicatorFramework (year, version, status, cloned_from) ─ Area ─ Group ─ Indicator
              ─ AssessmentPoint; ValidationRule; GradeThreshold; AdjustmentItem (加分/扣分/一票否决).
              Indicator.applies_to(kind), APPLICABILITY_FIELDS, Indicator.predecessor_codes;
              Indicator.nature (考核指标 | 统计指标: unscored figures reports cite) and .is_statistical.
readings      IndicatorReading(value | numerator, denominator): the value of one indicator for one
              department; .rate, .measure, .has_no_cases. Build a dict[code, IndicatorReading].
rates         rate_percent(num, den) — the one rounding rule (2 decimals, half up; den 0 → None).
selectors     framework_published_for_year, framework_tree, indicators_for_department_kind,
              previous_framework, indicator_predecessors (last year's indicator via previous_code).
comparison    framework_compare: indicators, areas/groups, rules, grade lines, 加减分/否决 items.
lineage       carry_forward(predecessor codes, last year's readings) → readings under this year's codes.
validation    check_rules, derive_readings (formulas), check_year_over_year (swing check).
scoring       score_indicator, Judgement, summarise (roll-up, bonus, deductions, veto, grade),
              thresholds_for_kind, grade_for; scoring.rules holds the pure rule functions.
phrasing      render_phrase(indicator, current, previous) for report prose.
presenting    how a value reads where it is shown: value_text(indicator, reading, Place.…), target_text,
              number_text, percent_text, state_text, date_text, datetime_text (via Django localisation).
services      framework_clone / _publish / _archive / _reopen / _import / _load_default,
              framework_has_returns (the immutability hook), indicator_update.
tree_lock     FrameworkLocked; areas, groups and indicators of a framework filed against refuse any
              ORM write (PostgreSQL triggers refuse raw SQL too).
"""
