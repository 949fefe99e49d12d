"""Forms of the work plan and pembinaan pages. They parse input; rules are in ``forums.workplans.services``."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from kks_portal.lib.scoped_fields import ScopedModelChoiceField
from kks_portal.lib.text import and_list
from regions.models import Region

from ..models import WorkPlan, WorkPlanItem
from .selectors import (
    WorkPlanYears,
    pembinaan_target_regions,
    tatanan_for_work_plans,
    work_plan_indicators_for,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _helper(form_id: str, label=None, css_class="btn-success") -> FormHelper:
    helper = FormHelper()
    helper.form_id = form_id
    helper.add_input(Submit("submit", label or _("Simpan"), css_class=css_class))
    return helper


class WorkPlanCreateForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Tahun"), coerce=int)

    def __init__(self, *args, years: WorkPlanYears, **kwargs):
        """``years``: the data years of the current round, offered first and the first one without
        a plan chosen, then the other years (``work_plan_years``)."""
        super().__init__(*args, **kwargs)
        year = self.fields["year"]
        if years.cycle is not None:
            data_label = _("Tahun data %(cycle)s") % {"cycle": years.cycle}
        else:
            data_label = _("Tahun data")
        year.choices = [
            (data_label, [(y, str(y)) for y in years.data_years]),
            (_("Tahun lain"), [(y, str(y)) for y in years.other_years]),
        ]
        year.initial = years.suggested
        year.help_text = _("Penilaian memakai rencana kerja tahun %(years)s.") % {"years": and_list(years.data_years)}
        self.helper = _helper("work-plan-create", _("Buat rencana kerja"))


class RegionChoiceField(ScopedModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_kind_display()} {obj.name}"


class RegionMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Regions by their Kemendagri code, named as the single select names them ("Kecamatan Carenang")."""

    def label_from_instance(self, obj):
        return f"{obj.get_kind_display()} {obj.name}"


class TeamRegionChoiceField(ScopedModelChoiceField):
    """A Tim Pembina by its region: "Tim Pembina Kabupaten Serang", "Tim Pembina Kecamatan Carenang"."""

    def label_from_instance(self, obj):
        if obj.level == Region.Level.KECAMATAN:
            return _("Tim Pembina Kecamatan %(name)s") % {"name": obj.name}
        return _("Tim Pembina %(name)s") % {"name": obj.name}


class IndicatorChoiceField(ScopedModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.name if len(obj.name) <= 90 else obj.name[:88] + "…"
        local = f" ({_('Lokal')})" if obj.is_local else ""
        return f"{obj.tatanan.code} {obj.number}. {name}{local}"


class WorkPlanItemForm(forms.Form):
    tatanan = forms.ModelChoiceField(label=_("Tatanan"), queryset=tatanan_for_work_plans())
    indicator = IndicatorChoiceField(
        label=_("Indikator"),
        required=False,
        help_text=_("Opsional; harus indikator dari tatanan yang dipilih."),
    )
    activity = forms.CharField(label=_("Kegiatan"), widget=forms.Textarea(attrs={"rows": 3}))
    target = forms.CharField(label=_("Target"), max_length=300, required=False)
    schedule = forms.CharField(label=_("Jadwal"), max_length=100, required=False, help_text=_("Mis. Maret–Mei."))
    budget = forms.DecimalField(
        label=_("Anggaran (Rp)"),
        min_value=0,
        max_digits=15,
        decimal_places=0,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "1"}),
    )
    funding_source = forms.ChoiceField(label=_("Sumber dana"), choices=WorkPlanItem.FundingSource.choices)
    person_in_charge = forms.CharField(label=_("Penanggung jawab"), max_length=200, required=False)

    def __init__(self, *args, user, work_plan: WorkPlan, **kwargs):
        """``user`` and ``work_plan`` scope the indicators: the catalogue's, and the local ones of
        the plan's own kabupaten/kota (the service's rule, ``work_plan_indicator_choices``)."""
        super().__init__(*args, **kwargs)
        self.fields["tatanan"].queryset = tatanan_for_work_plans()
        self.fields["indicator"].queryset = work_plan_indicators_for(user, work_plan=work_plan)
        self.helper = _helper("work-plan-item")


class WorkPlanReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan dikembalikan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib diisi: apa yang harus diperbaiki."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class PembinaanVisitForm(forms.Form):
    team_region = TeamRegionChoiceField(
        label=_("Tim pembina"),
        queryset=None,
        empty_label=None,
        help_text=_("Bappeda mencatat juga kunjungan Tim Pembina Kecamatan."),
    )
    target_region = RegionChoiceField(label=_("Wilayah sasaran"), queryset=None)
    # Regions are keyed by their Kemendagri code; the queryset is the team's targets.
    more_targets = RegionMultipleChoiceField(
        label=_("Wilayah sasaran lain pada kunjungan yang sama"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_(
            "Opsional, mis. sosialisasi untuk beberapa kecamatan sekaligus: satu catatan kunjungan dibuat untuk "
            "setiap wilayah. Di komputer, tahan Ctrl untuk memilih lebih dari satu."
        ),
    )
    rt_rw = forms.CharField(label=_("RT/RW"), max_length=50, required=False, help_text=_("Mis. RT 03/RW 02."))
    date = forms.DateField(label=_("Tanggal"), widget=DATE)
    place = forms.CharField(label=_("Tempat"), max_length=300, required=False)
    participants = forms.CharField(label=_("Peserta"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    findings = forms.CharField(label=_("Temuan"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    follow_ups = forms.CharField(label=_("Tindak lanjut"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, team_regions, **kwargs):
        """``team_regions``: the regions whose Tim Pembina the user records for; on an edit, only
        the visit's own team (the field is then not shown)."""
        super().__init__(*args, **kwargs)
        codes = [r.code for r in team_regions]
        self.fields["team_region"].queryset = Region.objects.filter(code__in=codes).order_by("code")
        targets = Region.objects.none()
        for region in team_regions:
            targets = targets | pembinaan_target_regions(region)
        self.fields["target_region"].queryset = targets.order_by("code")
        self.fields["more_targets"].queryset = targets.order_by("code")
        if kwargs.get("initial"):  # an existing visit: it has one target
            del self.fields["more_targets"]
        if len(codes) == 1:
            self.fields["team_region"].initial = codes[0]
            self.fields["team_region"].widget = forms.HiddenInput()
        self.helper = _helper("pembinaan-form")
