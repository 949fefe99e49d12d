from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.functions import CHOICES as FUNCTION_CHOICES
from kks_portal.lib.url_ids import ModelMultipleIdChoiceField

from ..models import Assessment
from .selectors import opds_of
from .services import deadline_check


class DataRequestAssignForm(forms.Form):
    """Which entries an OPD is asked for, and by when. The entry checkboxes are drawn by the
    template, grouped per tatanan; the field only validates the ids.

    Every field is checked on its own, so one submit reports all that is missing (no OPD, a past
    deadline, nothing ticked) and the page comes back with everything as typed."""

    opd = forms.ModelChoiceField(
        label=_("OPD"),
        queryset=None,
        empty_label=_("— pilih OPD —"),
        error_messages={
            "required": _("Pilih OPD yang diminta datanya."),
            "invalid_choice": _("OPD ini bukan OPD kabupaten/kota penilaian ini."),
        },
    )
    deadline = forms.DateField(
        label=_("Tenggat"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Tentukan tenggat.")},
    )
    message = forms.CharField(
        label=_("Pesan untuk OPD"),
        required=False,
        # The placeholder says what the help text said: the sticky bar has no room for one.
        widget=forms.Textarea(attrs={"rows": 1, "placeholder": _("Ikut dikirim dalam email pengingat.")}),
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

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        try:
            deadline_check(deadline)
        except ValidationError as error:
            raise ValidationError(error.message_dict["deadline"]) from None
        return deadline


class OpdFunctionForm(forms.Form):
    """One OPD per government function (``accounts.functions``), from the kabupaten's OPDs; the
    map is pre-filled with what was saved, else with what the OPD names suggest."""

    apply = forms.BooleanField(
        label=_("Tugaskan juga isian penilaian ini yang belum punya OPD"), required=False, initial=True
    )

    def __init__(self, *args, opds, saved: dict, suggested: dict, counts: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggested_codes = set()
        fields = {}
        for code, label in FUNCTION_CHOICES:
            field = forms.ModelChoiceField(label=label, queryset=opds, required=False, empty_label=_("— belum ada —"))
            if code in saved:
                field.initial = saved[code].pk
            elif code in suggested:
                field.initial = suggested[code].pk
                self.suggested_codes.add(code)
            count = counts.get(code, 0)
            notes = []
            if count:
                notes.append(
                    ngettext("%(n)s indikator menyebut fungsi ini.", "%(n)s indikator menyebut fungsi ini.", count)
                    % {"n": count}
                )
            if code in self.suggested_codes:
                notes.append(_("Saran dari nama OPD: periksa lalu simpan."))
            field.help_text = " ".join(str(note) for note in notes)
            fields[f"fungsi_{code}"] = field
        # The functions first, then the checkbox.
        apply = self.fields.pop("apply")
        self.fields.update(fields)
        self.fields["apply"] = apply
        self.helper = FormHelper()
        self.helper.form_id = "opd-function-form"
        self.helper.add_input(Submit("submit", _("Simpan peta fungsi"), css_class="btn-success"))

    def mapping(self) -> dict:
        return {code: self.cleaned_data.get(f"fungsi_{code}") for code, _label in FUNCTION_CHOICES}
