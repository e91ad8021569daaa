import subprocess
import tempfile
from pathlib import Path


def _poppler(tool: list[str], pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(pdf)
        return subprocess.run([*tool, str(path)], capture_output=True, text=True, check=True).stdout


def pdf_to_text(pdf: bytes, *, raw: bool = False) -> str:
    """The PDF's text as pdftotext (poppler) extracts it, the way a reader's copy-paste would.

    `raw` keeps the content stream's order: a justified line with wide gaps between Latin words
    (escaped markup, say) is otherwise read as two columns and its halves come out interleaved."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(pdf)
        options = ["-raw"] if raw else []
        return subprocess.run(
            ["pdftotext", *options, "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout


def embedded_files(pdf: bytes) -> list[str]:
    """Names of the files embedded in the PDF (attachments), as `pdfdetach -list` prints them.

    WeasyPrint embeds `<link rel="attachment">` and `<a rel="attachment">` targets compressed, so
    searching the PDF's bytes for a file's content proves nothing; poppler reads the real catalogue."""
    lines = _poppler(["pdfdetach", "-list"], pdf).splitlines()
    # "N embedded files" and then one "i: name" line per file.
    return [line.split(": ", 1)[1] for line in lines[1:] if ": " in line]


def embedded_images(pdf: bytes) -> list[str]:
    """One line per image XObject in the PDF, as `pdfimages -list` prints them (headers dropped)."""
    lines = _poppler(["pdfimages", "-list"], pdf).splitlines()
    return [line for line in lines[2:] if line.strip()]


def squeeze(text: str) -> str:
    """Text with line breaks and spaces removed: CJK lines wrap anywhere, so phrases span lines."""
    return "".join(text.split())
