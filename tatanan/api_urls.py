from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("cycles", api.CycleViewSet, basename="cycle")
router.register("tatanan", api.TatananViewSet, basename="tatanan")
router.register("indicators", api.IndicatorViewSet, basename="indicator")
router.register("kelembagaan-items", api.KelembagaanItemViewSet, basename="kelembagaan-item")
urlpatterns = router.urls
