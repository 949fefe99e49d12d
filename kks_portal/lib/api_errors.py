"""One error shape for every API error.

    {"error": {"status": 400, "code": "invalid", "message": "…", "fields": {"name": ["…"]}}}

DRF's own exceptions, Django's ``ValidationError``/``PermissionDenied``/``Http404`` raised by
services, and the 400/404/500 pages of URLs under ``/api/`` all come out in this shape.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler


def error_body(*, status_code: int, code: str, message: str, fields: dict | None = None) -> dict:
    error = {"status": status_code, "code": code, "message": str(message)}
    if fields:
        error["fields"] = fields
    return {"error": error}


def _flatten(detail):
    """DRF error details → plain strings/lists/dicts."""
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) for item in detail]
    return str(detail)


def _from_django(exc):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(exc.message_dict)
        return exceptions.ValidationError({"non_field_errors": exc.messages})
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    return exc


def exception_handler(exc, context):
    exc = _from_django(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # unexpected errors: Django's 500 handler answers (also in this shape)
    if isinstance(exc, exceptions.ValidationError):
        detail = _flatten(exc.detail)
        fields = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        body = error_body(
            status_code=response.status_code,
            code="invalid",
            message=_("Data yang dikirim tidak valid."),
            fields=fields,
        )
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        body = error_body(
            status_code=response.status_code,
            code=codes if isinstance(codes, str) else "error",
            message=_flatten(detail) if not isinstance(detail, (dict, list)) else _("Permintaan gagal."),
        )
    response.data = body
    return response


def json_bad_request(request):
    return JsonResponse(
        error_body(status_code=400, code="bad_request", message=_("Permintaan tidak dapat diproses.")),
        status=status.HTTP_400_BAD_REQUEST,
    )


def json_not_found(request):
    return JsonResponse(
        error_body(status_code=404, code="not_found", message=_("Tidak ditemukan.")), status=status.HTTP_404_NOT_FOUND
    )


def json_server_error(request):
    return JsonResponse(
        error_body(status_code=500, code="server_error", message=_("Terjadi kesalahan pada server.")),
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )
