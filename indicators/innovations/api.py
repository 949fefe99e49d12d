"""The innovations API: ``/api/innovations/`` lists and reads the innovations of the assessments
in the caller's scope; the Bappeda admin of the kabupaten/kota (or a superuser) adds, changes
and removes them through ``indicators.innovations.services`` (other readers 403, outside the
scope 404), in the one error shape of ``kks_portal.lib.api_errors``."""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from ..api import assessment_named_in
from ..filters import InnovationFilter
from ..models import Innovation
from ..selectors import assessments_visible_to
from ..serializers import InnovationSerializer, InnovationWriteSerializer
from .services import innovation_create, innovation_delete, innovation_update

NOT_FOUND = OpenApiResponse(description="Outside the caller's scope (the one error shape, code not_found).")
INVALID = OpenApiResponse(description="Invalid data: the one error shape with `fields` (code invalid).")
FORBIDDEN = OpenApiResponse(description="In scope but not allowed (code permission_denied).")


@extend_schema_view(
    list=extend_schema(summary="Innovations of the assessments in the caller's scope", tags=["assessments"]),
    retrieve=extend_schema(
        summary="One innovation", responses={200: InnovationSerializer, 404: NOT_FOUND}, tags=["assessments"]
    ),
)
class InnovationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    serializer_class = InnovationSerializer
    filterset_class = InnovationFilter

    def get_queryset(self):
        return (
            Innovation.objects.filter(assessment__in=assessments_visible_to(self.request.user))
            .select_related("assessment__cycle", "assessment__kabupaten", "tatanan")
            .order_by("assessment_id", "-year", "title", "id")
        )

    @extend_schema(
        summary="Add an innovation (Bappeda admin of the kabupaten/kota)",
        description="Calls `innovation_create`. Outside the caller's scope 404; in scope, other roles 403.",
        request=InnovationWriteSerializer,
        responses={201: InnovationSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
        tags=["assessments"],
    )
    def create(self, request, *args, **kwargs):
        # The assessment first (404 outside the scope), then the body judged against it: the
        # serializer makes the tatanan code an object of the cycle's set.
        assessment = assessment_named_in(request)
        context = {**self.get_serializer_context(), "assessment": assessment}
        params = InnovationWriteSerializer(data=request.data, context=context)
        params.is_valid(raise_exception=True)
        fields = dict(params.validated_data)
        if assessment is None or fields.pop("assessment") != assessment.pk:
            raise Http404  # an id the URL rule refuses but the integer field took ("1.0")
        innovation = innovation_create(assessment=assessment, actor=request.user, **fields)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=innovation.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Change an innovation (Bappeda admin of the kabupaten/kota)",
        description="Calls `innovation_update` with the fields sent; the assessment cannot change.",
        request=InnovationWriteSerializer,
        responses={200: InnovationSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
        tags=["assessments"],
    )
    def partial_update(self, request, *args, **kwargs):
        innovation = self.get_object()
        context = {**self.get_serializer_context(), "assessment": innovation.assessment}
        params = InnovationWriteSerializer(data=request.data, context=context, partial=True)
        params.is_valid(raise_exception=True)
        innovation_update(innovation=innovation, actor=request.user, **params.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=innovation.pk)).data)

    @extend_schema(
        summary="Delete an innovation (Bappeda admin of the kabupaten/kota)",
        responses={204: None, 403: FORBIDDEN, 404: NOT_FOUND},
        tags=["assessments"],
    )
    def destroy(self, request, *args, **kwargs):
        innovation_delete(innovation=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
