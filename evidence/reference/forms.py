"""The form of a kabupaten's reference point (where its photos should have been taken)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# A generous box around Indonesia (Sabang to Merauke, Miangas to Rote), to catch typing slips.
INDONESIA_LATITUDE = (Decimal("-11.5"), Decimal("6.5"))
INDONESIA_LONGITUDE = (Decimal("94.0"), Decimal("141.5"))
SIX_PLACES = Decimal("0.000001")


class CoordinateField(forms.CharField):
    """Decimal degrees typed the Indonesian way (``-6,12``) or the GPS way (``-6.12``); extra
    decimals (maps give seven or more) are rounded to six, about 10 cm."""

    def __init__(self, *, low: int, high: int, range_message, example: str, **kwargs):
        self.low, self.high, self.range_message, self.example = Decimal(low), Decimal(high), range_message, example
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value).strip().replace(" ", "").replace("−", "-")
        if not text:
            return None
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation as error:
            raise ValidationError(
                _("Tulis angka desimal dalam derajat, mis. %(example)s.") % {"example": self.example}
            ) from error
        if not number.is_finite():
            raise ValidationError(_("Tulis angka desimal dalam derajat, mis. %(example)s.") % {"example": self.example})
        if not self.low <= number <= self.high:
            raise ValidationError(self.range_message)
        return number.quantize(SIX_PLACES, rounding=ROUND_HALF_UP)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f").rstrip("0")
        return value


class ReferencePointForm(forms.Form):
    latitude = CoordinateField(
        label=_("Lintang"),
        # Up to ±180 here so that swapped coordinates get their own message (clean).
        low=-180,
        high=180,
        example="-6,12",
        range_message=_("Lintang harus antara -90 dan 90 derajat."),
        error_messages={"required": _("Isi lintang titik acuan.")},
        help_text=_("Derajat desimal; di selatan khatulistiwa bernilai negatif, mis. -6,12."),
    )
    longitude = CoordinateField(
        label=_("Bujur"),
        low=-180,
        high=180,
        example="106,15",
        range_message=_("Bujur harus antara -180 dan 180 derajat."),
        error_messages={"required": _("Isi bujur titik acuan.")},
        help_text=_("Derajat desimal, mis. 106,15."),
    )
    radius_km = forms.IntegerField(
        label=_("Radius (km)"),
        min_value=1,
        max_value=2000,
        error_messages={
            "required": _("Isi radius dalam kilometer."),
            "invalid": _("Radius harus bilangan bulat dalam kilometer, mis. 60."),
            "min_value": _("Radius paling kecil 1 km."),
            "max_value": _("Radius paling besar 2000 km."),
        },
        help_text=_("Foto yang diambil lebih jauh dari jarak ini ditandai. Biasanya 30–100 km."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "reference-point-form"
        self.helper.add_input(Submit("submit", _("Simpan titik acuan"), css_class="btn-success"))

    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if latitude is None or longitude is None:
            return cleaned
        inside = INDONESIA_LATITUDE[0] <= latitude <= INDONESIA_LATITUDE[1] and (
            INDONESIA_LONGITUDE[0] <= longitude <= INDONESIA_LONGITUDE[1]
        )
        swapped = INDONESIA_LATITUDE[0] <= longitude <= INDONESIA_LATITUDE[1] and (
            INDONESIA_LONGITUDE[0] <= latitude <= INDONESIA_LONGITUDE[1]
        )
        if swapped:
            raise ValidationError(
                _(
                    "Lintang dan bujur tampaknya tertukar: di Indonesia lintang antara -11 dan 6, "
                    "bujur antara 95 dan 141."
                )
            )
        if not -90 <= latitude <= 90:
            self.add_error("latitude", _("Lintang harus antara -90 dan 90 derajat."))
            return cleaned
        if not inside:
            raise ValidationError(
                _("Titik itu berada di luar wilayah Indonesia. Periksa lintang (mis. -6,12) dan bujur (mis. 106,15).")
            )
        return cleaned
