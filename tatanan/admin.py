from django.contrib import admin

from .models import Cycle, EvidenceRequirement, Indicator, KelembagaanItem, ScaleOption, Tatanan, TatananSet, TierRule


class TatananInline(admin.TabularInline):
    model = Tatanan
    extra = 0


@admin.register(TatananSet)
class TatananSetAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    inlines = [TatananInline]


@admin.register(Tatanan)
class TatananAdmin(admin.ModelAdmin):
    list_display = ["code", "number", "name", "tatanan_set"]
    list_filter = ["tatanan_set"]
    search_fields = ["code", "name", "aliases"]


class TierRuleInline(admin.StackedInline):
    model = TierRule
    extra = 0


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["award_year", "first_data_year", "last_data_year", "tatanan_set", "tatanan_selection"]
    inlines = [TierRuleInline]


class ScaleOptionInline(admin.TabularInline):
    model = ScaleOption
    extra = 0
    fields = ["order", "value", "description"]


class EvidenceRequirementInline(admin.TabularInline):
    model = EvidenceRequirement
    extra = 0
    fields = ["order", "description", "year_scope", "data_year", "count", "derived"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["__str__", "cycle", "tatanan", "number", "is_local", "owner_kabupaten"]
    list_filter = ["cycle", "tatanan", "is_local"]
    search_fields = ["name", "number"]
    raw_id_fields = ["owner_kabupaten"]
    inlines = [ScaleOptionInline, EvidenceRequirementInline]


@admin.register(KelembagaanItem)
class KelembagaanItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "cycle", "component", "item"]
    list_filter = ["cycle", "component"]
    inlines = [ScaleOptionInline, EvidenceRequirementInline]
