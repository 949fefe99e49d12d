from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.functions import CHOICES as FUNCTION_CHOICES
from kks_portal.lib.url_ids import ModelMultipleIdChoiceField

from ..models import Assessment, TitikPantau
from .selectors import opds_of
from .services import POINTS_MIN_MAX, deadline_check


def _checked_deadline(deadline):
    """The deadline field's own check (``deadline_check``), so that the page reports it with the
    form's other errors."""
    try:
        deadline_check(deadline)
    except ValidationError as error:
        raise ValidationError(error.message_dict["deadline"]) from None
    return deadline


class DeadlineField(forms.DateField):
    """The deadline of a data request of any kind: a date picker, answered in Indonesian."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Tenggat"))
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        kwargs.setdefault(
            "error_messages", {"required": _("Tentukan tenggat."), "invalid": _("Tulis tenggat sebagai tanggal.")}
        )
        super().__init__(**kwargs)


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
        return _checked_deadline(self.cleaned_data["deadline"])


class TitikPantauRequestForm(forms.Form):
    """Ask an OPD for the titik pantau of some tatanan (and kinds), by a deadline. Every field is
    checked on its own, so one submit reports everything that is missing, and the page comes
    back with everything as typed."""

    opd = forms.ModelChoiceField(
        label=_("OPD"),
        queryset=None,
        empty_label=_("— pilih OPD —"),
        error_messages={
            "required": _("Pilih OPD yang diminta titik pantaunya."),
            "invalid_choice": _("OPD ini bukan OPD kabupaten/kota penilaian ini."),
        },
    )
    tatanan = ModelMultipleIdChoiceField(
        label=_("Tatanan"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Pilih sedikitnya satu tatanan."),
            "invalid_choice": _("Pilih tatanan yang dinilai dalam penilaian ini."),
            "invalid_pk_value": _("Pilih tatanan yang dinilai dalam penilaian ini."),
        },
    )
    point_kinds = forms.MultipleChoiceField(
        label=_("Jenis titik pantau"),
        choices=TitikPantau.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kosongkan untuk semua jenis; centang mis. Pasar untuk Disperindag, Sekolah untuk Disdik."),
        error_messages={"invalid_choice": _("Jenis titik pantau tidak dikenal.")},
    )
    points_min = forms.IntegerField(
        label=_("Titik pantau per tatanan, sedikitnya"),
        min_value=1,
        max_value=POINTS_MIN_MAX,
        initial=1,
        error_messages={
            "required": _("Isi jumlah titik pantau per tatanan."),
            "invalid": _("Jumlah titik pantau harus berupa bilangan bulat."),
            "min_value": _("Jumlah titik pantau per tatanan sedikitnya 1."),
            "max_value": _("Jumlah titik pantau per tatanan paling banyak %(limit_value)s."),
        },
    )
    deadline = DeadlineField()
    message = forms.CharField(
        label=_("Pesan untuk OPD"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ikut dikirim dalam email pengingat."),
    )

    def __init__(self, *args, assessment: Assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opd"].queryset = opds_of(assessment)
        self.fields["tatanan"].queryset = assessment.tatanan.order_by("number")
        self.helper = FormHelper()
        self.helper.form_id = "titik-pantau-request-form"
        self.helper.add_input(Submit("submit", _("Kirim permintaan"), css_class="btn-success"))

    def clean_deadline(self):
        return _checked_deadline(self.cleaned_data["deadline"])


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
