from rest_framework import serializers

from .models import Opd, Role, RoleAssignment, User


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
    # As long as a username can be: the login lockout records what was tried, in a column that long.
    username = serializers.CharField(max_length=User._meta.get_field("username").max_length)
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False, write_only=True)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


class UserSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="get_full_name", read_only=True)
    roles = RoleAssignmentSerializer(
        many=True,
        read_only=True,
        source="managed_roles",
        help_text="The user's roles inside the caller's administrative scope.",
    )

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "email", "phone", "is_active", "last_login", "roles"]
        read_only_fields = fields


class UserQuerySerializer(serializers.Serializer):
    """Query parameters of ``GET /api/users/``."""

    search = serializers.CharField(
        required=False, max_length=100, help_text="Part of the username, full name or e-mail."
    )
    role = serializers.ChoiceField(choices=Role.choices, required=False, help_text="Only users with this role.")
    is_active = serializers.BooleanField(required=False, allow_null=True, default=None)


class OpdSerializer(serializers.ModelSerializer):
    kabupaten_name = serializers.CharField(source="kabupaten.name", read_only=True)

    class Meta:
        model = Opd
        fields = ["id", "short_name", "name", "kabupaten", "kabupaten_name"]
        read_only_fields = fields
