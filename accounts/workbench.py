"""工作台: what waits for this person, with counts and links. Each app says what waits in its own
module (a function `(user) -> list[WorkItem]`, [] when nothing of it concerns the user); the home
page lists them all. Named by dotted path, so accounts imports none of the apps above it."""

from dataclasses import dataclass

from django.utils.module_loading import import_string

from .models import User

WORK_SOURCES = (
    "reviews.workbench.reviewer_work",
    "congress.workbench.congress_work",
    "reports.workbench.reports_ready",
)


@dataclass(frozen=True)
class WorkItem:
    label: str  # 待审核的填报
    count: int
    url: str  # where the work is done, filtered to it where the page allows
    note: str = ""  # e.g. 其中 3 件已逾期


def work_for(user: User) -> list[WorkItem]:
    return [item for source in WORK_SOURCES for item in import_string(source)(user)]
