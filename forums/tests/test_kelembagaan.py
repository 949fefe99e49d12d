"""Kelembagaan status of bodies, the kabupaten roll-up, filling the assessment, Bappeda's table."""

import datetime
from pathlib import Path

import pytest

from forums.kelembagaan.services import body_status, kabupaten_rollup, kelembagaan_fill_assessment, pick_option
from forums.models import Body, Secretariat, WorkPlan, WorkPlanItem
from forums.tests.factories import BodyFactory, DecreeFactory
from indicators.scoring import assessment_score
from indicators.services import assessment_open
from tatanan.importer import instrument_import
from tatanan.models import Cycle, KelembagaanItem, ScaleOption, Tatanan

WORKBOOK = Path(__file__).resolve().parents[2] / "tatanan" / "data" / "instrumen-kks-2025.xlsx"
YEARS = [2023, 2024]
TODAY = datetime.date(2025, 3, 1)


def plan(body, year, budget=0, status=WorkPlan.Status.APPROVED):
    work_plan = WorkPlan.objects.create(body=body, year=year, status=status)
    if budget:
        WorkPlanItem.objects.create(
            work_plan=work_plan, tatanan=Tatanan.objects.first(), activity="Sosialisasi", budget=budget
        )
    return work_plan


def equip(body, *, years=YEARS, budget=1_000_000):
    """Give ``body`` all four items."""
    DecreeFactory(body=body)
    Secretariat.objects.create(body=body, address="Jl. Raya Carenang 1")
    for year in years:
        plan(body, year, budget)
    return body


def test_a_body_without_anything_lacks_all_four_items(forum_carenang):
    status = body_status(forum_carenang, years=YEARS, today=TODAY)
    assert status.missing == ["sk", "rencana_kerja", "anggaran", "sekretariat"]
    assert not status.complete


def test_the_sk_counts_only_when_current_and_not_expired(forum_carenang):
    decree = DecreeFactory(body=forum_carenang, valid_until=datetime.date(2024, 12, 31))
    assert not body_status(forum_carenang, years=YEARS, today=TODAY).has_sk
    decree.valid_until = None
    decree.save()
    assert body_status(forum_carenang, years=YEARS, today=TODAY).has_sk
    decree.is_current = False
    decree.save()
    assert not body_status(forum_carenang, years=YEARS, today=TODAY).has_sk


def test_work_plan_and_budget_need_both_data_years_approved(forum_carenang):
    plan(forum_carenang, 2023, budget=500_000)
    plan(forum_carenang, 2024, budget=0, status=WorkPlan.Status.SUBMITTED)
    status = body_status(forum_carenang, years=YEARS, today=TODAY)
    assert not status.has_rencana_kerja
    assert status.share("rencana_kerja") == 0.5
    assert not status.has_anggaran
    WorkPlan.objects.filter(body=forum_carenang, year=2024).update(status=WorkPlan.Status.APPROVED)
    status = body_status(forum_carenang, years=YEARS, today=TODAY)
    assert status.has_rencana_kerja
    assert not status.has_anggaran
    WorkPlanItem.objects.create(
        work_plan=WorkPlan.objects.get(body=forum_carenang, year=2024),
        tatanan=Tatanan.objects.first(),
        activity="Rapat",
        budget=250_000,
    )
    assert body_status(forum_carenang, years=YEARS, today=TODAY).has_anggaran


def test_the_secretariat_needs_an_address(forum_carenang):
    secretariat = Secretariat.objects.create(body=forum_carenang, address="")
    assert not body_status(forum_carenang, years=YEARS, today=TODAY).has_secretariat
    secretariat.address = "Kantor Kecamatan Carenang"
    secretariat.save()
    assert body_status(forum_carenang, years=YEARS, today=TODAY).has_secretariat


def test_rollup_counts_a_small_kecamatan(wilayah, forum_carenang, pokja_carenang, django_assert_max_num_queries):
    equip(forum_carenang)
    DecreeFactory(body=pokja_carenang)
    BodyFactory(kind=Body.Kind.POKJA_DESA, region=wilayah["desa_pamanuk"])
    with django_assert_max_num_queries(8):
        rollup = kabupaten_rollup(wilayah["serang"], years=YEARS, today=TODAY)
    carenang = next(r for r in rollup.kecamatan if r.region.code == "36.04.17")
    assert carenang.forum.complete
    assert carenang.tim_pembina is None
    assert carenang.desa_count == 2
    assert [(label, str(count)) for _item, label, count in carenang.pokja_counts] == [
        ("SK", "1/2"),
        ("RK", "0/2"),
        ("Anggaran", "0/2"),
        ("Sekretariat", "0/2"),
    ]
    assert carenang.lacking
    assert str(rollup.count(Body.Kind.POKJA_DESA, "sk")) == "1/3"
    assert str(rollup.count(Body.Kind.FORUM_KECAMATAN, "sk")) == "1/2"
    assert rollup.forum is None
    assert rollup.tim_pembina is None


def test_pick_option_top_zero_and_middle():
    options = [ScaleOption(value=v, description=str(v), order=i) for i, v in enumerate([100, 50, 0])]
    assert pick_option(options, 1).value == 100
    assert pick_option(options, 0).value == 0
    assert pick_option(options, 0.3).value == 50
    assert pick_option(options[::2], 0.9).value == 0


@pytest.fixture
def assessment_2025(db, rina, wilayah):
    cycle = Cycle.objects.get(award_year=2025)
    assert instrument_import(cycle=cycle, file=WORKBOOK).imported
    return assessment_open(kabupaten=wilayah["serang"], cycle=cycle, actor=rina)


def _score(assessment, component, item):
    entry = assessment.kelembagaan_entries.select_related("self_score").get(item__component=component, item__item=item)
    return (entry.self_score.value if entry.self_score else None), entry.note


def test_fill_assessment_from_the_bodies(rina, wilayah, assessment_2025, forum_carenang, pokja_carenang):
    years = assessment_2025.cycle.data_years
    assert assessment_2025.kelembagaan_entries.count() == 16
    DecreeFactory(body=pokja_carenang)
    equip(BodyFactory(kind=Body.Kind.TIM_PEMBINA_KABKOTA, region=wilayah["serang"]), years=years[:1])
    assert kelembagaan_fill_assessment(assessment=assessment_2025, actor=rina, today=TODAY) == 16
    C, It = KelembagaanItem.Component, KelembagaanItem.Item
    assert _score(assessment_2025, C.POKJA_DESA, It.SK) == (0, "SK berlaku: 1 dari 3 Pokja.")
    assert _score(assessment_2025, C.TIM_PEMBINA, It.SK)[0] == 100
    value, note = _score(assessment_2025, C.TIM_PEMBINA, It.RENCANA_KERJA)
    assert value == 50
    assert "1 dari 2 tahun" in note
    assert _score(assessment_2025, C.FORUM_KABKOTA, It.SK)[0] == 0
    assert not assessment_score(assessment=assessment_2025).kelembagaan_met
    # Idempotent: nothing new, nothing changes.
    assert kelembagaan_fill_assessment(assessment=assessment_2025, actor=rina, today=TODAY) == 0

    # Everything in place: every item at its top option, the gate opens.
    WorkPlan.objects.all().delete()
    Secretariat.objects.all().delete()
    from forums.models import Decree

    Decree.objects.all().delete()
    for body in [
        Body.objects.get(kind=Body.Kind.TIM_PEMBINA_KABKOTA),
        BodyFactory(kind=Body.Kind.FORUM_KABKOTA, region=wilayah["serang"]),
        forum_carenang,
        BodyFactory(kind=Body.Kind.FORUM_KECAMATAN, region=wilayah["binuang"]),
        pokja_carenang,
        BodyFactory(kind=Body.Kind.POKJA_DESA, region=wilayah["desa_pamanuk"]),
        BodyFactory(kind=Body.Kind.POKJA_DESA, region=wilayah["desa_binuang"]),
    ]:
        equip(body, years=years)
    kelembagaan_fill_assessment(assessment=assessment_2025, actor=rina, today=TODAY)
    assert _score(assessment_2025, C.POKJA_DESA, It.SK) == (100, "SK berlaku: 3 dari 3 Pokja.")
    assert assessment_score(assessment=assessment_2025).kelembagaan_met


def test_the_scores_count_only_the_usulan(rina, wilayah, assessment_2025, forum_carenang, pokja_carenang):
    """Issue 13: the 2025 scales score "SK sesuai usulan". Carenang's forum and Pokja have an SK,
    Binuang's have none: over every kecamatan the SK items fall short; over an usulan of Carenang
    and its desa Carenang alone they are full."""
    from indicators.fieldwork.services import assessment_usulan_update

    DecreeFactory(body=forum_carenang)
    DecreeFactory(body=pokja_carenang)
    BodyFactory(kind=Body.Kind.FORUM_KECAMATAN, region=wilayah["binuang"])
    C, It = KelembagaanItem.Component, KelembagaanItem.Item
    kelembagaan_fill_assessment(assessment=assessment_2025, actor=rina, today=TODAY)
    assert _score(assessment_2025, C.FORUM_KECAMATAN, It.SK)[1] == "SK berlaku: 1 dari 2 Forum Kecamatan."
    assert _score(assessment_2025, C.POKJA_DESA, It.SK) == (0, "SK berlaku: 1 dari 3 Pokja.")

    assessment_usulan_update(
        assessment=assessment_2025,
        actor=rina,
        category="padapa",
        kecamatan=[wilayah["carenang"]],
        desa=[wilayah["desa_carenang"]],
    )
    kelembagaan_fill_assessment(assessment=assessment_2025, actor=rina, today=TODAY)
    assert _score(assessment_2025, C.FORUM_KECAMATAN, It.SK) == (100, "SK berlaku: 1 dari 1 Forum Kecamatan usulan.")
    assert _score(assessment_2025, C.POKJA_DESA, It.SK) == (100, "SK berlaku: 1 dari 1 Pokja usulan.")

    # Proposing the kecamatan without naming desa counts every desa in it (Carenang has two).
    assessment_usulan_update(assessment=assessment_2025, actor=rina, category="", kecamatan=[wilayah["carenang"]])
    kelembagaan_fill_assessment(assessment=assessment_2025, actor=rina, today=TODAY)
    assert _score(assessment_2025, C.POKJA_DESA, It.SK)[1] == "SK berlaku: 1 dari 2 Pokja usulan."


def test_only_bappeda_fills(sari, vina, assessment_2025):
    from django.http import Http404

    # sari does not read Serang, vina does: both find nothing to fill (accounts.access).
    for actor in (sari, vina):
        with pytest.raises(Http404):
            kelembagaan_fill_assessment(assessment=assessment_2025, actor=actor)


def test_table_is_bappedas_and_the_verifiers(client_for, rina, vina, sari, tono, wawan, forum_carenang):
    url = "/forum/kelembagaan/36.04/"
    page = client_for(rina).get(url)
    assert page.status_code == 200
    assert "Carenang" in page.content.decode()
    assert "Binuang" in page.content.decode()
    assert client_for(vina).get(url).status_code == 200
    for user in (sari, tono, wawan):
        assert client_for(user).get(url).status_code == 404
    assert client_for(rina).get("/forum/kelembagaan/").url == url


def test_table_filter_hanya_yang_kurang(client_for, rina, wilayah, forum_carenang):
    serang = wilayah["serang"]
    for region in (wilayah["carenang"],):
        equip(BodyFactory(kind=Body.Kind.TIM_PEMBINA_KECAMATAN, region=region), years=_years())
    equip(forum_carenang, years=_years())
    for desa in ("desa_carenang", "desa_pamanuk"):
        equip(BodyFactory(kind=Body.Kind.POKJA_DESA, region=wilayah[desa]), years=_years())
    page = client_for(rina).get(f"/forum/kelembagaan/{serang.code}/?kurang=1")
    rows = [r.region.name for r in page.context["rows"]]
    assert rows == ["Binuang"]


def _years():
    from forums.kelembagaan.services import current_cycle, data_years_of

    return data_years_of(current_cycle())


def test_rina_fills_from_the_table(client_for, rina, vina, assessment_2025):
    url = "/forum/kelembagaan/36.04/isi-penilaian/"
    assert client_for(vina).post(url).status_code == 404
    page = client_for(rina).get("/forum/kelembagaan/36.04/")
    assert page.context["can_fill"]
    assert client_for(rina).post(url).status_code == 302
    assert not assessment_2025.kelembagaan_entries.filter(self_score__isnull=True).exists()


def test_the_rollup_costs_the_same_few_queries_for_many_desa(wilayah, django_assert_max_num_queries):
    from regions.models import Region

    carenang = wilayah["carenang"]
    for n in range(40):
        desa = Region.objects.create(
            code=f"36.04.17.{3000 + n}", parent=carenang, name=f"Desa {n}", level=Region.Level.DESA, kind="desa"
        )
        DecreeFactory(body=BodyFactory(kind=Body.Kind.POKJA_DESA, region=desa))
    with django_assert_max_num_queries(8):
        rollup = kabupaten_rollup(wilayah["serang"], years=YEARS, today=TODAY)
    assert str(rollup.count(Body.Kind.POKJA_DESA, "sk")) == "40/43"


def test_the_verifier_sees_no_fill_button(client_for, vina, assessment_2025):
    page = client_for(vina).get("/forum/kelembagaan/36.04/")
    assert page.status_code == 200
    assert not page.context["can_fill"]
    assert "kelembagaan-fill" not in page.content.decode()
