"""The report's HTML parsed into the tree WeasyPrint's HTML parser (tinyhtml5) would build, faster.

tinyhtml5 is a pure-Python HTML5 parser: ~59 ms of a warm city congress render (58 KB of HTML,
~1,300 table cells, inline SVG charts), 12 % of its cProfile (issue 19 §4). The report templates
write well-formed markup, so expat (C, through ElementTree's XMLParser) builds the same tree in a
few milliseconds, but only under conditions that `fast_parse` checks and otherwise declines (the
caller then parses with tinyhtml5). An HTML parser and an XML parser build different trees from
many inputs; the conditions below are those under which they cannot:

1. Tokens (checked on the source): the document starts with `<!doctype html>` (no-quirks mode),
   every `<` starts a start tag whose attribute values are double-quoted and hold no tab, newline,
   carriage return, `<` or `>` (XML would turn those whitespace characters into spaces), an end tag,
   or a comment with no `<`, `>`, `!` or `--` in it; every `&` starts `&amp;`, `&lt;`, `&gt;`,
   `&quot;`, `&#x27;` or `&#39;` (the same characters in both languages, nothing left to HTML's
   legacy named or numeric character reference rules); no control character but tab and newline
   (carriage returns are made newlines first, as both parsers do); `xmlns` is written only as
   `xmlns="…svg"` and `xmlns:xlink="…xlink"` on `<svg>` start tags. HTML's void elements are
   written as XML's empty elements before the XML parse (`<br>` → `<br/>`), and `/>` closes only a
   void or an SVG element: on any other HTML element HTML would ignore it.
2. Tree (checked on expat's tree): `html` holds `head` then `body`; every HTML element is one of
   those the report templates write, with only the children HTML's tree construction would put
   there without implying, closing or moving any element: phrasing content (span, br, svg) inside
   `p`, headings, captions and figcaptions (so no `p` or heading is ever open when a block starts),
   flow content in body, sections, divs, figures and cells, table parts only in their own places
   (caption, colgroup > col, thead/tbody/tfoot > tr > th/td), and only whitespace as text of
   html, head, table, colgroup, thead, tbody, tfoot and tr (HTML foster-parents other text out
   of a table); attribute names in lowercase. Every SVG element is in the SVG namespace under an
   `svg` element, none of HTML's "breakout" names, none with element children where HTML would
   switch back to HTML (title, desc) or would read raw text (style), with its element and attribute
   names as HTML's case fix-ups write them (`viewBox`, `clipPath`, `{xlink}href`). Comments only
   inside SVG elements.
3. Fix-ups (where the languages differ on such input): the whitespace HTML drops between `<html>`
   and `<head>`; the whitespace after `</body>` and `</html>`, which HTML puts at the end of the
   body; the `xmlns` attributes, which HTML keeps as attributes of the `svg` element
   (`{http://www.w3.org/2000/xmlns/}xmlns`) and XML takes as declarations.

tests/reports/test_pdf_parsing.py compares the full trees (tags, namespaces, attributes in order,
text, tails, comments) of both parsers on every report kind's HTML and on hostile inputs.
"""

import re
from io import StringIO
from typing import Any
from xml.etree import ElementTree

import tinyhtml5
from tinyhtml5.constants import adjust_foreign_attributes, adjust_svg_attributes

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
XLINK_NAMESPACE = "http://www.w3.org/1999/xlink"
XMLNS_NAMESPACE = "http://www.w3.org/2000/xmlns/"
_SVG = f"{{{SVG_NAMESPACE}}}"


def parse_html(html: str) -> Any:
    """The `html` element of the document, as `tinyhtml5.parse(html, namespace_html_elements=False)`
    returns it (WeasyPrint's call)."""
    root = fast_parse(html)
    if root is None:
        root = tinyhtml5.parse(StringIO(html), namespace_html_elements=False)
    return root


# --- 1. tokens ------------------------------------------------------------------------------------
_DOCTYPE = re.compile(r"<!doctype html>", re.I)
_VALUE = r'"[^"<>&\t\n\r]*(?:&(?:amp|lt|gt|quot|#x27|#39);[^"<>&\t\n\r]*)*"'
_ATTRIBUTE = rf"[ \n]+[a-zA-Z_][-a-zA-Z0-9_.]*(?::[a-zA-Z_][-a-zA-Z0-9_.]*)?={_VALUE}"
# Every construct the fast path accepts; none holds a `<` but at its start.
_MARKUP = re.compile(
    rf"<[a-zA-Z][a-zA-Z0-9]*(?:{_ATTRIBUTE})*[ \n]*/?>"  # start tag
    r"|</[a-zA-Z][a-zA-Z0-9]*[ \n]*>"  # end tag
    r"|<!--(?:[^<>!-]|-(?!-))+-->"  # comment
)
_SELF_CLOSED = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)[^<>]*/>")
_STRAY_AMPERSAND = re.compile(r"&(?!(?:amp|lt|gt|quot|#x27|#39);)")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_VOID = ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr")
_VOID_TAG = re.compile(rf"<({'|'.join(_VOID)})((?:[ \n][^<>]*)?)(?<!/)>")
_SVG_START = re.compile(rf"<svg((?:{_ATTRIBUTE})*)[ \n]*/?>")
_ATTRIBUTE_PARTS = re.compile(r'([^\s=]+)="([^"]*)"')
_XMLNS_DECLARATIONS = {"xmlns": SVG_NAMESPACE, "xmlns:xlink": XLINK_NAMESPACE}
_REFERENCES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#x27;": "'", "&#39;": "'"}
_REFERENCE = re.compile("|".join(_REFERENCES))
_WHITESPACE = " \t\n\r\x0c"  # HTML's ASCII whitespace; expat has left no \r, \x0c is refused

# --- 2. tree ------------------------------------------------------------------------------------
_PHRASING = ("span", "br", _SVG + "svg")
_FLOW = ("article", "section", "div", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "p", "table", *_PHRASING)
# HTML element → (the children it may have, whether its own text and its children's tails must be
# whitespace: the table parts, where HTML moves other text out of the table).
_HTML_CHILDREN: dict[str, tuple[frozenset[Any], bool]] = {
    "head": (frozenset({"meta", "title", "link"}), True),
    "meta": (frozenset(), True),
    "link": (frozenset(), True),
    "title": (frozenset(), False),
    "body": (frozenset(_FLOW), False),
    "article": (frozenset(_FLOW), False),
    "section": (frozenset(_FLOW), False),
    "div": (frozenset(_FLOW), False),
    "figure": (frozenset({*_FLOW, "figcaption"}), False),
    "figcaption": (frozenset(_PHRASING), False),
    "p": (frozenset(_PHRASING), False),
    **{f"h{level}": (frozenset(_PHRASING), False) for level in range(1, 7)},
    "span": (frozenset(_PHRASING), False),
    "br": (frozenset(), False),
    "table": (frozenset({"caption", "colgroup", "thead", "tbody", "tfoot"}), True),
    "caption": (frozenset(_PHRASING), False),
    "colgroup": (frozenset({"col"}), True),
    "col": (frozenset(), True),
    "thead": (frozenset({"tr"}), True),
    "tbody": (frozenset({"tr"}), True),
    "tfoot": (frozenset({"tr"}), True),
    "tr": (frozenset({"td", "th"}), True),
    "td": (frozenset(_FLOW), False),
    "th": (frozenset(_FLOW), False),
}
# SVG elements the charts draw with, none of HTML's breakout names (which would end the SVG) and
# each spelled as HTML's case fix-ups write it; title, desc (HTML integration points) and style
# (raw text in HTML, though not in SVG) hold text only.
_SVG_CONTAINERS = ("svg", "g", "defs", "text", "tspan", "clipPath")
_SVG_LEAVES = ("rect", "path", "circle", "ellipse", "line", "polyline", "polygon", "use")
_SVG_TEXT_ONLY = ("title", "desc", "style")
_SVG_CHILDREN = frozenset(
    {ElementTree.Comment, *(_SVG + name for name in (*_SVG_CONTAINERS, *_SVG_LEAVES, *_SVG_TEXT_ONLY))}
)
_CHILDREN: dict[Any, frozenset[Any]] = {
    **{tag: children for tag, (children, _) in _HTML_CHILDREN.items()},
    **{_SVG + name: _SVG_CHILDREN for name in _SVG_CONTAINERS},
    **{_SVG + name: frozenset() for name in (*_SVG_LEAVES, *_SVG_TEXT_ONLY)},
    ElementTree.Comment: frozenset(),
}
_WHITESPACE_ONLY = frozenset(tag for tag, (_, whitespace_only) in _HTML_CHILDREN.items() if whitespace_only)
# SVG attribute names HTML writes from a foreign attribute (`xlink:href` → `{…xlink}href`).
_FOREIGN_ATTRIBUTES = frozenset(
    f"{{{namespace}}}{name}"
    for _prefix, name, namespace in adjust_foreign_attributes.values()
    if namespace != XMLNS_NAMESPACE
)
_COMMENT_DATA = re.compile(r"[^<>!-](?:[^<>!-]|-(?!-))*")


def _svg_attribute_name(name: str) -> Any:
    """The attribute name HTML's tree construction gives an SVG element's attribute written `name`."""
    lower = name.lower()
    adjusted = adjust_svg_attributes.get(lower, lower)
    foreign = adjust_foreign_attributes.get(adjusted)
    if foreign is None:
        return adjusted
    return f"{{{foreign[2]}}}{foreign[1]}"


class _Declined(Exception):
    pass


def fast_parse(html: str) -> Any:
    """The tree tinyhtml5 builds from `html`, built by expat; None when `html` is not markup that
    both parsers read the same way (see the module's docstring)."""
    html = html.replace("\r\n", "\n").replace("\r", "\n")
    doctype = _DOCTYPE.match(html)
    if doctype is None:
        return None
    source = html[doctype.end() :]
    if len(_MARKUP.findall(source)) != source.count("<") or _STRAY_AMPERSAND.search(source) or _CONTROL.search(source):
        return None
    svg_starts = _SVG_START.findall(source)
    declared = [
        (name, value)
        for attributes in svg_starts
        for name, value in _ATTRIBUTE_PARTS.findall(attributes)
        if name.startswith("xmlns")
    ]
    if source.count("xmlns") != len(declared) or any(_XMLNS_DECLARATIONS.get(n) != v for n, v in declared):
        return None
    if any(name not in _VOID and name not in _SVG_SELF_CLOSING for name in _SELF_CLOSED.findall(source)):
        return None
    stripped = source.rstrip(_WHITESPACE)
    if not stripped.endswith("</html>"):
        return None
    # No DTD reaches expat (every `<` was checked above), so no entity can be declared or expanded.
    parser = ElementTree.XMLParser(target=ElementTree.TreeBuilder(insert_comments=True))  # noqa: S314
    try:
        parser.feed(_VOID_TAG.sub(r"<\1\2/>", source))
        root = parser.close()
        _check(root)
        _fix_up(root, svg_starts, source[len(stripped) :])
    except (ElementTree.ParseError, _Declined, UnicodeError):
        return None
    return root


# SVG elements that may be written `<… />` (in HTML too: foreign elements honour the self-closing
# flag); none is also the name of an HTML element, on which HTML would ignore the flag.
_SVG_SELF_CLOSING = frozenset({*_SVG_LEAVES, "svg", "g", "defs", "text", "tspan", "clipPath", "desc"})


def _check(root: Any) -> None:
    if root.tag != "html" or [child.tag for child in root] != ["head", "body"]:
        raise _Declined
    if root.text and root.text.strip(_WHITESPACE):
        raise _Declined
    head, body = root
    for tail in head.tail, body.tail:
        if tail and tail.strip(_WHITESPACE):
            raise _Declined
    for element in root, head, body:
        _check_attributes(element, html=True)
    _check_children(head)
    _check_children(body)


def _check_attributes(element: Any, *, html: bool) -> None:
    for name in element.attrib:
        if html:
            if name[0] == "{" or name.lower() != name:
                raise _Declined
        elif name[0] == "{":
            if name not in _FOREIGN_ATTRIBUTES:
                raise _Declined
        elif _svg_attribute_name(name) != name:
            raise _Declined


def _check_children(parent: Any) -> None:
    """`parent`'s text, its children's tags and tails and, below them, the same for each child."""
    tag = parent.tag
    allowed = _CHILDREN[tag]
    whitespace_only = tag in _WHITESPACE_ONLY
    if whitespace_only and parent.text and parent.text.strip(_WHITESPACE):
        raise _Declined
    for child in parent:
        child_tag = child.tag
        if child_tag not in allowed:
            raise _Declined
        if whitespace_only and child.tail and child.tail.strip(_WHITESPACE):
            raise _Declined
        if child_tag is ElementTree.Comment:
            if not _COMMENT_DATA.fullmatch(child.text or ""):
                raise _Declined
            continue
        if child.attrib:
            _check_attributes(child, html=child_tag[0] != "{")
        if len(child) or child_tag in _WHITESPACE_ONLY:
            _check_children(child)


def _fix_up(root: Any, svg_starts: list[str], trailing: str) -> None:
    # "before head": HTML drops whitespace.
    root.text = None
    # "after body", "after after body": whitespace goes to the body, still the current node.
    body = root[1]
    text = (body.tail or "") + trailing
    body.tail = None
    if text:
        if len(body):
            last = body[-1]
            last.tail = (last.tail or "") + text
        else:
            body.text = (body.text or "") + text
    # HTML keeps `xmlns` and `xmlns:xlink` as attributes of the svg element, in their places.
    svgs = list(root.iter(_SVG + "svg"))
    if len(svgs) != len(svg_starts):
        raise _Declined
    for svg, attributes in zip(svgs, svg_starts, strict=True):
        written = _ATTRIBUTE_PARTS.findall(attributes)
        if not any(name.startswith("xmlns") for name, _ in written):
            continue
        adjusted = {
            _svg_attribute_name(name): _REFERENCE.sub(lambda match: _REFERENCES[match.group()], value)
            for name, value in written
        }
        kept = {name: value for name, value in adjusted.items() if not name.startswith("{" + XMLNS_NAMESPACE)}
        if kept != svg.attrib:
            raise _Declined
        svg.attrib.clear()
        svg.attrib.update(adjusted)
