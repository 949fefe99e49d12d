from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.selectors import kabupaten_managed_by
from kks_portal.lib.url_ids import ModelMultipleIdChoiceField
from tatanan.forms import ScoreOptionField
from tatanan.models import Cycle, Tatanan

from .models import IndicatorEntry


class CycleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("Swasti Saba %(year)s (tahun data %(first)s–%(last)s)") % {
            "year": obj.award_year,
            "first": obj.first_data_year,
            "last": obj.last_data_year,
        }


class AssessmentOpenForm(forms.Form):
    """Open a round: the kabupaten/kota, the cycle (by award year), its tatanan (only the cycle's
    own set, and only when the cycle lets them be chosen) and the category registered for.

    Which cycle's tatanan and tiers are offered follows the cycle posted, or ``?siklus=<year>``
    (the cycle select reloads the page with it, static/js/portal.js), or the newest cycle."""

    kabupaten = forms.ModelChoiceField(label=_("Kabupaten/kota"), queryset=None, empty_label=None)
    cycle = CycleChoiceField(
        label=_("Siklus penilaian"),
        queryset=Cycle.objects.order_by("-award_year"),
        empty_label=None,
        to_field_name="award_year",
    )
    tatanan = ModelMultipleIdChoiceField(
        label=_("Tatanan yang dipilih"),
        queryset=Tatanan.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    category = forms.ChoiceField(
        label=_("Kategori yang didaftarkan"),
        required=False,
        help_text=_("Strata yang dituju; perkiraan strata dibandingkan dengannya. Dapat diubah kemudian."),
    )

    def __init__(self, *args, user, cycle: Cycle | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kabupaten"].queryset = kabupaten_managed_by(user)
        self.fields["kabupaten"].widget.attrs["data-reload-keep"] = ""
        posted = str(self.data.get("cycle") or "") if self.is_bound else ""
        if posted:
            cycle = Cycle.objects.filter(award_year=posted).first() if posted.isdigit() and len(posted) == 4 else None
        cycle = cycle or Cycle.objects.order_by("-award_year").first()
        self.cycle = cycle
        # Choosing another cycle reloads the page with ?siklus=<year> (static/js/portal.js).
        self.fields["cycle"].widget.attrs["data-reload-param"] = "siklus"
        if cycle is not None:
            self.fields["cycle"].initial = cycle.award_year
            self.fields["category"].choices = [("", _("Belum ditentukan"))] + [
                (rule.tier, rule.get_tier_display()) for rule in cycle.tier_rules.order_by("rank")
            ]
            if cycle.tatanan_selection == Cycle.TatananSelection.CHOSEN:
                self.fields["tatanan"].queryset = Tatanan.objects.filter(tatanan_set=cycle.tatanan_set_id).order_by(
                    "number"
                )
                self.fields["tatanan"].help_text = _("Pilih tatanan yang dijalankan kabupaten/kota pada siklus ini.")
            else:
                del self.fields["tatanan"]
        self.helper = FormHelper()
        self.helper.form_id = "assessment-open-form"
        self.helper.add_input(Submit("submit", _("Buka penilaian"), css_class="btn-success"))


class IndicatorEntryForm(forms.Form):
    value_year1 = forms.CharField(label=_("Data tahun pertama"), max_length=500, required=False)
    value_year2 = forms.CharField(label=_("Data tahun kedua"), max_length=500, required=False)
    target = forms.CharField(label=_("Target"), max_length=500, required=False)
    explanation = forms.CharField(label=_("Penjelasan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evidence_link = forms.CharField(
        label=_("Tautan bukti dukung"),
        max_length=1000,
        required=False,
        help_text=_("Alamat web (http:// atau https://) folder atau berkas bukti dukung di luar portal."),
        widget=forms.URLInput,
    )
    self_score = ScoreOptionField(
        label=_("Nilai mandiri"),
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Nilai harus salah satu opsi skala indikator ini.")},
    )
    status = forms.ChoiceField(label=_("Status"), choices=IndicatorEntry.Status.choices)
    assigned_opd = forms.ModelChoiceField(label=_("OPD penanggung jawab"), queryset=None, required=False)

    def __init__(self, *args, entry, can_assign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["self_score"].for_score(entry.indicator, entry.self_score_id)
        if can_assign:
            self.fields["assigned_opd"].queryset = entry.assessment.kabupaten.opds.all()
        else:
            del self.fields["assigned_opd"]
        years = entry.assessment.cycle.data_years
        self.fields["value_year1"].label = _("Data tahun %(year)s") % {"year": years[0]}
        self.fields["value_year2"].label = _("Data tahun %(year)s") % {"year": years[-1]}
        self.helper = FormHelper()
        self.helper.form_id = "entry-form"
        self.helper.add_input(Submit("submit", _("Simpan"), css_class="btn-success"))
