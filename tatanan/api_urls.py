from kks_portal.lib.url_ids import Router

from . import api

router = Router()
router.register("cycles", api.CycleViewSet, basename="cycle")
router.register("tatanan", api.TatananViewSet, basename="tatanan")
router.register("indicators", api.IndicatorViewSet, basename="indicator")
router.register("kelembagaan-items", api.KelembagaanItemViewSet, basename="kelembagaan-item")
urlpatterns = router.urls
