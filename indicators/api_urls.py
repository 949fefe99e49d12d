from kks_portal.lib.url_ids import Router

from . import api
from .innovations import api as innovations_api

router = Router()
router.register("assessments", api.AssessmentViewSet, basename="assessment")
router.register("entries", api.EntryViewSet, basename="entry")
router.register("titik-pantau", api.TitikPantauViewSet, basename="titik-pantau")
router.register("data-requests", api.DataRequestViewSet, basename="data-request")
router.register("innovations", innovations_api.InnovationViewSet, basename="innovation")
urlpatterns = router.urls
