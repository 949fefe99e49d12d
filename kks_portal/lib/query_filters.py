"""Typed filters for query strings: a malformed or out-of-range value is a 400, never a 500.

django-filter validates the query string with a Django form before it filters; a value the form
refuses makes ``DjangoFilterBackend`` raise ``ValidationError``, which ``api_errors`` answers as
400 in the one error shape, naming the parameter. The stock filters let too much through:

* ``NumberFilter`` is a ``DecimalField``: "1.5", "-1" and 10**20 pass, and reach the database
  (``OverflowError`` on SQLite, ``DataError`` on PostgreSQL) or the date arithmetic of
  ``date__year`` (year -1 or 10**20 is no date): a 500.
* ``BooleanFilter`` reads anything but true/false as "no filter", so ``?complete=ya`` silently
  lists everything.

So an id in a query string is ``IdFilter`` (1 to ``MAX_ID``, the ids ``url_ids`` lets into a
URL), a year ``YearFilter`` (``MIN_YEAR``–``MAX_YEAR``: every award and data year the
programme has or will have, and nothing date arithmetic chokes on), a yes/no ``StrictBooleanFilter``.
Query serializers use the same bounds: ``IntegerField(min_value=1, max_value=MAX_ID)`` for an id,
``MIN_YEAR``/``MAX_YEAR`` for a year.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kks_portal.lib.url_ids import MAX_ID_DIGITS

MAX_ID = 10**MAX_ID_DIGITS - 1
MIN_YEAR, MAX_YEAR = 1900, 2100

TRUE_VALUES = frozenset({"true", "1", "yes"})
FALSE_VALUES = frozenset({"false", "0", "no"})


class IdFilter(django_filters.NumberFilter):
    """The id of a row: a whole number from 1 to ``MAX_ID``."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)

    def get_max_validator(self):
        return None  # the field's own max_value


class YearFilter(IdFilter):
    """An award or data year: ``MIN_YEAR`` to ``MAX_YEAR``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        super().__init__(*args, **kwargs)


class StrictBooleanField(forms.Field):
    """true/false (also 1/0, yes/no); anything else is an error, not "no filter"."""

    default_error_messages = {"invalid": _("Isi dengan true atau false.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip().lower()
        if text in TRUE_VALUES:
            return True
        if text in FALSE_VALUES:
            return False
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


def query_text(params, name: str, *, max_length: int = 200) -> str:
    """The free text of a page's query parameter ``name``, stripped, or "" when it is missing or
    malformed: pages ignore what they cannot use (``url_ids``). Malformed is longer than
    ``max_length`` or holding a NUL character, which PostgreSQL refuses in text (a 500 there)."""
    value = str(params.get(name, "") or "").strip()
    return "" if "\x00" in value or len(value) > max_length else value
