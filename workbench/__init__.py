"""工作台 and the shell around every page: the home page, the main menu, what waits for whom.

It composes several apps (returns, reviews, congress, reports), so it sits above all of them and
none of them imports it: each app says what waits in its own `<app>/workbench.py`
(`(user) -> list[accounts.workbench.WorkItem]`) and work.py lists those sources.

    views.py             the home page (accounts:home, "/")
    department_home.py   a department's part of it: this year's return, what is missing, last year's report
    work.py              what waits for this person, from each app
    navigation.py        the main menu per role
"""
