"""Health check of the ``web`` container: GET /health/ the way the reverse proxy would.

Production settings only accept the hosts in ALLOWED_HOSTS and redirect plain HTTP to HTTPS
unless the proxy says, with X-Forwarded-Proto, that the client used HTTPS. A probe from inside
the container is neither, so it sends what the proxy sends. We do this rather than exempting
/health/ from the redirect in settings: the check then goes through exactly the path a real
request takes (host validation, SSL redirect, database, cache), and settings keep no special case.

Exit 0 when the portal answers 200, 1 otherwise (docker's healthcheck contract).
Standard library only: the slim image has no curl.
"""

import os
import sys
import urllib.error
import urllib.request


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # a redirect means the headers were not honoured: report it, don't follow it


def probe_host() -> str:
    """A name the portal accepts: the first ALLOWED_HOSTS entry that is not a bare wildcard."""
    for entry in os.environ.get("ALLOWED_HOSTS", "").split(","):
        entry = entry.strip()
        if entry and entry != "*":
            return entry.lstrip(".")  # ".example.go.id" also matches example.go.id
    return "localhost"


def main() -> int:
    url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/health/"
    request = urllib.request.Request(url, headers={"Host": probe_host(), "X-Forwarded-Proto": "https"})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=5) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError as exc:
        sys.stderr.write(f"health check: {url} unreachable: {exc}\n")
        return 1
    if status != 200:
        sys.stderr.write(f"health check: {url} answered {status}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
