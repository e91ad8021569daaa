"""How an audit row (ReviewAuditEntry) reads on a page: the action in Chinese and one line per
value that was recorded, "总分：95.00 → 100.00". The rows keep English keys (stable for exports and
tests); only their display is translated here."""

from dataclasses import dataclass

from assessments.models import AnnualReturn
from indicators.models import AdjustmentItem, GradeThreshold

from .models import Adjustment, Appeal, ReviewAuditEntry

ACTION_LABELS = {
    "review_score": "审核评分",
    "return": "退回修改",
    "approve": "审核通过",
    "confirm": "确认锁定",
    "reopen": "解除锁定并退回",
    "score_sheet_compute": "计算得分",
    "historical_year_score": "历史数据年度评分",
    "score_sheet_withdraw": "得分表作废（填报退回）",
    "adjustment_register": "登记加减分",
    "adjustment_approve": "批准加减分",
    "adjustment_reject": "不批准加减分",
    "adjustment_withdraw": "撤销加减分",
    "publish": "公示初步结果",
    "ranking_visibility": "排名公开设置",
    "breakdown_visibility": "明细公开设置",
    "finalise": "确定最终结果",
    "appeal_submit": "提出异议",
    "appeal_decide": "异议复核",
}

FIELD_LABELS = {
    "status": "状态",
    "appeal": "异议状态",
    "total": "总分",
    "base_score": "基础得分",
    "bonus": "加分",
    "deductions": "扣分",
    "is_vetoed": "一票否决",
    "grade": "等次",
    "area_points": "一级指标得分",
    "verified": "核定值",
    "automatic_points": "自评分",
    "points": "审核分（分值）",
    "final_points": "复核分",
    "points_contested": "有异议的分值",
    "reason": "理由",
    "item": "加减分项",
    "kind": "类别",
    "occurrences": "次数",
    "reopened": "退回内容",
    "resubmit_deadline": "重新提交期限",
    "accepted_automatic": "采用自评分的指标",
    "appeal_deadline": "异议截止日期",
    "is_ranking_public": "向各单位公开排名",
    "is_breakdown_public": "向各单位公开明细",
    "sheets": "得分表数",
}
SHEET_PREFIX = "sheet_"  # a 复核 decision records the sheet's values beside the contested item's

GRADES = dict(GradeThreshold.Grade.choices)


def _choices(action: str, key: str) -> dict:
    """The labels of a coded value: "approved" is 已审核 for a return but 已批准 for an adjustment."""
    key = key.removeprefix(SHEET_PREFIX)
    if key == "grade":
        return GRADES
    if key == "appeal":
        return dict(Appeal.Status.choices)
    if key == "kind":
        return dict(AdjustmentItem.Kind.choices)
    if key == "status":
        return dict(Adjustment.Status.choices if action.startswith("adjustment_") else AnnualReturn.Status.choices)
    return {}


@dataclass(frozen=True)
class AuditChange:
    label: str
    before: str
    after: str

    @property
    def is_changed(self) -> bool:
        return self.before != self.after


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def field_label(key: str) -> str:
    if key.startswith(SHEET_PREFIX):
        return "得分表" + FIELD_LABELS.get(key.removeprefix(SHEET_PREFIX), key.removeprefix(SHEET_PREFIX))
    return FIELD_LABELS.get(key, key)


def shown(value, labels: dict | None = None) -> str:
    if value is None or value == "" or value == {}:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        return "，".join(f"{key} {shown(item)}" for key, item in value.items())
    if isinstance(value, list):
        return "、".join(shown(item) for item in value) or "—"
    return str((labels or {}).get(value, value))


def audit_changes(entry: ReviewAuditEntry) -> list[AuditChange]:
    """Every key recorded before or after, in the order first recorded."""
    before, after = entry.before or {}, entry.after or {}
    keys = list(dict.fromkeys([*before, *after]))
    changes = []
    for key in keys:
        labels = _choices(entry.action, key)
        changes.append(AuditChange(field_label(key), shown(before.get(key), labels), shown(after.get(key), labels)))
    return changes
