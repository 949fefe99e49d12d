from kks_portal.lib.url_ids import Router

from . import api

router = Router()
router.register("bodies", api.BodyViewSet, basename="body")
router.register("members", api.MemberViewSet, basename="member")
router.register("work-plans", api.WorkPlanViewSet, basename="work-plan")
router.register("work-plan-items", api.WorkPlanItemViewSet, basename="work-plan-item")
router.register("pembinaan", api.PembinaanViewSet, basename="pembinaan")
urlpatterns = router.urls
