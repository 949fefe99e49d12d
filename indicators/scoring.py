"""Scores, the predicted award tier and the "what-if" list of an assessment.

Everything here but ``assessment_score`` is a pure function over plain data, so the rules can be
tested with hand-made numbers. The tier rules are the cycle's ``TierRule`` rows, read as data.

Conventions (see DOMAIN.md, "Scoring and award tiers"):

* Tatanan % = Σ(value × weight) / (100 × Σ weight) × 100; an unscored indicator counts as 0.
  Overall % = plain average of the tatanan %. Percentages are rounded to two decimals before
  they are compared, as the published tables are.
* A tier's score band is read as a *minimum*: ``score_max`` only describes the band (a score
  above it qualifies for a higher tier, and if that tier fails on ODF or kelembagaan the lower
  one still holds).
* The kelembagaan gate is met when every kelembagaan item is scored at its top option (self
  score: the verifiers do not score kelembagaan). An assessment without kelembagaan items does
  not meet it: nothing was shown (a rule that does not require it, like the count rules of
  2017–2021, says so with ``requires_kelembagaan``).
* A rule by achievement (method ``score``) needs official indicator entries: a round with none
  reaches no tier. A rule by count (2017–2021) needs the number of tatanan run and the kecamatan
  coverage: the share of the kabupaten/kota's kecamatan in the round's usulan.
* Every tier also needs the kabupaten to have *reported for both data years*: every official
  (non-local) indicator entry of the assessed tatanan has data for data year 1 and data year 2
  (``value_year1`` and ``value_year2`` not blank). ``TierRule`` holds no flag for this, so the
  condition is always on, for every tier and method; a failed one says how many entries lack
  which year. Local indicators never count, here as in the %.
* ``extra_requirements`` (e.g. IP-SPM, innovation adopted elsewhere for Wistara Paripurna) are not
  held as data yet, so a tier with extra requirements is never predicted; it is listed with that
  condition as not verifiable.
* The what-if names every unmet condition of its target tier with its figure
  (``unmet_conditions``): the achievement against the minimum, the ODF share, each kelembagaan
  item short of its top value (with the note that explains it, e.g. how many Forum Kecamatan have
  an SK), the entries reported for both data years, and each extra requirement, one by one.
* Recomputed on demand: a few hundred entries, no caching needed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from regions.words import village_word
from tatanan.models import TierRule

from .models import Assessment
from .selectors import kecamatan_coverage, odf_percent

LAYERS = {"self": "self_score", "provincial": "provincial_score", "national": "national_score"}
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _pct(value: Decimal | None) -> str:
    """A percentage the Indonesian way: 71,5 %."""
    if value is None:
        return "–"
    text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:.2f}".rstrip("0")
    return text.replace(".", ",") + " %"


@dataclass(frozen=True)
class IndicatorScore:
    """One indicator's score in one layer, with what its scale allows."""

    indicator_id: int
    tatanan_code: str
    label: str
    weight: Decimal
    value: int | None
    options: tuple[int, ...]  # the values the indicator's scale allows

    def next_value(self) -> int | None:
        current = self.value if self.value is not None else -1
        higher = [v for v in self.options if v > current]
        return min(higher) if higher else None


@dataclass(frozen=True)
class TatananScore:
    code: str
    name: str
    percent: Decimal
    indicator_count: int
    scored_count: int

    @property
    def scored(self) -> bool:
        """Has anyone scored an indicator of this tatanan in this layer? (0 % and "not yet" differ.)"""
        return self.scored_count > 0


@dataclass(frozen=True)
class TierOutcome:
    tier: str
    label: str
    rank: int
    reached: bool
    failures: list[str]


@dataclass(frozen=True)
class Improvement:
    indicator_id: int
    tatanan_code: str
    label: str
    from_value: int | None
    to_value: int


@dataclass(frozen=True)
class WhatIf:
    target_tier: str
    target_label: str
    improvements: list[Improvement]
    reaches_score: bool  # False when even every indicator at its top value is not enough
    # Every condition of the target tier not met now, each with its figure ("…: 85 % dari 90 %").
    conditions: list[str] = field(default_factory=list)
    score_met: bool = False  # the achievement condition already holds


@dataclass(frozen=True)
class AssessmentScore:
    layer: str
    tatanan: list[TatananScore]
    overall: Decimal | None
    minimum: Decimal | None
    odf: Decimal | None
    kelembagaan_met: bool
    kelembagaan_missing: int
    tier: str | None
    tier_label: str | None
    outcomes: list[TierOutcome] = field(default_factory=list)
    what_if: WhatIf | None = None
    # Official entries without data for the first / second data year (the "both years" condition).
    missing_year1: int = 0
    missing_year2: int = 0
    data_years: tuple[int, int] | None = None
    # The category the kabupaten registered for (a TierRule.Tier value, "" when none), whether its
    # rule holds, and the kecamatan coverage of the usulan (older rounds tier by it).
    category: str = ""
    category_label: str = ""
    category_reached: bool | None = None
    kecamatan_coverage: Decimal | None = None
    # True when the cycle tiers by the number of tatanan and kecamatan coverage (2017–2021): the
    # tier is predicted without indicator scores.
    by_count: bool = False

    @property
    def shows_tier(self) -> bool:
        """Is there anything to predict from? Scores in this layer, or a rule by count."""
        return self.scored or self.by_count

    @property
    def scored(self) -> bool:
        """Has anyone scored any indicator in this layer? A layer nobody scored shows "–", not 0 %."""
        return any(t.scored_count for t in self.tatanan)

    @property
    def reported_both_years(self) -> bool:
        return not self.missing_year1 and not self.missing_year2

    @property
    def failed_outcomes(self) -> list[TierOutcome]:
        return [o for o in self.outcomes if not o.reached]


def tatanan_percent(scores: list[IndicatorScore]) -> Decimal:
    total_weight = sum((s.weight for s in scores), Decimal(0))
    if not total_weight:
        return Decimal(0)
    achieved = sum((Decimal(s.value or 0) * s.weight for s in scores), Decimal(0))
    return _round(achieved / (HUNDRED * total_weight) * HUNDRED)


def tatanan_percents(scores: list[IndicatorScore], names: dict[str, str] | None = None) -> list[TatananScore]:
    """Per tatanan, in the order the tatanan first appear in ``scores``."""
    by_code: dict[str, list[IndicatorScore]] = defaultdict(list)
    for score in scores:
        by_code[score.tatanan_code].append(score)
    names = names or {}
    return [
        TatananScore(
            code=code,
            name=names.get(code, code),
            percent=tatanan_percent(items),
            indicator_count=len(items),
            scored_count=sum(1 for s in items if s.value is not None),
        )
        for code, items in by_code.items()
    ]


def overall_percent(percents: list[Decimal]) -> Decimal | None:
    if not percents:
        return None
    return _round(sum(percents, Decimal(0)) / len(percents))


def kelembagaan_gate(items: list[tuple[int | None, int | None]]) -> tuple[bool, int]:
    """(met, number of items short of their top value) for (score, top value) pairs. No items is
    not met: the gate asks for documents, and none were shown."""
    missing = sum(1 for value, top in items if top is None or value is None or value < top)
    return bool(items) and missing == 0, missing


@dataclass(frozen=True)
class KelembagaanShort:
    """A kelembagaan item below its top value: its label, self score, top value and note."""

    label: str  # "SK Forum Kecamatan Sehat"
    value: int | None
    top: int | None
    note: str = ""  # how the score was reached, e.g. "SK berlaku: 12 dari 29 Forum Kecamatan."


def kelembagaan_short(items: list[KelembagaanShort]) -> tuple[KelembagaanShort, ...]:
    """The items that keep the kelembagaan gate closed (the same test as ``kelembagaan_gate``)."""
    return tuple(i for i in items if i.top is None or i.value is None or i.value < i.top)


@dataclass(frozen=True)
class Figures:
    """What the tier rules are evaluated against."""

    tatanan: list[Decimal]
    odf: Decimal | None
    kelembagaan_met: bool
    tatanan_count: int
    kecamatan_coverage: Decimal | None = None
    # Official entries lacking data for data year 1 / 2, and those years (for the message).
    missing_year1: int = 0
    missing_year2: int = 0
    data_years: tuple[int, int] | None = None
    # Official entries in all and those with data for both years; the kelembagaan items short.
    entry_count: int = 0
    both_years_count: int = 0
    kelembagaan_items: tuple[KelembagaanShort, ...] = ()
    # Kelembagaan items of the assessment in all (0: the catalogue of the cycle has none; None:
    # not counted, as in hand-made figures).
    kelembagaan_count: int | None = None
    # What the region's villages are called, "kelurahan" in a kota of kelurahan (regions/words.py);
    # empty in hand-made figures: "desa/kelurahan".
    village_word: str = ""

    @property
    def villages(self) -> str:
        return self.village_word or _("desa/kelurahan")

    def aggregate(self, aggregation: str) -> Decimal | None:
        if not self.tatanan:
            return None
        if aggregation == TierRule.Aggregation.MINIMUM:
            return min(self.tatanan)
        return overall_percent(self.tatanan)


def score_condition_failure(rule: TierRule, figures: Figures) -> str | None:
    achieved = figures.aggregate(rule.aggregation)
    if rule.score_min is None or (achieved is not None and achieved >= rule.score_min):
        return None
    what = (
        _("Capaian terendah per tatanan")
        if rule.aggregation == TierRule.Aggregation.MINIMUM
        else _("Rata-rata capaian tatanan")
    )
    return _("%(what)s %(value)s, kurang dari minimum %(min)s.") % {
        "what": what,
        "value": _pct(achieved),
        "min": _pct(rule.score_min),
    }


def years_condition_failure(figures: Figures) -> str | None:
    """The "reported for both data years" condition of every tier, worded for the user."""
    if not figures.missing_year1 and not figures.missing_year2:
        return None
    first, second = figures.data_years or (None, None)
    parts = []
    for count, year, ordinal in (
        (figures.missing_year1, first, _("tahun pertama")),
        (figures.missing_year2, second, _("tahun kedua")),
    ):
        if count:
            parts.append(
                _("%(count)s isian indikator tanpa data tahun %(year)s") % {"count": count, "year": year}
                if year
                else _("%(count)s isian indikator tanpa data %(ordinal)s") % {"count": count, "ordinal": ordinal}
            )
    return _("Belum melapor untuk kedua tahun data: %(parts)s.") % {"parts": "; ".join(parts)}


def count_condition_failures(rule: TierRule, figures: Figures) -> list[str]:
    """The tatanan-run conditions of older rounds (method "count") not met, with their figures."""
    failures = []
    if rule.min_tatanan_count is not None and figures.tatanan_count < rule.min_tatanan_count:
        failures.append(
            _("Jumlah tatanan %(count)s, kurang dari minimum %(min)s.")
            % {"count": figures.tatanan_count, "min": rule.min_tatanan_count}
        )
    if rule.kecamatan_coverage_min_percent is not None:
        coverage = figures.kecamatan_coverage
        if coverage is None:
            failures.append(_("Kecamatan usulan belum dipilih, sehingga cakupan kecamatan belum dapat dihitung."))
        elif coverage < rule.kecamatan_coverage_min_percent:
            failures.append(
                _("Cakupan kecamatan %(value)s, kurang dari minimum %(min)s.")
                % {"value": _pct(coverage), "min": _pct(rule.kecamatan_coverage_min_percent)}
            )
    return failures


def rule_failures(rule: TierRule, figures: Figures) -> list[str]:
    """The conditions of ``rule`` that ``figures`` do not meet, worded for the user."""
    failures: list[str] = []
    if rule.method == TierRule.Method.COUNT:
        failures.extend(count_condition_failures(rule, figures))
    elif not figures.tatanan:
        failures.append(_("Belum ada isian indikator yang dapat dinilai."))
    else:
        failure = score_condition_failure(rule, figures)
        if failure:
            failures.append(failure)
    if rule.odf_min_percent is not None:
        if figures.odf is None:
            failures.append(_("Status ODF %(village)s belum dilaporkan.") % {"village": figures.villages})
        elif figures.odf < rule.odf_min_percent:
            failures.append(
                _("%(village)s ODF %(value)s, kurang dari minimum %(min)s.")
                % {
                    "village": capfirst(figures.villages),
                    "value": _pct(figures.odf),
                    "min": _pct(rule.odf_min_percent),
                }
            )
    if rule.requires_kelembagaan and not figures.kelembagaan_met:
        failures.append(
            _("Syarat kelembagaan belum terpenuhi.")
            if figures.kelembagaan_count != 0
            else _("Syarat kelembagaan belum dapat dinilai: belum ada butir kelembagaan.")
        )
    years = years_condition_failure(figures)
    if years:
        failures.append(years)
    if rule.extra_requirements.strip():
        failures.append(
            _("Syarat tambahan belum dapat diperiksa otomatis: %(text)s") % {"text": rule.extra_requirements.strip()}
        )
    return failures


def _figure(text: str) -> str:
    return text.strip().rstrip(".").strip()


def unmet_conditions(rule: TierRule, figures: Figures) -> list[str]:
    """Every condition of ``rule`` that ``figures`` do not meet, each named with its figure.

    The what-if's list: "Capaian terendah per tatanan: 75 % dari 81 %", "Desa/kelurahan ODF:
    85 % dari 90 %", one line per kelembagaan item short of its top value ("SK Forum Kecamatan
    Sehat: nilai 50 dari 100 (SK berlaku: 12 dari 29 Forum Kecamatan)"), "Data 2 tahun (2023 dan
    2024): 120 dari 136 indikator" and one line per extra requirement (DOMAIN.md, "Scores and award
    tiers"). The conditions are those of ``rule_failures``; only the wording differs.
    """
    conditions: list[str] = []
    if rule.method == TierRule.Method.COUNT:
        # Older rounds (tatanan run, kecamatan covered): their wording already holds the figures.
        conditions.extend(count_condition_failures(rule, figures))
    elif score_condition_failure(rule, figures):
        what = (
            _("Capaian terendah per tatanan")
            if rule.aggregation == TierRule.Aggregation.MINIMUM
            else _("Rata-rata capaian tatanan")
        )
        conditions.append(
            _("%(what)s: %(value)s dari %(min)s")
            % {"what": what, "value": _pct(figures.aggregate(rule.aggregation)), "min": _pct(rule.score_min)}
        )
    if rule.odf_min_percent is not None:
        if figures.odf is None:
            conditions.append(
                _("%(village)s ODF: belum dilaporkan, perlu %(min)s")
                % {"village": capfirst(figures.villages), "min": _pct(rule.odf_min_percent)}
            )
        elif figures.odf < rule.odf_min_percent:
            conditions.append(
                _("%(village)s ODF: %(value)s dari %(min)s")
                % {"village": capfirst(figures.villages), "value": _pct(figures.odf), "min": _pct(rule.odf_min_percent)}
            )
    if rule.requires_kelembagaan and not figures.kelembagaan_met:
        if figures.kelembagaan_count == 0:
            conditions.append(_("Syarat kelembagaan belum dapat dinilai: belum ada butir kelembagaan."))
        elif not figures.kelembagaan_items:
            conditions.append(_("Syarat kelembagaan belum terpenuhi."))
        for item in figures.kelembagaan_items:
            if item.value is None:
                text = _("%(item)s: belum dinilai") % {"item": item.label}
            else:
                text = _("%(item)s: nilai %(value)s dari %(top)s") % {
                    "item": item.label,
                    "value": item.value,
                    "top": item.top if item.top is not None else "–",
                }
            if item.note.strip():
                text += f" ({_figure(item.note)})"
            conditions.append(text)
    if figures.missing_year1 or figures.missing_year2:
        first, second = figures.data_years or (None, None)
        reported = {"done": figures.both_years_count, "total": figures.entry_count}
        conditions.append(
            _("Data 2 tahun (%(first)s dan %(second)s): %(done)s dari %(total)s indikator")
            % {**reported, "first": first, "second": second}
            if first
            else _("Data 2 tahun: %(done)s dari %(total)s indikator") % reported
        )
    for extra in rule.extra_requirements.split(";"):
        if _figure(extra):
            conditions.append(_("%(requirement)s: belum dapat diperiksa otomatis") % {"requirement": _figure(extra)})
    return conditions


def tier_evaluate(rules: list[TierRule], figures: Figures) -> tuple[TierRule | None, list[TierOutcome]]:
    """The highest tier whose conditions all hold (rules tried from the highest rank down), and
    the outcome of every rule, highest first."""
    reached: TierRule | None = None
    outcomes = []
    for rule in sorted(rules, key=lambda r: r.rank, reverse=True):
        failures = rule_failures(rule, figures)
        ok = not failures
        if ok and reached is None:
            reached = rule
        outcomes.append(
            TierOutcome(
                tier=rule.tier, label=str(rule.get_tier_display()), rank=rule.rank, reached=ok, failures=failures
            )
        )
    return reached, outcomes


def what_if(scores: list[IndicatorScore], *, rule: TierRule, figures: Figures, max_steps: int = 10_000) -> WhatIf:
    """The improvements that bring the score condition of ``rule`` within reach.

    Greedy: while the condition fails, take one step — raise one indicator to its next higher
    option — choosing the step with the largest gain where it matters: on the *binding* tatanan
    (the one with the lowest %) when the rule takes the minimum, on any tatanan when it takes the
    average (a tatanan's gain counts 1/n towards the average either way, so the largest gain in
    tatanan % is the largest gain overall). Gain = weight × (next value − current value) /
    Σ weights of the tatanan. Steps on the same indicator are merged into one improvement
    (from → to). Greedy is not guaranteed minimal across tatanan of different sizes, but it is
    close, explainable, and cheap. ODF, kelembagaan, both data years and extra requirements are
    named, with their figures, in ``conditions`` (``unmet_conditions`` of the figures now).
    """
    current = {s.indicator_id: s for s in scores}
    start_values = {s.indicator_id: s.value for s in scores}
    weights: dict[str, Decimal] = defaultdict(Decimal)
    for s in scores:
        weights[s.tatanan_code] += s.weight

    def figures_now() -> Figures:
        percents = [t.percent for t in tatanan_percents(list(current.values()))]
        return replace(figures, tatanan=percents)

    reaches = True
    for _step in range(max_steps):
        now = figures_now()
        if score_condition_failure(rule, now) is None:
            break
        candidates = [s for s in current.values() if s.next_value() is not None]
        if rule.aggregation == TierRule.Aggregation.MINIMUM:
            by_code = {t.code: t.percent for t in tatanan_percents(list(current.values()))}
            binding = min(by_code, key=lambda code: by_code[code])
            candidates = [s for s in candidates if s.tatanan_code == binding]
        if not candidates:
            reaches = False
            break

        def gain(s: IndicatorScore) -> Decimal:
            return s.weight * (s.next_value() - (s.value or 0)) / weights[s.tatanan_code]

        best = max(candidates, key=lambda s: (gain(s), -s.indicator_id))
        current[best.indicator_id] = IndicatorScore(
            indicator_id=best.indicator_id,
            tatanan_code=best.tatanan_code,
            label=best.label,
            weight=best.weight,
            value=best.next_value(),
            options=best.options,
        )
    else:
        reaches = False

    improvements = [
        Improvement(
            indicator_id=after.indicator_id,
            tatanan_code=after.tatanan_code,
            label=after.label,
            from_value=start_values[after.indicator_id],
            to_value=after.value,
        )
        for after in current.values()
        if after.value != start_values[after.indicator_id]
    ]
    return WhatIf(
        target_tier=rule.tier,
        target_label=str(rule.get_tier_display()),
        improvements=improvements,
        reaches_score=reaches,
        conditions=unmet_conditions(rule, figures),
        score_met=score_condition_failure(rule, figures) is None,
    )


def next_rule(rules: list[TierRule], reached: TierRule | None) -> TierRule | None:
    """The tier above the one reached (the lowest when none is), if it is scored by achievement."""
    above = sorted((r for r in rules if reached is None or r.rank > reached.rank), key=lambda r: r.rank)
    for rule in above:
        if rule.method == TierRule.Method.SCORE and rule.score_min is not None:
            return rule
    return None


def assessment_score(*, assessment: Assessment, layer: str = "self") -> AssessmentScore:
    """Score ``assessment`` in one layer (self, provincial or national) and predict its tier."""
    if layer not in LAYERS:
        raise ValueError(f"unknown layer {layer!r}")
    score_field = LAYERS[layer]
    # A kabupaten's own (local) indicators are filled in beside the official ones but never
    # count towards the official tatanan % or the tier.
    entries = (
        assessment.indicator_entries.filter(indicator__is_local=False)
        .select_related("indicator__tatanan", score_field)
        .prefetch_related("indicator__scale_options")
    )
    entries = sorted(entries, key=lambda e: (e.indicator.tatanan.number, e.indicator.order, e.indicator_id))
    scores = []
    names = {}
    for entry in entries:
        indicator = entry.indicator
        option = getattr(entry, score_field)
        names[indicator.tatanan.code] = indicator.tatanan.name
        scores.append(
            IndicatorScore(
                indicator_id=indicator.pk,
                tatanan_code=indicator.tatanan.code,
                label=f"{indicator.tatanan.code} {indicator.number}. {indicator.name}",
                weight=indicator.weight,
                value=option.value if option else None,
                options=tuple(sorted({o.value for o in indicator.scale_options.all()})),
            )
        )
    tatanan = tatanan_percents(scores, names)
    percents = [t.percent for t in tatanan]

    kelembagaan = []
    for entry in assessment.kelembagaan_entries.select_related("self_score", "item").prefetch_related(
        "item__scale_options"
    ):
        values = [o.value for o in entry.item.scale_options.all()]
        kelembagaan.append(
            KelembagaanShort(
                # "SK Forum Kecamatan Sehat", "Rencana Kerja Tim Pembina"
                label=f"{entry.item.get_item_display()} {entry.item.get_component_display()}",
                value=entry.self_score.value if entry.self_score else None,
                top=max(values) if values else None,
                note=entry.note,
            )
        )
    kelembagaan_met, kelembagaan_missing = kelembagaan_gate([(k.value, k.top) for k in kelembagaan])

    cycle = assessment.cycle
    figures = Figures(
        tatanan=percents,
        odf=odf_percent(assessment),
        kelembagaan_met=kelembagaan_met,
        tatanan_count=assessment.tatanan.count(),
        kecamatan_coverage=kecamatan_coverage(assessment),
        missing_year1=sum(1 for e in entries if not (e.value_year1 or "").strip()),
        missing_year2=sum(1 for e in entries if not (e.value_year2 or "").strip()),
        data_years=(cycle.first_data_year, cycle.last_data_year),
        entry_count=len(entries),
        both_years_count=sum(1 for e in entries if (e.value_year1 or "").strip() and (e.value_year2 or "").strip()),
        kelembagaan_items=kelembagaan_short(kelembagaan),
        kelembagaan_count=len(kelembagaan),
        village_word=village_word(assessment.kabupaten),
    )
    rules = list(cycle.tier_rules.all())
    reached, outcomes = tier_evaluate(rules, figures)
    target = next_rule(rules, reached)
    category = next((o for o in outcomes if o.tier == assessment.category), None)
    return AssessmentScore(
        layer=layer,
        tatanan=tatanan,
        overall=overall_percent(percents),
        minimum=min(percents) if percents else None,
        odf=figures.odf,
        kelembagaan_met=kelembagaan_met,
        kelembagaan_missing=kelembagaan_missing,
        tier=reached.tier if reached else None,
        tier_label=str(reached.get_tier_display()) if reached else None,
        outcomes=outcomes,
        what_if=what_if(scores, rule=target, figures=figures) if target and scores else None,
        missing_year1=figures.missing_year1,
        missing_year2=figures.missing_year2,
        data_years=figures.data_years,
        category=assessment.category,
        category_label=str(assessment.get_category_display()) if assessment.category else "",
        category_reached=category.reached if category else None,
        kecamatan_coverage=figures.kecamatan_coverage,
        by_count=any(rule.method == TierRule.Method.COUNT for rule in rules),
    )
