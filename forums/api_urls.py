from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("bodies", api.BodyViewSet, basename="body")
router.register("members", api.MemberViewSet, basename="member")
router.register("work-plans", api.WorkPlanViewSet, basename="work-plan")
router.register("work-plan-items", api.WorkPlanItemViewSet, basename="work-plan-item")
router.register("pembinaan", api.PembinaanViewSet, basename="pembinaan")
urlpatterns = router.urls
