"""A kabupaten's own (local) indicators in the catalogue: who may add them, how their scale is
read, and who sees them."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from tatanan.models import Indicator, Tatanan
from tatanan.selectors import indicators_visible_to
from tatanan.services import (
    local_indicator_create,
    local_indicator_delete,
    local_indicator_update,
    scale_options_parse,
)

ALLOWED = [100, 75, 50, 25, 0]


@pytest.fixture
def ksm(cycle_2025):
    return Tatanan.objects.get(tatanan_set=cycle_2025.tatanan_set, code="KSM")


@pytest.fixture
def iks(rina, wilayah, cycle_2025, ksm):
    return local_indicator_create(
        actor=rina,
        kabupaten=wilayah["serang"],
        cycle=cycle_2025,
        tatanan=ksm,
        number="L1",
        name="Indeks Keluarga Sehat",
        target="0,8",
        scale_text="100 = IKS ≥ 0,8\n50 = IKS 0,5–0,8\n0 = IKS < 0,5",
    )


class TestScaleParse:
    def test_reads_one_option_a_line_in_several_spellings(self):
        text = "100 = ada\n\n1. Nilai 50 jika sebagian\n0: tidak ada\n75 - hampir"
        assert scale_options_parse(text=text, allowed=ALLOWED) == [
            (100, "ada"),
            (50, "sebagian"),
            (0, "tidak ada"),
            (75, "hampir"),
        ]

    def test_empty_means_no_scale(self):
        assert scale_options_parse(text="  \n", allowed=ALLOWED) == []

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("30 = x", "Baris 1: nilai 30 tidak sah; pilih dari 100, 75, 50, 25, 0."),
            ("100 = a\n100 = b", "Nilai 100 tertulis dua kali."),
            ("tinggi", "Baris 1: tulis nilai lalu kriteria"),
        ],
    )
    def test_refuses_with_a_message(self, text, message):
        with pytest.raises(ValidationError) as error:
            scale_options_parse(text=text, allowed=ALLOWED)
        assert message in " ".join(error.value.message_dict["scale_text"])


class TestCreate:
    def test_it_sorts_after_the_official_indicators(self, rina, wilayah, cycle_2025, ksm):
        official = Indicator.objects.create(cycle=cycle_2025, tatanan=ksm, number="1", order=7, name="Resmi")
        local = local_indicator_create(
            actor=rina, kabupaten=wilayah["serang"], cycle=cycle_2025, tatanan=ksm, number="L1", name="Lokal"
        )
        assert local.order > official.order
        assert not local.scale_options.exists()

    def test_rina_adds_a_local_indicator_of_serang(self, iks, ksm):
        assert iks.is_local
        assert iks.owner_kabupaten_id == "36.04"
        assert iks.tatanan == ksm
        assert [(o.value, o.description) for o in iks.scale_options.all()] == [
            (100, "IKS ≥ 0,8"),
            (50, "IKS 0,5–0,8"),
            (0, "IKS < 0,5"),
        ]

    def test_the_same_number_may_not_be_used_twice(self, iks, rina, wilayah, cycle_2025, ksm):
        with pytest.raises(ValidationError, match="Nomor L1 sudah dipakai"):
            local_indicator_create(
                actor=rina, kabupaten=wilayah["serang"], cycle=cycle_2025, tatanan=ksm, number="L1", name="Lain"
            )

    def test_a_tatanan_of_another_set_is_refused(self, rina, wilayah, cycle_2025):
        other_set = Tatanan.objects.exclude(tatanan_set=cycle_2025.tatanan_set).first()
        with pytest.raises(ValidationError):
            local_indicator_create(
                actor=rina, kabupaten=wilayah["serang"], cycle=cycle_2025, tatanan=other_set, number="L1", name="X"
            )

    def test_oscar_and_wawan_get_404(self, oscar, wawan, wilayah, cycle_2025, ksm):
        kwargs = {"kabupaten": wilayah["serang"], "cycle": cycle_2025, "tatanan": ksm, "number": "L1", "name": "X"}
        with pytest.raises(Http404):
            local_indicator_create(actor=oscar, **kwargs)
        with pytest.raises(Http404):
            local_indicator_create(actor=wawan, **kwargs)
        assert not Indicator.objects.filter(is_local=True).exists()

    def test_rina_cannot_add_one_for_bogor(self, rina, wilayah, cycle_2025, ksm):
        with pytest.raises(Http404):
            local_indicator_create(
                actor=rina, kabupaten=wilayah["bogor"], cycle=cycle_2025, tatanan=ksm, number="L1", name="X"
            )


class TestVisibility:
    def test_only_users_whose_scope_covers_serang_see_it(self, iks, rina, vina, oscar, wawan, cycle_2025):
        for user in (rina, vina, oscar):
            assert iks in indicators_visible_to(user, cycle=cycle_2025)
        assert iks not in indicators_visible_to(wawan, cycle=cycle_2025)


class TestUpdateAndDelete:
    def test_rina_changes_name_and_scale(self, iks, rina):
        local_indicator_update(indicator=iks, actor=rina, name="IKS", scale_text="100 = tercapai\n0 = tidak")
        iks.refresh_from_db()
        assert iks.name == "IKS"
        assert [o.value for o in iks.scale_options.all()] == [100, 0]

    def test_official_indicators_are_not_touched(self, rina, cycle_2025, ksm):
        official = Indicator.objects.create(cycle=cycle_2025, tatanan=ksm, number="99", name="Resmi")
        with pytest.raises(Http404):
            local_indicator_update(indicator=official, actor=rina, name="Diubah")
        with pytest.raises(Http404):
            local_indicator_delete(indicator=official, actor=rina)

    def test_unknown_fields_are_refused(self, iks, rina):
        with pytest.raises(ValidationError, match="tidak dapat diubah"):
            local_indicator_update(indicator=iks, actor=rina, is_local=False)

    def test_delete(self, iks, rina, oscar):
        with pytest.raises(Http404):
            local_indicator_delete(indicator=iks, actor=oscar)
        local_indicator_delete(indicator=iks, actor=rina)
        assert not Indicator.objects.filter(pk=iks.pk).exists()
