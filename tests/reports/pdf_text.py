import subprocess
import tempfile
from pathlib import Path


def pdf_to_text(pdf: bytes) -> str:
    """The PDF's text as pdftotext (poppler) extracts it, the way a reader's copy-paste would."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(pdf)
        return subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout


def squeeze(text: str) -> str:
    """Text with line breaks and spaces removed: CJK lines wrap anywhere, so phrases span lines."""
    return "".join(text.split())
