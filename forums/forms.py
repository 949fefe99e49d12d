"""Forms of the body pages. They parse input; saving and the rules are in ``forums.services``."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from kks_portal.lib.url_ids import ModelMultipleIdChoiceField
from tatanan.models import Tatanan

from .models import Body, Member
from .services import decree_scan_validate, photo_validate, tatanan_for_members

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _helper(form_id: str, label=None) -> FormHelper:
    helper = FormHelper()
    helper.form_id = form_id
    helper.add_input(Submit("submit", label or _("Simpan"), css_class="btn-success"))
    return helper


class DecreeForm(forms.Form):
    number = forms.CharField(label=_("Nomor SK"), max_length=200)
    date = forms.DateField(label=_("Tanggal SK"), widget=DATE)
    signer = forms.CharField(
        label=_("Penandatangan"),
        max_length=200,
        help_text=_("Mis. Bupati Serang, Camat Carenang, Kepala Desa Carenang."),
    )
    valid_from = forms.DateField(label=_("Berlaku mulai"), widget=DATE)
    valid_until = forms.DateField(
        label=_("Berlaku sampai"), widget=DATE, required=False, help_text=_("Kosongkan bila tidak dibatasi.")
    )
    file = forms.FileField(
        label=_("Pindaian SK (PDF atau foto)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("decree-form", _("Simpan SK baru"))

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if not file or not hasattr(file, "size") or hasattr(file, "url"):  # nothing new uploaded
            return file
        decree_scan_validate(file)
        return file


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=200)
    position = forms.ChoiceField(label=_("Jabatan"), choices=Member.Position.choices)
    origin = forms.ChoiceField(label=_("Unsur"), choices=Member.Origin.choices)
    tatanan = ModelMultipleIdChoiceField(
        label=_("Tatanan yang dikoordinasi"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    phone = forms.CharField(
        label=_("Telepon"), max_length=30, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    email = forms.EmailField(label=_("Email"), required=False)
    order = forms.IntegerField(label=_("Urutan"), min_value=0, initial=0, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [t.pk for t in tatanan_for_members()]
        self.fields["tatanan"].queryset = Tatanan.objects.filter(pk__in=ids).order_by("number")
        self.helper = _helper("member-form")

    def clean_order(self):
        return self.cleaned_data.get("order") or 0


class MemberImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas Excel (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
        help_text=_("Kolom: NAMA, JABATAN, ASAL/UNSUR, TATANAN (kode atau nama, dipisah koma), TELEPON, EMAIL."),
    )
    dry_run = forms.BooleanField(label=_("Uji coba saja (tidak disimpan)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("member-import-form", _("Impor"))


class PhotoField(forms.FileField):
    """A photo upload (JPG, PNG or WebP by content, at most 10 MB), inspected like evidence files:
    no polyglots, no decompression bombs, no broken images."""

    # A plain file input: the stored photo is private, so no "currently: <link>" to the media URL.
    widget = forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def validate(self, value):
        super().validate(value)
        if not value or not hasattr(value, "size") or hasattr(value, "url"):  # not a new upload
            return
        photo_validate(value)


class SecretariatForm(forms.Form):
    address = forms.CharField(label=_("Alamat"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    room = forms.CharField(label=_("Ruang"), max_length=200, required=False)
    has_name_board = forms.BooleanField(label=_("Ada papan nama"), required=False)
    name_board_photo = PhotoField(label=_("Foto papan nama"), required=False)
    org_chart_photo = PhotoField(label=_("Foto struktur organisasi"), required=False)
    notes = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("secretariat-form")

    def photo_changes(self) -> dict:
        """Photo fields for ``secretariat_update``: a new file, False to clear, absent to keep."""
        changes = {}
        for key in ("name_board_photo", "org_chart_photo"):
            value = self.cleaned_data.get(key)
            if value is False or (value and not hasattr(value, "url")):
                changes[key] = value
        return changes


class BodyFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis"),
        choices=[("", _("Semua jenis")), *Body.Kind.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    kabupaten = forms.ChoiceField(
        label=_("Kabupaten/kota"), required=False, widget=forms.Select(attrs={"class": "form-select form-select-sm"})
    )
    kecamatan = forms.ChoiceField(
        label=_("Kecamatan"), required=False, widget=forms.Select(attrs={"class": "form-select form-select-sm"})
    )

    def __init__(self, data=None, *, kabupaten_choices=None, kecamatan_choices, region=None, **kwargs):
        """``kabupaten_choices`` only for a reader of several kabupaten/kota (a verifier), None
        otherwise (no such field): the kecamatan are then those of the chosen one
        (``forums.views.body_list_view``)."""
        super().__init__(data, **kwargs)
        if kabupaten_choices is not None:
            self.fields["kabupaten"].choices = [("", _("Semua kabupaten/kota")), *kabupaten_choices]
        else:
            del self.fields["kabupaten"]
        self.fields["kecamatan"].choices = [("", _("Semua kecamatan")), *kecamatan_choices]
        # The kinds in the words of the reader's kabupaten/kota, when there is one (regions/words.py).
        self.fields["kind"].choices = [("", _("Semua jenis")), *Body.kind_choices_in(region)]


class BodyRenameForm(forms.Form):
    name = forms.CharField(
        label=_("Nama lembaga"),
        max_length=200,
        required=False,
        help_text=_("Seperti tertulis di SK, mis. Forum Komunikasi Kota Sehat Cilegon. Kosongkan untuk nama bawaan."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "body-rename-form"
        self.helper.add_input(Submit("submit", _("Simpan nama"), css_class="btn-success"))
