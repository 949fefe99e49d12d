"""The form of a kabupaten's own (local) indicator; saving goes through ``tatanan.services``."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Tatanan


class LocalIndicatorForm(forms.Form):
    tatanan = forms.ModelChoiceField(label=_("Tatanan"), queryset=Tatanan.objects.none(), empty_label=None)
    number = forms.CharField(label=_("Nomor"), max_length=10, help_text=_("Mis. L1 atau 1a."))
    name = forms.CharField(label=_("Indikator"), widget=forms.Textarea(attrs={"rows": 2}))
    definisi_operasional = forms.CharField(
        label=_("Definisi operasional"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    sumber_data = forms.CharField(label=_("Sumber data"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    target = forms.CharField(label=_("Target"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    responsible_opd = forms.CharField(
        label=_("OPD penanggung jawab"), max_length=200, required=False, help_text=_("Singkatan OPD, dipisah koma.")
    )
    scale_text = forms.CharField(
        label=_("Opsi skala (boleh kosong)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "100 = …\n50 = …\n0 = …"}),
        help_text=_("Satu opsi per baris: nilai lalu kriteria, mis. “100 = tercapai”."),
    )

    def __init__(self, *args, tatanan_choices, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tatanan"].queryset = tatanan_choices
        self.helper = FormHelper()
        self.helper.form_id = "local-indicator-form"
        self.helper.add_input(Submit("submit", submit_label or _("Simpan"), css_class="btn-success"))
