from django.contrib import admin

from .models import Assessment, IndicatorEntry, KelembagaanEntry, OdfStatus


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["kabupaten", "cycle", "created_by", "created_at"]
    list_filter = ["cycle"]
    search_fields = ["kabupaten__name", "kabupaten__code"]
    raw_id_fields = ["kabupaten", "created_by"]
    filter_horizontal = ["tatanan"]


@admin.register(IndicatorEntry)
class IndicatorEntryAdmin(admin.ModelAdmin):
    list_display = ["assessment", "indicator", "assigned_opd", "status", "updated_at"]
    list_filter = ["status", "assessment__cycle"]
    raw_id_fields = ["assessment", "indicator", "self_score", "provincial_score", "national_score", "assigned_opd"]
    readonly_fields = ["updated_by", "updated_at"]


@admin.register(KelembagaanEntry)
class KelembagaanEntryAdmin(admin.ModelAdmin):
    list_display = ["assessment", "item", "self_score"]
    raw_id_fields = ["assessment", "item", "self_score"]


@admin.register(OdfStatus)
class OdfStatusAdmin(admin.ModelAdmin):
    list_display = ["assessment", "kecamatan", "desa", "declared_odf", "desa_total", "desa_odf"]
    raw_id_fields = ["assessment", "kecamatan", "desa"]
