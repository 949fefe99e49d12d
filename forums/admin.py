from django.contrib import admin

from .models import Body, Decree, Member, PembinaanVisit, Secretariat, WorkPlan, WorkPlanItem


class DecreeInline(admin.TabularInline):
    model = Decree
    extra = 0
    fields = ["number", "date", "signer", "valid_from", "valid_until", "is_current", "file"]


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0
    fields = ["order", "name", "position", "origin", "phone", "email", "active"]


class SecretariatInline(admin.StackedInline):
    model = Secretariat
    extra = 0


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "region__code", "region__name"]
    raw_id_fields = ["region"]
    inlines = [DecreeInline, MemberInline, SecretariatInline]


@admin.register(Decree)
class DecreeAdmin(admin.ModelAdmin):
    list_display = ["number", "body", "date", "signer", "is_current"]
    list_filter = ["is_current"]
    search_fields = ["number", "body__name", "signer"]
    raw_id_fields = ["body", "created_by"]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["name", "body", "position", "origin", "active"]
    list_filter = ["position", "origin", "active"]
    search_fields = ["name", "body__name", "email", "phone"]
    raw_id_fields = ["body"]
    filter_horizontal = ["tatanan"]


@admin.register(Secretariat)
class SecretariatAdmin(admin.ModelAdmin):
    list_display = ["body", "room", "has_name_board", "updated_at"]
    search_fields = ["body__name", "address"]
    raw_id_fields = ["body"]


class WorkPlanItemInline(admin.TabularInline):
    model = WorkPlanItem
    extra = 0
    raw_id_fields = ["indicator"]


@admin.register(WorkPlan)
class WorkPlanAdmin(admin.ModelAdmin):
    list_display = ["body", "year", "status", "submitted_at", "decided_at"]
    list_filter = ["status", "year"]
    search_fields = ["body__name"]
    raw_id_fields = ["body", "submitted_by", "decided_by"]
    inlines = [WorkPlanItemInline]


@admin.register(PembinaanVisit)
class PembinaanVisitAdmin(admin.ModelAdmin):
    list_display = ["visiting_body", "target_region", "rt_rw", "date"]
    search_fields = ["visiting_body__name", "target_region__name", "place"]
    raw_id_fields = ["visiting_body", "target_region", "created_by"]
