"""Serializers of the dossier API: the dossier with its versions, a version's status, the
comparison of two versions (``dossiers.diff.compare``). Everything here is read-only output; the one
input is the comparison's query (``DiffQuerySerializer``)."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from accounts.serializers import RegionRefSerializer
from kks_portal.lib.query_filters import MAX_ID

from .models import DossierVersion


class DossierVersionSerializer(serializers.ModelSerializer):
    """One compile: the job's status while it runs, then the sealed PDF's figures."""

    state = serializers.CharField(help_text="queued, running, done or failed.")
    state_label = serializers.CharField(source="get_state_display")
    active = serializers.BooleanField(source="is_active", help_text="Still queued or running: poll again.")
    created_by = serializers.SerializerMethodField()
    chapters_total = serializers.SerializerMethodField()
    chapters_done = serializers.SerializerMethodField()
    status_url = serializers.SerializerMethodField(help_text="This status (poll it while `active`).")
    download_url = serializers.SerializerMethodField(help_text="The PDF, once the version is done; else null.")

    class Meta:
        model = DossierVersion
        fields = [
            "number",
            "state",
            "state_label",
            "active",
            "progress",
            "error",
            "created_at",
            "created_by",
            "started_at",
            "finished_at",
            "sha256",
            "manifest_sha256",
            "page_count",
            "size",
            "chapters_total",
            "chapters_done",
            "chapters_rendered",
            "chapters_reused",
            "submitted",
            "submitted_at",
            "status_url",
            "download_url",
        ]
        read_only_fields = fields

    def get_created_by(self, version) -> str:
        return version.created_by.get_full_name() if version.created_by_id else ""

    def get_chapters_total(self, version) -> int:
        return len(version.plan)

    def get_chapters_done(self, version) -> int:
        return len(version.chapter_renders)

    def _url(self, name: str, version) -> str:
        return reverse(name, kwargs={"pk": version.dossier.assessment_id, "number": version.number})

    def get_status_url(self, version) -> str:
        return self._url("dossier-version", version)

    def get_download_url(self, version) -> str | None:
        return self._url("dossier-version-pdf", version) if version.is_done and version.pdf else None


class DossierSerializer(serializers.Serializer):
    """The dossier of an assessment (an assessment without a compile yet is a draft with no versions)."""

    assessment = serializers.IntegerField(source="assessment.pk", help_text="Id of the assessment.")
    kabupaten = RegionRefSerializer(source="assessment.kabupaten")
    cycle = serializers.IntegerField(source="assessment.cycle.award_year", help_text="Award year of the cycle.")
    status = serializers.CharField(help_text="The verification status, e.g. draft, submitted, returned.")
    status_label = serializers.CharField()
    submitted_version = serializers.IntegerField(allow_null=True, help_text="Number of the version under review.")
    can_compile = serializers.BooleanField(help_text="Whether the caller may start a compile.")
    versions = DossierVersionSerializer(many=True, help_text="Newest first.")


class DiffQuerySerializer(serializers.Serializer):
    dari = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="Version to compare from; default: the last one submitted before `ke`.",
    )
    ke = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="Version to compare to; default: the latest finished one.",
    )


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="e.g. value_year1, explanation, self, provincial, national.")
    label = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class FileChangeSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="added, removed or replaced.")
    id = serializers.IntegerField(help_text="Id of the evidence file (the new one when replaced).")
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    name = serializers.CharField()
    sha256 = serializers.CharField(help_text="SHA-256 of the file's bytes.")
    data_year = serializers.IntegerField(allow_null=True)
    owner = serializers.CharField(help_text="What the file belongs to, e.g. the requirement of an indicator.")
    old_id = serializers.IntegerField(allow_null=True)
    old_name = serializers.CharField()
    old_sha256 = serializers.CharField()


class RecordDiffSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="indicator, kelembagaan, activity, titik_pantau, innovation or owner.")
    key = serializers.CharField(help_text='"kind:id", e.g. indicator:12 (owner: the evidence owner, e.g. lembaga:3).')
    label = serializers.CharField()
    status = serializers.CharField(help_text="added, removed, changed, or files (only its evidence changed).")
    changes = FieldChangeSerializer(many=True)
    files = FileChangeSerializer(many=True)


class SectionSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="A tatanan code, or kelembagaan, kegiatan, inovasi.")
    title = serializers.CharField()
    records = RecordDiffSerializer(many=True)


class VersionRefSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    submitted = serializers.BooleanField()
    has_snapshot = serializers.BooleanField(help_text="False for versions compiled before snapshots existed.")


class DiffSerializer(serializers.Serializer):
    old = VersionRefSerializer(allow_null=True, help_text="Null when there are not two finished versions yet.")
    new = VersionRefSerializer(allow_null=True)
    available = serializers.BooleanField(help_text="False when a version has no snapshot (or there is no pair).")
    missing_snapshot = serializers.ListField(child=serializers.IntegerField(), help_text="Versions without one.")
    counts = serializers.DictField(child=serializers.IntegerField())
    sections = SectionSerializer(many=True)
