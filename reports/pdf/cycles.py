"""Reference cycles a WeasyPrint render leaves behind, broken when the render ends so that reference
counting frees them (issue 19 §4).

html_to_pdf pauses Python's cyclic collector while WeasyPrint renders and collects the youngest
generation when it ends (render.py). That collection found ~55,500 objects in cycles per city
congress render (57,500 before the expat parser) and took 36 ms of a quiet machine's render, 60–150
ms of a busy one's: it walks each of them several times before it frees them. Nearly all of them
hung off a few references back up a tree:
- each table column's `get_cells`, a closure over the table (WeasyPrint's table layout): the whole
  laid-out table, its rows, cells, lines, text boxes and Pango layouts;
- computed styles: a style caches its anonymous style (`anonymous_style`), which points back at its
  parent style, and an anonymous or initial style is its own `specified`: ~600 styles and their
  values;
- the layout context's `get_image_from_uri` (a partial over the context), and an SVG's lazy
  definitions (each points back at its SVG): what they hold;
- when tinyhtml5 parses (reports/pdf/parsing.py falls back to it), its tree, parser and tokenizer
  (parent pointers, phases): the HTML's every element twice, tinyhtml5's node and ElementTree's.
Those references are noted when WeasyPrint makes them during a render in html_to_pdf and dropped
when the render is over (nothing reads them any more); tinyhtml5's tree is taken apart as soon as
the parser has handed over its ElementTree. Everything is then freed by reference counting as the
render's last references go, and the final collection finds ~40 objects (the fetcher's urllib
opener). Outside html_to_pdf nothing is noted, and WeasyPrint's objects are left to the collector.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import Any

import tinyhtml5.parser
from weasyprint import css
from weasyprint.formatting_structure import boxes
from weasyprint.layout import LayoutContext
from weasyprint.svg import SVG

_local = threading.local()


def _note(holder: Any, name: str) -> None:
    """Note that `holder.name` closes a reference cycle, to drop it when the render ends."""
    noted: list[tuple[dict[str, Any], str]] | None = getattr(_local, "noted", None)
    if noted is not None:
        noted.append((holder.__dict__, name))


@contextmanager
def cycles_broken_at_the_end() -> Iterator[None]:
    """Around one render: the references noted during it are dropped when it ends."""
    outer = getattr(_local, "noted", None)
    noted: list[tuple[dict[str, Any], str]] = []
    _local.noted = noted
    try:
        yield
    finally:
        _local.noted = outer
        for attributes, name in noted:
            attributes.pop(name, None)


# --- table columns ------------------------------------------------------------------------------------
_column_get_cells = boxes.TableColumnBox.get_cells


class _ColumnCells:
    """TableColumnBox.get_cells: WeasyPrint's method until table layout sets a column's own function
    (a closure over the table), which is then noted."""

    def __get__(self, column: Any, owner: Any = None) -> Any:
        if column is None:
            return self
        get_cells = column.__dict__.get("get_cells")
        return _column_get_cells.__get__(column, owner) if get_cells is None else get_cells

    def __set__(self, column: Any, get_cells: Any) -> None:
        column.__dict__["get_cells"] = get_cells
        _note(column, "get_cells")

    def __delete__(self, column: Any) -> None:
        del column.__dict__["get_cells"]


boxes.TableColumnBox.get_cells = _ColumnCells()


# --- styles -------------------------------------------------------------------------------------------
def _anonymous_style(style: Any) -> Any:
    anonymous = css.AnonymousStyle(style)
    _note(style, "anonymous_style")
    return anonymous


_style_anonymous_style = css.Style.__dict__["anonymous_style"]
_anonymous_style_property = cached_property(_anonymous_style)
_anonymous_style_property.__set_name__(css.Style, "anonymous_style")
css.Style.anonymous_style = _anonymous_style_property

_anonymous_style_init = css.AnonymousStyle.__init__
_initial_style_init = css.InitialStyle.__init__


def _anonymous_style_noted(style: Any, parent_style: Any) -> None:
    _anonymous_style_init(style, parent_style)
    _note(style, "specified")


def _initial_style_noted(style: Any, font_config: Any) -> None:
    _initial_style_init(style, font_config)
    _note(style, "specified")


css.AnonymousStyle.__init__ = _anonymous_style_noted
css.InitialStyle.__init__ = _initial_style_noted

# --- the layout context and SVG images ----------------------------------------------------------------
_layout_context_init = LayoutContext.__init__
_svg_init = SVG.__init__
_SVG_DEFINITIONS = ("filters", "gradients", "images", "markers", "masks", "patterns", "paths", "symbols")


def _layout_context_noted(context: Any, *args: Any, **kwargs: Any) -> None:
    _layout_context_init(context, *args, **kwargs)
    _note(context, "get_image_from_uri")


def _svg_noted(svg: Any, *args: Any, **kwargs: Any) -> None:
    _svg_init(svg, *args, **kwargs)
    for name in _SVG_DEFINITIONS:
        _note(svg, name)


LayoutContext.__init__ = _layout_context_noted
SVG.__init__ = _svg_noted

# --- tinyhtml5's tree -----------------------------------------------------------------------------------
_parse = tinyhtml5.parser.HTMLParser.parse


def _parse_and_take_apart(parser: Any, *args: Any, **kwargs: Any) -> Any:
    """tinyhtml5's HTMLParser.parse, its own tree and state dropped once it has returned the
    ElementTree (which holds no reference to them)."""
    result = _parse(parser, *args, **kwargs)
    nodes = [parser.tree.document]
    while nodes:
        node = nodes.pop()
        node.parent = None
        nodes.extend(node._children)
    parser.tree.__dict__.clear()
    parser.__dict__.clear()
    return result


tinyhtml5.parser.HTMLParser.parse = _parse_and_take_apart

# What this module replaced (owner, attribute, WeasyPrint's or tinyhtml5's own), for the tests that
# render with and without it.
REPLACED: dict[str, list[tuple[Any, str, Any]]] = {
    "cycles": [
        (boxes.TableColumnBox, "get_cells", _column_get_cells),
        (css.Style, "anonymous_style", _style_anonymous_style),
        (css.AnonymousStyle, "__init__", _anonymous_style_init),
        (css.InitialStyle, "__init__", _initial_style_init),
        (LayoutContext, "__init__", _layout_context_init),
        (SVG, "__init__", _svg_init),
        (tinyhtml5.parser.HTMLParser, "parse", _parse),
    ],
}
