"""The API's throttle for anonymous clients, kept working when the cache is not.

DRF counts requests in Django's cache (Redis in production, shared by every
worker). When Redis cannot be reached the count cannot be kept; the request
is let through and a warning logged, rather than every API request failing.
"""

import logging

from rest_framework.throttling import AnonRateThrottle

from kaluga_cluster.cache import CACHE_ERRORS

logger = logging.getLogger(__name__)


class AnonThrottle(AnonRateThrottle):
    """``API_ANON_THROTTLE_RATE`` per client address; fails open without a cache."""

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except CACHE_ERRORS:
            logger.warning("cache unreachable: request not throttled", exc_info=True)
            return True
