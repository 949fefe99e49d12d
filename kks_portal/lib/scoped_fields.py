"""Related fields that offer and accept only what the caller may see.

A field that takes an id is a door into another table. DRF's ``PrimaryKeyRelatedField`` and
Django's ``ModelChoiceField`` open it to every row their queryset holds, so a queryset of
``Model.objects.all()`` lets a caller name an object of any kabupaten. Here the queryset is
asked of a selector at validation time, with the request's user (and, where the rule depends
on it, the parent object the serializer works on), so the field's choices are the scope.

An id outside the queryset gets one message, :data:`OUT_OF_SCOPE`, whether the object does not
exist or belongs to somebody else: the answer must not tell the two apart (no existence leak).
On the API it is a 400 in the one error shape (``kks_portal.lib.api_errors``).

Where a service already checks a value against the parent (``forums.workplans.services``,
``evidence.services``), the service stays the one home of the rule: the selector the field
calls is the one the service calls.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from kks_portal.lib.url_ids import ModelMultipleIdChoiceField

OUT_OF_SCOPE = _("Tidak ditemukan atau di luar wilayah Anda.")

# (user, serializer) → the rows the field accepts. The serializer is the root one: its
# ``instance`` (on an update) and its ``context`` (the parent object on a nested create) are there.
Scope = Callable[..., QuerySet]


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary-key field whose queryset comes from ``scope(user, serializer)``.

    Without a request in the serializer's context nothing is accepted: a serializer that
    forgets to pass it fails closed, never open. ``model`` names the target for the OpenAPI
    schema (an integer id) without giving the field any rows of its own.
    """

    default_error_messages = {"does_not_exist": OUT_OF_SCOPE}

    def __init__(self, *, model: type[Model], scope: Scope, **kwargs):
        self.scope = scope
        if not kwargs.get("read_only"):
            kwargs["queryset"] = model._default_manager.none()
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not getattr(user, "is_authenticated", False):
            return self.queryset.none()
        return self.scope(user, self.root)


class ScopedModelChoiceField(forms.ModelChoiceField):
    """A form's choice of one object: no rows until the form gives it its scoped queryset, and
    the one message for an id outside it."""

    default_error_messages = {"invalid_choice": OUT_OF_SCOPE}

    def __init__(self, queryset: QuerySet | None = None, **kwargs):
        super().__init__(queryset=queryset, **kwargs)


class ScopedModelMultipleChoiceField(ModelMultipleIdChoiceField):
    """A form's choice of several objects, scoped as :class:`ScopedModelChoiceField`."""

    default_error_messages = {"invalid_choice": OUT_OF_SCOPE, "invalid_pk_value": OUT_OF_SCOPE}

    def __init__(self, queryset: QuerySet | None = None, **kwargs):
        super().__init__(queryset=queryset, **kwargs)
