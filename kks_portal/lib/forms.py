"""Form helpers shared by every app's views."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: each message on its field when the form has
    that field, otherwise at the top of the form, so nothing the service said is lost."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
