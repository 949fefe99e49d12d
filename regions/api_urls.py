from kks_portal.lib.url_ids import Router

from .api import RegionViewSet

router = Router()
router.register("regions", RegionViewSet, basename="region")
urlpatterns = router.urls
