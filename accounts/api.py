"""The accounts API: tokens, the caller's own account, and read-only scoped lists of users and
OPDs. Every queryset comes from ``accounts.selectors``; errors take the one shape of
``kks_portal.lib.api_errors``."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, permissions, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from kks_portal.lib.throttling import ScopedRateThrottle

from .selectors import can_manage_users, opds_visible_to, role_assignments_of, scope_of, user_search
from .serializers import (
    MeSerializer,
    OpdSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
    UserQuerySerializer,
    UserSerializer,
)


class InvalidCredentials(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_credentials"
    default_detail = _("Nama pengguna atau kata sandi salah, atau akun tidak aktif.")


class TokenRateThrottle(ScopedRateThrottle):
    """A brake on password guessing at the one anonymous door of the API, per client address
    (``kks_portal.lib.client_ip``). Failed passwords also count towards the login lockout
    (``accounts.lockout``), per account and per address.

    The rate comes from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["token"]``, read at each
    request (so tests can change it) and defaulting to 20 a minute when settings name none.
    """

    default_rate = "20/min"

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope) or self.default_rate


class TokenView(APIView):
    """Exchange a username and password for an API token (send it as ``Authorization: Token …``)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes = [TokenRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            400: OpenApiResponse(description="Missing fields, or wrong username/password (code invalid_credentials)."),
            429: OpenApiResponse(
                description=(
                    "Too many attempts from this address (code throttled), or the account or address is locked "
                    "after repeated wrong passwords (code locked_out); Retry-After gives the seconds to wait."
                )
            ),
        },
        tags=["auth"],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The Django request, not DRF's wrapper: django-axes marks a refused login on it, and its
        # middleware, which only sees the Django request, turns that into the 429 locked_out answer
        # (accounts.lockout.lockout_response) instead of the 400 below.
        user = authenticate(
            request._request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        # ModelBackend already refuses inactive users; the check stays for other backends.
        if user is None or not user.is_active:
            raise InvalidCredentials()
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MeView(APIView):
    """The caller's account, roles and the region scope every other endpoint applies."""

    @extend_schema(responses=MeSerializer, tags=["auth"])
    def get(self, request):
        user = request.user
        user.roles = role_assignments_of(user)
        user.scope = scope_of(user)
        user.can_manage_users = can_manage_users(user)
        return Response(MeSerializer(user).data)


@extend_schema_view(
    list=extend_schema(
        summary="Users the caller manages",
        description=(
            "Bappeda admins see the users holding a role in their kabupaten/kota, the superuser sees "
            "everyone, anybody else an empty list. `roles` lists only roles inside the caller's scope."
        ),
        parameters=[UserQuerySerializer],
    ),
    retrieve=extend_schema(summary="One user the caller manages (404 outside the caller's scope)"),
)
class UserViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UserSerializer
    filter_backends: list = []  # filtering is the selector's job (see UserQuerySerializer)

    def get_queryset(self):
        if self.action != "list":
            return user_search(actor=self.request.user)
        params = UserQuerySerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        return user_search(
            actor=self.request.user,
            query=data.get("search", ""),
            role=data.get("role", ""),
            is_active=data.get("is_active"),
        )


@extend_schema_view(
    list=extend_schema(summary="OPDs of the kabupaten/kota in the caller's scope"),
    retrieve=extend_schema(summary="One OPD (404 outside the caller's scope)"),
)
class OpdViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OpdSerializer
    filterset_fields = ["kabupaten"]

    def get_queryset(self):
        return opds_visible_to(self.request.user).order_by("kabupaten_id", "short_name")
