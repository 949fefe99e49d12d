from django import template

from accounts.selectors import region_label

register = template.Library()


@register.filter
def region_name(region) -> str:
    """ "Kecamatan Carenang" rather than a bare "Carenang", which is also the name of a desa."""
    if region is None:
        return ""
    return region_label(name=region.name, kind=region.kind)
