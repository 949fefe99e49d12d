import django_filters
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Region
from .selectors import SEARCH_MAX_LENGTH, SEARCH_MIN_LENGTH, below_q, search_ordering, search_q

code_validator = RegexValidator(
    r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$", _("Bukan kode wilayah Kemendagri.")
)


class RegionFilter(django_filters.FilterSet):
    level = django_filters.TypedChoiceFilter(
        choices=Region.Level.choices,
        coerce=int,
        help_text="1 provinsi, 2 kabupaten/kota, 3 kecamatan, 4 desa/kelurahan.",
    )
    kind = django_filters.ChoiceFilter(choices=Region.Kind.choices)
    parent = django_filters.CharFilter(
        field_name="parent_id", validators=[code_validator], help_text="Code of the parent: its direct children."
    )
    code_prefix = django_filters.CharFilter(
        method="filter_code_prefix",
        validators=[code_validator],
        help_text="A region code: that region and everything below it (whole segments, 36.04 never matches 36.041).",
    )
    search = django_filters.CharFilter(
        method="filter_search",
        min_length=SEARCH_MIN_LENGTH,
        max_length=SEARCH_MAX_LENGTH,
        help_text="Name contains, or code starts with, this text (at least 2 characters). "
        "Results come higher levels first.",
    )

    class Meta:
        model = Region
        fields = ["level", "kind", "parent", "code_prefix", "search"]

    def filter_code_prefix(self, queryset, name, value):
        return queryset.filter(below_q(value) | Q(code=value))

    def filter_search(self, queryset, name, value):
        # The same rule and order as the search box of the region browser.
        return queryset.filter(search_q(value)).order_by(*search_ordering(value))
