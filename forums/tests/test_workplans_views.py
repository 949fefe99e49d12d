import pytest
from django.urls import reverse

from forums.models import WorkPlan, WorkPlanItem
from tatanan.models import Tatanan

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def ksm(db):
    return Tatanan.objects.get(tatanan_set__code="2023", code="KSM")


def item_data(tatanan, **extra):
    return {
        "tatanan": tatanan.pk,
        "activity": "Kerja bakti bersih desa",
        "target": "5 RT",
        "schedule": "Maret–Mei",
        "budget": "1500000",
        "funding_source": "apbdes_dana_desa",
        "person_in_charge": "Pak RT",
        **extra,
    }


def test_dewi_drafts_submits_sari_approves_tono_404(client_for, dewi, sari, tono, pokja_carenang, ksm):
    client = client_for(dewi)
    response = client.post(reverse("forums:work_plan_list", args=[pokja_carenang.pk]), {"year": 2025})
    plan = WorkPlan.objects.get(body=pokja_carenang, year=2025)
    assert response.url == reverse("forums:work_plan_detail", args=[plan.pk])
    response = client.post(reverse("forums:work_plan_item_add", args=[plan.pk]), item_data(ksm))
    assert response.status_code == 302
    page = client.get(reverse("forums:work_plan_detail", args=[plan.pk])).content.decode()
    assert "Rp 1.500.000" in page
    assert "APBDes/Dana Desa" in page
    client.post(reverse("forums:work_plan_submit", args=[plan.pk]))
    assert WorkPlan.objects.get(pk=plan.pk).status == WorkPlan.Status.SUBMITTED

    client = client_for(tono)
    assert client.get(reverse("forums:work_plan_detail", args=[plan.pk])).status_code == 404
    assert client.post(reverse("forums:work_plan_approve", args=[plan.pk])).status_code == 404
    assert client.get(reverse("forums:work_plan_list", args=[pokja_carenang.pk])).status_code == 404

    client = client_for(sari)
    queue = client.get(reverse("forums:work_plan_queue")).content.decode()
    assert "Rencana kerja menunggu persetujuan" in queue
    assert pokja_carenang.name in queue
    assert 'id="approve-plan"' in client.get(reverse("forums:work_plan_detail", args=[plan.pk])).content.decode()
    client.post(reverse("forums:work_plan_approve", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == WorkPlan.Status.APPROVED
    assert plan.decided_by == sari


def test_rina_approves_forum_kecamatan_plan(client_for, rina, sari, forum_carenang, ksm):
    plan = WorkPlan.objects.create(body=forum_carenang, year=2025, status=WorkPlan.Status.SUBMITTED)
    WorkPlanItem.objects.create(work_plan=plan, tatanan=ksm, activity="Rapat")
    assert client_for(sari).post(reverse("forums:work_plan_approve", args=[plan.pk])).status_code == 404
    client = client_for(rina)
    assert plan.body.name in client.get(reverse("forums:work_plan_queue")).content.decode()
    client.post(reverse("forums:work_plan_approve", args=[plan.pk]))
    assert WorkPlan.objects.get(pk=plan.pk).status == WorkPlan.Status.APPROVED


def test_return_requires_reason(client_for, sari, dewi, vina, pokja_carenang, ksm):
    plan = WorkPlan.objects.create(body=pokja_carenang, year=2025, status=WorkPlan.Status.SUBMITTED)
    WorkPlanItem.objects.create(work_plan=plan, tatanan=ksm, activity="Rapat")
    # A reader who does not decide finds no such action, with or without a reason.
    assert client_for(vina).post(reverse("forums:work_plan_return", args=[plan.pk]), {"reason": ""}).status_code == 404
    client = client_for(sari)
    response = client.post(reverse("forums:work_plan_return", args=[plan.pk]), {"reason": ""})
    assert response.status_code == 400
    assert WorkPlan.objects.get(pk=plan.pk).status == WorkPlan.Status.SUBMITTED
    client.post(reverse("forums:work_plan_return", args=[plan.pk]), {"reason": "Target belum terukur"})
    assert WorkPlan.objects.get(pk=plan.pk).status == WorkPlan.Status.RETURNED
    page = client_for(dewi).get(reverse("forums:work_plan_detail", args=[plan.pk])).content.decode()
    assert "Target belum terukur" in page
    assert 'id="submit-plan"' in page


def test_approved_plan_cannot_be_edited(client_for, dewi, pokja_carenang, ksm):
    plan = WorkPlan.objects.create(body=pokja_carenang, year=2025, status=WorkPlan.Status.APPROVED)
    item = WorkPlanItem.objects.create(work_plan=plan, tatanan=ksm, activity="Rapat", budget=10)
    client = client_for(dewi)
    page = client.get(reverse("forums:work_plan_detail", args=[plan.pk])).content.decode()
    assert 'id="add-item"' not in page
    client.post(reverse("forums:work_plan_item_edit", args=[plan.pk, item.pk]), item_data(ksm, budget="99"))
    client.post(reverse("forums:work_plan_item_delete", args=[plan.pk, item.pk]))
    client.post(reverse("forums:work_plan_item_add", args=[plan.pk]), item_data(ksm))
    assert list(plan.items.values_list("budget", flat=True)) == [10]


def test_submit_without_items_refused(client_for, dewi, pokja_carenang):
    plan = WorkPlan.objects.create(body=pokja_carenang, year=2025)
    response = client_for(dewi).post(reverse("forums:work_plan_submit", args=[plan.pk]), follow=True)
    assert "sedikitnya satu kegiatan" in response.content.decode()
    assert WorkPlan.objects.get(pk=plan.pk).status == WorkPlan.Status.DRAFT


def test_negative_budget_refused_by_form(client_for, dewi, pokja_carenang, ksm):
    plan = WorkPlan.objects.create(body=pokja_carenang, year=2025)
    response = client_for(dewi).post(reverse("forums:work_plan_item_add", args=[plan.pk]), item_data(ksm, budget="-5"))
    assert response.status_code == 200
    assert not plan.items.exists()
