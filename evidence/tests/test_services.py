"""Recording, changing and removing activities (``evidence.services``)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evidence.models import Activity
from evidence.services import activity_create, activity_indicator_choices, activity_remove, activity_update
from forums.models import Body, WorkPlan, WorkPlanItem
from tatanan.models import Cycle, Indicator, Tatanan

TODAY = datetime.date(2025, 6, 30)


@pytest.fixture
def pokja(wilayah):
    return Body.objects.create(kind=Body.Kind.POKJA_DESA, region=wilayah["desa_carenang"])


@pytest.fixture
def pokja_binuang(wilayah):
    return Body.objects.create(kind=Body.Kind.POKJA_DESA, region=wilayah["desa_binuang"])


@pytest.fixture
def ksm():
    return Tatanan.objects.get(tatanan_set__code="2023", code="KSM")


@pytest.fixture
def other_tatanan(ksm):
    return Tatanan.objects.filter(tatanan_set__code="2023").exclude(pk=ksm.pk).order_by("number").first()


@pytest.fixture
def indicators(ksm, other_tatanan, wilayah):
    """One national indicator in each of two tatanan of the newest cycle, one local to Serang and
    one local to Bogor."""
    cycle = Cycle.objects.get(award_year=2025)
    make = Indicator.objects.create
    return {
        "ksm": make(cycle=cycle, tatanan=ksm, number="1", name="Indikator KSM"),
        "other": make(cycle=cycle, tatanan=other_tatanan, number="1", name="Indikator lain"),
        "serang": make(
            cycle=cycle, tatanan=ksm, number="L1", name="Lokal Serang", is_local=True, owner_kabupaten=wilayah["serang"]
        ),
        "bogor": make(
            cycle=cycle, tatanan=ksm, number="L2", name="Lokal Bogor", is_local=True, owner_kabupaten=wilayah["bogor"]
        ),
    }


def _item(body, tatanan, year=2025):
    plan, _ = WorkPlan.objects.get_or_create(body=body, year=year)
    return WorkPlanItem.objects.create(work_plan=plan, tatanan=tatanan, activity="Kerja bakti", budget=500_000)


def _fields(**overrides):
    return {"title": "Rapat koordinasi Pokja", "date": datetime.date(2025, 3, 12), "place": "Balai desa"} | overrides


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


def test_secretary_records_an_activity_of_her_pokja(dewi, pokja, ksm, indicators):
    item = _item(pokja, ksm)
    activity = activity_create(
        body=pokja,
        actor=dewi,
        today=TODAY,
        **_fields(
            tatanan=[ksm],
            indicators=[indicators["ksm"], indicators["serang"]],
            work_plan_item=item,
            participants="Kader, RT, PKK",
            participant_count=25,
            result="Jadwal kerja bakti disepakati",
            realised_budget=Decimal("350000"),
        ),
    )
    activity.refresh_from_db()
    assert activity.body == pokja
    assert activity.created_by == dewi
    assert activity.title == "Rapat koordinasi Pokja"
    assert set(activity.tatanan.all()) == {ksm}
    assert set(activity.indicators.all()) == {indicators["ksm"], indicators["serang"]}
    assert activity.work_plan_item == item
    assert activity.participant_count == 25
    assert activity.realised_budget == 350000


def test_title_is_tidied_and_the_budget_defaults_to_zero(dewi, pokja):
    activity = activity_create(body=pokja, actor=dewi, today=TODAY, **_fields(title="  Rapat   pleno  "))
    assert activity.title == "Rapat pleno"
    assert activity.realised_budget == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "   "}, "title", "Judul kegiatan wajib diisi."),
        ({"date": None}, "date", "Tanggal kegiatan wajib diisi."),
        ({"date": datetime.date(2025, 7, 1)}, "date", "tidak boleh setelah hari ini"),
        ({"date": datetime.date(2009, 12, 31)}, "date", "tidak masuk akal"),
        ({"realised_budget": Decimal("-1")}, "realised_budget", "tidak boleh negatif"),
        ({"realised_budget": Decimal("10.50")}, "realised_budget", "tanpa sen"),
        ({"realised_budget": "banyak"}, "realised_budget", "angka rupiah"),
        ({"participant_count": -3}, "participant_count", "tidak boleh negatif"),
        ({"title": "x" * 301}, "title", "300 karakter"),
    ],
)
def test_bad_values_are_refused_with_indonesian_messages(dewi, pokja, overrides, field, message):
    with pytest.raises(ValidationError) as excinfo:
        activity_create(body=pokja, actor=dewi, today=TODAY, **_fields(**overrides))
    assert any(message in text for text in _errors(excinfo)[field])
    assert not Activity.objects.exists()


def test_every_bad_field_is_named_at_once(dewi, pokja):
    with pytest.raises(ValidationError) as excinfo:
        activity_create(body=pokja, actor=dewi, today=TODAY, title="", date=None, realised_budget=-5)
    assert set(_errors(excinfo)) == {"title", "date", "realised_budget"}


def test_today_is_a_valid_date(dewi, pokja):
    assert activity_create(body=pokja, actor=dewi, today=TODAY, **_fields(date=TODAY)).date == TODAY


def test_the_work_plan_item_must_be_of_the_bodys_own_plans(dewi, pokja, pokja_binuang, ksm):
    foreign = _item(pokja_binuang, ksm)
    with pytest.raises(ValidationError) as excinfo:
        activity_create(body=pokja, actor=dewi, today=TODAY, **_fields(work_plan_item=foreign))
    assert _errors(excinfo)["work_plan_item"] == ["Kegiatan rencana kerja harus dari rencana kerja lembaga ini."]


def test_indicators_must_belong_to_the_chosen_tatanan(dewi, pokja, ksm, indicators):
    with pytest.raises(ValidationError) as excinfo:
        activity_create(body=pokja, actor=dewi, today=TODAY, **_fields(tatanan=[ksm], indicators=[indicators["other"]]))
    assert "bukan dari tatanan yang dipilih" in _errors(excinfo)["indicators"][0]


def test_without_a_tatanan_any_indicator_of_the_catalogue_goes(dewi, pokja, indicators):
    activity = activity_create(
        body=pokja, actor=dewi, today=TODAY, **_fields(indicators=[indicators["ksm"], indicators["other"]])
    )
    assert activity.indicators.count() == 2


def test_another_kabupatens_local_indicator_is_refused(dewi, pokja, indicators):
    assert indicators["bogor"] not in activity_indicator_choices(pokja)
    assert indicators["serang"] in activity_indicator_choices(pokja)
    with pytest.raises(ValidationError) as excinfo:
        activity_create(body=pokja, actor=dewi, today=TODAY, **_fields(indicators=[indicators["bogor"]]))
    assert "tidak termasuk katalog" in _errors(excinfo)["indicators"][0]


def test_a_tatanan_outside_the_list_is_refused(dewi, pokja):
    old = Tatanan.objects.exclude(tatanan_set__code="2023").first()
    with pytest.raises(ValidationError) as excinfo:
        activity_create(body=pokja, actor=dewi, today=TODAY, **_fields(tatanan=[old]))
    assert "tatanan" in _errors(excinfo)


def test_only_the_bodys_editors_record_activities(pokja, sari, tono, vina, rina, root_user):
    # sari (Forum Kecamatan Carenang) reads the desa's Pokja but does not edit it.
    for outsider in (sari, tono, vina):
        with pytest.raises(PermissionDenied):
            activity_create(body=pokja, actor=outsider, today=TODAY, **_fields())
    assert not Activity.objects.exists()
    assert activity_create(body=pokja, actor=rina, today=TODAY, **_fields()).created_by == rina
    assert activity_create(body=pokja, actor=root_user, today=TODAY, **_fields()).created_by == root_user


def test_update_keeps_what_is_not_given(dewi, pokja, ksm):
    activity = activity_create(body=pokja, actor=dewi, today=TODAY, **_fields(tatanan=[ksm], participant_count=10))
    activity_update(activity=activity, actor=dewi, today=TODAY, result="Sepakat", realised_budget=125000)
    activity.refresh_from_db()
    assert activity.result == "Sepakat"
    assert activity.realised_budget == 125000
    assert activity.participant_count == 10
    assert list(activity.tatanan.all()) == [ksm]


def test_update_validates_like_create(dewi, pokja):
    activity = activity_create(body=pokja, actor=dewi, today=TODAY, **_fields())
    with pytest.raises(ValidationError):
        activity_update(activity=activity, actor=dewi, today=TODAY, date=datetime.date(2030, 1, 1))
    activity.refresh_from_db()
    assert activity.date == datetime.date(2025, 3, 12)


def test_update_by_someone_else_is_refused(dewi, tono, pokja):
    activity = activity_create(body=pokja, actor=dewi, today=TODAY, **_fields())
    with pytest.raises(PermissionDenied):
        activity_update(activity=activity, actor=tono, today=TODAY, title="Diubah")


def test_unknown_fields_are_a_programming_error(dewi, pokja):
    with pytest.raises(TypeError):
        activity_create(body=pokja, actor=dewi, today=TODAY, **_fields(colour="red"))


def test_remove_is_soft_with_who_and_when(dewi, pokja):
    activity = activity_create(body=pokja, actor=dewi, today=TODAY, **_fields())
    activity_remove(activity=activity, actor=dewi)
    activity.refresh_from_db()
    assert activity.deleted_at is not None
    assert activity.deleted_by == dewi
    with pytest.raises(ValidationError, match="sudah dihapus"):
        activity_remove(activity=activity, actor=dewi)
    with pytest.raises(ValidationError, match="sudah dihapus"):
        activity_update(activity=activity, actor=dewi, today=TODAY, title="Lagi")


def test_remove_by_a_reader_is_refused(dewi, sari, pokja):
    activity = activity_create(body=pokja, actor=dewi, today=TODAY, **_fields())
    with pytest.raises(PermissionDenied):
        activity_remove(activity=activity, actor=sari)
    activity.refresh_from_db()
    assert activity.deleted_at is None
