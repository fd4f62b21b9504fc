"""Visitor pages of the entities app: organisation, person and program lists and pages,
and the metrics table with its charts.

Lists use the same FilterSets as the API. Every page renders in a fixed number
of queries; facts that come from hidden articles or rejected metrics never show.
"""

from itertools import groupby

from django.db.models import F
from django.db.models.functions import Lower
from django.views.generic import DetailView, ListView

from entities.charts import money_charts
from entities.filtersets import (
    MetricFilterSet,
    OrganisationFilterSet,
    PersonFilterSet,
    ProgramFilterSet,
    page_filterset,
)
from entities.models import Metric, Organisation, Person, Position, Program


class FilteredListView(ListView):
    """A paginated list narrowed by a FilterSet read from the query string."""

    filterset_class = None
    paginate_by = 30
    # Choices of the "kind" select, for models that have kinds.
    kind_choices = ()

    def get_base_queryset(self):
        """What the list shows before filtering."""
        raise NotImplementedError

    def get_queryset(self):
        """The base queryset narrowed by valid filters; invalid filters match nothing.

        An unusable ``ordering`` is left out: the list keeps its default order.
        """
        self.filterset = page_filterset(
            self.filterset_class, self.request, self.get_base_queryset()
        )
        if not self.filterset.is_bound or self.filterset.is_valid():
            return self.filterset.qs
        return self.filterset.queryset.none()

    def get_context_data(self, **kwargs):
        """The filter form, to show and keep the visitor's choices."""
        return super().get_context_data(
            filterset=self.filterset,
            query=self.request.GET.get("q", ""),
            kinds=self.kind_choices,
            selected_kind=self.request.GET.get("kind", ""),
            **kwargs,
        )


class OrganisationListView(FilteredListView):
    """Organisations by name, with how many articles mention each; searchable by name and alias."""

    template_name = "entities/organisation_list.html"
    context_object_name = "organisations"
    filterset_class = OrganisationFilterSet
    kind_choices = Organisation.Kind.choices

    def get_base_queryset(self):
        """Organisations with their published article count."""
        return Organisation.objects.with_article_counts().order_by(Lower("name"), "pk")


class PersonListView(FilteredListView):
    """People by name, with their positions and how many articles mention each."""

    template_name = "entities/person_list.html"
    context_object_name = "people"
    filterset_class = PersonFilterSet

    def get_base_queryset(self):
        """People with their published article count and visible positions."""
        return Person.objects.with_article_counts().with_positions().order_by(Lower("name"), "pk")


class ProgramListView(FilteredListView):
    """Programs by name, with how many articles mention each."""

    template_name = "entities/program_list.html"
    context_object_name = "programs"
    filterset_class = ProgramFilterSet
    kind_choices = Program.Kind.choices

    def get_base_queryset(self):
        """Programs with their published article count."""
        return Program.objects.with_article_counts().order_by(Lower("name"), "pk")


def _timeline(articles):
    """``[(year, [articles])]`` in the articles' order (newest first, undated last)."""
    return [
        (year, list(group))
        for year, group in groupby(articles, key=lambda a: a.published_on and a.published_on.year)
    ]


class EntityDetailView(DetailView):
    """Shared reads of the organisation, person and program pages."""

    def published_articles(self):
        """The published articles that mention this entity, newest first."""
        return list(self.object.articles.published())


class OrganisationDetailView(EntityDetailView):
    """An organisation: kind, aliases, its people, the articles and metrics about it, a timeline."""

    model = Organisation
    template_name = "entities/organisation_detail.html"
    context_object_name = "organisation"

    def get_context_data(self, **kwargs):
        """Positions held at it, the articles that mention it by year, and its metrics."""
        articles = self.published_articles()
        return super().get_context_data(
            articles=articles,
            timeline=_timeline(articles),
            positions=Position.objects.visible()
            .filter(organisation=self.object)
            .select_related("person", "article")
            .order_by("person__name", "title"),
            metrics=Metric.objects.visible()
            .filter(organisation=self.object)
            .with_relations()
            .order_by(F("year").desc(nulls_last=True), "pk"),
            **kwargs,
        )


class PersonDetailView(EntityDetailView):
    """A person: positions, each with the article that states it, and articles mentioning them."""

    model = Person
    template_name = "entities/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        """People with their visible positions, organisations and source articles."""
        return Person.objects.with_positions()

    def get_context_data(self, **kwargs):
        """The articles that mention the person."""
        return super().get_context_data(articles=self.published_articles(), **kwargs)


class ProgramDetailView(EntityDetailView):
    """A program: kind, aliases, description, the articles that mention it and its metrics."""

    model = Program
    template_name = "entities/program_detail.html"
    context_object_name = "program"

    def get_context_data(self, **kwargs):
        """The articles that mention the program and the metrics about it."""
        return super().get_context_data(
            articles=self.published_articles(),
            metrics=Metric.objects.visible()
            .filter(program=self.object)
            .with_relations()
            .order_by(F("year").desc(nulls_last=True), "pk"),
            **kwargs,
        )


class MetricListView(FilteredListView):
    """Every visible metric in a filterable table, with money charts by year and by subject."""

    template_name = "entities/metric_list.html"
    context_object_name = "metrics"
    filterset_class = MetricFilterSet
    paginate_by = 50

    def get_base_queryset(self):
        """Visible metrics with their article and subject, newest year first."""
        return (
            Metric.objects.visible()
            .with_relations()
            .order_by(F("year").desc(nulls_last=True), "unit", "-value", "pk")
        )

    def get_context_data(self, **kwargs):
        """Charts of all filtered money metrics (not only this page's), one per currency."""
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        context.update(
            charts_by_year=money_charts(self.object_list, grouped_by="year", params=params),
            charts_by_subject=money_charts(self.object_list, grouped_by="subject", params=params),
            units=Metric.objects.visible().units(),
            organisations=Organisation.objects.with_visible_metrics(),
            selected={
                name: params.get(name, "")
                for name in ("unit", "year_min", "year_max", "organisation")
            },
        )
        return context
