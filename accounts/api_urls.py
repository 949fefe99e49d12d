from kks_portal.lib.url_ids import Router

from . import api

router = Router()
router.register("users", api.UserViewSet, basename="user")
router.register("opds", api.OpdViewSet, basename="opd")
urlpatterns = router.urls
