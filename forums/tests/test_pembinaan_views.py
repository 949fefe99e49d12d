import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from forums.models import Body, PembinaanVisit
from forums.workplans.services import pembinaan_visit_create, pembinaan_visits_create

pytestmark = [pytest.mark.django_db]


def visit_data(region, **extra):
    return {
        "target_region": region.code,
        "date": "2025-03-12",
        "place": "Balai desa",
        "participants": "Camat, Kepala Desa, kader",
        "findings": "Jamban belum merata",
        "follow_ups": "Arisan jamban",
        **extra,
    }


def test_rina_records_a_visit_to_kecamatan_carenang(client_for, rina, wilayah):
    client = client_for(rina)
    assert client.get(reverse("forums:pembinaan_add")).status_code == 200
    response = client.post(
        reverse("forums:pembinaan_add"), visit_data(wilayah["carenang"], team_region=wilayah["serang"].code)
    )
    assert response.status_code == 302
    visit = PembinaanVisit.objects.get()
    assert visit.visiting_body.kind == Body.Kind.TIM_PEMBINA_KABKOTA
    assert visit.visiting_body.region == wilayah["serang"]
    assert visit.created_by == rina
    assert "Jamban belum merata" in client.get(reverse("forums:pembinaan_list")).content.decode()


def test_rina_records_the_kecamatan_teams_visit_to_an_rt(client_for, rina, wilayah):
    """Issue 13: Bappeda records the Tim Pembina Kecamatan's visits too, down to an RT/RW."""
    client = client_for(rina)
    page = client.get(reverse("forums:pembinaan_add")).content.decode()
    assert "Tim Pembina Kecamatan Carenang" in page
    response = client.post(
        reverse("forums:pembinaan_add"),
        visit_data(wilayah["desa_carenang"], team_region=wilayah["carenang"].code, rt_rw="RT 03/RW 02"),
    )
    assert response.status_code == 302
    visit = PembinaanVisit.objects.get()
    assert (visit.visiting_body.kind, visit.visiting_body.region) == (
        Body.Kind.TIM_PEMBINA_KECAMATAN,
        wilayah["carenang"],
    )
    assert (visit.target_region, visit.rt_rw) == (wilayah["desa_carenang"], "RT 03/RW 02")
    # A kecamatan team visits desa of its own kecamatan only.
    response = client.post(
        reverse("forums:pembinaan_add"), visit_data(wilayah["desa_binuang"], team_region=wilayah["carenang"].code)
    )
    assert response.status_code == 200
    assert "Wilayah sasaran harus desa di kecamatan ini." in response.content.decode()  # Carenang has desa only


def test_rina_records_one_sosialisasi_for_two_kecamatan_at_once(client_for, rina, wilayah):
    client = client_for(rina)
    response = client.post(
        reverse("forums:pembinaan_add"),
        visit_data(wilayah["carenang"], team_region=wilayah["serang"].code, more_targets=[wilayah["binuang"].code]),
    )
    assert response.status_code == 302
    visits = PembinaanVisit.objects.all()
    assert {v.target_region for v in visits} == {wilayah["carenang"], wilayah["binuang"]}
    assert {v.findings for v in visits} == {"Jamban belum merata"}
    page = client.get(response["Location"]).content.decode()
    assert "Kunjungan pembinaan disimpan untuk 2 wilayah" in page


def test_visits_to_many_targets_are_all_or_none(rina, wilayah):
    with pytest.raises(ValidationError):
        pembinaan_visits_create(
            team_region=wilayah["carenang"],
            actor=rina,
            date=datetime.date(2025, 3, 12),
            target_region=wilayah["desa_carenang"],
            more_targets=[wilayah["desa_binuang"]],  # not in Carenang
        )
    assert not PembinaanVisit.objects.exists()


def test_sari_records_a_visit_to_desa_carenang(client_for, sari, wilayah, tim_pembina_carenang):
    client = client_for(sari)
    response = client.post(
        reverse("forums:pembinaan_add"),
        visit_data(wilayah["desa_carenang"], team_region=wilayah["carenang"].code, rt_rw="RT 03/RW 02"),
    )
    assert response.status_code == 302
    visit = PembinaanVisit.objects.get()
    assert visit.visiting_body == tim_pembina_carenang
    assert visit.rt_rw == "RT 03/RW 02"
    response = client.post(
        reverse("forums:pembinaan_edit", args=[visit.pk]),
        visit_data(wilayah["desa_carenang"], team_region=wilayah["carenang"].code, findings="Sudah membaik"),
    )
    assert response.status_code == 302
    assert PembinaanVisit.objects.get().findings == "Sudah membaik"


def test_sari_cannot_visit_outside_carenang(client_for, sari, wilayah):
    response = client_for(sari).post(
        reverse("forums:pembinaan_add"), visit_data(wilayah["desa_binuang"], team_region=wilayah["carenang"].code)
    )
    assert response.status_code == 200
    assert not PembinaanVisit.objects.exists()
    with pytest.raises(ValidationError):
        pembinaan_visit_create(
            team_region=wilayah["carenang"], actor=sari, target_region=wilayah["binuang"], date="2025-01-01"
        )
    with pytest.raises(PermissionDenied):
        pembinaan_visit_create(
            team_region=wilayah["serang"], actor=sari, target_region=wilayah["carenang"], date="2025-01-01"
        )


def test_tono_cannot_see_or_edit_carenang(client_for, sari, tono, vina, wilayah):
    visit = pembinaan_visit_create(
        team_region=wilayah["carenang"],
        actor=sari,
        target_region=wilayah["desa_carenang"],
        date="2025-03-12",
        findings="Rahasia Carenang",
    )
    client = client_for(tono)
    assert "Rahasia Carenang" not in client.get(reverse("forums:pembinaan_list")).content.decode()
    assert client.get(reverse("forums:pembinaan_edit", args=[visit.pk])).status_code == 404
    response = client.post(
        reverse("forums:pembinaan_edit", args=[visit.pk]),
        visit_data(wilayah["desa_carenang"], team_region=wilayah["carenang"].code, findings="x"),
    )
    assert response.status_code == 404
    assert PembinaanVisit.objects.get().findings == "Rahasia Carenang"
    # A provincial verifier reads it but does not edit it.
    client = client_for(vina)
    assert "Rahasia Carenang" in client.get(reverse("forums:pembinaan_list")).content.decode()
    assert client.get(reverse("forums:pembinaan_edit", args=[visit.pk])).status_code == 404
    assert client.get(reverse("forums:pembinaan_add")).status_code == 404


def test_dewi_reads_visits_to_her_desa_but_records_none(client_for, sari, dewi, wilayah):
    pembinaan_visit_create(
        team_region=wilayah["carenang"], actor=sari, target_region=wilayah["desa_carenang"], date="2025-03-12"
    )
    client = client_for(dewi)
    page = client.get(reverse("forums:pembinaan_list")).content.decode()
    assert "data-visit=" in page
    assert 'id="add-visit"' not in page
