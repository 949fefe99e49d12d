"""The dossier API, under ``/api/dossiers/<assessment id>/``: the dossier with its versions,
starting a compile (the kabupaten's Bappeda admin), a version's status for polling and its PDF,
the comparison of two versions and the SIPANTAS export.

The dossier is read by the same people as on the web (``dossiers.selectors``): the kabupaten's
Bappeda admin, its province's verifiers, the national verifiers and the superuser; for anyone
else it does not exist (404). Compiling calls the same service as the page
(``dossier_compile``): other readers get 403, and a compile asked for while another one runs
gets 409 with the code ``busy``, all in the one error shape of ``kks_portal.lib.api_errors``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from kks_portal.lib.url_ids import ID_REGEX

from .diff.compare import diff_pair, version_diff
from .downloads import version_pdf_response
from .export.sipantas import sipantas_filename, sipantas_json
from .models import Dossier
from .selectors import can_compile_dossier, dossier_assessments_visible_to, versions_of
from .serializers import DiffQuerySerializer, DiffSerializer, DossierSerializer, DossierVersionSerializer
from .services import dossier_compile

NOT_FOUND = OpenApiResponse(description="Outside the caller's scope (the one error shape, code not_found).")
INVALID = OpenApiResponse(description="Invalid data: the one error shape with `fields` (code invalid).")
FORBIDDEN = OpenApiResponse(description="A reader who may not compile (code permission_denied).")
BUSY = OpenApiResponse(description="Another compile of this dossier is queued or running (code busy).")
ASSESSMENT_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Id of the assessment.")
VERSION_NUMBER = OpenApiParameter("number", OpenApiTypes.INT, OpenApiParameter.PATH, description="Version number.")


class CompileBusy(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Dossier sedang disusun. Tunggu sampai selesai sebelum menyusun lagi.")
    default_code = "busy"


class DossierViewSet(viewsets.GenericViewSet):
    serializer_class = DossierSerializer
    filter_backends = []
    pagination_class = None

    def get_queryset(self):
        return dossier_assessments_visible_to(self.request.user)

    def _versions(self, assessment):
        return versions_of(assessment).select_related("dossier")

    def _version(self, assessment, number):
        return get_object_or_404(self._versions(assessment), number=number)

    @extend_schema(
        summary="The dossier of an assessment: verification status and versions",
        parameters=[ASSESSMENT_ID],
        responses={200: DossierSerializer, 404: NOT_FOUND},
        tags=["dossiers"],
    )
    def retrieve(self, request, pk=None):
        assessment = self.get_object()
        dossier = Dossier.objects.filter(assessment=assessment).select_related("submitted_version").first()
        data = {
            "assessment": assessment,
            "status": dossier.status if dossier else Dossier.Status.DRAFT,
            "status_label": dossier.get_status_display() if dossier else Dossier.Status.DRAFT.label,
            "submitted_version": dossier.submitted_version.number if dossier and dossier.submitted_version else None,
            "can_compile": can_compile_dossier(request.user, assessment),
            "versions": list(self._versions(assessment)),
        }
        return Response(DossierSerializer(data).data)

    @extend_schema(
        summary="Start a compile (Bappeda admin of the kabupaten/kota)",
        description=(
            "Calls `dossier_compile`: queues a new version (202) whose chapters the workers render; "
            "poll its `status_url`. Other readers get 403; while another compile of the dossier is "
            "queued or running, 409 with code `busy`."
        ),
        parameters=[ASSESSMENT_ID],
        request=None,
        responses={202: DossierVersionSerializer, 403: FORBIDDEN, 404: NOT_FOUND, 409: BUSY},
        tags=["dossiers"],
    )
    @action(detail=True, methods=["post"], url_path="compile", url_name="compile")
    def compile(self, request, pk=None):
        assessment = self.get_object()
        try:
            version = dossier_compile(assessment=assessment, actor=request.user)
        except DjangoValidationError as error:
            if getattr(error, "code", None) == "busy":
                raise CompileBusy(error.messages[0]) from error
            raise
        version = self._versions(assessment).get(pk=version.pk)
        return Response(DossierVersionSerializer(version).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="One version: the compile's status while it runs, then the sealed PDF's figures",
        parameters=[ASSESSMENT_ID, VERSION_NUMBER],
        responses={200: DossierVersionSerializer, 404: NOT_FOUND},
        tags=["dossiers"],
    )
    @action(detail=True, methods=["get"], url_path=rf"versions/(?P<number>{ID_REGEX})", url_name="version")
    def version(self, request, pk=None, number=None):
        return Response(DossierVersionSerializer(self._version(self.get_object(), number)).data)

    @extend_schema(
        summary="Download a finished version's PDF",
        parameters=[ASSESSMENT_ID, VERSION_NUMBER],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: NOT_FOUND},
        tags=["dossiers"],
    )
    @action(detail=True, methods=["get"], url_path=rf"versions/(?P<number>{ID_REGEX})/pdf", url_name="version-pdf")
    def version_pdf(self, request, pk=None, number=None):
        assessment = self.get_object()
        version = self._version(assessment, number)
        return version_pdf_response(request, version, inline=False)

    @extend_schema(
        summary="What changed between two versions",
        description=(
            "Indicators (data of both years, explanation, self/provincial/national scores), "
            "kelembagaan entries, activities, titik pantau, innovations and evidence files (added, "
            "removed, replaced, with their SHA-256), old → new, grouped by tatanan. By default the "
            "latest finished version against the last one submitted before it. `available` is false "
            "when a version was compiled before versions kept their snapshot, or when there are not "
            "two finished versions yet (then `old` and `new` are null)."
        ),
        parameters=[ASSESSMENT_ID, DiffQuerySerializer],
        responses={200: DiffSerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["dossiers"],
    )
    @action(detail=True, methods=["get"], url_path="diff", url_name="diff")
    def diff(self, request, pk=None):
        assessment = self.get_object()
        pair = diff_pair(assessment, dari=request.query_params.get("dari"), ke=request.query_params.get("ke"))
        if pair is None:
            empty = {"old": None, "new": None, "available": False, "missing_snapshot": [], "counts": {}, "sections": []}
            return Response(DiffSerializer(empty).data)
        return Response(DiffSerializer(version_diff(*pair)).data)

    @extend_schema(
        summary="SIPANTAS export as JSON",
        description=(
            "Per indicator: data of both data years, explanation, the three scores and the evidence "
            "files with their SHA-256 and (scoped) download links, in the national system's order."
        ),
        parameters=[ASSESSMENT_ID],
        responses={200: OpenApiTypes.OBJECT, 404: NOT_FOUND},
        tags=["dossiers"],
    )
    @action(detail=True, methods=["get"], url_path="sipantas", url_name="sipantas")
    def sipantas(self, request, pk=None):
        assessment = self.get_object()
        response = Response(sipantas_json(assessment))
        response["Content-Disposition"] = f'inline; filename="{sipantas_filename(assessment, "json")}"'
        return response
