"""Two box questions WeasyPrint asks on every block laid out, answered with fewer calls: a
parent's page values and whether a box is in normal flow (same answers)."""

from typing import Any

from weasyprint.formatting_structure import boxes

# ParentBox.page_values listed every child to find the first and the last one in flow (for named
# pages), on every block laid out: ~6 % of the render of a long table (sampling profiler, city
# reports, bench/baselines/city-render-*.md). It now looks from each end for them; same values.


def _flows(box: Any) -> bool:
    return bool(box.is_in_normal_flow() or box.is_floated())


def _parent_page_values(box: Any) -> tuple[Any, Any]:
    """WeasyPrint's ParentBox.page_values: the page names a block starts and ends on, from its
    first and last child in flow (or floated), else its own."""
    start_value, end_value = boxes.Box.page_values(box)
    first = next((child for child in box.children if _flows(child)), None)
    if first is None:
        return start_value, end_value
    last = next(child for child in reversed(box.children) if _flows(child))
    if first is last:
        values = first.page_values()
        return values[0] or start_value, values[1] or end_value
    return first.page_values()[0] or start_value, last.page_values()[1] or end_value


boxes.ParentBox.page_values = _parent_page_values

# Box.is_in_normal_flow asked five methods in turn for one style's float and position: ~27,000 calls
# per city congress render (page values above, each block's children), ~30 ms. The same test reads
# the two properties once. A flex item's is_floated is replaced on the box itself
# (WeasyPrint's build.flex_children): such a box is asked WeasyPrint's way.
_box_is_in_normal_flow = boxes.Box.is_in_normal_flow
_FLOATS = ("left", "right", "inline-start", "inline-end")


def _is_in_normal_flow(box: Any) -> bool:
    if "is_floated" in box.__dict__:
        in_flow: bool = _box_is_in_normal_flow(box)
        return in_flow
    style = box.style
    floated, position = style["float"], style["position"]
    return not (
        floated in _FLOATS
        or position in ("absolute", "fixed")
        or position[0] in ("running()", "note()")
        or floated == "footnote"
    )


boxes.Box.is_in_normal_flow = _is_in_normal_flow
