from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Opd, RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    raw_id_fields = ["region", "opd"]
    readonly_fields = ["created_at", "created_by"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = DjangoUserAdmin.fieldsets + ((_("Portal"), {"fields": ("full_name", "phone")}),)
    list_display = ["username", "full_name", "email", "is_active", "is_superuser"]
    search_fields = ["username", "full_name", "email"]
    inlines = [RoleAssignmentInline]


@admin.register(Opd)
class OpdAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "kabupaten"]
    search_fields = ["short_name", "name", "kabupaten__name"]
    raw_id_fields = ["kabupaten"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "region", "opd"]
    list_filter = ["role"]
    search_fields = ["user__username", "region__name", "region__code"]
    raw_id_fields = ["user", "region", "opd", "created_by"]
