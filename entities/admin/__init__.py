"""The editors' workspace for organisations, people, programs and metrics.

``mixins`` holds the behaviour every admin shares (articles' too), ``records``
registers the admins; importing the package, as Django's autodiscovery does,
registers them.
"""

from entities.admin import (
    decisions,  # noqa: F401  (registers the review decisions)
    duplicates,  # noqa: F401  (registers the duplicate queue)
    records,  # noqa: F401  (registers the ModelAdmins)
)
