"""Forms of the field-work pages. They only parse input; the rules are in ``fieldwork.services``."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kks_portal.lib.url_ids import ModelMultipleIdChoiceField, parse_id
from regions.models import Region
from regions.words import village_word
from tatanan.forms import ScoreOptionField
from tatanan.models import Tatanan

from ..models import TitikPantau
from .services import desa_of


class TitikPantauForm(forms.Form):
    tatanan = forms.ModelChoiceField(label=_("Tatanan"), queryset=Tatanan.objects.none(), empty_label=None)
    name = forms.CharField(label=_("Nama"), max_length=200)
    kind = forms.ChoiceField(label=_("Jenis"), choices=TitikPantau.Kind.choices)
    # A select of the kabupaten's desa grouped by kecamatan; any code is accepted here and checked
    # by the service, so that a desa from elsewhere gets the service's clear message.
    desa = forms.CharField(label=_("Desa/kelurahan"), required=False, widget=forms.Select)
    address = forms.CharField(label=_("Alamat"), max_length=300, required=False)
    latitude = forms.DecimalField(
        label=_("Lintang"),
        max_digits=9,
        decimal_places=6,
        required=False,
        help_text=_("Derajat desimal, mis. -6.120000 (selatan khatulistiwa bernilai negatif)."),
    )
    longitude = forms.DecimalField(
        label=_("Bujur"),
        max_digits=9,
        decimal_places=6,
        required=False,
        help_text=_("Derajat desimal, mis. 106.150000."),
    )
    description = forms.CharField(label=_("Keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, assessment, tatanan_code: str = "", scope=None, **kwargs):
        """``scope``: None for every tatanan and kind (the Bappeda admin), else (tatanan ids,
        kinds) asked of an OPD operator's OPD; an empty set of kinds allows every kind."""
        super().__init__(*args, **kwargs)
        self.fields["tatanan"].queryset = assessment.tatanan.order_by("number")
        if scope is not None:
            tatanan_ids, kinds = scope
            self.fields["tatanan"].queryset = self.fields["tatanan"].queryset.filter(pk__in=tatanan_ids)
            self.fields["tatanan"].error_messages["invalid_choice"] = _(
                "Tatanan ini tidak diminta dari OPD Anda; pilih salah satu yang diminta."
            )
            if kinds:
                self.fields["kind"].choices = [(k, label) for k, label in TitikPantau.Kind.choices if k in kinds]
        if tatanan_code:
            # "?tatanan=PSR" preselects that tatanan when the assessment assesses it.
            code = tatanan_code.strip().upper()
            self.initial.setdefault("tatanan", self.fields["tatanan"].queryset.filter(code=code).first())
        desa = (
            Region.objects.filter(code__startswith=assessment.kabupaten_id + ".", level=Region.Level.DESA)
            .select_related("parent")
            .order_by("code")
        )
        groups: dict[str, list[tuple[str, str]]] = {}
        for d in desa:
            groups.setdefault(f"{d.parent.get_kind_display()} {d.parent.name}", []).append(
                (d.code, f"{d.name} ({d.code})")
            )
        self.fields["desa"].widget.choices = [("", "—")] + list(groups.items())
        # "Kelurahan" in a kota of kelurahan (docs/GLOSSARY.md, "One region, its own words").
        self.fields["desa"].label = capfirst(village_word(assessment.kabupaten))
        self.helper = FormHelper()
        self.helper.form_id = "titik-pantau-form"
        self.helper.add_input(Submit("submit", _("Simpan"), css_class="btn-success"))


class OdfCountsForm(forms.Form):
    desa_total = forms.IntegerField(label=_("Jumlah desa/kelurahan"), min_value=0)
    desa_odf = forms.IntegerField(label=_("Jumlah desa/kelurahan sudah deklarasi Stop BABS"), min_value=0)

    def __init__(self, *args, kecamatan=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kecamatan is not None:  # the kecamatan's own word for its villages (regions/words.py)
            village = village_word(kecamatan)
            self.fields["desa_total"].label = _("Jumlah %(village)s") % {"village": village}
            self.fields["desa_odf"].label = _("Jumlah %(village)s sudah deklarasi Stop BABS") % {"village": village}
        self.helper = FormHelper()
        self.helper.form_id = "odf-counts-form"
        self.helper.add_input(Submit("save_counts", _("Simpan jumlah"), css_class="btn-success"))


class OdfChecklistForm(forms.Form):
    odf_desa = forms.MultipleChoiceField(
        label=_("Desa/kelurahan yang sudah deklarasi Stop BABS"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, kecamatan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["odf_desa"].choices = [(d.code, f"{d.get_kind_display()} {d.name}") for d in desa_of(kecamatan)]
        village = village_word(kecamatan)  # regions/words.py
        self.fields["odf_desa"].label = _("%(village)s yang sudah deklarasi Stop BABS") % {"village": capfirst(village)}
        self.helper = FormHelper()
        self.helper.form_id = "odf-checklist-form"
        self.helper.add_input(
            Submit("save_checklist", _("Simpan daftar %(village)s") % {"village": village}, css_class="btn-success")
        )


class KelembagaanEntryForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    self_score = ScoreOptionField(
        label=_("Nilai mandiri"),
        required=False,
        error_messages={"invalid_choice": _("Nilai harus salah satu opsi skala butir ini.")},
    )
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, entries: dict, **kwargs):
        super().__init__(*args, **kwargs)
        entry_pk = self.initial.get("entry") or self.data.get(self.add_prefix("entry"))
        entry = entries.get(parse_id(entry_pk))
        self.kelembagaan_entry = entry
        self.fields["self_score"].for_score(entry.item if entry else None, entry.self_score_id if entry else None)

    def clean_entry(self):
        if self.kelembagaan_entry is None:
            raise forms.ValidationError(_("Butir kelembagaan tidak dikenal."))
        return self.cleaned_data["entry"]


KelembagaanFormSet = forms.formset_factory(KelembagaanEntryForm, extra=0)


class TatananChoiceForm(forms.Form):
    tatanan = ModelMultipleIdChoiceField(
        label=_("Tatanan yang dinilai"), queryset=Tatanan.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tatanan"].queryset = Tatanan.objects.filter(tatanan_set=cycle.tatanan_set_id).order_by("number")
        self.fields["tatanan"].error_messages["required"] = _("Pilih sedikitnya satu tatanan.")
        self.helper = FormHelper()
        self.helper.form_id = "tatanan-choice-form"
        self.helper.add_input(Submit("submit", _("Simpan pilihan tatanan"), css_class="btn-success"))


class UsulanForm(forms.Form):
    """The category registered for and the kecamatan proposed; the service checks both."""

    category = forms.ChoiceField(label=_("Kategori yang didaftarkan"), required=False)
    # Regions are keyed by their Kemendagri code, not a number.
    kecamatan = forms.ModelMultipleChoiceField(
        label=_("Kecamatan usulan"),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kecamatan yang diusulkan untuk dinilai. Cakupan kecamatan = kecamatan usulan ÷ semua kecamatan."),
    )
    desa = forms.ModelMultipleChoiceField(
        label=_("Desa/kelurahan usulan"),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kosongkan untuk mengusulkan semua desa/kelurahan di kecamatan usulan."),
    )

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        rules = assessment.cycle.tier_rules.order_by("rank")
        self.fields["category"].choices = [("", _("Belum ditentukan"))] + [
            (rule.tier, rule.get_tier_display()) for rule in rules
        ]
        self.fields["kecamatan"].queryset = Region.objects.filter(
            level=Region.Level.KECAMATAN, parent_id=assessment.kabupaten_id
        ).order_by("name")
        self.fields["desa"].queryset = Region.objects.filter(
            level=Region.Level.DESA, code__startswith=assessment.kabupaten_id + "."
        ).order_by("name")
        village = village_word(assessment.kabupaten)  # "kelurahan" in a kota of kelurahan (regions/words.py)
        self.fields["desa"].label = _("%(village)s usulan") % {"village": capfirst(village)}
        self.fields["desa"].help_text = _("Kosongkan untuk mengusulkan semua %(village)s di kecamatan usulan.") % {
            "village": village
        }
        self.helper = FormHelper()
        self.helper.form_id = "usulan-form"
        self.helper.add_input(Submit("submit", _("Simpan usulan dan kategori"), css_class="btn-success"))
