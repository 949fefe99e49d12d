import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from forums.models import Body, WorkPlan
from forums.tests.factories import BodyFactory
from forums.workplans.selectors import rupiah, work_plan_totals, work_plans_awaiting
from forums.workplans.services import (
    work_plan_approve,
    work_plan_create,
    work_plan_item_add,
    work_plan_item_delete,
    work_plan_item_update,
    work_plan_return,
    work_plan_submit,
)
from tatanan.models import Tatanan

pytestmark = pytest.mark.django_db


@pytest.fixture
def ksm(db):
    return Tatanan.objects.get(tatanan_set__code="2023", code="KSM")


def add_item(plan, actor, tatanan, **extra):
    fields = {"activity": "Kerja bakti", "budget": 1500000, "funding_source": "apbdes_dana_desa", **extra}
    return work_plan_item_add(work_plan=plan, actor=actor, tatanan=tatanan, **fields)


@pytest.fixture
def pokja_plan(dewi, pokja_carenang, ksm):
    return work_plan_create(body=pokja_carenang, year=2025, actor=dewi)


def test_dewi_drafts_and_submits_sari_approves(dewi, sari, pokja_plan, ksm):
    add_item(pokja_plan, dewi, ksm)
    work_plan_submit(work_plan=pokja_plan, actor=dewi)
    pokja_plan.refresh_from_db()
    assert pokja_plan.status == WorkPlan.Status.SUBMITTED
    assert pokja_plan.submitted_by == dewi
    assert pokja_plan.submitted_at
    assert list(work_plans_awaiting(sari)) == [pokja_plan]
    assert not work_plans_awaiting(dewi).exists()
    work_plan_approve(work_plan=pokja_plan, actor=sari)
    pokja_plan.refresh_from_db()
    assert pokja_plan.status == WorkPlan.Status.APPROVED
    assert pokja_plan.decided_by == sari
    assert pokja_plan.decided_at


def test_tono_cannot_decide_carenang(dewi, tono, pokja_plan, ksm):
    add_item(pokja_plan, dewi, ksm)
    work_plan_submit(work_plan=pokja_plan, actor=dewi)
    assert not work_plans_awaiting(tono).exists()
    with pytest.raises(PermissionDenied):
        work_plan_approve(work_plan=pokja_plan, actor=tono)
    with pytest.raises(PermissionDenied):
        add_item(pokja_plan, tono, ksm)


def test_rina_approves_forum_kecamatan_plan_sari_does_not(rina, sari, forum_carenang, ksm):
    plan = work_plan_create(body=forum_carenang, year=2025, actor=sari)
    add_item(plan, sari, ksm, funding_source="apbd")
    work_plan_submit(work_plan=plan, actor=sari)
    with pytest.raises(PermissionDenied):
        work_plan_approve(work_plan=plan, actor=sari)
    assert plan in work_plans_awaiting(rina)
    work_plan_approve(work_plan=plan, actor=rina)
    assert WorkPlan.objects.get(pk=plan.pk).decided_by == rina


def test_return_requires_reason_then_resubmit(dewi, sari, pokja_plan, ksm):
    add_item(pokja_plan, dewi, ksm)
    work_plan_submit(work_plan=pokja_plan, actor=dewi)
    with pytest.raises(ValidationError, match="alasan"):
        work_plan_return(work_plan=pokja_plan, actor=sari, reason="  ")
    assert WorkPlan.objects.get(pk=pokja_plan.pk).status == WorkPlan.Status.SUBMITTED
    work_plan_return(work_plan=pokja_plan, actor=sari, reason="Anggaran belum rinci")
    pokja_plan.refresh_from_db()
    assert pokja_plan.status == WorkPlan.Status.RETURNED
    assert pokja_plan.return_reason == "Anggaran belum rinci"
    add_item(pokja_plan, dewi, ksm, activity="Penyuluhan")
    work_plan_submit(work_plan=pokja_plan, actor=dewi)
    assert WorkPlan.objects.get(pk=pokja_plan.pk).status == WorkPlan.Status.SUBMITTED


def test_approved_plan_is_read_only(dewi, sari, pokja_plan, ksm):
    item = add_item(pokja_plan, dewi, ksm)
    work_plan_submit(work_plan=pokja_plan, actor=dewi)
    work_plan_approve(work_plan=pokja_plan, actor=sari)
    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        add_item(pokja_plan, dewi, ksm)
    with pytest.raises(ValidationError):
        work_plan_item_update(item=item, actor=dewi, budget=1)
    with pytest.raises(ValidationError):
        work_plan_item_delete(item=item, actor=dewi)
    with pytest.raises(ValidationError):
        work_plan_submit(work_plan=pokja_plan, actor=dewi)


def test_submit_without_items_refused(dewi, pokja_plan):
    with pytest.raises(ValidationError, match="sedikitnya satu kegiatan"):
        work_plan_submit(work_plan=pokja_plan, actor=dewi)
    assert WorkPlan.objects.get(pk=pokja_plan.pk).status == WorkPlan.Status.DRAFT


def test_double_approval_refused(dewi, sari, rina, pokja_plan, ksm):
    add_item(pokja_plan, dewi, ksm)
    work_plan_submit(work_plan=pokja_plan, actor=dewi)
    stale = WorkPlan.objects.get(pk=pokja_plan.pk)  # a second approver's copy, still "submitted"
    work_plan_approve(work_plan=pokja_plan, actor=sari)
    assert stale.status == WorkPlan.Status.SUBMITTED
    with pytest.raises(ValidationError, match="Disetujui"):
        work_plan_approve(work_plan=stale, actor=rina)
    assert WorkPlan.objects.get(pk=pokja_plan.pk).decided_by == sari


def test_one_plan_per_year_and_negative_budget(dewi, pokja_plan, ksm):
    with pytest.raises(ValidationError, match="sudah ada"):
        work_plan_create(body=pokja_plan.body, year=2025, actor=dewi)
    with pytest.raises(ValidationError):
        add_item(pokja_plan, dewi, ksm, budget=-1)


def test_tatanan_must_be_of_2023_set(dewi, pokja_plan):
    old = Tatanan.objects.filter(tatanan_set__code="2005").first()
    with pytest.raises(ValidationError, match="2023"):
        add_item(pokja_plan, dewi, old)


def test_totals_per_funding_source(dewi, pokja_plan, ksm):
    add_item(pokja_plan, dewi, ksm, budget=1500000, funding_source="apbdes_dana_desa")
    add_item(pokja_plan, dewi, ksm, budget=500000, funding_source="apbdes_dana_desa")
    add_item(pokja_plan, dewi, ksm, budget=250000, funding_source="swadaya")
    totals = work_plan_totals(pokja_plan)
    assert [(row["label"], row["display"]) for row in totals["per_source"]] == [
        ("APBDes/Dana Desa", "Rp 2.000.000"),
        ("Swadaya", "Rp 250.000"),
    ]
    assert totals["total_display"] == "Rp 2.250.000"
    assert rupiah(1500000) == "Rp 1.500.000"


def test_tim_pembina_kabupaten_plan_decided_by_bappeda(rina, wilayah, ksm):
    body = BodyFactory(kind=Body.Kind.TIM_PEMBINA_KABKOTA, region=wilayah["serang"])
    plan = work_plan_create(body=body, year=2025, actor=rina)
    add_item(plan, rina, ksm)
    work_plan_submit(work_plan=plan, actor=rina)
    work_plan_approve(work_plan=plan, actor=rina)
    assert WorkPlan.objects.get(pk=plan.pk).status == WorkPlan.Status.APPROVED


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_one_wins(shipped_catalogue, dewi, sari, rina, pokja_plan, ksm):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    add_item(pokja_plan, dewi, ksm)
    work_plan_submit(work_plan=pokja_plan, actor=dewi)
    results = []
    barrier = threading.Barrier(2)

    def approve(actor):
        from django.db import connections

        try:
            barrier.wait()
            work_plan_approve(work_plan=WorkPlan.objects.get(pk=pokja_plan.pk), actor=actor)
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(user,)) for user in (sari, rina)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "refused"]
