from pathlib import Path

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from accounts.selectors import kabupaten_managed_by
from tatanan.models import Cycle, TierRule

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


class AssessmentFileOpenForm(AssessmentImportForm):
    """A filled workbook from the field, for a round that may not be open yet: the kabupaten/kota,
    the cycle (by award year) and the category registered for, when the file opens the round."""

    kabupaten = forms.ModelChoiceField(label=_("Kabupaten/kota"), queryset=None, empty_label=None)
    cycle = forms.ModelChoiceField(
        label=_("Siklus penilaian"),
        queryset=Cycle.objects.order_by("-award_year"),
        empty_label=None,
        to_field_name="award_year",
        error_messages={"invalid_choice": _("Pilih salah satu siklus yang ada.")},
    )
    category = forms.ChoiceField(
        label=_("Kategori yang didaftarkan"),
        required=False,
        choices=[("", _("Belum ditentukan")), *TierRule.Tier.choices],
        help_text=_("Dipakai bila penilaian dibuka dari berkas ini; penilaian yang sudah ada tidak berubah."),
    )
    field_order = ["kabupaten", "cycle", "category", "file", "dry_run"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kabupaten"].queryset = kabupaten_managed_by(user)
        self.fields["file"].help_text = _(
            "Buku kerja instrumen yang sudah diisi (format 2023 atau 2025, juga hasil unduhan portal). Maksimal 20 MB."
        )
        self.helper.form_id = "assessment-file-open-form"
        self.order_fields(self.field_order)
