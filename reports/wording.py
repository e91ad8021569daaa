"""How report prose is put together (pure functions, no queries): clauses into a sentence, a typed
narrative into paragraphs.

How a figure reads (99.13%, 71件, 无此类事项, 2025年3月1日) is `indicators.presenting`'s; what a
sentence may say is the editorial rules' (reports.editorial).
"""


def sentence(parts: list[str]) -> str:
    """Clauses joined the way the seeds write them: "…71件；…99.13%，较上年提高5.27个百分点。"."""
    clauses = [part.rstrip("。；;，, ") for part in parts if part]
    return "；".join(clauses) + "。" if clauses else ""


def paragraphs_of(text: str) -> list[str]:
    """A narrative as typed: one paragraph per non-empty line."""
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
