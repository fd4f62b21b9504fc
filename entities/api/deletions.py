"""The deletions feed, ``/api/deletions/``: what an API mirror must drop.

Each entry names a record (``kind`` and ``id``) that left the API, when, and
why: ``deleted``, ``merged`` (``merged_into`` is the record of the same kind
that absorbed it: its aliases now hold the merged name), ``rejected`` by an
editor or ``hidden`` (an article, and the metrics it states). Rejected and
hidden records still exist: editors see them, and a record that comes back
is in ``?updated_since=`` again. See ``entities.services.changes`` for who
writes the entries and ``kaluga_cluster.api_sync`` for how to sync.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import mixins, serializers, viewsets

from entities.models import Deletion
from kaluga_cluster.api import QueryParameterError
from kaluga_cluster.api_conditional import ConditionalRequestsMixin
from kaluga_cluster.api_mirror import MirrorSchema
from kaluga_cluster.api_sync import MOMENT_HELP, ChangesCursorPagination, parse_moment


class DeletionSerializer(serializers.ModelSerializer):
    """A record that left the API: which, when, why, and where a merged one went."""

    kind = serializers.ChoiceField(
        choices=Deletion.Kind.choices,
        read_only=True,
        help_text="The record's endpoint: article (/api/articles/), organisation, person...",
    )
    id = serializers.IntegerField(source="object_id", read_only=True, help_text="Its id.")
    reason = serializers.ChoiceField(
        choices=Deletion.Reason.choices,
        read_only=True,
        help_text=(
            "deleted; merged (into merged_into); rejected by an editor; hidden (an article "
            "unpublished, and its metrics). Rejected and hidden records may come back: they "
            "are then in updated_since again."
        ),
    )
    merged_into = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="For a merge: the id of the record of the same kind that absorbed it.",
    )
    deleted_at = serializers.DateTimeField(read_only=True, help_text="When it left.")

    class Meta:
        model = Deletion
        fields = ["kind", "id", "reason", "merged_into", "deleted_at"]


class DeletionsCursorPagination(ChangesCursorPagination):
    """The deletions feed's pages, in the order the entries were written."""

    field = "deleted_at"


class DeletionViewSet(ConditionalRequestsMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Records that left the API (deleted, merged, rejected, hidden), oldest first.

    Paged by `cursor` like a changes feed (`updated_since` on the lists):
    follow `next` until it is null. A mirror applies these first, then the
    records changed since the same moment.
    """

    queryset = Deletion.objects.all()
    serializer_class = DeletionSerializer
    pagination_class = DeletionsCursorPagination
    schema = MirrorSchema()

    def own_query_parameters(self) -> set[str]:
        """``since`` and ``kind`` (``StrictFilterBackend`` allows them)."""
        return {"since", "kind"}

    def filter_queryset(self, queryset):
        """The entries since ``since`` (all without it), of the kinds asked for (all by default)."""
        queryset = super().filter_queryset(queryset)
        params = self.request.query_params
        if (since := params.get("since")) is not None:
            queryset = queryset.since(parse_moment(since, "since"))
        kinds = params.getlist("kind")
        unknown = sorted(set(kinds) - set(Deletion.Kind.values))
        if unknown:
            known = ", ".join(Deletion.Kind.values)
            raise QueryParameterError(
                {"kind": [f"Unknown kind “{unknown[0]}”. Known kinds: {known}."]}
            )
        return queryset.filter(kind__in=kinds) if kinds else queryset

    def own_schema_parameters(self) -> list[OpenApiParameter]:
        """``since`` and ``kind``, with the conditional-request headers."""
        return [
            *super().own_schema_parameters(),
            OpenApiParameter(
                "since",
                OpenApiTypes.DATETIME,
                description=f"Only entries written at or after this moment. {MOMENT_HELP}",
            ),
            OpenApiParameter(
                "kind",
                str,
                enum=Deletion.Kind.values,
                many=True,
                explode=True,
                description="Only records of this kind; repeat the parameter for several.",
            ),
        ]
