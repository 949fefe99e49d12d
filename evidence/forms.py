"""Forms of the activity pages. They parse input; the rules are in ``evidence.services``.

Uploads have no Django form: the upload view reads the streamed files itself (several at once,
each judged on its own), see ``evidence.views``."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from forums.models import Body
from kks_portal.lib.url_ids import ModelMultipleIdChoiceField

from .services import (
    activity_indicator_choices,
    activity_partner_choices,
    activity_tatanan_choices,
    activity_work_plan_item_choices,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IndicatorCheckboxes(forms.CheckboxSelectMultiple):
    """One checkbox per indicator, each naming its tatanan (``data-tatanan``): on the page
    ``static/js/activity-form.js`` shows only the indicators of the tatanan ticked and those a
    search finds, instead of a 136-line list (issue 12)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-tatanan"] = instance.tatanan_id
        return option


class IndicatorChoices(ModelMultipleIdChoiceField):
    def label_from_instance(self, obj):
        name = obj.name if len(obj.name) <= 160 else obj.name[:158] + "…"
        return f"{obj.tatanan.code} {obj.number}. {name}"


class TatananChoices(ModelMultipleIdChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} · {obj.name}"


class WorkPlanItemChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        text = obj.activity if len(obj.activity) <= 80 else obj.activity[:78] + "…"
        return f"{obj.work_plan.year} · {obj.tatanan.code} · {text}"


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Judul kegiatan"), max_length=300)
    date = forms.DateField(label=_("Tanggal"), widget=DATE)
    place = forms.CharField(label=_("Tempat"), max_length=300, required=False)
    tatanan = TatananChoices(
        label=_("Tatanan yang didukung"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    indicators = IndicatorChoices(
        label=_("Indikator yang didukung"),
        queryset=None,
        required=False,
        widget=IndicatorCheckboxes,
        help_text=_("Opsional; bila tatanan dipilih, indikatornya harus dari tatanan itu."),
    )
    work_plan_item = WorkPlanItemChoice(
        label=_("Merealisasikan kegiatan rencana kerja"),
        queryset=None,
        required=False,
        empty_label=_("— tidak ada —"),
    )
    participants = forms.CharField(
        label=_("Peserta"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Unsur atau nama peserta."),
    )
    participant_count = forms.IntegerField(
        label=_("Jumlah peserta"),
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    result = forms.CharField(label=_("Hasil kegiatan"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    partner_bodies = ModelMultipleIdChoiceField(
        label=_("Lembaga penyelenggara bersama"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_(
            "Opsional: kegiatan bersama (mis. Forum dengan Tim Pembina, sosialisasi untuk semua Forum Kecamatan) "
            "ikut dihitung untuk lembaga-lembaga ini. Di komputer, tahan Ctrl untuk memilih lebih dari satu."
        ),
    )
    realised_budget = forms.DecimalField(
        label=_("Realisasi anggaran (Rp)"),
        min_value=0,
        max_digits=15,
        decimal_places=0,
        initial=0,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "1"}),
    )

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tatanan"].queryset = activity_tatanan_choices()
        self.fields["indicators"].queryset = activity_indicator_choices(body)
        self.fields["work_plan_item"].queryset = activity_work_plan_item_choices(body)
        self.fields["partner_bodies"].queryset = activity_partner_choices(body)
        self.fields["title"].error_messages["required"] = _("Judul kegiatan wajib diisi.")
        self.fields["date"].error_messages["required"] = _("Tanggal kegiatan wajib diisi.")
        self.fields["date"].error_messages["invalid"] = _("Tanggal tidak dikenali; gunakan format TTTT-BB-HH.")
        self.fields["participant_count"].error_messages["min_value"] = _("Jumlah peserta tidak boleh negatif.")
        self.fields["realised_budget"].error_messages["min_value"] = _("Realisasi anggaran tidak boleh negatif.")
        self.fields["realised_budget"].error_messages["max_decimal_places"] = _(
            "Realisasi anggaran dalam rupiah penuh, tanpa sen."
        )
        self.fields["work_plan_item"].error_messages["invalid_choice"] = _(
            "Kegiatan rencana kerja harus dari rencana kerja lembaga ini."
        )
        self.fields["indicators"].error_messages["invalid_choice"] = _(
            "Indikator itu tidak termasuk katalog yang berlaku untuk lembaga ini."
        )
        self.fields["tatanan"].error_messages["invalid_choice"] = _("Pilih tatanan dari daftar tatanan yang berlaku.")
        self.helper = FormHelper()
        self.helper.form_id = "activity-form"
        self.helper.add_input(Submit("submit", _("Simpan kegiatan"), css_class="btn-success w-100"))
