"""Forms of the verification workflow. Validation of shape only; the rules (who, when, which
status) live in ``workflow``. Every message is Indonesian; a refused form comes back with what
was typed."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from indicators.models import IndicatorEntry
from tatanan.selectors import RETIRED_OPTION_LABEL, selectable_options

from .services import COMMENT_MAX, REASON_MIN, ScoreChange


class SubmitForm(forms.Form):
    comment = forms.CharField(
        label=_("Catatan untuk verifikator (boleh kosong)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReasonForm(forms.Form):
    """Returning for revision, opening the correction window: the reason is required."""

    reason = forms.CharField(
        label=_("Alasan"),
        min_length=REASON_MIN,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Alasan wajib diisi."),
            "min_length": _("Tuliskan alasannya, sedikitnya %(limit_value)d karakter."),
            "max_length": _("Paling banyak %(limit_value)d karakter."),
        },
    )


class ApproveForm(forms.Form):
    comment = forms.CharField(
        label=_("Catatan persetujuan (boleh kosong)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DecisionForm(forms.Form):
    AWARDED, NOT_AWARDED = "awarded", "not_awarded"

    outcome = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[(AWARDED, _("Mendapat penghargaan")), (NOT_AWARDED, _("Tidak mendapat penghargaan"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih keputusan.")},
    )
    tier = forms.ChoiceField(label=_("Strata"), required=False)
    comment = forms.CharField(
        label=_("Catatan (wajib bila tidak mendapat penghargaan)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, tiers: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].choices = [("", _("– pilih strata –")), *tiers]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == self.AWARDED and not cleaned.get("tier"):
            self.add_error("tier", _("Pilih strata penghargaan."))
        if cleaned.get("outcome") == self.NOT_AWARDED and len((cleaned.get("comment") or "").strip()) < REASON_MIN:
            self.add_error("comment", _("Tuliskan alasannya, sedikitnya %(n)s karakter.") % {"n": REASON_MIN})
        return cleaned

    @property
    def awarded(self) -> bool:
        return self.cleaned_data["outcome"] == self.AWARDED


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Komentar"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Komentar tidak boleh kosong."),
            "max_length": _("Komentar paling banyak %(limit_value)d karakter."),
        },
    )
    entry = forms.IntegerField(required=False, widget=forms.HiddenInput)
    chapter = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    next = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)


FORM_ID = "scores-form"


class ScoresForm(forms.Form):
    """One score select and one note per indicator of a tatanan: ``score-<entry id>`` holds the id
    of one of the indicator's scale options (empty: not scored yet), ``note-<entry id>`` the note."""

    def __init__(self, *args, entries: list[IndicatorEntry], layer: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = entries
        score_field, note_field = (
            ("provincial_score", "provincial_note")
            if layer == "provincial"
            else (
                "national_score",
                "national_note",
            )
        )
        for entry in entries:
            # Retired options (docs/DOMAIN.md, "Re-importing the instrument") only where already chosen.
            current = getattr(entry, f"{score_field}_id")
            options = selectable_options(entry.indicator, current)
            self.fields[f"score-{entry.pk}"] = forms.TypedChoiceField(
                label=str(entry.indicator),
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", _("– belum dinilai –"))]
                + [
                    (o.pk, f"{o.value} – {o.description[:90]}" + (f" {RETIRED_OPTION_LABEL}" if o.retired else ""))
                    for o in options
                ],
                initial=getattr(entry, f"{score_field}_id"),
                error_messages={"invalid_choice": _("Pilih salah satu opsi skala indikator ini.")},
                widget=forms.Select(attrs={"form": FORM_ID, "class": "form-select form-select-sm score-select"}),
            )
            self.fields[f"note-{entry.pk}"] = forms.CharField(
                label=_("Catatan"),
                required=False,
                max_length=COMMENT_MAX,
                initial=getattr(entry, note_field),
                widget=forms.Textarea(attrs={"rows": 2, "form": FORM_ID, "class": "form-control form-control-sm"}),
                error_messages={"max_length": _("Catatan paling banyak %(limit_value)d karakter.")},
            )

    def fields_of(self, entry) -> tuple:
        """The bound score and note fields of one indicator."""
        return self[f"score-{entry.pk}"], self[f"note-{entry.pk}"]

    def changes(self) -> list[ScoreChange]:
        return [
            ScoreChange(
                entry_id=entry.pk,
                option_id=self.cleaned_data.get(f"score-{entry.pk}"),
                note=self.cleaned_data.get(f"note-{entry.pk}", ""),
            )
            for entry in self.entries
        ]


BOX_NAME = re.compile(r"^comment-((entry|reply)-(\d+))$")
SENT = re.compile(r"^(entry|reply)-(\d+)$")


class TabComments:
    """The comment boxes of a tatanan tab where the verifier scores. They belong to the scores form
    (``form="scores-form"``), so pressing "Kirim komentar" sends the scores typed on the tab with
    the comment (see ``review_save``). A box is ``comment-entry-<entry id>`` (a new thread on an
    indicator) or ``comment-reply-<comment id>`` (a reply); the button pressed is ``send_comment``
    with the same ``entry-…``/``reply-…`` value. Every box's text comes back after an error."""

    def __init__(self, data=None):
        data = data or {}
        self.texts: dict[str, str] = {}
        for name in data:
            match = BOX_NAME.match(name)
            if match:
                self.texts[match[1]] = data.get(name, "")
        sent = SENT.match(data.get("send_comment") or "")
        self.key = sent[0] if sent else ""
        self.kind = sent[1] if sent else ""
        self.target = int(sent[2]) if sent else None
        self.body = self.texts.get(self.key, "").strip() if sent else ""
        self.error = ""
        if sent and not self.body:
            self.error = str(_("Komentar tidak boleh kosong."))
        elif len(self.body) > COMMENT_MAX:
            self.error = str(_("Komentar paling banyak %(n)s karakter.") % {"n": COMMENT_MAX})

    @property
    def sent(self) -> bool:
        return bool(self.key)

    def box(self, key: str) -> dict:
        """The text typed in one box and its error (only the box whose button was pressed has one)."""
        return {"text": self.texts.get(key, ""), "error": self.error if key == self.key else ""}

    def unsent(self) -> TabComments:
        """The boxes still holding text other than the comment just sent."""
        left = TabComments()
        left.texts = {key: text for key, text in self.texts.items() if text.strip() and key != self.key}
        return left
