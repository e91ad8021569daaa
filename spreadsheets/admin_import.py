"""django-import-export's admin imports through the same spreadsheet safety as the app's uploads.

Left alone, import-export reads an upload with openpyxl in full (a 393 KB deflate bomb took 909 MB,
a million empty rows ran into gunicorn's timeout: issue 18 §1), stores it in its temporary storage
before reading it, and reports a failure in English ("'ValueError' encountered while trying to read
file"). Here the form's own clean step reads the file through xlsx_safety, so a refused file is a
form error in Chinese, answered 400, and never reaches the temporary storage; the format class reads
the stored file back through the same streaming reader at the confirmation step.
"""

import tablib
from django import forms
from import_export.formats.base_formats import XLSX, Format
from import_export.forms import ImportForm

from spreadsheets.xlsx_safety import SheetLimits, UnsafeFile, iter_sheet_rows, read_upload

# A code list (单位名录 and the like): a few thousand rows, a few dozen columns.
ADMIN_IMPORT_LIMITS = SheetLimits(max_rows=5001, max_columns=50)


class SafeXLSX(XLSX):
    """The first sheet, header row first, read through xlsx_safety's caps."""

    limits = ADMIN_IMPORT_LIMITS

    def create_dataset(self, in_stream):
        rows = iter_sheet_rows(in_stream, limits=self.limits)
        headers = [("" if value is None else str(value).strip()) for value in next(rows, ())]
        dataset = tablib.Dataset(headers=headers)
        width = len(headers)
        for row in rows:
            if not any(value not in (None, "") for value in row):
                continue  # a blank line is nobody's record
            dataset.append((tuple(row) + (None,) * width)[:width])
        return dataset


class SafeImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            content = read_upload(upload)
            dataset = SafeXLSX().create_dataset(content)
        except UnsafeFile as refused:
            raise forms.ValidationError(refused.message) from None
        if not dataset.headers or not any(dataset.headers):
            raise forms.ValidationError("文件第一行应为表头（列名），请使用“导出”得到的文件填写后上传。")
        upload.seek(0)
        return upload


class SafeImportMixin:
    """Mix into an ImportExportModelAdmin before it: xlsx only, checked, 400 when refused."""

    import_form_class: type[forms.Form] = SafeImportForm
    formats: list[type[Format]] = [SafeXLSX]

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        form, result = context.get("form"), context.get("result")
        refused = form is not None and bool(form.errors)
        invalid = result is not None and (result.has_errors() or result.has_validation_errors())
        if request.method == "POST" and (refused or invalid):
            # Nothing was imported: the file was refused, or its dry run found errors.
            response.status_code = 400
        return response
