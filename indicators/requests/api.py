"""The data requests API (``/api/data-requests/``): the Bappeda admin asks an OPD for the data of
some entries by a deadline and reminds its operators; the requests are read by the Bappeda admin
of the kabupaten/kota and by the operators of the OPD asked."""

from django.db.models import Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.access import opd_ids_operated_by
from accounts.selectors import admin_scope_of

from ..api import INVALID, NOT_FOUND, assessment_named_in
from ..filters import DataRequestFilter
from ..models import DataRequest
from ..selectors import assessments_visible_to
from ..serializers import DataRequestAssignSerializer, DataRequestSerializer
from .services import data_request_assign, data_request_remind


@extend_schema_view(
    list=extend_schema(
        summary="Data requests",
        description=(
            "Bappeda admins read the requests of their kabupaten/kota, OPD operators those made to "
            "their OPD; verifiers and secretaries none (the kabupaten's internal business)."
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
        user = self.request.user
        requests = DataRequest.objects.filter(assessment__in=assessments_visible_to(user))
        administered = admin_scope_of(user)
        # Not one OR of the two: the superuser's scope is the empty Q(), and Q() | Q(x) is just Q(x).
        if not administered.everything:
            requests = requests.filter(
                administered.q("assessment__kabupaten__code") | Q(opd_id__in=opd_ids_operated_by(user))
            )
        return (
            requests.select_related("opd", "assessment__kabupaten")
            .prefetch_related("tatanan")
            .order_by("assessment_id", "deadline", "opd__short_name", "region_id")
        )

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
            self.get_serializer(self.get_queryset().get(pk=data_request.pk)).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
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
        return Response(self.get_serializer(data_request).data, status=status.HTTP_202_ACCEPTED)
