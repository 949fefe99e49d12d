"""Writes on work plans (rencana kerja) and pembinaan visits.

Every function is keyword-only and checks the actor's rights itself (``PermissionDenied``), so
views and a later API cannot forget it. State changes lock the plan row (``select_for_update``)
and check the status inside the transaction: two approvers pressing at once get one approval
and one clear error. Rule violations raise ``ValidationError`` with an Indonesian message.
"""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from kks_portal.lib.scoped_fields import OUT_OF_SCOPE
from regions.models import Region
from regions.words import kabkota_word, village_word

from ..models import Body, PembinaanVisit, WorkPlan, WorkPlanItem
from ..selectors import can_edit_body
from .selectors import (
    EDITABLE_STATUSES,
    can_decide_work_plan,
    can_edit_pembinaan_visit,
    pembinaan_target_regions,
    pembinaan_team_regions_of,
    tatanan_for_work_plans,
    work_plan_indicator_choices,
)

logger = logging.getLogger(__name__)

ITEM_FIELDS = (
    "tatanan",
    "indicator",
    "activity",
    "target",
    "schedule",
    "budget",
    "funding_source",
    "person_in_charge",
    "order",
)
VISIT_FIELDS = ("target_region", "rt_rw", "date", "place", "participants", "findings", "follow_ups")


def _locked(plan: WorkPlan) -> WorkPlan:
    """The plan's row, locked until the transaction ends, with its current status."""
    return WorkPlan.objects.select_for_update().select_related("body", "body__region").get(pk=plan.pk)


def _refresh(plan: WorkPlan, locked: WorkPlan) -> None:
    for field in ("status", "return_reason", "submitted_at", "submitted_by", "decided_at", "decided_by"):
        setattr(plan, field, getattr(locked, field))


def _require_editable(plan: WorkPlan) -> None:
    if plan.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _("Rencana kerja berstatus “%(status)s” tidak dapat diubah; hanya draf atau yang dikembalikan.")
            % {"status": plan.get_status_display()}
        )


def _require_edit_rights(actor: User, plan: WorkPlan) -> None:
    if not can_edit_body(actor, plan.body):
        raise PermissionDenied


# --- Work plans ---------------------------------------------------------------------------------


def work_plan_create(*, body: Body, year: int, actor: User) -> WorkPlan:
    """A new draft plan of ``body`` for ``year``; one plan per body and year."""
    if not can_edit_body(actor, body):
        raise PermissionDenied
    plan = WorkPlan(body=body, year=year)
    plan.full_clean(exclude=["body"], validate_unique=False, validate_constraints=False)
    if WorkPlan.objects.filter(body=body, year=year).exists():
        raise ValidationError({"year": _("Rencana kerja tahun %(year)s sudah ada.") % {"year": year}})
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as exc:
        raise ValidationError({"year": _("Rencana kerja tahun %(year)s sudah ada.") % {"year": year}}) from exc
    return plan


def _clean_item(item: WorkPlanItem) -> None:
    if item.tatanan_id and not tatanan_for_work_plans().filter(pk=item.tatanan_id).exists():
        raise ValidationError({"tatanan": _("Pilih tatanan dari daftar tatanan 2023 dan seterusnya.")})
    if (
        item.indicator_id
        and not work_plan_indicator_choices(work_plan=item.work_plan).filter(pk=item.indicator_id).exists()
    ):
        raise ValidationError({"indicator": OUT_OF_SCOPE})
    if item.indicator_id and item.indicator.tatanan_id != item.tatanan_id:
        raise ValidationError({"indicator": _("Indikator harus milik tatanan yang dipilih.")})
    if item.budget is not None and item.budget < 0:
        raise ValidationError({"budget": _("Anggaran tidak boleh negatif.")})
    item.full_clean(exclude=["work_plan"])


def work_plan_item_add(*, work_plan: WorkPlan, actor: User, **fields) -> WorkPlanItem:
    _require_edit_rights(actor, work_plan)
    with transaction.atomic():
        locked = _locked(work_plan)
        _require_editable(locked)
        item = WorkPlanItem(work_plan=locked, **{k: v for k, v in fields.items() if k in ITEM_FIELDS})
        _clean_item(item)
        item.save()
    return item


def work_plan_item_update(*, item: WorkPlanItem, actor: User, **fields) -> WorkPlanItem:
    _require_edit_rights(actor, item.work_plan)
    with transaction.atomic():
        locked = _locked(item.work_plan)
        _require_editable(locked)
        for key, value in fields.items():
            if key in ITEM_FIELDS:
                setattr(item, key, value)
        _clean_item(item)
        item.save()
    return item


def work_plan_item_delete(*, item: WorkPlanItem, actor: User) -> None:
    _require_edit_rights(actor, item.work_plan)
    with transaction.atomic():
        locked = _locked(item.work_plan)
        _require_editable(locked)
        item.delete()


def work_plan_submit(*, work_plan: WorkPlan, actor: User) -> WorkPlan:
    """Draft or returned → submitted, to the level above. Needs at least one activity."""
    _require_edit_rights(actor, work_plan)
    with transaction.atomic():
        locked = _locked(work_plan)
        if locked.status not in EDITABLE_STATUSES:
            raise ValidationError(
                _("Rencana kerja berstatus “%(status)s” tidak dapat diajukan.")
                % {"status": locked.get_status_display()}
            )
        if not locked.items.exists():
            raise ValidationError(_("Tambahkan sedikitnya satu kegiatan sebelum mengajukan rencana kerja."))
        locked.status = WorkPlan.Status.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_by = actor
        locked.decided_at = None
        locked.decided_by = None
        locked.save(update_fields=["status", "submitted_at", "submitted_by", "decided_at", "decided_by"])
    _refresh(work_plan, locked)
    logger.info("work_plan_submit %s by %s", work_plan.pk, actor.pk)
    return work_plan


def _decide(*, work_plan: WorkPlan, actor: User, status: str, reason: str = "") -> WorkPlan:
    if not can_decide_work_plan(actor, work_plan):
        raise PermissionDenied
    with transaction.atomic():
        locked = _locked(work_plan)
        if locked.status != WorkPlan.Status.SUBMITTED:
            raise ValidationError(
                _("Rencana kerja ini sudah berstatus “%(status)s”; hanya rencana yang diajukan dapat diputuskan.")
                % {"status": locked.get_status_display()}
            )
        locked.status = status
        locked.return_reason = reason
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.save(update_fields=["status", "return_reason", "decided_at", "decided_by"])
    _refresh(work_plan, locked)
    logger.info("work_plan %s %s by %s", work_plan.pk, status, actor.pk)
    return work_plan


def work_plan_approve(*, work_plan: WorkPlan, actor: User) -> WorkPlan:
    """Submitted → approved; an approved plan is read-only."""
    return _decide(work_plan=work_plan, actor=actor, status=WorkPlan.Status.APPROVED)


def work_plan_return(*, work_plan: WorkPlan, actor: User, reason: str) -> WorkPlan:
    """Submitted → returned, with the reason the body reads before it edits and submits again."""
    if not can_decide_work_plan(actor, work_plan):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tuliskan alasan rencana kerja dikembalikan.")})
    return _decide(work_plan=work_plan, actor=actor, status=WorkPlan.Status.RETURNED, reason=reason)


# --- Pembinaan ----------------------------------------------------------------------------------

TEAM_KIND_FOR_LEVEL = {
    Region.Level.KABKOTA: Body.Kind.TIM_PEMBINA_KABKOTA,
    Region.Level.KECAMATAN: Body.Kind.TIM_PEMBINA_KECAMATAN,
}


def pembinaan_team(region: Region) -> Body:
    """The Tim Pembina of a kabupaten/kota or kecamatan (formed now if bulk setup has not run)."""
    body, _created = Body.objects.get_or_create(kind=TEAM_KIND_FOR_LEVEL[region.level], region=region)
    return body


def _clean_visit(visit: PembinaanVisit, team_region: Region) -> None:
    if visit.target_region_id and not pembinaan_target_regions(team_region).filter(pk=visit.target_region_id).exists():
        # In the team region's own words, "kelurahan di kota ini" (regions/words.py).
        words = {"village": village_word(team_region), "kabkota": kabkota_word(team_region)}
        if team_region.level == Region.Level.KABKOTA:
            message = _("Wilayah sasaran harus kecamatan atau %(village)s di %(kabkota)s ini.") % words
        else:
            message = _("Wilayah sasaran harus %(village)s di kecamatan ini.") % words
        raise ValidationError({"target_region": message})
    visit.full_clean()


def pembinaan_visit_create(*, team_region: Region, actor: User, date: datetime.date, **fields) -> PembinaanVisit:
    """Record a visit of the Tim Pembina of ``team_region`` (a kabupaten for Bappeda, a kecamatan
    for its secretary)."""
    if team_region.pk not in {r.pk for r in pembinaan_team_regions_of(actor)}:
        raise PermissionDenied
    with transaction.atomic():
        visit = PembinaanVisit(
            visiting_body=pembinaan_team(team_region),
            date=date,
            created_by=actor,
            **{k: v for k, v in fields.items() if k in VISIT_FIELDS},
        )
        _clean_visit(visit, team_region)
        visit.save()
    return visit


def pembinaan_visits_create(
    *, team_region: Region, actor: User, date: datetime.date, more_targets=(), **fields
) -> list[PembinaanVisit]:
    """One visit, and the same visit to each of ``more_targets`` (a sosialisasi for several
    kecamatan at once): one row per target, so each region's pembinaan is counted; all or none."""
    with transaction.atomic():
        visits = [pembinaan_visit_create(team_region=team_region, actor=actor, date=date, **fields)]
        for target in more_targets:
            if target.pk == visits[0].target_region_id:
                continue
            visits.append(
                pembinaan_visit_create(
                    team_region=team_region, actor=actor, date=date, **{**fields, "target_region": target}
                )
            )
    return visits


def pembinaan_visit_update(*, visit: PembinaanVisit, actor: User, **fields) -> PembinaanVisit:
    if not can_edit_pembinaan_visit(actor, visit):
        raise PermissionDenied
    for key, value in fields.items():
        if key in VISIT_FIELDS:
            setattr(visit, key, value)
    _clean_visit(visit, visit.visiting_body.region)
    visit.save()
    return visit
