"""What PDF rendering needs from the operating system, checked before any report is rendered.

Without the CJK fonts a report comes out in tofu boxes or a random fallback face; without
libharfbuzz-subset WeasyPrint silently falls back to fontTools and every render is ~4× slower
(research/pdf-fonts.md §3). Both are invisible until a user opens a PDF, so the web process (Django
system check) and every Celery worker (at start) refuse to run without them.
Installed by scripts/install-system-deps.sh.
"""

import ctypes
import shutil
import subprocess
from dataclasses import dataclass
from importlib import metadata

# Families the print stylesheet names. The first two are required: every role falls back to them.
REQUIRED_FONT_FAMILIES = ("Noto Serif CJK SC", "Noto Sans CJK SC")
# Preferred faces for the 仿宋 body and 楷体 headings; without them the fallback is legible but
# does not look like an official document, which deserves a warning, not a refusal.
PREFERRED_FONT_FAMILIES = ("FandolFang R", "AR PL UKai CN")
HARFBUZZ_SUBSET_LIBRARY = "libharfbuzz-subset.so.0"
# reports/pdf changes WeasyPrint's internals for speed (issue 19 §4) and proved them on these versions:
# the same PDF bytes for every report kind, and tests comparing each change with WeasyPrint's own
# code. Another version may have moved what they replace, so rendering refuses to start until the
# tests in tests/reports/test_pdf_*.py pass on it and these pins (and requirements.txt) are updated.
RENDERER_VERSIONS = {
    "weasyprint": "70.0",
    "pydyf": "0.13.0",
    "tinyhtml5": "2.1.0",
    "cssselect2": "0.10.1",
    "tinycss2": "1.5.1",
}
INSTALL_HINT = "请以 root 身份运行 scripts/install-system-deps.sh (run scripts/install-system-deps.sh as root)."


@dataclass(frozen=True)
class Problem:
    code: str  # the system-check id suffix: E… refuses to start, W… warns
    message: str

    @property
    def is_fatal(self) -> bool:
        return self.code.startswith("E")


def installed_font_families() -> set[str] | None:
    """Family names fontconfig knows (None when fc-list itself is missing)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    result = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True, timeout=30, check=False)  # noqa: S603
    families: set[str] = set()
    for line in result.stdout.splitlines():
        families.update(name.strip() for name in line.split(","))
    return families


def harfbuzz_subset_available() -> bool:
    try:
        ctypes.CDLL(HARFBUZZ_SUBSET_LIBRARY)
    except OSError:
        return False
    return True


def installed_version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def rendering_problems() -> list[Problem]:
    problems: list[Problem] = []
    families = installed_font_families()
    if families is None:
        problems.append(Problem("E001", "找不到 fc-list，无法确认中文字体 (fontconfig's fc-list is missing)."))
    else:
        for family in REQUIRED_FONT_FAMILIES:
            if family not in families:
                problems.append(
                    Problem("E002", f"缺少中文字体 {family}，PDF 报告无法正确显示 (CJK font {family} missing).")
                )
        for family in PREFERRED_FONT_FAMILIES:
            if family not in families:
                problems.append(
                    Problem("W001", f"缺少字体 {family}，报告将使用替代字体 (font {family} missing, fallback used).")
                )
    for package, expected in RENDERER_VERSIONS.items():
        installed = installed_version(package)
        if installed != expected:
            problems.append(
                Problem(
                    "E004",
                    f"PDF 渲染组件 {package} 的版本为 {installed or '未安装'}，应为 {expected}，"
                    "请按 requirements.txt 安装 "
                    f"({package} {installed or 'missing'} installed, reports/pdf is proved on {expected}).",
                )
            )
    if not harfbuzz_subset_available():
        problems.append(
            Problem(
                "E003",
                f"缺少 {HARFBUZZ_SUBSET_LIBRARY}，PDF 生成将慢约 4 倍 "
                "(HarfBuzz subsetting is missing: WeasyPrint would fall back to fontTools, ~4x slower).",
            )
        )
    return problems


class RenderingRequirementsMissing(RuntimeError):
    pass


def assert_rendering_requirements() -> None:
    """Raise with every fatal problem listed; used at worker start."""
    fatal = [p.message for p in rendering_problems() if p.is_fatal]
    if fatal:
        heading = "PDF 报告生成环境不完整 (PDF rendering requirements missing):"
        raise RenderingRequirementsMissing("\n".join([heading, *fatal, INSTALL_HINT]))
