"""Ids and years in URLs: what a malformed one answers (404, never a 500).

One rule for the whole portal, pages and API alike:

1. An id is 1 to 18 decimal digits. Anything else ("abc", "1.5", "-1", "") does not match the
   route, so the URL resolver answers 404 before a view runs (under ``/api/`` in the one error
   shape, ``api_errors.json_not_found``).
2. Why 18: the largest id a database can hold is 2**63 - 1 (19 digits). A longer number would
   reach the database and fail there (``OverflowError`` on SQLite, ``DataError`` on PostgreSQL),
   which is a 500; 18 digits always fit, and such a row simply does not exist: 404.
3. A year in a URL (``<year:award_year>``) is 1 to 4 digits, so date arithmetic and lookups see
   0–9999 at most; the view decides whether such a year exists.

Pages use the ``<id:…>`` and ``<year:…>`` path converters registered here; API viewsets are
registered on ``Router``, which gives every viewset that does not set its own
``lookup_value_regex`` the same id pattern (``@action`` routes with their own parameters use
``ID_REGEX`` in their ``url_path``). Region codes are strings and keep their own patterns.

Query strings follow one rule per side. The API answers a malformed or out-of-range value with
400 in the one error shape (typed filters in ``query_filters``, bounded query serializers). Pages
ignore such a value and show their default (no filter; Django's ``Paginator.get_page`` shows the
first page for ``?page=abc``, the last for a number past the end): a person who edits the address
gets a page, not an error. Values typed into a page's own form (the region search, the dossier
comparison's versions) come back on the page with the form's message. Ids read by hand from a
form or query string go through ``parse_id``, a form's choice of several rows through
``ModelMultipleIdChoiceField``, free text read from a query string by hand through
``query_filters.query_text``.

A URL module that uses the converters imports this module, so they are registered before its
patterns are built, whichever module is imported first.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.urls import register_converter
from rest_framework.routers import SimpleRouter

MAX_ID_DIGITS = 18
ID_REGEX = rf"[0-9]{{1,{MAX_ID_DIGITS}}}"
YEAR_REGEX = r"[0-9]{1,4}"
_ID = re.compile(ID_REGEX, re.ASCII)


class IdConverter:
    regex = ID_REGEX

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


class YearConverter(IdConverter):
    regex = YEAR_REGEX


def parse_id(value) -> int | None:
    """The id in ``value`` (a form field, a query parameter) by the same rule as a URL, or None.

    ``str.isdigit`` is no test: "²" is a digit to it and no number to ``int``, and it lets through
    numbers too big for the database."""
    text = str(value if value is not None else "").strip()
    return int(text) if _ID.fullmatch(text) else None


class ModelMultipleIdChoiceField(forms.ModelMultipleChoiceField):
    """A form's choice of several rows by id, each id held to the URL rule (``parse_id``) before
    the database sees it: Django looks the choices up with ``pk__in``, which it does not guard
    against numbers too big for the column (``OverflowError`` on SQLite: a 500)."""

    def _check_values(self, value):
        if (self.to_field_name or "pk") == "pk":
            for pk in value:
                if parse_id(pk) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super()._check_values(value)


register_converter(IdConverter, "id")
register_converter(YearConverter, "year")


class Router(SimpleRouter):
    """DRF's router with integer lookups: ``/api/activities/abc/`` is 404, not a 500 from
    ``int("abc")`` or the ORM. A viewset with another lookup (a region code, an award year)
    sets its own ``lookup_value_regex``."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        if getattr(viewset, "lookup_value_regex", None) is None:
            lookup = getattr(viewset, "lookup_url_kwarg", None) or getattr(viewset, "lookup_field", "pk")
            return f"(?P<{lookup_prefix}{lookup}>{ID_REGEX})"
        return super().get_lookup_regex(viewset, lookup_prefix)
