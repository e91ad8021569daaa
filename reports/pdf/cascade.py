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
import weasyprint
from cssselect2 import compiler as selector_compiler
from cssselect2 import parser as selector_parser
from weasyprint.css import (
    PROGRESS_LOGGER,
    StyleFor,
    declaration_precedence,
    find_style_attributes,
    preprocess_declarations,
)
from webencodings import ascii_lower

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


# --- the user-agent sheet's unindexed selectors -------------------------------------------------------
# cssselect2's Matcher files a selector under its id, class or tag when its subject has one, and
# tests every other selector on every element: 18 of the report user-agent sheet's (`[dir=rtl i]`,
# `[hidden]`, `:link`, `:is(dir, dl, menu, ol, ul) :is(dir, dl, menu, ol, ul)`, …) on each of the
# city congress report's 2,178 elements. Each of them needs its subject to have one of a few tags
# (`:is(…)` of tags, `:link`) or some attribute (an attribute selector); the report's matcher tests
# on an element only those its tag and attributes allow: cascade 35.5 -> 30.0 ms CPU per congress
# render (same-process A/B, load 7). Same matches, in the same order.
class _GuardedMatcher(cssselect2.Matcher):  # type: ignore[misc]  # cssselect2 has no type hints
    def __init__(self, matcher: Any, guards: list[tuple[frozenset[str] | None, bool]]) -> None:
        self.__dict__.update(matcher.__dict__)
        self._guarded = list(zip(guards, self.other_selectors, strict=True))
        self._candidates: dict[tuple[str, bool], list[Any]] = {}

    def _other_selectors(self, element: Any) -> Any:
        if not element.in_html_document:
            return self.other_selectors
        key = (element.local_name, bool(element.etree_element.attrib))
        candidates = self._candidates.get(key)
        if candidates is None:
            candidates = self._candidates[key] = [
                entry
                for (names, needs_attribute), entry in self._guarded
                if (names is None or key[0] in names) and (key[1] or not needs_attribute)
            ]
        return candidates

    def match(self, element: Any) -> list[Any]:
        """cssselect2's Matcher.match, with the other selectors those the element can match."""
        relevant_selectors: list[Any] = []

        if element.id is not None and element.id in self.id_selectors:
            self.add_relevant_selectors(element, self.id_selectors[element.id], relevant_selectors)

        for class_name in element.classes:
            if class_name in self.class_selectors:
                self.add_relevant_selectors(element, self.class_selectors[class_name], relevant_selectors)

        lower_name = ascii_lower(element.local_name)
        if lower_name in self.lower_local_name_selectors:
            self.add_relevant_selectors(element, self.lower_local_name_selectors[lower_name], relevant_selectors)
        if element.namespace_url in self.namespace_selectors:
            self.add_relevant_selectors(element, self.namespace_selectors[element.namespace_url], relevant_selectors)

        if "lang" in element.etree_element.attrib:
            self.add_relevant_selectors(element, self.lang_attr_selectors, relevant_selectors)

        self.add_relevant_selectors(element, self._other_selectors(element), relevant_selectors)

        relevant_selectors.sort()
        return relevant_selectors


def _guard(tree: Any) -> tuple[frozenset[str] | None, bool]:
    """What an element (of an HTML document) must have to match a selector whose parsed tree is
    `tree`: one of these local names (None: any), some attribute. Read off its subject's compound."""
    if isinstance(tree, selector_parser.CombinedSelector):
        tree = tree.right
    names: frozenset[str] | None = None
    needs_attribute = False
    for simple in tree.simple_selectors:
        required: frozenset[str] | None = None
        if isinstance(simple, selector_parser.LocalNameSelector):
            required = frozenset({simple.lower_local_name})  # el.local_name == lower_local_name
        elif isinstance(simple, selector_parser.AttributeSelector):
            needs_attribute = True  # every operator reads the attribute and fails without it
        elif isinstance(simple, selector_parser.PseudoClassSelector) and simple.name in _LINKS:
            required = frozenset({"a", "area", "link"})
        elif isinstance(simple, (selector_parser.MatchesAnySelector, selector_parser.SpecificityAdjustmentSelector)):
            alternatives = [_guard(selector.parsed_tree) for selector in simple.selector_list]  # or-ed
            if alternatives and all(alt_names is not None for alt_names, _ in alternatives):
                required = frozenset().union(*(alt_names for alt_names, _ in alternatives if alt_names is not None))
            if alternatives and all(alt_attribute for _, alt_attribute in alternatives):
                needs_attribute = True
        if required is not None:
            names = required if names is None else names & required
    return names, needs_attribute


_LINKS = ("link", "any-link", "local-link")


def stylesheet_with_guarded_selectors(**kwargs: Any) -> Any:
    """weasyprint.CSS(**kwargs), its matcher testing its unindexed selectors only on the elements
    whose tag and attributes allow them to match."""
    parsed: dict[Any, Any] = {}
    compiled_selector_init = selector_compiler.CompiledSelector.__init__

    def recorded(compiled: Any, parsed_selector: Any) -> None:
        compiled_selector_init(compiled, parsed_selector)
        parsed[compiled.test] = parsed_selector

    selector_compiler.CompiledSelector.__init__ = recorded
    try:
        stylesheet = weasyprint.CSS(**kwargs)
    finally:
        selector_compiler.CompiledSelector.__init__ = compiled_selector_init
    guards = [_guard(parsed[test].parsed_tree) for test, *_ in stylesheet.matcher.other_selectors]
    stylesheet.matcher = _GuardedMatcher(stylesheet.matcher, guards)
    return stylesheet
