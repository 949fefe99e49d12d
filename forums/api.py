"""The forum API: bodies (Tim Pembina, Forum, Pokja) with their SK, members and secretariat,
work plans with their items and approval, and pembinaan visits.

Every queryset starts from a scoped selector (``forums.selectors``, ``forums.workplans.selectors``),
so an object outside the caller's read scope answers 404. Writes go through the same services as
the web pages (``forums.services``, ``forums.workplans.services``). As on the web pages, an object
the caller reads but may not change (a verifier on a body, a kecamatan secretary on a desa Pokja)
answers a write with 404: for them the write does not exist. Rule violations (a second approval,
a return without reason) come out as 400 in the one error shape of ``kks_portal.lib.api_errors``.
"""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts.selectors import scope_filter

from .filters import BodyFilter, WorkPlanFilter
from .kelembagaan.services import body_status, current_cycle, data_years_of, missing_texts
from .models import Body, Member, Secretariat, WorkPlan, WorkPlanItem
from .selectors import body_list, can_edit_body, decree_history
from .serializers import (
    BodyDetailSerializer,
    BodySerializer,
    DecreeSerializer,
    DecreeWriteSerializer,
    MemberSerializer,
    PembinaanCreateSerializer,
    PembinaanVisitSerializer,
    ReturnSerializer,
    SecretariatSerializer,
    SecretariatWriteSerializer,
    WorkPlanCreateSerializer,
    WorkPlanDetailSerializer,
    WorkPlanItemSerializer,
    WorkPlanSerializer,
)
from .services import decree_add, member_create, member_set_active, member_update, secretariat_update
from .workplans.selectors import (
    can_decide_work_plan,
    can_edit_pembinaan_visit,
    pembinaan_team_regions_of,
    pembinaan_visits_visible_to,
    work_plans_visible_to,
)
from .workplans.services import (
    pembinaan_visit_create,
    pembinaan_visit_update,
    work_plan_approve,
    work_plan_create,
    work_plan_item_add,
    work_plan_item_delete,
    work_plan_item_update,
    work_plan_return,
    work_plan_submit,
)

NOT_FOUND = OpenApiResponse(description="Outside the caller's scope, or not theirs to change (code not_found).")
INVALID = OpenApiResponse(description="Invalid data or a broken rule: the one error shape (code invalid).")
PARSERS = [JSONParser, MultiPartParser, FormParser]


def _editable(user, body: Body) -> Body:
    if not can_edit_body(user, body):
        raise Http404
    return body


@extend_schema_view(
    list=extend_schema(
        summary="Bodies in the caller's scope",
        parameters=[
            OpenApiParameter("kind", OpenApiTypes.STR, enum=Body.Kind.values, description="One kind of body."),
            OpenApiParameter("region", OpenApiTypes.STR, description="A region code: that region and below it."),
        ],
        tags=["bodies"],
    ),
    retrieve=extend_schema(
        summary="One body with its current SK, secretariat and kelembagaan status",
        responses={200: BodyDetailSerializer, 404: NOT_FOUND},
        tags=["bodies"],
    ),
)
class BodyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = BodySerializer
    parser_classes = PARSERS
    filterset_class = BodyFilter

    def get_queryset(self):
        return body_list(self.request.user)

    def retrieve(self, request, *args, **kwargs):
        body = self.get_object()
        body.secretariat_or_none = Secretariat.objects.filter(body=body).first()
        state = body_status(body, years=data_years_of(current_cycle()))
        data = BodySerializer(body).data
        data.update(
            current_decree=DecreeSerializer(body.current_decree).data if body.current_decree else None,
            secretariat=SecretariatSerializer(body.secretariat_or_none).data if body.secretariat_or_none else None,
            kelembagaan={
                "years": state.years,
                "has_sk": state.has_sk,
                "has_rencana_kerja": state.has_rencana_kerja,
                "has_anggaran": state.has_anggaran,
                "has_secretariat": state.has_secretariat,
                "complete": state.complete,
                "missing": [str(text) for text in missing_texts(state)],
            },
            can_edit=can_edit_body(request.user, body),
        )
        return Response(data)

    @extend_schema(
        methods=["GET"],
        summary="The SK history of a body (current first)",
        responses={200: DecreeSerializer(many=True), 404: NOT_FOUND},
        tags=["bodies"],
    )
    @extend_schema(
        methods=["POST"],
        summary="Record a new SK (its editors); the SK that was current stays as history",
        request={"multipart/form-data": DecreeWriteSerializer, "application/json": DecreeWriteSerializer},
        responses={201: DecreeSerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["bodies"],
    )
    @action(detail=True, methods=["get", "post"], url_path="decrees", pagination_class=None)
    def decrees(self, request, pk=None):
        body = self.get_object()
        if request.method == "GET":
            return Response(DecreeSerializer(decree_history(body), many=True).data)
        _editable(request.user, body)
        serializer = DecreeWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decree = decree_add(body=body, actor=request.user, **serializer.validated_data)
        return Response(DecreeSerializer(decree).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary="The members of a body (active first)",
        responses={200: MemberSerializer(many=True), 404: NOT_FOUND},
        tags=["bodies"],
    )
    @extend_schema(
        methods=["POST"],
        summary="Add a member (the body's editors)",
        request=MemberSerializer,
        responses={201: MemberSerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["bodies"],
    )
    @action(detail=True, methods=["get", "post"], url_path="members", pagination_class=None)
    def members(self, request, pk=None):
        body = self.get_object()
        if request.method == "GET":
            members = body.members.prefetch_related("tatanan").order_by("-active", "order", "id")
            return Response(MemberSerializer(members, many=True).data)
        _editable(request.user, body)
        serializer = MemberSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        fields.pop("active", None)
        member = member_create(body=body, actor=request.user, **fields)
        return Response(MemberSerializer(member).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary="The secretariat of a body (null fields when none yet)",
        responses={200: SecretariatSerializer, 404: NOT_FOUND},
        tags=["bodies"],
    )
    @extend_schema(
        methods=["PUT"],
        summary="Set the secretariat (the body's editors); photos optional, multipart",
        request={"multipart/form-data": SecretariatWriteSerializer, "application/json": SecretariatWriteSerializer},
        responses={200: SecretariatSerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["bodies"],
    )
    @action(detail=True, methods=["get", "put"], url_path="secretariat")
    def secretariat(self, request, pk=None):
        body = self.get_object()
        if request.method == "GET":
            secretariat = Secretariat.objects.filter(body=body).first() or Secretariat(body=body)
            return Response(SecretariatSerializer(secretariat).data)
        _editable(request.user, body)
        serializer = SecretariatWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        secretariat = secretariat_update(body=body, actor=request.user, **serializer.validated_data)
        return Response(SecretariatSerializer(secretariat).data)


@extend_schema_view(
    partial_update=extend_schema(
        summary="Change a member, or deactivate it with active=false (the body's editors)",
        responses={200: MemberSerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["bodies"],
    ),
)
class MemberViewSet(mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = MemberSerializer
    http_method_names = ["patch", "options"]

    def get_queryset(self):
        return scope_filter(
            Member.objects.select_related("body", "body__region"), user=self.request.user, field="body__region__code"
        )

    def partial_update(self, request, *args, **kwargs):
        member = self.get_object()
        _editable(request.user, member.body)
        serializer = MemberSerializer(member, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        active = fields.pop("active", None)
        if fields:
            member = member_update(member=member, actor=request.user, **fields)
        if active is not None:
            member = member_set_active(member=member, actor=request.user, active=active)
        return Response(MemberSerializer(member).data)


def _plan_detail(plan: WorkPlan, user) -> dict:
    plan.can_edit = plan.status in (WorkPlan.Status.DRAFT, WorkPlan.Status.RETURNED) and can_edit_body(user, plan.body)
    plan.can_decide = plan.status == WorkPlan.Status.SUBMITTED and can_decide_work_plan(user, plan)
    return WorkPlanDetailSerializer(plan).data


@extend_schema_view(
    list=extend_schema(
        summary="Work plans in the caller's scope",
        parameters=[
            OpenApiParameter("body", OpenApiTypes.INT, description="Id of one body."),
            OpenApiParameter("year", OpenApiTypes.INT),
            OpenApiParameter("status", OpenApiTypes.STR, enum=WorkPlan.Status.values),
        ],
        tags=["work plans"],
    ),
    retrieve=extend_schema(
        summary="One work plan with its activities",
        responses={200: WorkPlanDetailSerializer, 404: NOT_FOUND},
        tags=["work plans"],
    ),
    create=extend_schema(
        summary="Start a draft work plan of a body for a year (the body's editors)",
        request=WorkPlanCreateSerializer,
        responses={201: WorkPlanDetailSerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["work plans"],
    ),
)
class WorkPlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = WorkPlanSerializer
    filterset_class = WorkPlanFilter

    def get_queryset(self):
        return work_plans_visible_to(self.request.user).order_by("body__region_id", "body__kind", "-year", "pk")

    def retrieve(self, request, *args, **kwargs):
        return Response(_plan_detail(self.get_object(), request.user))

    def create(self, request, *args, **kwargs):
        serializer = WorkPlanCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        body = _editable(request.user, self._body(serializer.validated_data["body"]))
        plan = work_plan_create(body=body, year=serializer.validated_data["year"], actor=request.user)
        return Response(_plan_detail(plan, request.user), status=status.HTTP_201_CREATED)

    def _body(self, pk: int) -> Body:
        body = body_list(self.request.user).filter(pk=pk).first()
        if body is None:
            raise Http404
        return body

    @extend_schema(
        summary="Add an activity to a draft or returned plan (the body's editors)",
        request=WorkPlanItemSerializer,
        responses={201: WorkPlanItemSerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["work plans"],
    )
    @action(detail=True, methods=["post"], url_path="items")
    def items(self, request, pk=None):
        plan = self.get_object()
        _editable(request.user, plan.body)
        serializer = WorkPlanItemSerializer(
            data=request.data, context={**self.get_serializer_context(), "work_plan": plan}
        )
        serializer.is_valid(raise_exception=True)
        item = work_plan_item_add(work_plan=plan, actor=request.user, **serializer.validated_data)
        return Response(WorkPlanItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Submit the plan to the level above (the body's editors)",
        request=None,
        responses={200: WorkPlanDetailSerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["work plans"],
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        plan = self.get_object()
        _editable(request.user, plan.body)
        return Response(_plan_detail(work_plan_submit(work_plan=plan, actor=request.user), request.user))

    def _decidable(self) -> WorkPlan:
        plan = self.get_object()
        if not can_decide_work_plan(self.request.user, plan):
            raise Http404
        return plan

    @extend_schema(
        summary="Approve a submitted plan (the level above); a plan already decided answers 400",
        request=None,
        responses={200: WorkPlanDetailSerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["work plans"],
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        plan = work_plan_approve(work_plan=self._decidable(), actor=request.user)
        return Response(_plan_detail(plan, request.user))

    @extend_schema(
        summary="Return a submitted plan with a reason (the level above)",
        request=ReturnSerializer,
        responses={200: WorkPlanDetailSerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["work plans"],
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_plan(self, request, pk=None):
        plan = self._decidable()
        serializer = ReturnSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = work_plan_return(work_plan=plan, actor=request.user, reason=serializer.validated_data["reason"])
        return Response(_plan_detail(plan, request.user))


@extend_schema_view(
    partial_update=extend_schema(
        summary="Change an activity of a draft or returned plan (the body's editors)",
        responses={200: WorkPlanItemSerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["work plans"],
    ),
    destroy=extend_schema(
        summary="Remove an activity of a draft or returned plan (the body's editors)",
        responses={204: None, 400: INVALID, 404: NOT_FOUND},
        tags=["work plans"],
    ),
)
class WorkPlanItemViewSet(mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    serializer_class = WorkPlanItemSerializer
    http_method_names = ["patch", "delete", "options"]

    def get_queryset(self):
        return WorkPlanItem.objects.select_related("work_plan__body__region").filter(
            work_plan__in=work_plans_visible_to(self.request.user)
        )

    def partial_update(self, request, *args, **kwargs):
        item = self.get_object()
        _editable(request.user, item.work_plan.body)
        serializer = WorkPlanItemSerializer(
            item, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        item = work_plan_item_update(item=item, actor=request.user, **serializer.validated_data)
        return Response(WorkPlanItemSerializer(item).data)

    def destroy(self, request, *args, **kwargs):
        item = self.get_object()
        _editable(request.user, item.work_plan.body)
        work_plan_item_delete(item=item, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary="Pembinaan visits to regions in the caller's scope", tags=["pembinaan"]),
    retrieve=extend_schema(
        summary="One pembinaan visit", responses={200: PembinaanVisitSerializer, 404: NOT_FOUND}, tags=["pembinaan"]
    ),
    create=extend_schema(
        summary="Record a visit of the Tim Pembina of team_region (Bappeda; a kecamatan secretary)",
        request=PembinaanCreateSerializer,
        responses={201: PembinaanVisitSerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["pembinaan"],
    ),
    partial_update=extend_schema(
        summary="Change a visit (whoever records for its team)",
        responses={200: PembinaanVisitSerializer, 400: INVALID, 404: NOT_FOUND},
        tags=["pembinaan"],
    ),
)
class PembinaanViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    serializer_class = PembinaanVisitSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return pembinaan_visits_visible_to(self.request.user).select_related("visiting_body__region")

    def create(self, request, *args, **kwargs):
        # The team is the parent the visit is written into: one the caller does not record for
        # answers 404 (as a URL would), before the other fields are judged against it.
        team_region = None
        named = request.data.get("team_region") if hasattr(request.data, "get") else None
        if named not in (None, ""):
            teams = {region.pk: region for region in pembinaan_team_regions_of(request.user)}
            team_region = teams.get(str(named))
            if team_region is None:
                raise Http404
        context = {**self.get_serializer_context(), "team_region": team_region}
        serializer = PembinaanCreateSerializer(data=request.data, context=context)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        team_region = fields.pop("team_region")
        visit = pembinaan_visit_create(team_region=team_region, actor=request.user, **fields)
        return Response(PembinaanVisitSerializer(visit).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        visit = self.get_object()
        if not can_edit_pembinaan_visit(request.user, visit):
            raise Http404
        serializer = PembinaanVisitSerializer(
            visit, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        visit = pembinaan_visit_update(visit=visit, actor=request.user, **serializer.validated_data)
        return Response(PembinaanVisitSerializer(visit).data)
