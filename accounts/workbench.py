"""One line of the 工作台: what waits for a person, with a count and a link. Each app says what waits
in its own module (a function `(user) -> list[WorkItem]`, [] when nothing of it concerns the user);
workbench/work.py, above the apps, lists them all. The shape lives here, at the bottom, so every app
can build it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class WorkItem:
    label: str  # 待审核的填报
    count: int
    url: str  # where the work is done, filtered to it where the page allows
    note: str = ""  # e.g. 其中 3 件已逾期
