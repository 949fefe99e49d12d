from pathlib import Path

import openpyxl
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from kks_portal.lib.url_ids import parse_id

from .models import Cycle, ScaleOption
from .selectors import RETIRED_OPTION_LABEL, check_selectable, selectable_options, selectable_options_queryset

# The official 2025 workbook is 0.4 MB; 20 MB leaves room for workbooks with pictures while
# keeping a single upload from exhausting the web process.
INSTRUMENT_MAX_BYTES = 20 * 1024 * 1024


class ScoreOptionField(forms.ModelChoiceField):
    """A score's scale option, offered by the one rule (``selectors.selectable_options``): the
    owner's options that are not retired, plus the one the score holds (labelled as no longer
    valid). Call ``for_score(owner, current)`` in the form's ``__init__``. A retired option posted
    for a score that does not hold it is refused with a message saying why."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", ScaleOption.objects.none())
        super().__init__(*args, **kwargs)
        self.owner, self.current = None, None

    def for_score(self, owner, current=None) -> None:
        self.owner, self.current = owner, current
        self.queryset = selectable_options_queryset(owner, current) if owner is not None else ScaleOption.objects.none()

    def options(self) -> list[ScaleOption]:
        """The options offered, read through a prefetch of the owner's scale when there is one."""
        return selectable_options(self.owner, self.current) if self.owner is not None else []

    def label_from_instance(self, obj):
        label = f"{obj.value} – {obj.description}"
        return f"{label} {RETIRED_OPTION_LABEL}" if obj.retired else label

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            option, pk = None, parse_id(value)
            if self.owner is not None and pk is not None:
                option = next((o for o in self.owner.scale_options.all() if o.pk == pk), None)
            check_selectable(option, self.current)  # a retired option: say so
            raise


class InstrumentUploadForm(forms.Form):
    cycle = forms.ModelChoiceField(
        label=_("Siklus penilaian"), queryset=Cycle.objects.order_by("-award_year"), empty_label=None
    )
    file = forms.FileField(
        label=_("Berkas instrumen (.xlsx)"),
        help_text=_("Buku kerja resmi: sheet Kelembagaan dan satu sheet per tatanan. Maksimal 20 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Uji coba saja (periksa tanpa menyimpan)"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "instrument-upload-form"
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.add_input(Submit("submit", _("Impor"), css_class="btn-success"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() != ".xlsx":
            raise forms.ValidationError(_("Pilih berkas Excel berakhiran .xlsx."))
        if upload.size > INSTRUMENT_MAX_BYTES:
            raise forms.ValidationError(
                _("Berkas terlalu besar (%(size)s); batasnya %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(INSTRUMENT_MAX_BYTES)}
            )
        try:
            workbook = openpyxl.load_workbook(upload, read_only=True)
            workbook.close()
        except Exception as exc:  # any failure to open means the file is not a usable workbook
            raise forms.ValidationError(
                _(
                    "Berkas tidak dapat dibuka sebagai buku kerja Excel (.xlsx). Simpan ulang sebagai .xlsx lalu coba lagi."
                )
            ) from exc
        finally:
            upload.seek(0)
        return upload


class CycleNextForm(forms.Form):
    """The next cycle from a previous one (``cycles.cycle_create_from`` checks the years)."""

    source = forms.ModelChoiceField(
        label=_("Salin dari siklus"),
        queryset=Cycle.objects.order_by("-award_year"),
        empty_label=None,
        to_field_name="award_year",
        help_text=_("Aturan strata, tatanan dan katalog indikator siklus ini disalin ke siklus baru."),
    )
    award_year = forms.IntegerField(label=_("Tahun penghargaan"), min_value=2000, max_value=2100)
    first_data_year = forms.IntegerField(
        label=_("Tahun data pertama"),
        min_value=2000,
        max_value=2100,
        required=False,
        help_text=_("Kosongkan untuk menggeser tahun data siklus asal."),
    )
    last_data_year = forms.IntegerField(label=_("Tahun data terakhir"), min_value=2000, max_value=2100, required=False)
    guideline_reference = forms.CharField(
        label=_("Acuan petunjuk teknis"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        newest = Cycle.objects.order_by("-award_year").first()
        if newest is not None:
            self.fields["source"].initial = newest.award_year
            self.fields["award_year"].initial = newest.award_year + 2
        self.helper = FormHelper()
        self.helper.form_id = "cycle-next-form"
        self.helper.add_input(Submit("submit", _("Tambah siklus"), css_class="btn-success"))


class RequirementsMergeForm(forms.Form):
    """Merge documents of one indicator or kelembagaan item (``services.requirements_merge``)."""

    owner = forms.CharField(widget=forms.HiddenInput)
    requirement_ids = forms.MultipleChoiceField(
        label=_("Dokumen yang digabung"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Pilih sedikitnya dua dokumen untuk digabung."),
            "invalid_choice": _("Dokumen yang dipilih sudah tidak ada pada syarat ini. Muat ulang halaman."),
        },
    )
    description = forms.CharField(
        label=_("Nama dokumen gabungan"),
        max_length=2000,
        error_messages={"required": _("Tulis nama dokumen gabungannya.")},
    )

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement_ids"].choices = [(str(d.key), d.description) for d in documents]

    def clean_requirement_ids(self):
        keys = self.cleaned_data["requirement_ids"]
        if len(set(keys)) < 2:
            raise forms.ValidationError(_("Pilih sedikitnya dua dokumen untuk digabung."))
        return [int(key) for key in keys]


class RequirementsSplitForm(forms.Form):
    """Split one document into several (``services.requirements_split``)."""

    owner = forms.CharField(widget=forms.HiddenInput)
    requirement_id = forms.ChoiceField(
        label=_("Dokumen yang dipisah"),
        error_messages={
            "required": _("Pilih dokumen yang akan dipisah."),
            "invalid_choice": _("Dokumen yang dipilih sudah tidak ada pada syarat ini. Muat ulang halaman."),
        },
    )
    descriptions = forms.CharField(
        label=_("Dokumen baru, satu per baris"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000,
        error_messages={"required": _("Tulis sedikitnya dua dokumen, satu per baris.")},
    )

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement_id"].choices = [(str(d.key), d.description) for d in documents]

    def clean_requirement_id(self):
        return int(self.cleaned_data["requirement_id"])

    def clean_descriptions(self):
        lines = [" ".join(line.split()) for line in self.cleaned_data["descriptions"].splitlines()]
        lines = [line for line in lines if line]
        if len(lines) < 2:
            raise forms.ValidationError(_("Tulis sedikitnya dua dokumen, satu per baris."))
        return lines
