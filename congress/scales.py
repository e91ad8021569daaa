"""Rating scales offered when a single-choice question is created.

Each option says whether it counts as satisfied and whether it is left out of the base of valid
answers. The defaults follow the surveys quoted in congress reports: 好评率 = (好 + 较好) ÷ 有效回答;
满意率 = (很满意 + 满意 + 基本满意) ÷ 有效票, with 说不清 not a valid vote.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class OptionSpec:
    label: str
    counts_as_satisfied: bool = False
    is_excluded_from_base: bool = False


SCALE_PRESETS: dict[str, tuple[str, tuple[OptionSpec, ...]]] = {
    "good4": (
        "好 / 较好 / 一般 / 差",
        (OptionSpec("好", True), OptionSpec("较好", True), OptionSpec("一般"), OptionSpec("差")),
    ),
    "good5": (
        "好 / 较好 / 一般 / 差 / 说不清",
        (
            OptionSpec("好", True),
            OptionSpec("较好", True),
            OptionSpec("一般"),
            OptionSpec("差"),
            OptionSpec("说不清", is_excluded_from_base=True),
        ),
    ),
    "satisfied5": (
        "很满意 / 满意 / 基本满意 / 不满意 / 说不清",
        (
            OptionSpec("很满意", True),
            OptionSpec("满意", True),
            OptionSpec("基本满意", True),
            OptionSpec("不满意"),
            OptionSpec("说不清", is_excluded_from_base=True),
        ),
    ),
    "done4": (
        "做到了 / 大多数做到了 / 少数做到了 / 没有做到",
        (
            OptionSpec("做到了", True),
            OptionSpec("大多数做到了", True),
            OptionSpec("少数做到了"),
            OptionSpec("没有做到"),
        ),
    ),
}
