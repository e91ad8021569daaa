"""The CSS cascade of a report (WeasyPrint's StyleFor), with less repeated work per element; same
computed styles (issue 19 §4).

Measured on the city congress report (2,178 elements, ~1,300 of them table cells alike), the
cascade's CPU time with and without each change, alternating in one process (load 6–7):
- `_style_for_init`: 53.6 → 40.0 ms. WeasyPrint builds each element's cascaded style (every
  matched declaration weighed against the others) and then, when an element with the same parent
  style, style attribute and matched rules already has a computed style, shares that one and never
  reads the cascaded style it built. It is now built only when it is read.
- `ReportElementWrapper`: 53.9 → 45.8 ms. cssselect2 makes a new wrapper for every element at each
  walk over the document (WeasyPrint walks it three times: to find stylesheets, for the cascade and
  for the metadata), and each wrapper works out its tag, classes and id again, through Python
  3.11's `functools.cached_property`, which takes a lock on every first read. The report's wrappers
  are made once per element and keep their values without the lock. The list of an element's
  wrappers, which point back at it, is dropped when the render ends (cycles.py), so reference
  counting frees them.
"""

from functools import cached_property
from math import inf
from typing import Any

import cssselect2
from weasyprint.css import (
    PROGRESS_LOGGER,
    StyleFor,
    declaration_precedence,
    find_style_attributes,
    preprocess_declarations,
)

from .cycles import _note


def _style_for_init(
    self: Any, html: Any, sheets: Any, presentational_hints: Any, font_config: Any, target_collector: Any
) -> None:
    """WeasyPrint 70's StyleFor.__init__, line for line, except that an element's own cascaded style
    (pseudo-element None) is left unbuilt when its computed style is shared from `computed_cache`:
    set_computed_styles is then not called for it, and the cascaded styles are cleared at the end."""
    cascaded_styles: dict[Any, Any] = {}
    computed_styles: dict[Any, Any] = {}
    self._cascaded_styles = cascaded_styles
    self._computed_styles = computed_styles
    self.initial_page_sizes = {"box": None, "area": None}
    self._sheets = sheets
    self.font_config = font_config

    PROGRESS_LOGGER.info("Step 3 - Applying CSS")
    layer_order = inf
    elements_declarations: dict[Any, Any] = {}
    for specificity, element, declarations, base_url in find_style_attributes(
        html.etree_element, presentational_hints, html.base_url
    ):
        style = cascaded_styles.setdefault((element, None), {})
        elements_declarations[element] = tuple(declarations)
        for name, values, importance in preprocess_declarations(base_url, declarations):
            precedence = declaration_precedence("author", importance)
            weight = (precedence, layer_order, specificity)
            old_weight = style.get(name, (None, None))[1]
            if old_weight is None or old_weight <= weight:
                style[name] = values, weight

    computed_cache: dict[Any, Any] = {}
    for element in html.wrapper_element.iter_subtree():
        etree_element = element.etree_element
        parent = element.parent.etree_element if element.parent else None
        parent_id = id(computed_styles[parent, None]) if element.parent else None
        element_declarations = elements_declarations.get(etree_element)
        selectors_keys = []
        matched = []
        for sheet, origin, sheet_specificity in sheets:
            for selector in sheet.matcher.match(element):
                specificity, _order, pseudo_type, (declarations, layer) = selector
                layer_order = inf if layer is None else sheet.layers.index(layer)
                selectors_keys.append((sheet, specificity, id(declarations), layer_order))
                matched.append((origin, sheet_specificity or specificity, pseudo_type, declarations, layer_order))

        key = (parent_id, element_declarations, tuple(selectors_keys))
        shared = computed_cache.get(key)
        for origin, specificity, pseudo_type, declarations, layer_order in matched:
            if pseudo_type is None and shared is not None:
                continue  # the element's cascaded style: read only to compute a style it will not get
            style = cascaded_styles.setdefault((etree_element, pseudo_type), {})
            for name, values, importance in declarations:
                precedence = declaration_precedence(origin, importance)
                weight = (precedence, layer_order, specificity)
                old_weight = style.get(name, (None, None))[1]
                if old_weight is None or old_weight <= weight:
                    style[name] = values, weight

        if shared is not None:
            computed_styles[etree_element, None] = shared
        else:
            self.set_computed_styles(
                etree_element,
                root=html.etree_element,
                parent=parent,
                base_url=html.base_url,
                target_collector=target_collector,
            )
            computed_cache[key] = computed_styles[etree_element, None]

    for element, pseudo_type in cascaded_styles:
        if pseudo_type:
            self.set_computed_styles(
                element,
                pseudo_type=pseudo_type,
                root=html.etree_element,
                parent=element,
                base_url=html.base_url,
                target_collector=target_collector,
            )
    self._cascaded_styles.clear()


WEASYPRINT_STYLE_FOR_INIT = StyleFor.__init__
StyleFor.__init__ = _style_for_init


class _Cached:
    """functools.cached_property without its lock (a report's wrappers belong to one render)."""

    def __init__(self, function: Any) -> None:
        self.function = function
        self.name = function.__name__

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.function(instance)
        return value


class ReportElementWrapper(cssselect2.ElementWrapper):  # type: ignore[misc]  # cssselect2 has no type hints
    """cssselect2's wrapper, made once per element of the report's tree: its children are the same
    wrappers at every walk (where cssselect2 makes new ones, equal to them: wrappers of one type
    compare by element)."""

    def iter_children(self) -> Any:
        children: list[Any] | None = self.__dict__.get("_report_children")
        if children is None:
            # Children point back at their parent: dropped when the render ends (cycles.py).
            children = self.__dict__["_report_children"] = []
            _note(self, "_report_children")
            child = None
            for index, etree_child in enumerate(self.etree_children):
                child = type(self)(
                    etree_child, parent=self, index=index, previous=child, in_html_document=self.in_html_document
                )
                children.append(child)
        return iter(children)


for _name, _value in vars(cssselect2.ElementWrapper).items():
    if isinstance(_value, cached_property):
        setattr(ReportElementWrapper, _name, _Cached(_value.func))
