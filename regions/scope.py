"""A set of regions named by code prefixes: what a user may read.

A Kemendagri code is hierarchical (``36`` → ``36.04`` → ``36.04.17`` → ``36.04.17.2001``), so
"this region and everything below it" is a match on whole code segments. Who gets which scope
is decided in ``accounts.selectors.scope_of``; the middleware ``accounts.middleware`` puts the
current user's scope on ``request.scope`` so that apps left of ``accounts`` can use it without
importing it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class Scope:
    """The regions a user may read. ``everything`` wins over ``prefixes``."""

    everything: bool
    prefixes: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not self.everything and not self.prefixes

    def covers(self, code: str | None) -> bool:
        if self.everything:
            return True
        if not code:
            return False
        return any(code == p or code.startswith(p + ".") for p in self.prefixes)

    def q(self, field: str) -> Q:
        """A filter on a region-code field (``"code"`` on Region, ``"region__code"`` through a foreign key)."""
        if self.everything:
            return Q()
        if not self.prefixes:
            return Q(pk__in=[])
        query = Q()
        for prefix in self.prefixes:
            query |= Q(**{field: prefix}) | Q(**{f"{field}__startswith": prefix + "."})
        return query
