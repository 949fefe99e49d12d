"""The OpenAPI schema documents every error an operation can answer, in the one error shape.

drf-spectacular writes the success responses and whatever a view documents with
``@extend_schema``. ``ApiAutoSchema`` adds, to every operation, the errors the project's
machinery can give there, worked out from the operation itself rather than from a decorator per
view (a new view is documented the day it is added):

  400  the operation reads a request body or query parameters (validation, filters)
  401  the view authenticates: no or wrong credentials (Token authentication comes first, so
       DRF answers 401, not 403)
  403  an authenticated write: services refuse with ``PermissionDenied`` and session
       authentication refuses a write without its CSRF token; also any permission class beyond
       ``IsAuthenticated``
  404  a path parameter (out of scope is 404, never 403) or a paginated list (a page past the end)
  415  a request body: a media type none of the view's parsers reads
  429  the view is throttled

Codes a view documents itself (409 for a dossier step at the wrong moment, its own wording of a
404) are kept; a documented error without a body gets the error schema. Every error response has
the body of ``kks_portal.lib.api_errors``: ``{"error": {"status", "code", "message", "fields"?}}``.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions, serializers

ERROR_MEDIA_TYPES = ["application/json"]
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

ERROR_DESCRIPTIONS = {
    "400": "Invalid data or query parameters: the one error shape with `fields` (code invalid).",
    "401": "No credentials, or wrong ones (code not_authenticated or authentication_failed).",
    "403": "The caller may not do this (code permission_denied), or a session write without its CSRF token.",
    "404": "Not found, or outside the caller's scope (code not_found).",
    "415": "A request body in a media type this operation does not read (code unsupported_media_type).",
    "429": "Too many requests; try again later (code throttled).",
}


class ApiErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status, again.")
    code = serializers.CharField(help_text="A stable machine-readable code: invalid, not_found, conflict, …")
    message = serializers.CharField(help_text="For people, in the caller's language.")
    fields = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text="Invalid data only: the messages per field (non_field_errors for the whole).",
    )


class ApiErrorSerializer(serializers.Serializer):
    error = ApiErrorDetailSerializer()


def _is_authenticated_operation(view) -> bool:
    return bool(view.get_authenticators()) and not all(
        isinstance(permission, permissions.AllowAny) for permission in view.get_permissions()
    )


class ApiAutoSchema(AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]
        for code in self.error_statuses(operation):
            responses.setdefault(code, {"description": ERROR_DESCRIPTIONS[code]})
        for code, response in responses.items():
            if code >= "400" and "content" not in response:
                description = response.get("description") or ERROR_DESCRIPTIONS.get(code, "")
                responses[code] = {
                    **response,
                    **self._get_response_for_code(
                        OpenApiResponse(ApiErrorSerializer, description=description), code, ERROR_MEDIA_TYPES
                    ),
                }
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def error_statuses(self, operation) -> set[str]:
        """The error codes this operation can answer, from its parameters, body and view classes."""
        view = self.view
        parameters = operation.get("parameters", [])
        has_body = "requestBody" in operation
        codes = set()
        if has_body or any(parameter["in"] == "query" for parameter in parameters):
            codes.add("400")
        if view.get_authenticators():
            codes.add("401")
        refusing = [
            p for p in view.get_permissions() if not isinstance(p, (permissions.AllowAny, permissions.IsAuthenticated))
        ]
        if refusing or (self.method in UNSAFE_METHODS and _is_authenticated_operation(view)):
            codes.add("403")
        if any(parameter["in"] == "path" for parameter in parameters) or any(
            parameter["in"] == "query" and parameter["name"] == "page" for parameter in parameters
        ):
            codes.add("404")
        if has_body:
            codes.add("415")
        if view.get_throttles():
            codes.add("429")
        return codes
