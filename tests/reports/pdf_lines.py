"""Lines of a PDF as laid out, measured with `pdftotext -bbox-layout` (poppler): where each line
starts and ends on its page, its height and its text. The typesetting tests read GB/T 9704's rules
off these numbers — flush right edges, no one-character line — the way a proofreader's ruler would.
"""

import itertools
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from defusedxml import ElementTree

MM = 72 / 25.4
MEASURE = 156 * MM  # the type area's width, 442.2 pt
LEFT_MARGIN = 28 * MM  # 订口, on odd and even pages alike
BODY_HEIGHT = (15.0, 17.5)  # a 3号 (16 pt) line's glyph box
_NAMESPACE = {"x": "http://www.w3.org/1999/xhtml"}
_PUNCTUATION = re.compile(r"[\s，。、；：！？（）《》“”‘’—…·\-\d.%]")


@dataclass(frozen=True)
class Line:
    page: int
    x_min: float
    x_max: float
    y_min: float
    height: float
    text: str


def pdf_lines(pdf: bytes) -> list[Line]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(pdf)
        xml = subprocess.run(
            ["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    root = ElementTree.fromstring(xml)
    lines = []
    for number, page in enumerate(root.iter(f"{{{_NAMESPACE['x']}}}page"), start=1):
        for line in page.iter(f"{{{_NAMESPACE['x']}}}line"):
            words = [word.text or "" for word in line.iter(f"{{{_NAMESPACE['x']}}}word")]
            y_min, y_max = float(line.get("yMin")), float(line.get("yMax"))
            lines.append(
                Line(number, float(line.get("xMin")), float(line.get("xMax")), y_min, y_max - y_min, "".join(words))
            )
    return lines


def body_lines(pdf: bytes) -> list[Line]:
    """Lines set in the 16 pt body size (body text, headings, signature), in reading order."""
    return [line for line in pdf_lines(pdf) if BODY_HEIGHT[0] <= line.height <= BODY_HEIGHT[1]]


def short_mid_paragraph_lines(lines: list[Line], *, tolerance: float = 1.0) -> tuple[list[tuple[float, Line]], int]:
    """Lines followed by their paragraph's next line (which starts flush left, not indented) that
    stop short of the right edge, with how far short (pt); and how many such lines there are."""
    left = {}
    for line in lines:  # each page's left edge (a mirrored even page's is 2 mm further left)
        left[line.page] = min(left.get(line.page, LEFT_MARGIN), line.x_min)
    short, total = [], 0
    for line, following in itertools.pairwise(lines):
        continues = abs(following.x_min - left[following.page]) < 1 and not following.text.startswith("附件")
        # A paragraph's line holds a dozen characters at least; shorter ones are chart labels.
        if not continues or line.x_min - left[line.page] > 40 or len(line.text) < 8:
            continue
        total += 1
        gap = left[line.page] + MEASURE - line.x_max
        if gap > tolerance:
            short.append((gap, line))
    return short, total


def one_character_lines(lines: list[Line]) -> list[Line]:
    """Lines holding a single character besides punctuation and digits (a 孤字)."""
    return [line for line in lines if len(_PUNCTUATION.sub("", line.text)) == 1]
