"""Services of review and scoring: every write that spans rows, changes a state or leaves an audit.

audit.py          the audit row every state change writes in its own transaction
notifications.py  站内通知 and the deadline reminders (Celery beat)
dispute_notices.py  站内通知 of disputes on provided figures, and their escalation to reviewers
scoring.py        score sheets: compute, idempotent recomputation, ranks
review.py         per-indicator review scores, targeted return, approve, confirm (lock), reopen
adjustments.py    加分 / 扣分 / 一票否决 registers
publication.py    publishing preliminary results, declaring them final
appeals.py        异议 and the 复核 decision
"""
