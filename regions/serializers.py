from rest_framework import serializers

from .models import Region


class RegionSerializer(serializers.ModelSerializer):
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    parent = serializers.CharField(
        source="parent_id", allow_null=True, read_only=True, help_text="Code of the region directly above."
    )

    class Meta:
        model = Region
        fields = ["code", "name", "level", "level_label", "kind", "kind_label", "parent"]


class RegionAncestorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "level", "kind"]


class RegionCountsSerializer(serializers.Serializer):
    """What lies below a region; a level above the region itself is always 0."""

    children = serializers.IntegerField(help_text="Regions directly below.")
    kabupaten = serializers.IntegerField()
    kota = serializers.IntegerField()
    kecamatan = serializers.IntegerField()
    desa = serializers.IntegerField()
    kelurahan = serializers.IntegerField()


class RegionDetailSerializer(RegionSerializer):
    ancestors = RegionAncestorSerializer(
        many=True, read_only=True, help_text="The regions above this one, province first (breadcrumbs)."
    )
    counts = RegionCountsSerializer(read_only=True)

    class Meta(RegionSerializer.Meta):
        fields = [*RegionSerializer.Meta.fields, "ancestors", "counts"]
