from django.utils.functional import SimpleLazyObject

from .selectors import scope_of


class ScopeMiddleware:
    """Put the user's read scope on ``request.scope`` (computed on first use).

    Apps to the left of ``accounts`` (``regions``) read it from the request instead of
    importing ``accounts``, which keeps dependencies pointing one way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.scope = SimpleLazyObject(lambda: scope_of(request.user))
        return self.get_response(request)
