from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("dossiers", api.DossierViewSet, basename="dossier")
urlpatterns = router.urls
