"""Visitor pages of the articles app: the overview, article search and article pages.

Each page renders in a fixed number of queries: lists are paginated, counts
come from annotations and everything a page shows is prefetched.
"""

from django.views.generic import DetailView, TemplateView

from articles import linked_data
from articles.filtersets import ArticleFilterSet, nothing_chosen
from articles.models import Article
from articles.search import SearchResultsPaginator
from entities.linked_data import Links
from entities.models import Metric, Organisation, Person, Program
from entities.views import FilteredListView
from kaluga_cluster.cache import cached

# How many values each entity facet of the article search lists.
FACET_SIZE = 10
# The query-string parameters the facets set, with the models behind them
# (None: the year of publication). The search form keeps them when resubmitted.
FACETS = (
    ("organisation", "Organisations", Organisation),
    ("person", "People", Person),
    ("program", "Programs", Program),
    ("year", "Years", None),
)


class HomeView(TemplateView):
    """The overview: what the knowledge base holds, the latest articles, who is mentioned most."""

    template_name = "articles/home.html"
    latest_count = 6
    top_organisations_count = 8

    def get_context_data(self, **kwargs):
        """Counts of each kind of record, the newest articles, the most mentioned organisations.

        The counts and the most mentioned organisations come from the cache
        (``kaluga_cluster.cache``: recomputed after any import or editor write).
        """
        published = Article.objects.published()
        return super().get_context_data(
            **cached(("overview", self.top_organisations_count), self.aggregates),
            latest_articles=published[: self.latest_count],
            **kwargs,
        )

    def aggregates(self) -> dict:
        """What the overview counts: records of each kind and the most mentioned organisations."""
        published = Article.objects.published()
        return {
            "article_count": published.count(),
            "organisation_count": Organisation.objects.visible().count(),
            "person_count": Person.objects.visible().count(),
            "program_count": Program.objects.visible().count(),
            "metric_count": Metric.objects.count_visible(),
            "top_organisations": list(
                Organisation.objects.visible().most_mentioned_in(
                    published, self.top_organisations_count
                )
            ),
        }


class ArticleListView(FilteredListView):
    """Published articles: all of them newest first, or the results of a search, best first.

    The shared ArticleFilterSet (the same one the API uses) reads ``q`` and the
    organisation / person / program / year filters; the facets count how many of
    the current results have each value. Bad filters match none; an unusable
    ``ordering`` is left out (newest first, or best match first).
    """

    queryset = Article.objects.published()
    filterset_class = ArticleFilterSet
    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = 20
    paginator_class = SearchResultsPaginator

    def get_context_data(self, **kwargs):
        """The query, the chosen filters and the facets of the current results."""
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        context.update(
            query=(params.get("search") or params.get("q") or "").strip(),
            active_filters=[
                (name, value) for name, _, _ in FACETS for value in params.getlist(name)
            ],
            facets=[
                _facet(params, name, heading, values)
                for (name, heading, _), values in zip(FACETS, self.facet_counts(), strict=True)
            ],
        )
        return context

    def facet_counts(self) -> list[list[tuple[str, str, int]]]:
        """The values of each facet over the current results, from the cache when it has them.

        Cached by what the FilterSet understood (the query with its spaces
        normalised, the chosen values), never the raw query string, so spellings
        of one search share an entry; invalid filters match nothing and are not
        cached.
        """

        def compute():
            return [_facet_counts(model, self.object_list) for _, _, model in FACETS]

        # Unbound (no query string: the plain list, the busiest) is valid and cached too.
        if self.filterset.is_bound and not self.filterset.is_valid():
            return compute()
        return cached(("article-facets", FACET_SIZE, _search_key(self.filterset)), compute)


def _search_key(filterset) -> dict:
    """What decides an article search's results, normalised: the cache key of its facets."""
    data = filterset.form.cleaned_data if filterset.is_bound else {}
    text = data.get("search") or data.get("q") or ""
    key = {"text": " ".join(text.split())}
    for name, value in data.items():
        if name in ("search", "q", "ordering") or nothing_chosen(value):
            continue
        if hasattr(value, "__iter__") and not isinstance(value, str):
            value = sorted(getattr(item, "pk", item) for item in value)
        key[name] = value
    return key


def _facet_counts(model, results) -> list[tuple[str, str, int]]:
    """``(value, label, count)`` of a facet over ``results``: entities by slug, or years."""
    if model is None:
        return [(str(row["year"]), str(row["year"]), row["count"]) for row in results.year_counts()]
    return [
        (entity.slug, entity.name, entity.article_count)
        for entity in model.objects.visible().most_mentioned_in(results, FACET_SIZE)
    ]


def _facet(params, parameter, heading, values):
    """One facet: its values, each with the link that toggles it.

    Choosing a value narrows the results to it (replacing another value of the
    same facet, so its count is exactly what the visitor gets); choosing the
    selected value again removes the filter. Either way the page goes back to 1.
    """
    selected = set(params.getlist(parameter))
    items = []
    for value, label, count in values:
        query = params.copy()
        query.pop("page", None)
        if value in selected:
            query.pop(parameter, None)
        else:
            query.setlist(parameter, [value])
        items.append(
            {
                "label": label,
                "count": count,
                "selected": value in selected,
                "url": f"?{query.urlencode()}",
            }
        )
    return {"parameter": parameter, "heading": heading, "values": items}


class ArticleDetailView(DetailView):
    """One article: its body with every mention linked, its entities and the metrics it states."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        """Published articles with everything the page renders prefetched."""
        return Article.objects.published().with_mentions().with_visible_metrics()

    def get_context_data(self, **kwargs):
        """The entities of the side panel, each once, in name order, and the JSON-LD."""
        article = self.object
        return super().get_context_data(
            organisations=_sorted_entities(article.organisation_mentions.all(), "organisation"),
            people=_sorted_entities(article.person_mentions.all(), "person"),
            programs=_sorted_entities(article.program_mentions.all(), "program"),
            metrics=list(article.metrics.all()),
            linked_data=linked_data.ARTICLE.document(article, Links(self.request)),
            **kwargs,
        )


def _sorted_entities(mentions, attribute):
    """The entities behind prefetched mentions, sorted by name (no query)."""
    return sorted((getattr(mention, attribute) for mention in mentions), key=lambda e: e.name)
