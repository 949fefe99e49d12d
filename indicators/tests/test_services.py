from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from indicators.models import Assessment, IndicatorEntry, KelembagaanEntry, OdfStatus
from indicators.selectors import assessments_visible_to, entries_for_opd_operator, odf_percent
from indicators.services import assessment_open, indicator_entry_update

from .conftest import entry, option


class TestAssessmentOpen:
    def test_creates_an_entry_per_indicator_and_kelembagaan_item_once(self, assessment, small_cycle, rina, wilayah):
        assert assessment.tatanan.count() == 2
        assert assessment.indicator_entries.count() == 4
        assert assessment.kelembagaan_entries.count() == 1
        again = assessment_open(kabupaten=wilayah["serang"], cycle=small_cycle, actor=rina)
        assert again == assessment
        assert (IndicatorEntry.objects.count(), KelembagaanEntry.objects.count(), Assessment.objects.count()) == (
            4,
            1,
            1,
        )

    def test_assigns_the_first_responsible_opd_the_kabupaten_has(self, assessment):
        assert entry(assessment, "PSR", "1").assigned_opd.short_name == "Dinkes"
        assert entry(assessment, "PDD", "1").assigned_opd.short_name == "Disdik"

    def test_only_the_bappeda_admin_of_the_kabupaten(self, small_cycle, wilayah, oscar, wawan, root_user):
        with pytest.raises(Http404):
            assessment_open(kabupaten=wilayah["serang"], cycle=small_cycle, actor=oscar)
        with pytest.raises(Http404):
            assessment_open(kabupaten=wilayah["serang"], cycle=small_cycle, actor=wawan)
        assert assessment_open(kabupaten=wilayah["serang"], cycle=small_cycle, actor=root_user).pk

    def test_chosen_tatanan_for_a_cycle_without_compulsory_tatanan(self, small_cycle, wilayah, rina):
        small_cycle.tatanan_selection = "chosen"
        small_cycle.save()
        with pytest.raises(ValidationError):
            assessment_open(kabupaten=wilayah["serang"], cycle=small_cycle, actor=rina)
        pasar = small_cycle.tatanan_set.tatanan.get(code="PSR")
        assessment = assessment_open(kabupaten=wilayah["serang"], cycle=small_cycle, actor=rina, tatanan=[pasar])
        assert assessment.indicator_entries.count() == 2


class TestIndicatorEntryUpdate:
    def test_oscar_edits_entries_assigned_to_dinkes(self, assessment, oscar):
        e = entry(assessment, "PSR", "1")
        indicator_entry_update(entry=e, actor=oscar, value_year1="12", value_year2="ada SK", self_score=option(e, 75))
        e.refresh_from_db()
        assert (e.value_year1_number, e.value_year2_number, e.self_score.value) == (Decimal("12"), None, 75)
        assert e.status == "draf"
        assert e.updated_by == oscar

    def test_oscar_gets_404_on_entries_of_another_opd(self, assessment, oscar):
        with pytest.raises(Http404):
            indicator_entry_update(entry=entry(assessment, "PDD", "1"), actor=oscar, explanation="x")

    def test_province_verifier_cannot_edit_self_assessment(self, assessment, vina):
        with pytest.raises(Http404):
            indicator_entry_update(entry=entry(assessment, "PSR", "1"), actor=vina, explanation="x")

    def test_rina_edits_any_entry_and_reassigns_it(self, assessment, rina, dinkes_serang):
        e = entry(assessment, "PDD", "2")
        indicator_entry_update(entry=e, actor=rina, assigned_opd=dinkes_serang, value_year1="85,5")
        e.refresh_from_db()
        assert e.assigned_opd == dinkes_serang
        assert e.value_year1_number == Decimal("85.5")

    def test_a_score_of_another_indicator_is_refused(self, assessment, rina):
        e, other = entry(assessment, "PSR", "1"), entry(assessment, "PSR", "2")
        with pytest.raises(ValidationError) as error:
            indicator_entry_update(entry=e, actor=rina, self_score=option(other, 100))
        assert error.value.message_dict == {"self_score": ["Nilai harus salah satu opsi skala indikator ini."]}

    def test_verifier_fields_are_not_editable_here(self, assessment, rina, oscar, dinkes_serang):
        e = entry(assessment, "PSR", "1")
        with pytest.raises(ValidationError):
            indicator_entry_update(entry=e, actor=rina, provincial_score=option(e, 100))
        with pytest.raises(ValidationError):
            indicator_entry_update(entry=e, actor=oscar, assigned_opd=dinkes_serang)


class TestSelectors:
    def test_province_verifiers_see_only_their_province(self, assessment, vina, wawan, nadia, sari):
        assert list(assessments_visible_to(vina)) == [assessment]
        assert list(assessments_visible_to(nadia)) == [assessment]
        assert not assessments_visible_to(wawan).exists()

    def test_entries_for_opd_operator_are_exactly_those_of_their_opd(self, assessment, oscar, rina):
        expected = set(IndicatorEntry.objects.filter(assigned_opd__short_name="Dinkes"))
        assert set(entries_for_opd_operator(oscar)) == expected
        assert len(expected) == 2
        assert not entries_for_opd_operator(rina).exists()

    def test_odf_percent_prefers_desa_rows_within_a_kecamatan(self, assessment, wilayah):
        assert odf_percent(assessment) is None
        OdfStatus.objects.create(assessment=assessment, kecamatan=wilayah["carenang"], desa_total=10, desa_odf=5)
        OdfStatus.objects.create(assessment=assessment, kecamatan=wilayah["binuang"], desa_total=4, desa_odf=4)
        assert odf_percent(assessment) == Decimal("64.29")
        for desa, declared in (("desa_carenang", True), ("desa_pamanuk", False)):
            OdfStatus.objects.create(
                assessment=assessment, kecamatan=wilayah["carenang"], desa=wilayah[desa], declared_odf=declared
            )
        # Carenang now counts 1 of 2 from its desa rows, Binuang 4 of 4 from its count: 5 of 6.
        assert odf_percent(assessment) == Decimal("83.33")


def test_evidence_link_must_be_a_web_address(rina, assessment):
    psr = entry(assessment, "PSR", "1")
    with pytest.raises(ValidationError) as error:
        indicator_entry_update(entry=psr, actor=rina, evidence_link="javascript:alert(1)")
    assert "evidence_link" in error.value.message_dict
    psr.refresh_from_db()
    assert psr.evidence_link == ""
    indicator_entry_update(entry=psr, actor=rina, evidence_link=" https://drive.example.org/bukti ")
    psr.refresh_from_db()
    assert psr.evidence_link == "https://drive.example.org/bukti"
