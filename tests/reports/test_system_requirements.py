import pytest
from django.core.checks import Error, Warning

from reports import system_requirements
from reports.checks import pdf_rendering_requirements
from reports.worker import check_rendering_requirements


def test_this_machine_has_the_fonts_and_harfbuzz_subsetting():
    assert pdf_rendering_requirements(None) == []


def test_missing_harfbuzz_subset_is_a_system_check_error_in_chinese_and_english(monkeypatch):
    monkeypatch.setattr(system_requirements, "HARFBUZZ_SUBSET_LIBRARY", "libharfbuzz-subset-missing.so.0")

    errors = pdf_rendering_requirements(None)

    assert [e.id for e in errors] == ["reports.E003"]
    assert isinstance(errors[0], Error)
    assert "缺少" in errors[0].msg and "HarfBuzz" in errors[0].msg


def test_missing_cjk_font_is_an_error(monkeypatch):
    monkeypatch.setattr(system_requirements, "installed_font_families", lambda: {"DejaVu Sans", "FandolFang R"})

    ids = {e.id for e in pdf_rendering_requirements(None)}

    assert "reports.E002" in ids


def test_missing_fangsong_font_is_only_a_warning(monkeypatch):
    families = set(system_requirements.REQUIRED_FONT_FAMILIES) | {"AR PL UKai CN"}
    monkeypatch.setattr(system_requirements, "installed_font_families", lambda: families)

    problems = pdf_rendering_requirements(None)

    assert [type(p) for p in problems] == [Warning]


def test_missing_fc_list_is_an_error(monkeypatch):
    monkeypatch.setattr(system_requirements.shutil, "which", lambda name: None)

    assert "reports.E001" in {e.id for e in pdf_rendering_requirements(None)}


def test_worker_refuses_to_start_without_harfbuzz_subsetting(monkeypatch):
    monkeypatch.setattr(system_requirements, "HARFBUZZ_SUBSET_LIBRARY", "libharfbuzz-subset-missing.so.0")

    with pytest.raises(system_requirements.RenderingRequirementsMissing, match="PDF 报告生成环境不完整"):
        check_rendering_requirements()


def test_worker_starts_when_everything_is_installed():
    check_rendering_requirements()


def test_the_worker_start_up_check_is_connected_to_celery():
    from celery.signals import worker_init

    assert any(key[0] == "reports.check_rendering_requirements" for key, _ in worker_init.receivers)


def test_another_weasyprint_version_is_an_error_naming_the_proved_one(monkeypatch):
    installed = system_requirements.installed_version

    def weasyprint_71(package):
        return "71.0" if package == "weasyprint" else installed(package)

    monkeypatch.setattr(system_requirements, "installed_version", weasyprint_71)

    errors = pdf_rendering_requirements(None)

    assert [e.id for e in errors] == ["reports.E004"]
    assert "weasyprint" in errors[0].msg and "71.0" in errors[0].msg and "70.0" in errors[0].msg


def test_the_worker_refuses_to_start_on_an_unproved_renderer_version(monkeypatch):
    monkeypatch.setattr(system_requirements, "installed_version", lambda package: None)

    with pytest.raises(system_requirements.RenderingRequirementsMissing, match="未安装"):
        check_rendering_requirements()


def test_the_proved_versions_are_the_ones_requirements_pins():
    from django.conf import settings

    pins = dict(
        line.split("#")[0].strip().split("==")
        for line in (settings.BASE_DIR / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if "==" in line.split("#")[0]
    )
    assert {package: pins.get(package) for package in system_requirements.RENDERER_VERSIONS} == (
        system_requirements.RENDERER_VERSIONS
    )
