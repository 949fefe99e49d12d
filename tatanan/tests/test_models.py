from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from tatanan.models import Cycle, EvidenceRequirement, Indicator, ScaleOption, Tatanan, TatananSet, TierRule


@pytest.mark.django_db
class TestShippedData:
    def test_three_tatanan_sets(self):
        codes = {
            s.code: list(s.tatanan.order_by("number").values_list("code", flat=True)) for s in TatananSet.objects.all()
        }
        assert codes == {
            "2005": ["PSU", "LLT", "TBG", "HTN", "IKP", "PAR", "PGZ", "KSM", "KSS"],
            "2017": ["PSU", "LLT", "IKP", "PAR", "PGZ", "KSM", "KSS"],
            "2023": ["KSM", "PFU", "PDD", "PSR", "KPI", "PAR", "TLL", "PLS", "BCN"],
        }

    def test_every_cycle_from_2017_to_2027(self):
        c2017, c2019, c2021, c2023, c2025, c2027 = Cycle.objects.order_by("award_year")
        for older in (c2017, c2019, c2021):
            assert older.tatanan_set.code == "2017"
            assert older.tatanan_selection == Cycle.TatananSelection.CHOSEN
            assert older.data_years == [older.award_year - 2, older.award_year - 1]
        assert (c2027.data_years, c2027.tatanan_set.code, c2027.tatanan_selection) == ([2025, 2026], "2023", "all")
        assert (c2025.award_year, c2025.data_years, c2025.tatanan_set.code) == (2025, [2023, 2024], "2023")
        assert c2025.tatanan_selection == Cycle.TatananSelection.ALL
        assert c2023.tatanan_selection == Cycle.TatananSelection.CHOSEN
        assert c2023.data_years == [2021, 2022]
        assert c2025.correction_window_hours == 48
        assert c2025.scale_values == [100, 75, 50, 25, 0]

    def test_tier_rules_as_data(self):
        rules = {
            r.tier: (r.odf_min_percent, r.score_min, r.score_max, r.method, r.requires_kelembagaan)
            for r in TierRule.objects.filter(cycle__award_year=2025)
        }
        assert rules == {
            "padapa": (Decimal("80"), Decimal("71"), Decimal("80"), "score", True),
            "wiwerda": (Decimal("90"), Decimal("81"), Decimal("90"), "score", True),
            "wistara": (Decimal("100"), Decimal("91"), None, "score", True),
            "wistara_paripurna": (Decimal("100"), Decimal("91"), None, "score", True),
        }
        assert "IP-SPM" in TierRule.objects.get(cycle__award_year=2025, tier="wistara_paripurna").extra_requirements
        assert not TierRule.objects.filter(cycle__award_year=2023, tier="wistara_paripurna").exists()

    def test_older_rounds_tier_by_count_and_kecamatan_coverage(self):
        rules = {
            r.tier: (r.method, r.min_tatanan_count, r.kecamatan_coverage_min_percent, r.requires_kelembagaan)
            for r in TierRule.objects.filter(cycle__award_year=2019)
        }
        assert rules == {
            "padapa": ("count", 2, Decimal("51"), False),
            "wiwerda": ("count", 3, Decimal("61"), False),
            "wistara": ("count", 5, Decimal("71"), False),
        }
        assert list(TierRule.objects.filter(cycle__award_year=2027).values_list("tier", flat=True)) == [
            "padapa",
            "wiwerda",
            "wistara",
            "wistara_paripurna",
        ]

    def test_an_older_count_rule_fits_the_same_model(self):
        cycle = Cycle.objects.create(
            award_year=2015, first_data_year=2013, last_data_year=2014, tatanan_set=TatananSet.objects.get(code="2017")
        )
        rule = TierRule(
            cycle=cycle,
            tier="padapa",
            rank=1,
            method="count",
            min_tatanan_count=2,
            kecamatan_coverage_min_percent=51,
            kecamatan_coverage_max_percent=60,
        )
        rule.full_clean()
        rule.save()


@pytest.mark.django_db
class TestConstraints:
    @pytest.fixture
    def indicator(self, cycle_2025):
        return Indicator.objects.create(
            cycle=cycle_2025, tatanan=Tatanan.objects.get(tatanan_set__code="2023", code="PSR"), number="1", name="X"
        )

    def test_a_local_indicator_needs_an_owner(self, indicator):
        indicator.pk = None
        indicator.number = "99"
        indicator.is_local = True
        with pytest.raises(IntegrityError), transaction.atomic():
            indicator.save()

    def test_a_scale_option_has_exactly_one_owner(self, indicator):
        with pytest.raises(IntegrityError), transaction.atomic():
            ScaleOption.objects.create(value=100, description="x", order=1)

    def test_a_year_requirement_names_its_year(self, indicator):
        with pytest.raises(IntegrityError), transaction.atomic():
            EvidenceRequirement.objects.create(indicator=indicator, description="x", year_scope="year")

    def test_indicator_from_another_tatanan_set_is_invalid(self, cycle_2025):
        indicator = Indicator(
            cycle=cycle_2025, tatanan=Tatanan.objects.get(tatanan_set__code="2005", code="HTN"), number="1", name="X"
        )
        with pytest.raises(Exception, match="himpunan tatanan siklus"):
            indicator.full_clean()
