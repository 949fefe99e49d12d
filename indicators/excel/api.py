"""The assessment's Excel workbook on the API: ``/api/assessments/<id>/workbook/`` downloads the
instrument-shaped workbook (every reader of the assessment) and fills the self-assessment from one
(the Bappeda admin), with the services of the web page (``indicators.excel.workbook``)."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from kks_portal.lib.files.responses import protected_file_response

from ..api import INVALID, NOT_FOUND, AssessmentPartViewSet
from ..serializers import ImportReportSerializer, WorkbookUploadSerializer
from .forms import AssessmentImportForm
from .workbook import assessment_export, assessment_import, can_import, export_filename

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class WorkbookViewSet(AssessmentPartViewSet):
    # `/api/assessments/<id>/workbook/`: GET downloads, POST (multipart) imports.

    serializer_class = ImportReportSerializer
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Download the self-assessment as an Excel workbook",
        description="The instrument-shaped workbook of the web page; for everyone who reads the assessment.",
        responses={(200, XLSX): OpenApiTypes.BINARY, 404: NOT_FOUND},
        tags=["assessments"],
    )
    def retrieve(self, request, pk=None):
        assessment = self.get_object()
        return protected_file_response(
            request,
            content=assessment_export(assessment=assessment),
            content_type=XLSX,
            filename=export_filename(assessment),
        )

    @extend_schema(
        summary="Fill the self-assessment from an Excel workbook (Bappeda admin)",
        description=(
            "Calls `assessment_import`: all-or-nothing, with a row-by-row report. A file that cannot "
            "be imported still answers 200 with `imported` false and the reasons in `problems` and "
            "`rows`; a missing, oversized or non-.xlsx file answers 400. Anyone but the Bappeda "
            "admin gets 404, as on the web."
        ),
        request={"multipart/form-data": WorkbookUploadSerializer},
        responses={200: ImportReportSerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["assessments"],
    )
    def create(self, request, pk=None):
        assessment = self.get_object()
        if not can_import(request.user, assessment):
            raise Http404  # as on the web: the upload does not exist for anyone else
        form = AssessmentImportForm(request.data, request.FILES)
        if not form.is_valid():
            raise ValidationError(form.errors)
        report = assessment_import(
            assessment=assessment,
            file=form.cleaned_data["file"],
            actor=request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
        report_data = {
            "filename": report.filename,
            "dry_run": report.dry_run,
            "imported": report.imported,
            "ok": report.ok,
            "summary": report.summary(),
            "counts": report.counts,
            "problems": [str(p) for p in report.problems],
            "notes": [str(n) for n in report.notes],
            "rows": [
                {
                    "sheet": row.sheet,
                    "first_row": row.rows[0],
                    "last_row": row.rows[1],
                    "status": row.status,
                    "status_label": row.status_label,
                    "subject": str(row.subject),
                    "message": str(row.message),
                }
                for row in report.rows
            ],
        }
        return Response(ImportReportSerializer(report_data).data)
