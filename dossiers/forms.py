from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import SHA256_RE


class VerifyForm(forms.Form):
    """Either a PDF to hash or a SHA-256 pasted from elsewhere (exactly one of them)."""

    file = forms.FileField(
        label=_("Berkas PDF dossier"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        help_text=_(
            "SHA-256 berkas dihitung di peramban Anda dan hanya kode itu yang dikirim; berkasnya tidak diunggah "
            "dan tidak disimpan."
        ),
    )
    sha256 = forms.CharField(
        label=_("atau SHA-256"),
        required=False,
        max_length=80,
        help_text=_("64 karakter heksadesimal, seperti tertulis di daftar versi atau di bawah kode QR sampul."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "verify-form"
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.add_input(Submit("submit", _("Periksa keaslian"), css_class="btn-success"))

    def clean_sha256(self):
        value = "".join(self.cleaned_data.get("sha256", "").split()).lower()
        if value and not SHA256_RE.match(value):
            raise forms.ValidationError(_("SHA-256 harus 64 karakter heksadesimal (0–9, a–f)."))
        return value

    def clean(self):
        cleaned = super().clean()
        has_file, has_hash = bool(cleaned.get("file")), bool(cleaned.get("sha256"))
        if not self.errors and has_file == has_hash:
            raise forms.ValidationError(_("Unggah berkas PDF atau tempel SHA-256-nya (salah satu saja)."))
        return cleaned
