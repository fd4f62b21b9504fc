"""Visitor pages of the entities app: organisation, person and program lists and pages,
and the metrics table with its charts.

Lists use the same FilterSets as the API. Every page renders in a fixed number
of queries; records editors rejected and facts that come from hidden articles
never show.
"""

from itertools import groupby

from django.db.models import F
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.generic import DetailView
from django_filters.views import FilterView

from entities.charts import money_charts
from entities.dossier import build_dossier
from entities.filtersets import (
    MetricFilterSet,
    OrganisationFilterSet,
    PersonFilterSet,
    ProgramFilterSet,
    page_filterset,
)
from entities.linked_data import LINKED_DATA, Links
from entities.models import Metric, Organisation, Person, Position, Program
from entities.services.conflicts import describe_conflicts


class FilteredListView(FilterView):
    """A paginated list narrowed by its FilterSet: django-filter's FilterView with the site's rules.

    ``get_queryset()`` is what the list shows unfiltered. Invalid filters
    match nothing (FilterView's strict mode) and the template names them from
    ``filterset.errors``; an unusable ``ordering`` is left out instead, so the
    list keeps its default order (:func:`entities.filtersets.page_filterset`).
    """

    paginate_by = 30

    def get_filterset(self, filterset_class):
        """The FilterSet of the query string, less an unusable ``ordering``."""
        return page_filterset(filterset_class, self.request, self.get_queryset())

    def get_context_data(self, **kwargs):
        """The FilterSet as ``filterset`` (FilterView's own name for it is ``filter``)."""
        return super().get_context_data(filterset=self.filterset, **kwargs)


def _nouns(model) -> dict:
    """How the pages of ``model`` name one record and several (from its verbose names)."""
    return {"noun": model._meta.verbose_name, "noun_plural": model._meta.verbose_name_plural}


class NamedEntityListView(FilteredListView):
    """Organisations, people or programs by name, each with its count of published articles.

    Searchable by name and alias. The three share ``entities/entity_list.html``,
    which names the records by the model's verbose names; a kind with other
    columns extends it.
    """

    template_name = "entities/entity_list.html"

    def get_queryset(self):
        """The records visitors may see (none rejected), with their published article counts."""
        return self.model.objects.visible().for_listing()

    def kind_choices(self):
        """The options of the "kind" select: what the FilterSet's ``kind`` accepts, if any."""
        kind = self.filterset.form.fields.get("kind")
        return kind.choices if kind is not None else ()

    def get_context_data(self, **kwargs):
        """The nouns of the page, the search text and the chosen kind."""
        return super().get_context_data(
            **_nouns(self.model),
            query=self.request.GET.get("q", ""),
            kinds=self.kind_choices(),
            selected_kind=self.request.GET.get("kind", ""),
            **kwargs,
        )


class OrganisationListView(NamedEntityListView):
    """Organisations, with their kinds."""

    model = Organisation
    filterset_class = OrganisationFilterSet
    context_object_name = "organisations"


class PersonListView(NamedEntityListView):
    """People, with their positions."""

    model = Person
    filterset_class = PersonFilterSet
    context_object_name = "people"
    template_name = "entities/person_list.html"


class ProgramListView(NamedEntityListView):
    """Programs, with their kinds."""

    model = Program
    filterset_class = ProgramFilterSet
    context_object_name = "programs"


def _timeline(articles):
    """``[(year, [articles])]`` in the articles' order (newest first, undated last)."""
    return [
        (year, list(group))
        for year, group in groupby(articles, key=lambda a: a.published_on and a.published_on.year)
    ]


class NamedEntityDetailView(DetailView):
    """Shared reads of the organisation, person and program pages.

    Their templates extend ``entities/entity_detail.html``: a breadcrumb back
    to the list, the header, and the published articles that mention the record.
    """

    def get_queryset(self):
        """Visitors never see a record an editor rejected."""
        return self.model.objects.visible()

    def get_context_data(self, **kwargs):
        """The nouns and list address of the page, the articles that mention the record,
        its schema.org JSON-LD and the addresses of its dossier."""
        name = self.model._meta.model_name
        return super().get_context_data(
            **_nouns(self.model),
            # The URL names follow the models: organisation-list, person-list, program-list.
            list_url=reverse(f"entities:{name}-list"),
            articles=list(self.object.articles.published()),
            linked_data=LINKED_DATA[name].document(self.object, Links(self.request)),
            dossier_urls=dossier_urls(self.object),
            **kwargs,
        )

    def visible_metrics(self):
        """What visitors may see of the metrics about this organisation or program, newest first.

        Where sources differ, the value editors prefer comes first in its year
        and the row says so (``describe_conflicts``), in the same query.
        """
        return describe_conflicts(
            self.object.metrics.visible()
            .with_relations()
            .with_conflicts()
            .order_by(F("year").desc(nulls_last=True), "-rank", "pk")
        )


class OrganisationDetailView(NamedEntityDetailView):
    """An organisation: kind, aliases, its people, the articles and metrics about it, a timeline."""

    model = Organisation
    template_name = "entities/organisation_detail.html"
    context_object_name = "organisation"

    def get_context_data(self, **kwargs):
        """Positions held at it, the articles that mention it by year, and its metrics."""
        context = super().get_context_data(**kwargs)
        context.update(
            timeline=_timeline(context["articles"]),
            positions=Position.objects.visible()
            .filter(organisation=self.object)
            .select_related("person", "article")
            .order_by("person__name", "title"),
            metrics=self.visible_metrics(),
        )
        return context


class PersonDetailView(NamedEntityDetailView):
    """A person: positions, each with the article that states it, and articles mentioning them."""

    model = Person
    template_name = "entities/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        """People with their visible positions, organisations and source articles."""
        return Person.objects.visible().with_positions()


class ProgramDetailView(NamedEntityDetailView):
    """A program: kind, aliases, description, the articles that mention it and its metrics."""

    model = Program
    template_name = "entities/program_detail.html"
    context_object_name = "program"

    def get_context_data(self, **kwargs):
        """The metrics about the program."""
        return super().get_context_data(metrics=self.visible_metrics(), **kwargs)


def dossier_urls(record) -> dict:
    """The addresses of a record's dossier: the printable ``page``, ``json`` and ``csv``."""
    name = record._meta.model_name
    return {
        key: reverse(f"entities:{name}-dossier{suffix}", kwargs={"slug": record.slug})
        for key, suffix in (("page", ""), ("json", "-json"), ("csv", "-csv"))
    }


class DossierView(DetailView):
    """A record's dossier (``entities.dossier``): a printable page, JSON or CSV (``format``).

    Five queries whatever the number of facts. The CSV downloads as
    ``<kind>-<slug>-dossier.csv``; the JSON shows in the browser.
    """

    format = "html"
    template_name = "entities/dossier.html"
    context_object_name = "record"

    def get_queryset(self):
        """A rejected record has no dossier (404), as it has no page."""
        return self.model.objects.visible()

    def get_context_data(self, **kwargs):
        """The dossier, with the nouns and addresses the page links to."""
        return super().get_context_data(
            **_nouns(self.model),
            dossier=build_dossier(self.object, links=Links(self.request)),
            list_url=reverse(f"entities:{self.model._meta.model_name}-list"),
            dossier_urls=dossier_urls(self.object),
            **kwargs,
        )

    def render_to_response(self, context, **response_kwargs):
        """The page, or the dossier's JSON document or CSV file."""
        dossier = context["dossier"]
        if self.format == "json":
            return JsonResponse(dossier.as_dict(), json_dumps_params={"ensure_ascii": False})
        if self.format == "csv":
            filename = f"{dossier.kind}-{self.object.slug}-dossier.csv"
            return HttpResponse(
                dossier.csv(),
                content_type="text/csv; charset=utf-8",
                headers={"Content-Disposition": content_disposition_header(True, filename)},
            )
        return super().render_to_response(context, **response_kwargs)


class MetricListView(FilteredListView):
    """Every visible metric in a filterable table, with money charts by year and by subject."""

    template_name = "entities/metric_list.html"
    context_object_name = "metrics"
    filterset_class = MetricFilterSet
    paginate_by = 50

    def get_queryset(self):
        """Visible metrics with their article and subject, newest year first."""
        return (
            Metric.objects.visible()
            .with_relations()
            .order_by(F("year").desc(nulls_last=True), "unit", "-rank", "-value", "pk")
        )

    def get_context_data(self, **kwargs):
        """Charts of all filtered money metrics (not only this page's), one per currency."""
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        # Only the page's rows say where sources differ (subqueries on 50 rows).
        page = describe_conflicts(context["page_obj"].object_list.with_conflicts())
        context["page_obj"].object_list = page
        context.update(
            metrics=page,
            object_list=page,
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
