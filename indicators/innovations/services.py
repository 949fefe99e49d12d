"""Writes of a kabupaten/kota's innovations (the dossier's "Inovasi"): add, change, remove.

Only the Bappeda admin of the kabupaten/kota (and superusers) writes; anyone else gets
``Http404`` (``accounts.access``), as for the other field work. Bad values raise ``ValidationError`` keyed
by field, in Indonesian.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.access import require_kabupaten_admin
from accounts.models import User
from tatanan.models import Tatanan

from ..models import Assessment, Innovation

INNOVATION_FIELDS = {"tatanan", "title", "description", "year", "result"}
TITLE_MAX = Innovation._meta.get_field("title").max_length
TEXT_MAX = 5000
FIRST_YEAR = 2000


def innovations_of(assessment: Assessment) -> QuerySet[Innovation]:
    return assessment.innovations.select_related("tatanan", "created_by").order_by(
        "-year", "tatanan__number", "title", "id"
    )


def _clean(assessment: Assessment, fields: dict, *, creating: bool) -> dict:
    unknown = set(fields) - INNOVATION_FIELDS
    if unknown:
        raise ValidationError(_("Kolom tidak dikenal: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    errors: dict[str, str] = {}
    for name, message in (("title", _("Isi judul inovasi.")), ("description", _("Uraikan inovasinya."))):
        if name in fields or creating:
            fields[name] = (fields.get(name) or "").strip()
            if not fields[name]:
                errors[name] = message
    if len(fields.get("title", "")) > TITLE_MAX:
        errors["title"] = _("Judul paling panjang %(n)s karakter.") % {"n": TITLE_MAX}
    for name in ("description", "result"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
            if len(fields[name]) > TEXT_MAX:
                errors[name] = _("Paling panjang %(n)s karakter.") % {"n": TEXT_MAX}
    if "tatanan" in fields:
        tatanan = fields["tatanan"]
        if tatanan is not None and (
            not isinstance(tatanan, Tatanan) or not assessment.tatanan.filter(pk=tatanan.pk).exists()
        ):
            errors["tatanan"] = _("Pilih salah satu tatanan yang dinilai dalam penilaian ini, atau kosongkan.")
    if "year" in fields or creating:
        year = fields.get("year")
        last = assessment.cycle.award_year
        if year is None or isinstance(year, bool) or not isinstance(year, int):
            errors["year"] = _("Isi tahun inovasi dimulai, mis. %(year)s.") % {"year": assessment.cycle.last_data_year}
        elif not FIRST_YEAR <= year <= last:
            errors["year"] = _("Tahun harus antara %(first)s dan %(last)s.") % {"first": FIRST_YEAR, "last": last}
    if errors:
        raise ValidationError(errors)
    return fields


def innovation_create(
    *, assessment: Assessment, actor: User, title: str, description: str, year: int, **fields
) -> Innovation:
    """Add an innovation to ``assessment``. Optional: ``tatanan`` (one of the assessed tatanan,
    or None) and ``result`` (its result or impact)."""
    require_kabupaten_admin(actor, assessment.kabupaten_id)
    fields.update(title=title, description=description, year=year)
    fields = _clean(assessment, fields, creating=True)
    return Innovation.objects.create(assessment=assessment, created_by=actor, **fields)


def innovation_update(*, innovation: Innovation, actor: User, **fields) -> Innovation:
    """Change the fields given of ``innovation``."""
    require_kabupaten_admin(actor, innovation.assessment.kabupaten_id)
    fields = _clean(innovation.assessment, fields, creating=False)
    for name, value in fields.items():
        setattr(innovation, name, value)
    innovation.save()
    return innovation


def innovation_delete(*, innovation: Innovation, actor: User) -> None:
    require_kabupaten_admin(actor, innovation.assessment.kabupaten_id)
    innovation.delete()
