"""What waits for this person, with counts and links: each app's own source, in the order shown."""

from accounts.models import User
from accounts.workbench import WorkItem
from assessments.workbench import provider_work
from congress.workbench import congress_work
from reports.workbench import reports_ready
from reviews.workbench import reviewer_work

WORK_SOURCES = (reviewer_work, provider_work, congress_work, reports_ready)


def work_for(user: User) -> list[WorkItem]:
    return [item for source in WORK_SOURCES for item in source(user)]
