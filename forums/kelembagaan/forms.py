"""Bappeda's request to the Forum/Pokja secretaries for their kelembagaan documents."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from indicators.models import DataRequest
from indicators.requests.forms import DeadlineField
from indicators.requests.services import deadline_check


class DocumentRequestForm(forms.Form):
    """Which bodies are asked (by the code of their region; the page draws the checkboxes in its
    table), which documents, by when. Every field is checked on its own, so one submit reports
    everything that is missing, and the page comes back with every tick as typed."""

    regions = forms.MultipleChoiceField(
        label=_("Lembaga"),
        error_messages={
            "required": _("Pilih sedikitnya satu lembaga."),
            "invalid_choice": _("Lembaga %(value)s bukan Forum/Pokja kabupaten/kota ini."),
        },
    )
    documents = forms.MultipleChoiceField(
        label=_("Dokumen yang diminta"),
        choices=DataRequest.Document.choices,
        initial=DataRequest.Document.values,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Pilih sedikitnya satu dokumen."),
            "invalid_choice": _("Dokumen yang dipilih tidak dikenal."),
        },
    )
    deadline = DeadlineField()
    message = forms.CharField(
        label=_("Pesan untuk sekretaris"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ikut dikirim dalam email pengingat."),
    )

    def __init__(self, *args, region_codes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regions"].choices = [(code, code) for code in region_codes]

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        try:
            deadline_check(deadline)
        except ValidationError as error:
            raise ValidationError(error.message_dict["deadline"]) from None
        return deadline
