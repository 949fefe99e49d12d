from pathlib import Path

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# An exported self-assessment is a few hundred kilobytes; 20 MB leaves room for workbooks a
# kabupaten pasted pictures into, as the catalogue upload does.
WORKBOOK_MAX_BYTES = 20 * 1024 * 1024


class AssessmentImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas penilaian mandiri (.xlsx)"),
        help_text=_("Buku kerja hasil unduhan portal (atau berformat sama) yang sudah diisi. Maksimal 20 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
    dry_run = forms.BooleanField(label=_("Uji coba saja (periksa tanpa menyimpan)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "assessment-import-form"
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.add_input(Submit("submit", _("Impor"), css_class="btn-success"))

    def clean_file(self):
        # Only the name and size here: whether the content is a workbook is the importer's call,
        # which answers with the same message the catalogue import gives.
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() != ".xlsx":
            raise forms.ValidationError(
                _("Pilih berkas Excel berakhiran .xlsx (berkas .xls, .csv atau .ods simpan ulang sebagai .xlsx).")
            )
        if upload.size > WORKBOOK_MAX_BYTES:
            raise forms.ValidationError(
                _("Berkas terlalu besar (%(size)s); batasnya %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(WORKBOOK_MAX_BYTES)}
            )
        return upload
