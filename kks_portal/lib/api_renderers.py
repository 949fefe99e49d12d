"""DRF's browsable API under the portal's Content-Security-Policy.

DRF's own templates (rest_framework/base.html) put a few ``style="float: right …"`` attributes
on the page and a ``<style>`` block with Pygments' colours. Rather than copy and keep up with
those templates, the pages this renderer makes (and only those) let the browser apply inline
styles: ``style-src 'self' 'unsafe-inline'``. Scripts stay ``'self'`` only. JSON responses carry
no policy that matters.
"""

from rest_framework import renderers

# django-csp's middleware adds this to the policy of a response that carries it (what its
# ``csp_update`` decorator does for a view).
BROWSABLE_API_CSP = {"style-src": ["'unsafe-inline'"]}


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response._csp_update = BROWSABLE_API_CSP
        return super().render(data, accepted_media_type, renderer_context)
