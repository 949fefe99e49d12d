"""Every model of the portal's apps has a test factory (``<app>/tests/factories.py``) that makes a
valid row, and the factories that chain keep their rows consistent (same kabupaten, same tatanan
set, same assessment …). A new model without a factory fails ``test_every_model_has_a_factory``."""

from __future__ import annotations

import hashlib
import importlib
import inspect

import factory
import pytest
from django.apps import apps

from dossiers.models import Dossier, DossierEvent
from evidence.models import Blob
from forums.models import Body, Decree
from indicators.models import IndicatorEntry
from regions.models import Region
from tatanan.models import Tatanan

APPS = ["regions", "accounts", "tatanan", "indicators", "forums", "evidence", "dossiers"]


def _models():
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            if not model._meta.auto_created:
                yield model


def _factories() -> dict[type, type]:
    """model → its factory: the one named ``<Model>Factory`` in the model's app's factories."""
    found = {}
    for label in APPS:
        module = importlib.import_module(f"{label}.tests.factories")
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, factory.django.DjangoModelFactory)
                and not value._meta.abstract
                and value._meta.model is not None
                and name == f"{value._meta.model.__name__}Factory"
            ):
                found[value._meta.model] = value
    return found


FACTORIES = _factories()
MODELS = list(_models())


def test_every_model_has_a_factory():
    missing = [f"{m._meta.app_label}.{m.__name__}" for m in MODELS if m not in FACTORIES]
    assert not missing, f"models without a factory in <app>/tests/factories.py: {', '.join(missing)}"


@pytest.mark.parametrize("model", MODELS, ids=lambda m: f"{m._meta.app_label}.{m.__name__}")
def test_the_factory_makes_a_valid_row(db, model):
    if model not in FACTORIES:
        pytest.fail(f"{model._meta.label} has no factory")
    instance = FACTORIES[model]()
    instance.full_clean()
    assert model._default_manager.filter(pk=instance.pk).exists()


def test_each_factory_makes_a_second_valid_row(db):
    """Sequences and get-or-create keep a second default row from clashing with the first."""
    for model, model_factory in FACTORIES.items():
        first, second = model_factory(), model_factory()
        second.full_clean()
        assert model._default_manager.filter(pk__in=[first.pk, second.pk]).exists()


# --- Chains ---------------------------------------------------------------------------------


def test_regions_are_real_and_nested(db):
    from regions.tests.factories import DesaFactory, real_name

    desa = DesaFactory()
    kecamatan, kabupaten = desa.parent, desa.parent.parent
    province = kabupaten.parent
    assert [r.level for r in (province, kabupaten, kecamatan, desa)] == [1, 2, 3, 4]
    assert desa.code.startswith(kecamatan.code + ".")
    assert kecamatan.code.startswith(kabupaten.code + ".")
    assert all(real_name(r.code) == r.name for r in (province, kabupaten, kecamatan, desa))


def test_an_opd_and_a_role_are_of_a_kabupaten(db):
    from accounts.tests.factories import OpdFactory, RoleAssignmentFactory

    assert OpdFactory().kabupaten.level == Region.Level.KABKOTA
    assert RoleAssignmentFactory().region.level == Region.Level.KABKOTA


def test_shipped_catalogue_rows_are_reused(db):
    from tatanan.tests.factories import CycleFactory, TatananFactory, TatananSetFactory, TierRuleFactory

    cycle = CycleFactory()
    assert (cycle.award_year, cycle.tatanan_set.code) == (2025, "2023")
    assert TatananSetFactory().pk == cycle.tatanan_set_id
    assert TatananFactory().tatanan_set_id == cycle.tatanan_set_id
    assert Tatanan.objects.filter(tatanan_set=cycle.tatanan_set).count() == 9
    assert TierRuleFactory().pk == cycle.tier_rules.get(tier="padapa").pk


def test_an_indicator_is_on_a_tatanan_of_its_cycles_set_with_the_cycles_scale(db):
    from tatanan.tests.factories import CycleFactory, IndicatorFactory

    new_set_cycle = CycleFactory(award_year=2031, tatanan_set__code="UJI")
    for cycle in (CycleFactory(), new_set_cycle):
        indicator = IndicatorFactory(cycle=cycle)
        assert indicator.tatanan.tatanan_set_id == cycle.tatanan_set_id
        assert list(indicator.scale_options.values_list("value", flat=True)) == cycle.scale_values
    local = IndicatorFactory(local=True)
    local.full_clean()
    assert local.is_local
    assert local.owner_kabupaten.level == Region.Level.KABKOTA


def test_an_assessment_is_opened_like_the_service_does(db):
    from indicators.tests.factories import AssessmentFactory, IndicatorEntryFactory
    from tatanan.tests.factories import IndicatorFactory, KelembagaanItemFactory

    indicator = IndicatorFactory()
    item = KelembagaanItemFactory()
    assessment = AssessmentFactory(cycle=indicator.cycle)
    assert set(assessment.tatanan.all()) == set(Tatanan.objects.filter(tatanan_set=indicator.cycle.tatanan_set))
    assert assessment.indicator_entries.filter(indicator=indicator).exists()
    assert assessment.kelembagaan_entries.filter(item=item).exists()
    # Filling the entry the assessment has does not make a second one.
    entry = IndicatorEntryFactory(assessment=assessment, indicator=indicator, filled=True)
    assert IndicatorEntry.objects.filter(assessment=assessment, indicator=indicator).count() == 1
    assert entry.self_score.indicator_id == indicator.pk
    assert entry.self_score.value == 75


def test_an_entry_answers_an_indicator_of_its_assessment(db):
    from indicators.tests.factories import IndicatorEntryFactory, KelembagaanEntryFactory

    entry = IndicatorEntryFactory(filled=True)
    entry.full_clean()
    assert entry.indicator.cycle_id == entry.assessment.cycle_id
    assert entry.assessment.tatanan.filter(pk=entry.indicator.tatanan_id).exists()
    kelembagaan = KelembagaanEntryFactory()
    assert kelembagaan.item.cycle_id == kelembagaan.assessment.cycle_id


def test_odf_titik_pantau_and_data_requests_stay_in_the_kabupaten(db):
    from indicators.tests.factories import (
        AssessmentFactory,
        DataRequestFactory,
        InnovationFactory,
        OdfStatusFactory,
        TitikPantauFactory,
    )

    assessment = AssessmentFactory()
    kabupaten = assessment.kabupaten
    odf = OdfStatusFactory(assessment=assessment)
    assert odf.kecamatan.parent_id == kabupaten.pk
    assert odf.desa.parent_id == odf.kecamatan_id
    counted = OdfStatusFactory(assessment=assessment, counted=True)
    counted.full_clean()
    assert counted.desa is None
    assert counted.desa_odf <= counted.desa_total
    titik = TitikPantauFactory(assessment=assessment)
    assert titik.desa.parent.parent_id == kabupaten.pk
    assert titik.tatanan.code == "PSR"
    assert assessment.tatanan.filter(pk=titik.tatanan_id).exists()
    assert DataRequestFactory(assessment=assessment).opd.kabupaten_id == kabupaten.pk
    innovation = InnovationFactory(assessment=assessment)
    assert assessment.tatanan.filter(pk=innovation.tatanan_id).exists()
    assert innovation.year in assessment.cycle.data_years


def test_bodies_sit_at_their_level_and_visits_stay_inside(db):
    from forums.tests.factories import (
        BodyFactory,
        PembinaanVisitFactory,
        WorkPlanItemFactory,
    )

    for kind, level in Body.LEVEL_OF_KIND.items():
        body = BodyFactory(kind=kind)
        body.full_clean()
        assert body.region.level == level
    visit = PembinaanVisitFactory()
    assert visit.visiting_body.is_tim_pembina
    assert visit.visiting_body.region.contains(visit.target_region)
    pokja = BodyFactory(kind=Body.Kind.POKJA_DESA)
    assert WorkPlanItemFactory(work_plan__body=pokja).funding_source == "apbdes_dana_desa"


def test_a_new_current_decree_makes_the_old_one_history(db):
    from forums.tests.factories import DecreeFactory

    old = DecreeFactory()
    new = DecreeFactory(body=old.body, scanned=True)
    old.refresh_from_db()
    assert not old.is_current
    assert new.is_current
    assert new.signer == f"Camat {old.body.region.name}"
    assert new.file.read().startswith(b"%PDF")
    assert list(Decree.objects.filter(body=old.body, is_current=True)) == [new]


@pytest.mark.parametrize("owner", ["activity", "on_body", "on_requirement", "on_titik_pantau", "on_visit"])
def test_an_evidence_file_is_scoped_to_its_owners_region_and_kabupaten(db, owner):
    from evidence.selectors import Owner
    from evidence.tests.factories import EvidenceFileFactory

    evidence = EvidenceFileFactory(**({} if owner == "activity" else {owner: True}))
    evidence.full_clean()
    expected = Owner(
        activity=evidence.activity,
        body=evidence.body,
        requirement=evidence.requirement,
        assessment=evidence.assessment,
        data_year=evidence.data_year,
        titik_pantau=evidence.titik_pantau,
        pembinaan_visit=evidence.pembinaan_visit,
    )
    assert evidence.region == expected.region
    assert evidence.blob.kabupaten.code == expected.kabupaten_code
    with evidence.blob.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == evidence.blob.sha256
    if owner == "on_requirement":
        assert evidence.requirement.indicator.cycle_id == evidence.assessment.cycle_id
        assert evidence.assessment.indicator_entries.filter(indicator=evidence.requirement.indicator).exists()
        assert evidence.data_year in evidence.assessment.cycle.data_years


def test_the_same_bytes_are_one_blob_per_kabupaten(db):
    from evidence.tests.factories import BlobFactory
    from forums.tests.factories import pdf_bytes

    data = pdf_bytes("SK Forum")
    first = BlobFactory(data=data)
    assert BlobFactory(data=data, kabupaten=first.kabupaten).pk == first.pk
    assert BlobFactory(photo=True).is_image
    assert Blob.objects.filter(sha256=first.sha256).count() == 1


def test_a_version_is_a_finished_compile_of_its_dossier(db):
    from dossiers.tests.factories import DossierVersionFactory, canonical

    version = DossierVersionFactory()
    render = version.dossier.assessment.chapter_renders.get(pk=version.chapter_renders["profil"])
    assert [c["sha256"] for c in version.manifest["chapters"]] == [render.sha256]
    assert version.manifest_sha256 == hashlib.sha256(canonical(version.manifest)).hexdigest()
    with version.pdf.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == version.sha256
    second = DossierVersionFactory(dossier=version.dossier, queued=True)
    second.full_clean()
    assert second.number == version.number + 1
    assert second.is_active


def test_events_move_their_dossier(db):
    from dossiers.tests.factories import DossierEventFactory

    submit = DossierEventFactory()
    dossier = Dossier.objects.get(pk=submit.dossier_id)
    assert submit.version.dossier_id == dossier.pk
    assert submit.version.submitted
    assert (dossier.status, dossier.submitted_version_id) == (Dossier.Status.SUBMITTED, submit.version_id)
    review = DossierEventFactory(dossier=dossier, action=DossierEvent.Action.OPEN_REVIEW)
    assert (review.from_status, review.to_status) == (Dossier.Status.SUBMITTED, Dossier.Status.PROVINCE_REVIEW)
    assert review.version_id == submit.version_id


def test_comments_berita_acara_and_notifications_stay_with_their_dossier(db):
    from dossiers.tests.factories import BeritaAcaraFactory, DossierCommentFactory, DossierNotificationFactory

    comment = DossierCommentFactory()
    assert comment.entry.assessment_id == comment.dossier.assessment_id
    record = BeritaAcaraFactory()
    assert record.event.dossier_id == record.dossier_id
    assert record.event.action == DossierEvent.Action.APPROVE
    assert record.version_id == record.event.version_id == record.dossier.submitted_version_id
    assert Dossier.objects.get(pk=record.dossier_id).status == Dossier.Status.PROVINCE_APPROVED
    assert record.number == f"BA-{record.dossier.assessment.kabupaten_id}/2025/01"
    notification = DossierNotificationFactory()
    assert notification.event.dossier_id == notification.dossier_id
