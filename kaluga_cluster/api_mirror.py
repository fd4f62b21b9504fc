"""What an API client keeping a copy of the knowledge base needs, on one viewset line.

:class:`MirrorMixin` gives a viewset conditional requests
(:mod:`kaluga_cluster.api_conditional`), field selection
(:mod:`kaluga_cluster.api_fields`) and the changes feed
(:mod:`kaluga_cluster.api_sync`); :class:`MirrorSchema` documents the query
parameters, headers and responses each of them adds to an operation.
"""

from kaluga_cluster.api_conditional import ConditionalRequestsMixin
from kaluga_cluster.api_fields import FieldSelectionMixin
from kaluga_cluster.api_sync import ChangesFeedMixin
from kaluga_cluster.schema import ApiSchema


class MirrorSchema(ApiSchema):
    """The API's operations, plus what the view's mixins document about themselves.

    A mixin lists its parameters in ``own_schema_parameters()`` and its extra
    responses in ``own_schema_responses()``, next to the code that reads them.
    """

    def get_override_parameters(self):
        """The view's own parameters (``fields``, ``updated_since``, ``If-Match``...)."""
        own = getattr(self.view, "own_schema_parameters", list)()
        return [*super().get_override_parameters(), *own]

    def get_response_serializers(self):
        """The usual responses, plus the view's own (304, 412)."""
        responses = super().get_response_serializers()
        responses.update(getattr(self.view, "own_schema_responses", dict)())
        return responses


class MirrorMixin(ConditionalRequestsMixin, FieldSelectionMixin, ChangesFeedMixin):
    """ETags, ``If-None-Match``/``If-Match``, ``fields``/``brief`` and ``updated_since``."""

    schema = MirrorSchema()
