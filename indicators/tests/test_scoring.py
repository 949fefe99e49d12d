from decimal import Decimal

import pytest

from indicators.models import KelembagaanEntry
from indicators.scoring import (
    Figures,
    IndicatorScore,
    KelembagaanShort,
    assessment_score,
    kelembagaan_gate,
    kelembagaan_short,
    tatanan_percent,
    tier_evaluate,
    unmet_conditions,
    what_if,
)
from tatanan.models import TierRule

from .conftest import option, set_kelembagaan, set_odf, set_scores

D = Decimal


def rules(aggregation="minimum"):
    return [
        TierRule(
            tier="padapa", rank=1, odf_min_percent=D(80), score_min=D(71), score_max=D(80), aggregation=aggregation
        ),
        TierRule(
            tier="wiwerda", rank=2, odf_min_percent=D(90), score_min=D(81), score_max=D(90), aggregation=aggregation
        ),
        TierRule(tier="wistara", rank=3, odf_min_percent=D(100), score_min=D(91), aggregation=aggregation),
    ]


def tier_of(tatanan, odf, kelembagaan=True, aggregation="minimum"):
    figures = Figures(tatanan=[D(t) for t in tatanan], odf=D(odf), kelembagaan_met=kelembagaan, tatanan_count=2)
    reached, outcomes = tier_evaluate(rules(aggregation), figures)
    return (reached.tier if reached else None), outcomes


def score(indicator_id, value, tatanan="A", weight=1):
    return IndicatorScore(indicator_id, tatanan, f"i{indicator_id}", D(weight), value, (0, 25, 50, 75, 100))


class TestPercentages:
    def test_weighted_tatanan_percent_counts_unscored_as_zero(self):
        assert tatanan_percent([score(1, 100, weight=2), score(2, 50)]) == D("83.33")
        assert tatanan_percent([score(1, 100), score(2, None)]) == D("50.00")
        assert tatanan_percent([score(1, None), score(2, None)]) == D("0.00")

    def test_kelembagaan_gate_needs_every_item_at_its_top_value(self):
        assert kelembagaan_gate([(100, 100), (75, 75)]) == (True, 0)
        assert kelembagaan_gate([(100, 100), (50, 75), (None, 100)]) == (False, 2)


class TestTiers:
    @pytest.mark.parametrize(
        ("tatanan", "odf", "expected"),
        [
            ([71, 80], 80, "padapa"),
            (["70.99", 95], 100, None),
            ([80, 80], "79.99", None),
            ([81, 90], 90, "wiwerda"),
            ([81, 90], "89.99", "padapa"),
            ([91, 100], 100, "wistara"),
            ([91, 100], "99.99", "wiwerda"),
            (["90.99", 100], 100, "wiwerda"),
        ],
    )
    def test_padapa_wiwerda_wistara_boundaries(self, tatanan, odf, expected):
        assert tier_of(tatanan, odf)[0] == expected

    def test_minimum_versus_average(self):
        assert tier_of([70, 92], 100, aggregation="minimum")[0] is None
        assert tier_of([70, 92], 100, aggregation="average")[0] == "wiwerda"

    def test_kelembagaan_gate_blocks_every_tier_that_requires_it(self):
        tier, outcomes = tier_of([95, 95], 100, kelembagaan=False)
        assert tier is None
        assert all("Syarat kelembagaan belum terpenuhi." in o.failures for o in outcomes)
        relaxed = rules()
        relaxed[0].requires_kelembagaan = False
        figures = Figures(tatanan=[D(95)], odf=D(100), kelembagaan_met=False, tatanan_count=1)
        assert tier_evaluate(relaxed, figures)[0].tier == "padapa"

    def test_failed_conditions_are_listed_in_indonesian(self):
        tier, outcomes = tier_of([85, 75], 85)
        assert tier == "padapa"
        wistara, wiwerda, padapa = outcomes
        assert padapa.reached
        assert not padapa.failures
        assert wiwerda.failures == [
            "Capaian terendah per tatanan 75 %, kurang dari minimum 81 %.",
            "Desa/kelurahan ODF 85 %, kurang dari minimum 90 %.",
        ]
        assert not wistara.reached

    def test_extra_requirements_are_never_assumed(self):
        paripurna = TierRule(
            tier="wistara_paripurna", rank=4, odf_min_percent=D(100), score_min=D(91), extra_requirements="IP-SPM"
        )
        figures = Figures(tatanan=[D(100)], odf=D(100), kelembagaan_met=True, tatanan_count=1)
        reached, outcomes = tier_evaluate([*rules(), paripurna], figures)
        assert reached.tier == "wistara"
        assert "IP-SPM" in outcomes[0].failures[0]

    def test_count_rules_of_older_rounds(self):
        rule = TierRule(tier="padapa", rank=1, method="count", min_tatanan_count=3, requires_kelembagaan=False)
        two = Figures(tatanan=[], odf=None, kelembagaan_met=False, tatanan_count=2)
        three = Figures(tatanan=[], odf=None, kelembagaan_met=False, tatanan_count=3)
        assert tier_evaluate([rule], two)[0] is None
        assert tier_evaluate([rule], three)[0] == rule


class TestWhatIf:
    def test_raises_the_binding_tatanan_until_the_minimum_is_reached(self):
        scores = [score(1, 100, "A"), score(2, 100, "A"), score(3, 50, "B"), score(4, 75, "B")]
        figures = Figures(tatanan=[D(100), D("62.5")], odf=D(100), kelembagaan_met=True, tatanan_count=2)
        result = what_if(scores, rule=rules()[0], figures=figures)
        # B at 62.5 %: one step 50 → 75 gives 75 %, enough for Padapa's 71 %.
        assert [(i.indicator_id, i.from_value, i.to_value) for i in result.improvements] == [(3, 50, 75)]
        assert result.reaches_score

    def test_reports_when_the_score_cannot_be_reached(self):
        scores = [IndicatorScore(1, "A", "a", D(1), 50, (0, 50))]
        figures = Figures(tatanan=[D(50)], odf=D(100), kelembagaan_met=True, tatanan_count=1)
        assert not what_if(scores, rule=rules()[0], figures=figures).reaches_score


class TestAssessmentScore:
    def test_percentages_odf_gate_and_tier_of_a_stored_assessment(self, assessment, wilayah):
        set_scores(assessment, {"PSR1": 100, "PSR2": 75, "PDD1": 75, "PDD2": 75})
        set_kelembagaan(assessment, 100)
        set_odf(assessment, wilayah, total=10, odf=9)
        result = assessment_score(assessment=assessment)
        assert [(t.code, t.percent) for t in result.tatanan] == [("PSR", D("87.50")), ("PDD", D("75.00"))]
        assert (result.overall, result.minimum, result.odf) == (D("81.25"), D("75.00"), D("90.00"))
        assert result.kelembagaan_met
        assert result.tier == "padapa"
        assert result.what_if.target_tier == "wiwerda"

    def test_what_if_improvements_reach_the_next_tier(self, assessment, wilayah):
        set_scores(assessment, {"PSR1": 50, "PSR2": 50, "PDD1": 75, "PDD2": 100})
        set_kelembagaan(assessment, 100)
        set_odf(assessment, wilayah, total=10, odf=10)
        before = assessment_score(assessment=assessment)
        assert before.tier is None
        improvements = before.what_if.improvements
        assert before.what_if.target_tier == "padapa"
        assert improvements
        for improvement in improvements:
            e = assessment.indicator_entries.get(indicator_id=improvement.indicator_id)
            e.self_score = option(e, improvement.to_value)
            e.save()
        assert assessment_score(assessment=assessment).tier == "padapa"

    def test_unscored_kelembagaan_closes_the_gate(self, assessment, wilayah):
        set_scores(assessment, {"PSR1": 100, "PSR2": 100, "PDD1": 100, "PDD2": 100})
        set_odf(assessment, wilayah, total=10, odf=10)
        result = assessment_score(assessment=assessment)
        assert not result.kelembagaan_met
        assert result.tier is None
        set_kelembagaan(assessment, 100)
        assert assessment_score(assessment=assessment).tier == "wistara"

    def test_layers_score_independently(self, assessment, wilayah):
        set_scores(assessment, {"PSR1": 100, "PSR2": 100, "PDD1": 100, "PDD2": 100})
        set_scores(assessment, {"PSR1": 50}, layer="provincial_score")
        assert assessment_score(assessment=assessment, layer="provincial").tatanan[0].percent == D("25.00")
        assert assessment_score(assessment=assessment, layer="national").overall == D("0.00")


class TestBothDataYears:
    def test_every_tier_needs_data_for_both_years(self):
        figures = Figures(
            tatanan=[D(100)],
            odf=D(100),
            kelembagaan_met=True,
            tatanan_count=1,
            missing_year1=0,
            missing_year2=3,
            data_years=(2028, 2029),
        )
        reached, outcomes = tier_evaluate(rules(), figures)
        assert reached is None
        message = "Belum melapor untuk kedua tahun data: 3 isian indikator tanpa data tahun 2029."
        assert all(o.failures == [message] for o in outcomes)

    def test_the_count_rules_of_older_rounds_need_it_too(self):
        rule = TierRule(tier="padapa", rank=1, method="count", min_tatanan_count=1, requires_kelembagaan=False)
        figures = Figures(tatanan=[], odf=None, kelembagaan_met=False, tatanan_count=1, missing_year1=2)
        reached, outcomes = tier_evaluate([rule], figures)
        assert reached is None
        assert outcomes[0].failures == [
            "Belum melapor untuk kedua tahun data: 2 isian indikator tanpa data tahun pertama."
        ]

    def test_a_stored_assessment_counts_the_official_entries_lacking_each_year(self, assessment, wilayah):
        set_scores(assessment, {"PSR1": 100, "PSR2": 100, "PDD1": 100, "PDD2": 100})
        set_kelembagaan(assessment, 100)
        set_odf(assessment, wilayah, total=10, odf=10)
        assert assessment_score(assessment=assessment).tier == "wistara"

        assessment.indicator_entries.filter(indicator__tatanan__code="PDD").update(value_year1="  ")
        assessment.indicator_entries.filter(indicator__number="1").update(value_year2="")
        result = assessment_score(assessment=assessment)
        assert (result.missing_year1, result.missing_year2, result.reported_both_years) == (2, 2, False)
        assert result.tier is None
        assert result.outcomes[0].failures == [
            "Belum melapor untuk kedua tahun data: 2 isian indikator tanpa data tahun 2028; "
            "2 isian indikator tanpa data tahun 2029."
        ]

    def test_local_indicators_do_not_count(self, assessment, wilayah, rina):
        from indicators.fieldwork.services import local_indicator_add
        from tatanan.models import Tatanan

        set_scores(assessment, {"PSR1": 100, "PSR2": 100, "PDD1": 100, "PDD2": 100})
        set_kelembagaan(assessment, 100)
        set_odf(assessment, wilayah, total=10, odf=10)
        pasar = Tatanan.objects.get(tatanan_set=assessment.cycle.tatanan_set, code="PSR")
        local = local_indicator_add(assessment=assessment, actor=rina, tatanan=pasar, number="L1", name="Lokal")
        assert local.value_year1 == local.value_year2 == ""
        result = assessment_score(assessment=assessment)
        assert result.reported_both_years
        assert result.tier == "wistara"


PARIPURNA = TierRule(
    tier="wistara_paripurna",
    rank=4,
    odf_min_percent=D(100),
    score_min=D(91),
    extra_requirements=(
        "Meraih Wistara pada penilaian sebelumnya; Indeks Pelayanan Standar Pelayanan Minimal (IP-SPM) "
        "memenuhi ketentuan; memiliki inovasi yang telah direplikasi/diadopsi daerah lain."
    ),
)


def figures(**changes):
    """A kabupaten that meets every condition of every tier; ``changes`` take some away."""
    values = {
        "tatanan": [D(95), D(92)],
        "odf": D(100),
        "kelembagaan_met": True,
        "tatanan_count": 2,
        "data_years": (2023, 2024),
        "entry_count": 136,
        "both_years_count": 136,
        **changes,
    }
    return Figures(**values)


class TestUnmetConditions:
    """The what-if names every unmet condition of the next tier with its figure (issue 12)."""

    def test_nothing_when_every_condition_holds(self):
        assert unmet_conditions(rules()[1], figures()) == []

    def test_the_achievement_against_the_minimum_of_the_tier(self):
        assert unmet_conditions(rules()[1], figures(tatanan=[D(95), D("75.5")])) == [
            "Capaian terendah per tatanan: 75,5 % dari 81 %"
        ]
        average = rules("average")[2]
        assert unmet_conditions(average, figures(tatanan=[D(95), D(80)])) == [
            "Rata-rata capaian tatanan: 87,5 % dari 91 %"
        ]

    def test_villages_odf(self):
        assert unmet_conditions(rules()[1], figures(odf=D(85))) == ["Desa/kelurahan ODF: 85 % dari 90 %"]
        assert unmet_conditions(rules()[1], figures(odf=None)) == ["Desa/kelurahan ODF: belum dilaporkan, perlu 90 %"]

    def test_each_kelembagaan_item_short_of_its_top_value(self):
        items = [
            KelembagaanShort("SK Tim Pembina", 100, 100),
            KelembagaanShort("SK Forum Kecamatan Sehat", 50, 100, "SK berlaku: 12 dari 29 Forum Kecamatan."),
            KelembagaanShort("Anggaran Pokja Desa/Kelurahan Sehat", None, 100),
        ]
        short = kelembagaan_short(items)
        assert [i.label for i in short] == ["SK Forum Kecamatan Sehat", "Anggaran Pokja Desa/Kelurahan Sehat"]
        assert unmet_conditions(rules()[0], figures(kelembagaan_met=False, kelembagaan_items=short)) == [
            "SK Forum Kecamatan Sehat: nilai 50 dari 100 (SK berlaku: 12 dari 29 Forum Kecamatan)",
            "Anggaran Pokja Desa/Kelurahan Sehat: belum dinilai",
        ]
        relaxed = rules()[0]
        relaxed.requires_kelembagaan = False
        assert unmet_conditions(relaxed, figures(kelembagaan_met=False, kelembagaan_items=short)) == []

    def test_both_data_years_reported(self):
        assert unmet_conditions(rules()[0], figures(missing_year1=4, missing_year2=16, both_years_count=120)) == [
            "Data 2 tahun (2023 dan 2024): 120 dari 136 indikator"
        ]

    def test_wistara_paripurna_names_each_extra_condition(self):
        assert unmet_conditions(PARIPURNA, figures(odf=D("99.5"))) == [
            "Desa/kelurahan ODF: 99,5 % dari 100 %",
            "Meraih Wistara pada penilaian sebelumnya: belum dapat diperiksa otomatis",
            "Indeks Pelayanan Standar Pelayanan Minimal (IP-SPM) memenuhi ketentuan: belum dapat diperiksa otomatis",
            "memiliki inovasi yang telah direplikasi/diadopsi daerah lain: belum dapat diperiksa otomatis",
        ]

    def test_every_condition_in_the_order_of_the_rules(self):
        short = (KelembagaanShort("SK Forum Kecamatan Sehat", 0, 100, "SK berlaku: 12 dari 29 Forum Kecamatan."),)
        assert unmet_conditions(
            rules()[1],
            figures(
                tatanan=[D(70), D(90)],
                odf=D(85),
                kelembagaan_met=False,
                kelembagaan_items=short,
                missing_year2=16,
                both_years_count=120,
            ),
        ) == [
            "Capaian terendah per tatanan: 70 % dari 81 %",
            "Desa/kelurahan ODF: 85 % dari 90 %",
            "SK Forum Kecamatan Sehat: nilai 0 dari 100 (SK berlaku: 12 dari 29 Forum Kecamatan)",
            "Data 2 tahun (2023 dan 2024): 120 dari 136 indikator",
        ]

    def test_the_what_if_carries_them_and_says_when_the_score_already_holds(self):
        scores = [score(1, 100, "A"), score(2, 100, "A"), score(3, 100, "B"), score(4, 75, "B")]
        enough = what_if(scores, rule=rules()[1], figures=figures(tatanan=[D(100), D("87.5")], odf=D(85)))
        assert enough.score_met
        assert enough.improvements == []
        assert enough.conditions == ["Desa/kelurahan ODF: 85 % dari 90 %"]
        short = what_if(scores, rule=rules()[2], figures=figures(tatanan=[D(100), D("87.5")]))
        assert not short.score_met
        assert [(i.indicator_id, i.to_value) for i in short.improvements] == [(4, 100)]
        assert short.conditions == ["Capaian terendah per tatanan: 87,5 % dari 91 %"]


class TestWhatIfOfAStoredAssessment:
    def test_names_the_kelembagaan_item_with_its_note_and_the_years(self, assessment, wilayah):
        set_scores(assessment, {"PSR1": 75, "PSR2": 75, "PDD1": 75, "PDD2": 75})
        pdd2 = assessment.indicator_entries.get(indicator__tatanan__code="PDD", indicator__number="2")
        pdd2.value_year2 = ""
        pdd2.save()
        set_odf(assessment, wilayah, total=10, odf=10)
        kelembagaan = KelembagaanEntry.objects.get(assessment=assessment)
        kelembagaan.self_score = kelembagaan.item.scale_options.get(value=0)
        kelembagaan.note = "SK berlaku: tidak ada (Tim Pembina)."
        kelembagaan.save()
        result = assessment_score(assessment=assessment)
        assert result.tier is None
        assert result.what_if.target_tier == "padapa"
        assert result.what_if.score_met
        assert result.what_if.conditions == [
            "SK Tim Pembina: nilai 0 dari 100 (SK berlaku: tidak ada (Tim Pembina))",
            f"Data 2 tahun ({assessment.cycle.first_data_year} dan {assessment.cycle.last_data_year}): "
            "3 dari 4 indikator",
        ]
