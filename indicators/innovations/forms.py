"""The innovation form. It only parses input; the rules are in ``innovations.services``."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from tatanan.models import Tatanan


class InnovationForm(forms.Form):
    title = forms.CharField(label=_("Judul inovasi"), max_length=200)
    tatanan = forms.ModelChoiceField(
        label=_("Tatanan"),
        queryset=Tatanan.objects.none(),
        required=False,
        empty_label=_("— Lintas tatanan —"),
        help_text=_("Kosongkan bila inovasi tidak terikat pada satu tatanan."),
    )
    year = forms.IntegerField(label=_("Tahun mulai"), min_value=2000, max_value=2100)
    description = forms.CharField(
        label=_("Uraian"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Apa inovasinya, siapa pelaksananya, bagaimana berjalannya."),
    )
    result = forms.CharField(
        label=_("Hasil/dampak"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Perubahan yang terukur, mis. jumlah penerima manfaat atau capaian indikator."),
    )

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tatanan"].queryset = assessment.tatanan.order_by("number")
        self.fields["year"].widget.attrs.update(min=2000, max=assessment.cycle.award_year)
        self.helper = FormHelper()
        self.helper.form_id = "innovation-form"
        self.helper.add_input(Submit("submit", _("Simpan"), css_class="btn-success"))
