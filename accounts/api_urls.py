from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("users", api.UserViewSet, basename="user")
router.register("opds", api.OpdViewSet, basename="opd")
urlpatterns = router.urls
