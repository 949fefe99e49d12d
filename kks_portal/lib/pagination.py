"""A paginator whose count stops at a cap (docs/PERFORMANCE.md, "Galleries").

Django's ``Paginator`` counts every row of the list to number its pages. On national data a
gallery of one tatanan holds a hundred thousand photos, and counting them costs more than showing
a page. ``CappedPaginator`` counts at most ``cap`` rows (``SELECT COUNT(*) FROM (… LIMIT cap + 1)``),
so a page costs the same on a kabupaten's data as on the country's; ``capped`` tells the template
that there are more rows than it counted, and only the newest ``cap`` can be paged to.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, cap: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def _counted(self) -> int:
        # The order does not change a count: dropped, so the limit can stop at any cap + 1 rows.
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        """More rows exist than were counted."""
        return self._counted > self.cap
