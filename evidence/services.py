"""Writes on activities (kegiatan): record, change, remove (soft).

Every function is keyword-only and checks the actor's rights itself (``PermissionDenied``), so the
pages and the API cannot forget it. Rule violations raise ``ValidationError`` with Indonesian
messages keyed by field, which forms and the API show next to the field.

Files are attached through ``evidence.uploads.attach_upload``; they are not the business of this
module. Each write refreshes the readiness rows the activity counts in (``evidence.rollups``) in
its own transaction.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from forums.models import Body, WorkPlanItem
from forums.selectors import can_edit_body
from forums.workplans.selectors import tatanan_for_work_plans
from regions.models import kabupaten_code_of
from tatanan.models import Cycle, Indicator, Tatanan

from .models import Activity
from .rollups import activity_keys, refresh_activities

ACTIVITY_FIELDS = (
    "title",
    "date",
    "place",
    "tatanan",
    "indicators",
    "work_plan_item",
    "participants",
    "participant_count",
    "result",
    "realised_budget",
    "partner_bodies",
)
MANY_FIELDS = ("tatanan", "indicators", "partner_bodies")
# Before the programme's portal, no kegiatan is recorded; a date before this is a typing slip.
EARLIEST_ACTIVITY_DATE = datetime.date(2010, 1, 1)
MAX_PARTICIPANTS = 100_000
MAX_BUDGET = Decimal("999999999999999")  # 15 digits, as the column


# --- Choices (also used by the form, so that it offers what the service accepts) -----------------


def activity_tatanan_choices() -> QuerySet[Tatanan]:
    """The tatanan an activity may support: the same list as the work plans."""
    return tatanan_for_work_plans()


def indicator_cycle() -> Cycle | None:
    """The newest cycle whose indicators are in the catalogue: activities support those."""
    return Cycle.objects.filter(indicators__isnull=False).order_by("-award_year").distinct().first()


def activity_indicator_choices(body: Body) -> QuerySet[Indicator]:
    """The indicators an activity of ``body`` may support: those of the newest catalogued cycle,
    national or local to the body's kabupaten."""
    cycle = indicator_cycle()
    if cycle is None:
        return Indicator.objects.none()
    kabupaten = kabupaten_code_of(body.region_id)
    return (
        Indicator.objects.filter(cycle=cycle)
        .filter(Q(owner_kabupaten__isnull=True) | Q(owner_kabupaten_id=kabupaten))
        .select_related("tatanan")
        .order_by("tatanan__number", "order", "id")
    )


def activity_partner_choices(body: Body) -> QuerySet[Body]:
    """The bodies that may hold an activity of ``body`` together with it: the other bodies of its
    kabupaten/kota (a Forum with the Tim Pembina, a kabupaten's sosialisasi with the Forum
    Kecamatan)."""
    kabupaten = kabupaten_code_of(body.region_id)
    return (
        Body.objects.filter(Q(region__code=kabupaten) | Q(region__code__startswith=kabupaten + "."))
        .exclude(pk=body.pk)
        .select_related("region")
        .order_by("region_id", "kind")
    )


def activity_work_plan_item_choices(body: Body) -> QuerySet[WorkPlanItem]:
    """The work-plan items an activity of ``body`` may realise: the items of the body's own plans."""
    return (
        WorkPlanItem.objects.filter(work_plan__body=body)
        .select_related("work_plan", "tatanan")
        .order_by("-work_plan__year", "order", "id")
    )


# --- Validation ---------------------------------------------------------------------------------


def _clean(body: Body, data: dict, *, today: datetime.date | None = None) -> dict:
    """The activity's fields, checked; raises one ``ValidationError`` naming every bad field."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    cleaned: dict = {}
    cleaned["title"] = _clean_title(data, errors)
    cleaned["date"] = _clean_date(data, today, errors)
    cleaned["place"] = _clean_place(data, errors)
    cleaned["tatanan"] = _clean_tatanan(data, errors)
    cleaned["indicators"] = _clean_indicators(body, data, cleaned["tatanan"], errors)
    cleaned["work_plan_item"] = _clean_work_plan_item(body, data, errors)
    cleaned["participants"] = str(data.get("participants") or "").strip()
    cleaned["participant_count"] = _clean_participant_count(data, errors)
    cleaned["result"] = str(data.get("result") or "").strip()
    cleaned["realised_budget"] = _clean_realised_budget(data, errors)
    cleaned["partner_bodies"] = _clean_partner_bodies(body, data, errors)
    if errors:
        raise ValidationError(errors)
    return cleaned


# Each ``_clean_<field>`` returns the field's value and adds its problems to ``errors`` (field -> messages).


def _clean_title(data: dict, errors: dict[str, list[str]]) -> str:
    title = " ".join(str(data.get("title") or "").split())
    if not title:
        errors.setdefault("title", []).append(_("Judul kegiatan wajib diisi."))
    elif len(title) > 300:
        errors.setdefault("title", []).append(_("Judul kegiatan paling panjang 300 karakter."))
    return title


def _clean_date(data: dict, today: datetime.date, errors: dict[str, list[str]]):
    date = data.get("date")
    if not isinstance(date, datetime.date):
        errors.setdefault("date", []).append(_("Tanggal kegiatan wajib diisi."))
    elif date > today:
        errors.setdefault("date", []).append(
            _("Tanggal kegiatan tidak boleh setelah hari ini: catat kegiatan yang sudah dilaksanakan.")
        )
    elif date < EARLIEST_ACTIVITY_DATE:
        errors.setdefault("date", []).append(
            _("Tanggal kegiatan tidak masuk akal (sebelum %(year)s); periksa tahunnya.")
            % {"year": EARLIEST_ACTIVITY_DATE.year}
        )
    return date


def _clean_place(data: dict, errors: dict[str, list[str]]) -> str:
    place = str(data.get("place") or "").strip()
    if len(place) > 300:
        errors.setdefault("place", []).append(_("Tempat paling panjang 300 karakter."))
    return place


def _clean_tatanan(data: dict, errors: dict[str, list[str]]) -> list[Tatanan]:
    tatanan = list(data.get("tatanan") or [])
    allowed_tatanan = set(activity_tatanan_choices().values_list("pk", flat=True))
    if any(t.pk not in allowed_tatanan for t in tatanan):
        errors.setdefault("tatanan", []).append(_("Pilih tatanan dari daftar tatanan yang berlaku."))
    return tatanan


def _clean_indicators(body: Body, data: dict, tatanan: list[Tatanan], errors: dict[str, list[str]]) -> list[Indicator]:
    """The indicators, each from the body's catalogue and, when tatanan are chosen, from one of them."""
    indicators = list(data.get("indicators") or [])
    allowed_indicators = set(activity_indicator_choices(body).values_list("pk", flat=True))
    chosen_tatanan = {t.pk for t in tatanan}
    for indicator in indicators:
        if indicator.pk not in allowed_indicators:
            errors.setdefault("indicators", []).append(
                _("Indikator %(number)s tidak termasuk katalog yang berlaku untuk lembaga ini.")
                % {"number": indicator.number}
            )
        elif chosen_tatanan and indicator.tatanan_id not in chosen_tatanan:
            errors.setdefault("indicators", []).append(
                _(
                    "Indikator %(number)s bukan dari tatanan yang dipilih; pilih tatanannya juga atau hapus indikatornya."
                )
                % {"number": indicator.number}
            )
    return indicators


def _clean_work_plan_item(body: Body, data: dict, errors: dict[str, list[str]]) -> WorkPlanItem | None:
    item = data.get("work_plan_item")
    if item is not None and not WorkPlanItem.objects.filter(pk=item.pk, work_plan__body=body).exists():
        errors.setdefault("work_plan_item", []).append(
            _("Kegiatan rencana kerja harus dari rencana kerja lembaga ini.")
        )
    return item


def _clean_partner_bodies(body: Body, data: dict, errors: dict[str, list[str]]) -> list[Body]:
    partners = list(data.get("partner_bodies") or [])
    if not partners:
        return partners
    allowed = set(activity_partner_choices(body).values_list("pk", flat=True))
    outside = [partner for partner in partners if partner.pk not in allowed]
    if outside:
        errors.setdefault("partner_bodies", []).append(
            _("Lembaga penyelenggara bersama harus lembaga lain di kabupaten/kota yang sama: %(names)s.")
            % {"names": ", ".join(str(partner) for partner in outside)}
        )
    return partners


def _clean_participant_count(data: dict, errors: dict[str, list[str]]):
    count = data.get("participant_count")
    if count is not None:
        if not isinstance(count, int) or isinstance(count, bool):
            errors.setdefault("participant_count", []).append(_("Jumlah peserta harus bilangan bulat."))
        elif count < 0:
            errors.setdefault("participant_count", []).append(_("Jumlah peserta tidak boleh negatif."))
        elif count > MAX_PARTICIPANTS:
            errors.setdefault("participant_count", []).append(
                _("Jumlah peserta paling banyak %(max)s.") % {"max": f"{MAX_PARTICIPANTS:,}".replace(",", ".")}
            )
    return count


def _clean_realised_budget(data: dict, errors: dict[str, list[str]]):
    """Whole rupiah, not negative, within the column; empty is 0. An unreadable value is returned as given."""
    budget = data.get("realised_budget")
    if budget in (None, ""):
        budget = Decimal(0)
    try:
        budget = Decimal(budget)
    except (InvalidOperation, TypeError, ValueError):
        errors.setdefault("realised_budget", []).append(_("Realisasi anggaran harus berupa angka rupiah."))
    else:
        if not budget.is_finite():
            errors.setdefault("realised_budget", []).append(_("Realisasi anggaran harus berupa angka rupiah."))
        elif budget < 0:
            errors.setdefault("realised_budget", []).append(_("Realisasi anggaran tidak boleh negatif."))
        elif budget != budget.to_integral_value():
            errors.setdefault("realised_budget", []).append(_("Realisasi anggaran dalam rupiah penuh, tanpa sen."))
        elif budget > MAX_BUDGET:
            errors.setdefault("realised_budget", []).append(_("Realisasi anggaran terlalu besar."))
    return budget


def _require_editor(actor: User, body: Body) -> None:
    if not can_edit_body(actor, body):
        raise PermissionDenied


def _save(activity: Activity, cleaned: dict) -> Activity:
    for key in ACTIVITY_FIELDS:
        if key not in MANY_FIELDS:
            setattr(activity, key, cleaned[key])
    activity.save()
    activity.tatanan.set(cleaned["tatanan"])
    activity.indicators.set(cleaned["indicators"])
    activity.partner_bodies.set(cleaned["partner_bodies"])
    return activity


# --- Writes -------------------------------------------------------------------------------------


def activity_create(*, body: Body, actor: User, today: datetime.date | None = None, **fields) -> Activity:
    """Record a kegiatan of ``body`` (see ``ACTIVITY_FIELDS``); its editors only."""
    _require_editor(actor, body)
    cleaned = _clean(body, _known(fields), today=today)
    with transaction.atomic():
        activity = _save(Activity(body=body, created_by=actor), cleaned)
        refresh_activities([activity.pk])  # the readiness rows it counts in (evidence.rollups)
        return activity


def activity_update(*, activity: Activity, actor: User, today: datetime.date | None = None, **fields) -> Activity:
    """Change a kegiatan; fields not given keep their value."""
    _require_editor(actor, activity.body)
    if activity.deleted_at is not None:
        raise ValidationError(_("Kegiatan ini sudah dihapus dan tidak dapat diubah."))
    current = {
        "title": activity.title,
        "date": activity.date,
        "place": activity.place,
        "tatanan": list(activity.tatanan.all()),
        "indicators": list(activity.indicators.all()),
        "work_plan_item": activity.work_plan_item,
        "participants": activity.participants,
        "participant_count": activity.participant_count,
        "result": activity.result,
        "realised_budget": activity.realised_budget,
        "partner_bodies": list(activity.partner_bodies.all()),
    }
    cleaned = _clean(activity.body, current | _known(fields), today=today)
    with transaction.atomic():
        before = activity_keys([activity.pk])  # a new date or new partners: the rows it leaves too
        _save(activity, cleaned)
        refresh_activities([activity.pk], before=before)
        return activity


def activity_remove(*, activity: Activity, actor: User) -> Activity:
    """Soft delete (who, when): the kegiatan no longer counts, its files stay for the record."""
    _require_editor(actor, activity.body)
    with transaction.atomic():
        updated = Activity.objects.filter(pk=activity.pk, deleted_at__isnull=True).update(
            deleted_at=timezone.now(), deleted_by=actor
        )
        if not updated:
            raise ValidationError(_("Kegiatan ini sudah dihapus."))
        refresh_activities([activity.pk])
    activity.refresh_from_db(fields=["deleted_at", "deleted_by"])
    return activity


def _known(fields: dict) -> dict:
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown activity fields: {', '.join(sorted(unknown))}")
    return dict(fields)
