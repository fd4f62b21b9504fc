"""API endpoints of organisations, people, programs and metrics.

Anonymous clients read; editors with the model permission write. What a
client sees follows the site: rejected records, and positions and metrics
stated only by hidden articles, are shown only to users allowed to view them,
and the lists leave rejected records out unless asked (``review_status``).
"""

from rest_framework import viewsets

from entities.api.serializers import (
    MetricDetailSerializer,
    MetricSerializer,
    OrganisationDetailSerializer,
    OrganisationSerializer,
    PersonDetailSerializer,
    PersonSerializer,
    ProgramDetailSerializer,
    ProgramSerializer,
)
from entities.filtersets import (
    MetricFilterSet,
    OrganisationFilterSet,
    PersonFilterSet,
    ProgramFilterSet,
)
from entities.models import Metric, NamedEntityQuerySet, Organisation, Person, Program
from kaluga_cluster.api import EditorWriteMixin
from kaluga_cluster.api_mirror import MirrorMixin
from kaluga_cluster.linked_data import LinkedDataMixin


class EvidenceDetailMixin:
    """A record's detail (GET of one) carries its evidence; lists and writes do not.

    Evidence costs a query and the text of the articles it quotes, which a
    page of a hundred records should not pay.
    """

    detail_serializer_class = None

    def get_serializer_class(self):
        """The detail serializer (with ``evidence``) for a GET of one record."""
        if self.action == "retrieve":
            return self.detail_serializer_class
        return super().get_serializer_class()


class NamedEntityViewSet(
    MirrorMixin, LinkedDataMixin, EvidenceDetailMixin, EditorWriteMixin, viewsets.ModelViewSet
):
    """What the endpoints of organisations, people and programs share."""

    def get_queryset(self):
        """The records this client may see (visitors: no rejected one), counted, by name."""
        return self.queryset.model.objects.viewable_by(self.request.user).for_listing()


class OrganisationViewSet(NamedEntityViewSet):
    """Organisations: companies, government bodies, associations, universities, funds."""

    queryset = Organisation.objects.for_listing()
    serializer_class = OrganisationSerializer
    detail_serializer_class = OrganisationDetailSerializer
    filterset_class = OrganisationFilterSet


class PersonViewSet(NamedEntityViewSet):
    """People named in the articles, with the positions the articles state."""

    queryset = Person.objects.all()
    serializer_class = PersonSerializer
    detail_serializer_class = PersonDetailSerializer
    filterset_class = PersonFilterSet

    def get_queryset(self):
        """People as the site lists them, with the positions this client may see."""
        user = self.request.user
        people = Person.objects.viewable_by(user)
        if not self.wants_field("positions"):  # ?fields= or ?brief=1 without them
            return NamedEntityQuerySet.for_listing(people)
        return people.for_listing(viewer=user)


class ProgramViewSet(NamedEntityViewSet):
    """Programs, initiatives, certifications and events."""

    queryset = Program.objects.for_listing()
    serializer_class = ProgramSerializer
    detail_serializer_class = ProgramDetailSerializer
    filterset_class = ProgramFilterSet


class MetricViewSet(MirrorMixin, EvidenceDetailMixin, EditorWriteMixin, viewsets.ModelViewSet):
    """Quantitative claims of the articles, normalised to a number and a unit."""

    queryset = Metric.objects.all()
    serializer_class = MetricSerializer
    detail_serializer_class = MetricDetailSerializer
    filterset_class = MetricFilterSet

    def get_queryset(self):
        """Metrics this client may see, with their article and subject, in article order."""
        metrics = Metric.objects.with_relations().viewable_by(self.request.user)
        # The primary key breaks ties so that pages never overlap.
        return metrics.order_by(*Metric._meta.ordering, "pk")
