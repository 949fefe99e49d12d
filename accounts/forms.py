"""Forms of the sign-in pages and of user/OPD management.

Forms validate input and carry their crispy layout; they never save. Views hand the cleaned
data to ``accounts.services`` and pass a service's ``ValidationError``/``PermissionDenied`` back
with ``add_service_errors`` so that a refused rule shows as a form error, not an error page.
"""

from __future__ import annotations

import contextlib

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout, Submit
from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.template import loader
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from regions.models import Region

from .models import Opd, Role, User
from .selectors import admin_scope_of, kabupaten_managed_by, opds_manageable_by, region_options_for
from .tasks import send_email

VERIFIER_ROLES = {Role.PROVINCE_VERIFIER, Role.NATIONAL_VERIFIER}


def add_service_errors(form: forms.Form, exc: ValidationError | PermissionDenied, field_map: dict | None = None):
    """Show what a service refused on ``form``: field errors on their field (``field_map``
    renames service keys to form fields), the rest at the top of the form."""
    field_map = field_map or {}
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc) or gettext("Anda tidak berwenang melakukan tindakan ini."))
        return
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for key, messages in exc.message_dict.items():
        name = field_map.get(key, key)
        form.add_error(name if name in form.fields else None, messages)


class SuccessSubmit(Submit):
    field_classes = "btn btn-success"


def _submit(label, css_class="") -> Submit:
    return SuccessSubmit("submit", label, css_class=css_class)


# --- Sign-in pages ----------------------------------------------------------------------------


class LoginForm(auth_forms.AuthenticationForm):
    """Django's login form (inactive users refused) with a phone-friendly layout and its own
    message on a wrong login: Django's Indonesian one fills its ``%(username)s`` with the field's
    name and reads "nama pengguna nama pengguna" (docs/GLOSSARY.md)."""

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": _("Nama pengguna atau kata sandi tidak benar. Huruf besar dan kecil dibedakan."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {"autocapitalize": "none", "autocomplete": "username", "autofocus": True}
        )
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})
        self.helper = FormHelper()
        self.helper.form_id = "login-form"
        self.helper.layout = Layout(
            "username",
            "password",
            HTML('{% if next %}<input type="hidden" name="next" value="{{ next }}">{% endif %}'),
        )
        self.helper.add_input(_submit(_("Masuk"), css_class="w-100"))


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(_submit(_("Simpan kata sandi baru")))


class SetPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(_submit(_("Simpan kata sandi")))


class QueuedPasswordResetForm(auth_forms.PasswordResetForm):
    """Renders the reset e-mail in the web process and hands delivery to the Celery worker,
    so a slow mail server never holds up the page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.setdefault("autofocus", True)
        self.helper = FormHelper()
        self.helper.add_input(_submit(_("Kirim tautan")))

    def get_users(self, email):
        # Django skips accounts without a usable password. Here those are people invited by
        # their Bappeda admin who have not yet chosen one: they must be able to ask for a new
        # link when the first one expired.
        users = User._default_manager.filter(email__iexact=email, is_active=True)
        return (u for u in users if u.email.casefold() == email.casefold())

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html = loader.render_to_string(html_email_template_name, context) if html_email_template_name else None
        send_email.delay(subject=subject, body=body, to=[to_email], html=html, from_email=from_email)


# --- Regions typed by code ----------------------------------------------------------------------


class RegionSuggestInput(forms.TextInput):
    """A text input with a ``<datalist>`` of regions: the browser suggests
    "36.04.17 – Kecamatan Carenang" as one types, without a script. When there are too many
    regions to list (the superuser), a small script fills the list from the regions API."""

    template_name = "accounts/widgets/region_suggest.html"

    def __init__(self, options=(), attrs=None):
        super().__init__(attrs)
        self.options = list(options)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        list_id = f"{context['widget']['attrs'].get('id', name)}-options"
        context["widget"]["attrs"]["list"] = list_id
        context["widget"]["list_id"] = list_id
        context["widget"]["options"] = self.options
        if not self.options:
            # Without a regions API the field still takes a typed code.
            with contextlib.suppress(NoReverseMatch):
                context["widget"]["search_url"] = reverse("region-list")
                # static/js/region-suggest.js reads it (the CSP runs no inline script).
                context["widget"]["attrs"]["data-suggest-url"] = context["widget"]["search_url"]
        return context


class RegionCodeField(forms.CharField):
    """A region by its Kemendagri code (``36.04.17``), or by its exact name when that is unique
    among ``by_name``. Cleans to a ``Region`` or ``None``."""

    def __init__(self, *, by_name=None, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)
        self.by_name = by_name if by_name is not None else Region.objects.none()

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        code = value.split()[0]  # a suggestion reads "36.04.17 – Kecamatan Carenang"
        region = Region.objects.filter(code=code).first()
        if region is not None:
            return region
        matches = list(self.by_name.filter(name__iexact=value)[:2])
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise ValidationError(
                gettext("Ada beberapa wilayah bernama “%(value)s”. Tulis kodenya, mis. %(example)s.")
                % {"value": value, "example": matches[0].code}
            )
        raise ValidationError(
            gettext(
                "Wilayah “%(value)s” tidak ditemukan. Tulis kode wilayah Kemendagri, mis. 36.04 untuk kabupaten, "
                "36.04.17 untuk kecamatan atau 36.04.17.2001 untuk desa/kelurahan."
            )
            % {"value": value}
        )


# --- User management ------------------------------------------------------------------------


REGION_HELP = _(
    "Admin Bappeda dan Operator OPD: kode kabupaten/kota (untuk Operator OPD boleh dikosongkan). "
    "Sekretaris: kode kabupaten/kota (Forum Kabupaten/Kota Sehat), kecamatan (Forum Kecamatan Sehat) "
    "atau desa/kelurahan (Pokja Desa/Kelurahan Sehat)."
)


class RoleFieldsMixin:
    """The role, region and OPD fields, limited to what ``actor`` may grant."""

    def _setup_role_fields(self, actor: User, *, required: bool, opds=None):
        superuser = actor.is_superuser
        choices = [(value, label) for value, label in Role.choices if superuser or value not in VERIFIER_ROLES]
        self.fields["role"] = forms.ChoiceField(
            label=_("Peran"),
            choices=[("", "---------"), *choices],
            required=required,
            error_messages={
                "invalid_choice": _(
                    "Anda tidak dapat memberikan peran ini. Peran verifikator provinsi dan pusat hanya "
                    "diberikan oleh admin pusat (superuser)."
                )
            },
        )
        scope = admin_scope_of(actor)
        self.fields["region_code"] = RegionCodeField(
            label=_("Wilayah (kode)"),
            required=False,
            help_text=REGION_HELP,
            by_name=Region.objects.filter(scope.q("code"), level__gte=Region.Level.KABKOTA),
            widget=RegionSuggestInput(
                options=region_options_for(actor),
                attrs={"placeholder": "36.04.17", "autocomplete": "off"},
            ),
        )
        if opds is None:
            opds = opds_manageable_by(actor)
        self.fields["opd"] = forms.ModelChoiceField(
            label=_("OPD"),
            queryset=opds,
            required=False,
            help_text=_("Hanya untuk Operator OPD."),
            error_messages={"invalid_choice": _("OPD ini tidak ada di wilayah Anda.")},
        )
        managed = list(kabupaten_managed_by(actor).values_list("code", flat=True)[:2]) if not superuser else []
        if len(managed) == 1:
            self.fields["region_code"].initial = managed[0]

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role and role != Role.OPD_OPERATOR and cleaned.get("opd"):
            self.add_error("opd", gettext("Kosongkan OPD: hanya Operator OPD yang terhubung dengan OPD."))
        return cleaned


class UserCreateForm(RoleFieldsMixin, forms.Form):
    PASSWORD_SET = "set"
    PASSWORD_EMAIL = "email"

    username = forms.CharField(
        label=_("Nama pengguna"),
        max_length=150,
        help_text=_("Untuk masuk. Huruf, angka dan @/./+/-/_ saja."),
        validators=[User.username_validator],
    )
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Nomor telepon"), max_length=30, required=False, widget=forms.TelInput)
    password_mode = forms.ChoiceField(
        label=_("Kata sandi"),
        choices=[
            (PASSWORD_EMAIL, _("Kirim email agar pengguna menentukan kata sandinya sendiri")),
            (PASSWORD_SET, _("Saya tentukan kata sandinya sekarang")),
        ],
        initial=PASSWORD_EMAIL,
        widget=forms.RadioSelect,
    )
    password1 = forms.CharField(
        label=_("Kata sandi"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        # A Bappeda admin's new user needs a role in their kabupaten, or they could not find it again.
        self._setup_role_fields(actor, required=not actor.is_superuser)
        self.fields["username"].widget.attrs.update({"autocapitalize": "none", "autocomplete": "off"})
        self.fields["phone"].widget.attrs.update({"autocomplete": "off"})
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(_("Akun"), "username", "full_name", "email", "phone"),
            Fieldset(_("Peran pertama"), "role", "region_code", "opd"),
            Fieldset(_("Kata sandi"), "password_mode", Div("password1", "password2", css_id="password-fields")),
        )
        self.helper.add_input(_submit(_("Buat pengguna")))

    def clean(self):
        cleaned = super().clean()
        mode = cleaned.get("password_mode")
        if mode == self.PASSWORD_EMAIL and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", gettext("Isi email: tautan untuk menentukan kata sandi dikirim ke alamat ini."))
        if mode == self.PASSWORD_SET:
            password1, password2 = cleaned.get("password1"), cleaned.get("password2")
            if not password1:
                self.add_error("password1", gettext("Isi kata sandi, atau pilih kirim email."))
            elif password1 != password2:
                self.add_error("password2", gettext("Kedua kata sandi tidak sama."))
            else:
                probe = User(
                    username=cleaned.get("username", ""),
                    full_name=cleaned.get("full_name", ""),
                    email=cleaned.get("email", ""),
                )
                try:
                    password_validation.validate_password(password1, probe)
                except ValidationError as exc:
                    self.add_error("password1", exc)
        return cleaned

    @property
    def sends_email(self) -> bool:
        return self.cleaned_data.get("password_mode") == self.PASSWORD_EMAIL


class UserEditForm(forms.Form):
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Nomor telepon"), max_length=30, required=False, widget=forms.TelInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(_submit(_("Simpan")))


class RoleAddForm(RoleFieldsMixin, forms.Form):
    def __init__(self, *args, actor: User, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        opds = opds_manageable_by(actor)
        if actor.is_superuser:
            # Every OPD of the country is no select: offer those of the kabupaten the person
            # already serves (the superuser can always use Django admin for the rest).
            codes = user.role_assignments.exclude(region=None).values_list("region_id", flat=True)
            kabupaten = {".".join(code.split(".")[:2]) for code in codes if "." in code}
            if kabupaten:
                opds = opds.filter(kabupaten_id__in=kabupaten)
        self._setup_role_fields(actor, required=True, opds=opds)
        self.helper = FormHelper()
        self.helper.layout = Layout("role", "region_code", "opd")
        self.helper.add_input(_submit(_("Tambah peran")))


class UserFilterForm(forms.Form):
    """The search box and filters above the user list (GET)."""

    q = forms.CharField(label=_("Cari"), required=False, widget=forms.SearchInput)
    role = forms.ChoiceField(label=_("Peran"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua")), ("aktif", _("Aktif")), ("nonaktif", _("Nonaktif"))],
    )

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        roles = [(v, label) for v, label in Role.choices if actor.is_superuser or v not in VERIFIER_ROLES]
        self.fields["role"].choices = [("", _("Semua peran")), *roles]
        self.fields["q"].widget.attrs.update({"placeholder": _("nama, nama pengguna atau email")})
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "row g-2 align-items-end mb-3"
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Div("q", css_class="col-12 col-md-5"),
            Div("role", css_class="col-6 col-md-3"),
            Div("status", css_class="col-6 col-md-2"),
            Div(
                HTML(
                    format_html('<button type="submit" class="btn btn-success w-100 mb-3">{}</button>', _("Tampilkan"))
                ),
                css_class="col-12 col-md-2",
            ),
        )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        status = self.cleaned_data.get("status")
        return {
            "query": self.cleaned_data.get("q", ""),
            "role": self.cleaned_data.get("role", ""),
            "is_active": {"aktif": True, "nonaktif": False}.get(status),
        }


# --- OPDs -----------------------------------------------------------------------------------------


class OpdForm(forms.Form):
    kabupaten = forms.ModelChoiceField(
        label=_("Kabupaten/kota"),
        queryset=Region.objects.none(),
        error_messages={"invalid_choice": _("Kabupaten/kota ini tidak ada di wilayah Anda.")},
    )
    short_name = forms.CharField(label=_("Singkatan"), max_length=30, help_text=_("mis. Dinkes, DLH, PUPR"))
    name = forms.CharField(label=_("Nama lengkap"), max_length=200, help_text=_("mis. Dinas Kesehatan"))

    def __init__(self, *args, actor: User, opd: Opd | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if opd is not None:
            # The kabupaten of an existing OPD is fixed: its operators' roles hang on it.
            del self.fields["kabupaten"]
        else:
            kabupaten = kabupaten_managed_by(actor).order_by("code")
            self.fields["kabupaten"].queryset = kabupaten
            first_two = list(kabupaten[:2])
            if len(first_two) == 1:
                self.fields["kabupaten"].initial = first_two[0]
        self.helper = FormHelper()
        self.helper.add_input(_submit(_("Simpan")))
