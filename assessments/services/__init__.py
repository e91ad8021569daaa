"""Services of annual returns: every write that spans rows, changes a status or leaves an audit.

workflow.py    the transition table and the transitions (start, submit, return, approve, confirm, reopen)
opening.py     opening a framework year's returns for every active department
entry.py       saving indicator values and narrative sections (drafts, version checks, audit)
submission.py  submitting: checks, 自评分, deadline, lock
deadlines.py   deadlines and extensions
completion.py  the stored completion counts, recounted whenever values are written
historical.py  opening a past year for historical data
"""
