from rest_framework import serializers

from .models import Opd, RoleAssignment, User


class RegionRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.IntegerField()
    kind = serializers.CharField()


class OpdRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Opd
        fields = ["id", "name", "short_name", "kabupaten"]


class RoleAssignmentSerializer(serializers.ModelSerializer):
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    region = RegionRefSerializer(allow_null=True)
    opd = OpdRefSerializer(allow_null=True)

    class Meta:
        model = RoleAssignment
        fields = ["id", "role", "role_label", "region", "opd"]


class ScopeSerializer(serializers.Serializer):
    everything = serializers.BooleanField(help_text="True when the user reads every region.")
    prefixes = serializers.ListField(
        child=serializers.CharField(), help_text="Region codes whose subtrees the user reads."
    )


class MeSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="get_full_name", read_only=True)
    roles = RoleAssignmentSerializer(many=True, read_only=True)
    scope = ScopeSerializer(read_only=True)
    can_manage_users = serializers.BooleanField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "email", "is_superuser", "roles", "scope", "can_manage_users"]


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False, write_only=True)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
