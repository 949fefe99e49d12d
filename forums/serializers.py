"""Serializers of the forum API: bodies, SK, members, secretariat, work plans, pembinaan.

Write serializers only check the shape of the data; the rules (who, when, which status) are the
services' (``forums.services``, ``forums.workplans.services``).
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.selectors import scope_filter
from accounts.serializers import RegionRefSerializer
from kks_portal.lib.scoped_fields import ScopedPrimaryKeyRelatedField
from regions.models import Region
from tatanan.models import Indicator, Tatanan

from .models import Body, Decree, Member, PembinaanVisit, Secretariat, WorkPlan, WorkPlanItem
from .workplans.selectors import (
    pembinaan_target_regions,
    pembinaan_team_regions_of,
    tatanan_for_work_plans,
    work_plan_indicators_for,
)

# --- Bodies -----------------------------------------------------------------------------------


class BodyRefSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(Body.Kind.values))

    class Meta:
        model = Body
        fields = ["id", "kind", "name", "region"]
        read_only_fields = fields


class BodySerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(Body.Kind.values))
    region = RegionRefSerializer(read_only=True)
    member_count = serializers.IntegerField(read_only=True, help_text="Active members.")
    has_decree = serializers.BooleanField(read_only=True, help_text="Has a current SK.")
    has_secretariat = serializers.BooleanField(read_only=True)

    class Meta:
        model = Body
        fields = ["id", "kind", "name", "region", "member_count", "has_decree", "has_secretariat"]
        read_only_fields = fields


class DecreeSerializer(serializers.ModelSerializer):
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = Decree
        fields = ["id", "number", "date", "signer", "valid_from", "valid_until", "is_current", "has_file", "created_at"]
        read_only_fields = fields

    def get_has_file(self, decree) -> bool:
        return bool(decree.file)


class DecreeWriteSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=200)
    date = serializers.DateField()
    signer = serializers.CharField(max_length=200)
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True)
    file = serializers.FileField(required=False, allow_null=True, help_text="The SK scan (multipart).")


class SecretariatSerializer(serializers.ModelSerializer):
    has_name_board_photo = serializers.SerializerMethodField()
    has_org_chart_photo = serializers.SerializerMethodField()
    # A body without a secretariat yet is shown one that was never saved.
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="Null until first saved.")

    class Meta:
        model = Secretariat
        fields = [
            "address",
            "room",
            "has_name_board",
            "notes",
            "has_name_board_photo",
            "has_org_chart_photo",
            "updated_at",
        ]
        read_only_fields = fields

    def get_has_name_board_photo(self, secretariat) -> bool:
        return bool(secretariat.name_board_photo)

    def get_has_org_chart_photo(self, secretariat) -> bool:
        return bool(secretariat.org_chart_photo)


class SecretariatWriteSerializer(serializers.Serializer):
    address = serializers.CharField(required=False, allow_blank=True)
    room = serializers.CharField(required=False, allow_blank=True, max_length=200)
    has_name_board = serializers.BooleanField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True)
    name_board_photo = serializers.ImageField(required=False, help_text="JPG, PNG or WebP, at most 10 MB (multipart).")
    org_chart_photo = serializers.ImageField(required=False, help_text="JPG, PNG or WebP, at most 10 MB (multipart).")


class KelembagaanStatusSerializer(serializers.Serializer):
    years = serializers.ListField(child=serializers.IntegerField(), help_text="The data years that count.")
    has_sk = serializers.BooleanField()
    has_rencana_kerja = serializers.BooleanField()
    has_anggaran = serializers.BooleanField()
    has_secretariat = serializers.BooleanField()
    complete = serializers.BooleanField()
    missing = serializers.ListField(child=serializers.CharField(), help_text="What the body still lacks, in words.")


class BodyDetailSerializer(BodySerializer):
    current_decree = DecreeSerializer(read_only=True, allow_null=True)
    secretariat = SecretariatSerializer(read_only=True, allow_null=True)
    kelembagaan = KelembagaanStatusSerializer(read_only=True)
    can_edit = serializers.BooleanField(read_only=True)

    class Meta(BodySerializer.Meta):
        fields = [*BodySerializer.Meta.fields, "current_decree", "secretariat", "kelembagaan", "can_edit"]
        read_only_fields = fields


# --- Members ----------------------------------------------------------------------------------


class MemberSerializer(serializers.ModelSerializer):
    tatanan = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Tatanan.objects.all(), help_text="Tatanan the member coordinates."
    )

    class Meta:
        model = Member
        fields = ["id", "body", "name", "position", "origin", "tatanan", "phone", "email", "order", "active"]
        read_only_fields = ["id", "body"]


# --- Work plans -------------------------------------------------------------------------------


def _item_work_plan(serializer) -> WorkPlan:
    """The plan an item belongs to: the context's on a create, the item's own on an update."""
    if serializer.instance is not None:
        return serializer.instance.work_plan
    return serializer.context["work_plan"]


class WorkPlanItemSerializer(serializers.ModelSerializer):
    """An item of a plan. The view passes the plan in the context (``work_plan``) on a create:
    an item's indicator is a catalogue indicator or a local one of the plan's own kabupaten."""

    tatanan = serializers.PrimaryKeyRelatedField(
        queryset=tatanan_for_work_plans(),
        error_messages={"does_not_exist": _("Pilih tatanan dari daftar tatanan 2023 dan seterusnya.")},
    )
    indicator = ScopedPrimaryKeyRelatedField(
        model=Indicator,
        scope=lambda user, serializer: work_plan_indicators_for(user, work_plan=_item_work_plan(serializer)),
        required=False,
        allow_null=True,
        help_text="Id of a catalogue indicator of the tatanan, or of a local indicator of the plan's kabupaten/kota.",
    )

    class Meta:
        model = WorkPlanItem
        fields = [
            "id",
            "work_plan",
            "tatanan",
            "indicator",
            "activity",
            "target",
            "schedule",
            "budget",
            "funding_source",
            "person_in_charge",
            "order",
        ]
        read_only_fields = ["id", "work_plan"]


class WorkPlanSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(WorkPlan.Status.values))
    body = BodyRefSerializer(read_only=True)

    class Meta:
        model = WorkPlan
        fields = ["id", "body", "year", "status", "return_reason", "submitted_at", "decided_at", "created_at"]
        read_only_fields = fields


class WorkPlanDetailSerializer(WorkPlanSerializer):
    items = WorkPlanItemSerializer(many=True, read_only=True)
    can_edit = serializers.BooleanField(read_only=True)
    can_decide = serializers.BooleanField(read_only=True)

    class Meta(WorkPlanSerializer.Meta):
        fields = [*WorkPlanSerializer.Meta.fields, "items", "can_edit", "can_decide"]
        read_only_fields = fields


class WorkPlanCreateSerializer(serializers.Serializer):
    body = serializers.IntegerField(help_text="Id of the body (in the caller's scope).")
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the plan goes back to the body (required).")


# --- Pembinaan --------------------------------------------------------------------------------


def _visit_targets(user, serializer):
    """Where the visit may go: below its team's region (the visit's own team on an update, the
    team named on a create, else any team the caller records for), within the caller's scope."""
    if serializer.instance is not None:
        teams = [serializer.instance.visiting_body.region]
    elif serializer.context.get("team_region") is not None:
        teams = [serializer.context["team_region"]]
    else:
        teams = pembinaan_team_regions_of(user)
    targets = Region.objects.none()
    for team in teams:
        targets = targets | pembinaan_target_regions(team)
    return scope_filter(targets, user=user, field="code")


def _visit_teams(user, serializer):
    return Region.objects.filter(pk__in=[region.pk for region in pembinaan_team_regions_of(user)])


class PembinaanVisitSerializer(serializers.ModelSerializer):
    visiting_body = BodyRefSerializer(read_only=True)
    target_region = ScopedPrimaryKeyRelatedField(
        model=Region, scope=_visit_targets, help_text="Code of a kecamatan or desa/kelurahan below the team's region."
    )

    class Meta:
        model = PembinaanVisit
        fields = [
            "id",
            "visiting_body",
            "target_region",
            "rt_rw",
            "date",
            "place",
            "participants",
            "findings",
            "follow_ups",
            "created_at",
        ]
        read_only_fields = ["id", "visiting_body", "created_at"]


class PembinaanCreateSerializer(PembinaanVisitSerializer):
    team_region = ScopedPrimaryKeyRelatedField(
        model=Region,
        scope=_visit_teams,
        write_only=True,
        help_text="The kabupaten or kecamatan whose Tim Pembina visits.",
    )

    class Meta(PembinaanVisitSerializer.Meta):
        fields = [*PembinaanVisitSerializer.Meta.fields, "team_region"]
