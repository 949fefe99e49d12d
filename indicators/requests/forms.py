from django import forms
from django.utils.translation import gettext_lazy as _

from kks_portal.lib.url_ids import ModelMultipleIdChoiceField

from ..models import Assessment
from .selectors import opds_of


class DataRequestAssignForm(forms.Form):
    """Which entries an OPD is asked for, and by when. The entry checkboxes are drawn by the
    template, grouped per tatanan; the field only validates the ids."""

    opd = forms.ModelChoiceField(label=_("OPD"), queryset=None, empty_label=_("— pilih OPD —"))
    deadline = forms.DateField(label=_("Tenggat"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    message = forms.CharField(
        label=_("Pesan untuk OPD"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ikut dikirim dalam email pengingat."),
    )
    entries = ModelMultipleIdChoiceField(
        label=_("Indikator"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih sedikitnya satu indikator.")},
    )
    replace = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, assessment: Assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opd"].queryset = opds_of(assessment)
        self.fields["entries"].queryset = assessment.indicator_entries.all()
