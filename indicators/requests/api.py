"""The data requests API (``/api/data-requests/``): the Bappeda admin asks an OPD for the data of
some entries or for titik pantau, and the secretaries of Forum/Pokja for their kelembagaan
documents, by a deadline, and reminds the OPD's operators. The requests are read, with what each
still waits for, by the Bappeda admin of the kabupaten/kota, by the operators of the OPD asked
and by the secretaries of the Forum/Pokja asked (``selectors.data_requests_visible_to``)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.access import require_kabupaten_admin
from tatanan.models import Tatanan

from ..api import INVALID, NOT_FOUND, assessment_named_in
from ..filters import DataRequestFilter
from ..models import DataRequest
from ..serializers import (
    DataRequestAssignSerializer,
    DataRequestSerializer,
    KelembagaanRequestSerializer,
    TitikPantauRequestSerializer,
)
from .selectors import data_requests_visible_to, outstanding_of, today
from .services import data_request_assign, data_request_documents, data_request_remind, data_request_titik_pantau


def with_outstanding(data_requests) -> list[DataRequest]:
    """The requests, each with what it still waits for (``outstanding_of``, read from the data)
    as the serializer's ``outstanding``, ``outstanding_count`` and ``overdue``."""
    data_requests = list(data_requests)
    items = outstanding_of(data_requests)
    for data_request in data_requests:
        data_request.outstanding_items = items[data_request.pk]
        data_request.outstanding_count = sum(item.count for item in data_request.outstanding_items)
        data_request.overdue = bool(data_request.outstanding_count and data_request.deadline < today())
    return data_requests


@extend_schema_view(
    list=extend_schema(
        summary="Data requests, with what each still waits for",
        description=(
            "Bappeda admins read the requests of their kabupaten/kota; OPD operators those made to "
            "their OPD (entries, titik pantau), secretaries those made to their Forum/Pokja "
            "(kelembagaan documents): what is addressed to them, read-only. Verifiers read none "
            "(the kabupaten's internal business). `outstanding` is read from the data every time."
        ),
        tags=["assessments"],
    ),
    retrieve=extend_schema(
        summary="One data request", responses={200: DataRequestSerializer, 404: NOT_FOUND}, tags=["assessments"]
    ),
)
class DataRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Writes call ``indicators.requests.services``: only the Bappeda admin of the kabupaten/kota
    (or a superuser) asks and reminds; to anyone else the service answers 404."""

    serializer_class = DataRequestSerializer
    filterset_class = DataRequestFilter

    def get_queryset(self):
        return (
            data_requests_visible_to(self.request.user)
            .select_related("opd", "region", "assessment__kabupaten", "assessment__cycle")
            .prefetch_related(Prefetch("tatanan", queryset=Tatanan.objects.order_by("number")))
            .order_by("assessment_id", "deadline", "opd__short_name", "region_id")
        )

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        if page is not None:
            return self.get_paginated_response(self.get_serializer(with_outstanding(page), many=True).data)
        return Response(self.get_serializer(with_outstanding(queryset), many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return Response(self._answer(self.get_object()))

    def _answer(self, data_request):
        (data_request,) = with_outstanding([data_request])
        return self.get_serializer(data_request).data

    def _fresh(self, data_requests) -> list[DataRequest]:
        """The requests a write made, read again as the list reads them."""
        return with_outstanding(self.get_queryset().filter(pk__in=[r.pk for r in data_requests]))

    def _assessment_for_write(self, request):
        """The assessment the body names, looked up in the caller's scope (404 outside), and the
        services' rule checked before the body is judged: anyone but the Bappeda admin gets 404."""
        assessment = assessment_named_in(request)
        if assessment is not None:
            require_kabupaten_admin(request.user, assessment.kabupaten_id)
        return assessment

    @extend_schema(
        summary="Ask an OPD for the data of some entries by a deadline (Bappeda admin)",
        description=(
            "Calls `data_request_assign`: assigns the entries to the OPD and creates its request "
            "(201) or moves its deadline (200). Anyone but the Bappeda admin of the kabupaten/kota "
            "gets 404, as on the web."
        ),
        request=DataRequestAssignSerializer,
        responses={201: DataRequestSerializer, 200: DataRequestSerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["assessments"],
    )
    def create(self, request, *args, **kwargs):
        # The assessment is the parent the request is written into: one the caller does not read
        # answers 404, as a URL would, before the OPD and entries are judged against it.
        assessment = assessment_named_in(request)
        context = {**self.get_serializer_context(), "assessment": assessment}
        params = DataRequestAssignSerializer(data=request.data, context=context)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        data.pop("assessment")
        opd = data.pop("opd")
        existed = self.get_queryset().filter(assessment=assessment, opd=opd, kind=DataRequest.Kind.ENTRIES).exists()
        data_request = data_request_assign(assessment=assessment, opd=opd, actor=request.user, **data)
        return Response(
            self._answer(self.get_queryset().get(pk=data_request.pk)),
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Ask an OPD for the titik pantau of some tatanan by a deadline (Bappeda admin)",
        description=(
            "Calls `data_request_titik_pantau`: at least `points_min` titik pantau per tatanan (of "
            "`point_kinds` only, when given), each with desa/kelurahan, address and coordinates. "
            "Creates the OPD's titik pantau request (201) or replaces what it was asked (200). While "
            "the request stands and the round is open, the OPD's operators may add and change those "
            "titik pantau. Anyone but the Bappeda admin of the kabupaten/kota gets 404, as on the web."
        ),
        request=TitikPantauRequestSerializer,
        responses={201: DataRequestSerializer, 200: DataRequestSerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["assessments"],
    )
    @action(detail=False, methods=["post"], url_path="titik-pantau", filter_backends=[], pagination_class=None)
    def titik_pantau(self, request):
        assessment = self._assessment_for_write(request)
        context = {**self.get_serializer_context(), "assessment": assessment}
        params = TitikPantauRequestSerializer(data=request.data, context=context)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        if assessment is None or data.pop("assessment") != assessment.pk:
            raise Http404  # an id the URL rule refuses but the integer field took ("1.0")
        kind = DataRequest.Kind.TITIK_PANTAU
        existed = self.get_queryset().filter(assessment=assessment, opd=data["opd"], kind=kind).exists()
        data_request = data_request_titik_pantau(assessment=assessment, actor=request.user, **data)
        (data_request,) = self._fresh([data_request])
        return Response(
            self.get_serializer(data_request).data, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Ask Forum/Pokja secretaries for their kelembagaan documents by a deadline (Bappeda admin)",
        description=(
            "Calls `data_request_documents`: one request per region (the kabupaten/kota, its "
            "kecamatan or desa/kelurahan), to the secretaries of its Forum/Pokja, for the documents "
            "asked (SK, rencana kerja, sekretariat). Answers the requests, 201 when one of them is "
            "new, 200 when each replaced what the region was asked. Anyone but the Bappeda admin of "
            "the kabupaten/kota gets 404, as on the web."
        ),
        request=KelembagaanRequestSerializer,
        responses={
            201: DataRequestSerializer(many=True),
            200: DataRequestSerializer(many=True),
            400: INVALID,
            404: NOT_FOUND,
        },
        tags=["assessments"],
    )
    @action(detail=False, methods=["post"], url_path="kelembagaan", filter_backends=[], pagination_class=None)
    def kelembagaan(self, request):
        assessment = self._assessment_for_write(request)
        params = KelembagaanRequestSerializer(data=request.data, context=self.get_serializer_context())
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        if assessment is None or data.pop("assessment") != assessment.pk:
            raise Http404  # an id the URL rule refuses but the integer field took ("1.0")
        asked = self.get_queryset().filter(
            assessment=assessment, kind=DataRequest.Kind.KELEMBAGAAN, region__in=data["regions"]
        )
        existed = asked.count()
        made = data_request_documents(assessment=assessment, actor=request.user, **data)
        return Response(
            self.get_serializer(self._fresh(made), many=True).data,
            status=status.HTTP_200_OK if existed == len(made) else status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Remind the OPD's operators by e-mail (Bappeda admin)",
        description=(
            "Calls `data_request_remind`: the e-mail listing the entries not yet selesai is queued and "
            "sent in the background (202); nothing is sent when nothing is outstanding."
        ),
        request=None,
        responses={202: DataRequestSerializer, 404: NOT_FOUND},
        tags=["assessments"],
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def remind(self, request, pk=None):
        data_request = self.get_object()
        data_request_remind(data_request=data_request, actor=request.user, base_url=request.build_absolute_uri("/"))
        return Response(self._answer(data_request), status=status.HTTP_202_ACCEPTED)
