"""The client's address as django-axes keys login attempts on it (settings.AXES_CLIENT_IP_CALLABLE).

Behind `TRUSTED_PROXY_COUNT` reverse proxies that each append the address they saw to
X-Forwarded-For (nginx: `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`), the client is
the entry that many places from the right: whatever a client wrote into the header itself stands to the
left of it and is never read. Without proxies (0), or when the header has fewer entries than proxies
(a request that did not come through them), the address is REMOTE_ADDR.
"""

from django.conf import settings


def client_ip(request) -> str | None:
    count = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR")
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    return forwarded[-count]
