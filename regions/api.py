"""Read-only API of the regions.

Regions are public reference data (the Kemendagri list), so any authenticated caller reads
all of them: the querysets come from ``regions.selectors`` without a scope filter, as in the
region browser (see ``regions.views``).
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.response import Response

from .filters import RegionFilter
from .selectors import region_ancestors, region_list, region_subtree_counts
from .serializers import RegionDetailSerializer, RegionSerializer

CODE_PARAMETER = OpenApiParameter(
    "code", str, OpenApiParameter.PATH, description="Kemendagri code, e.g. 36.04.17.2001.", pattern=r"^[0-9.]+$"
)


@extend_schema_view(
    list=extend_schema(
        summary="List regions",
        description="Provinsi, kabupaten/kota, kecamatan and desa/kelurahan, in code order (search: by level).",
        tags=["regions"],
    ),
    retrieve=extend_schema(
        summary="One region",
        description="A region with the regions above it and how many of each kind lie below it.",
        parameters=[CODE_PARAMETER],
        tags=["regions"],
    ),
)
class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "code"
    lookup_value_regex = r"[0-9.]+"
    filterset_class = RegionFilter
    serializer_class = RegionSerializer

    def get_queryset(self):
        return region_list()

    def get_serializer_class(self):
        return RegionDetailSerializer if self.action == "retrieve" else RegionSerializer

    def retrieve(self, request, *args, **kwargs):
        region = self.get_object()
        counts = region_subtree_counts(region=region)
        region.ancestors = region_ancestors(region=region)
        region.counts = {
            "children": counts.at_level(region.level + 1),
            "kabupaten": counts.kabupaten,
            "kota": counts.kota,
            "kecamatan": counts.kecamatan,
            "desa": counts.desa,
            "kelurahan": counts.kelurahan,
        }
        return Response(self.get_serializer(region).data)
