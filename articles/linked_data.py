"""schema.org linked data (JSON-LD) of articles: a NewsArticle and what it mentions.

Used by the article page and by the API's ``?format=jsonld`` alike (see
``entities.linked_data`` for identifiers and the organisation, person and
program nodes that ``mentions`` points at).
"""

from articles.models import Article
from entities.linked_data import LinkedDataType, Links, reference

#: The article's mention tables, in the order the page's side panel lists them.
MENTION_KINDS = (
    ("organisation_mentions", "organisation"),
    ("person_mentions", "person"),
    ("program_mentions", "program"),
)


def news_article_node(article: Article, links: Links) -> dict:
    """An article as a schema.org NewsArticle.

    ``datePublished`` only when the article states its date (never guessed),
    ``publisher`` the source it names, ``mentions`` the organisations, people
    and programs it names (none an editor rejected), each once, read from the
    mentions the caller prefetched (``Article.objects.with_mentions()``).
    """
    page = links.page(article)
    node = {
        "@type": "NewsArticle",
        "@id": f"{page}#article",
        "url": page,
        "headline": article.title,
        "name": article.title,
    }
    api = links.api(article)
    if api:
        node["sameAs"] = [api]
    if article.published_on is not None:
        node["datePublished"] = article.published_on.isoformat()
    if article.source:
        node["publisher"] = {"@type": "Organization", "name": article.source}
    mentioned = []
    for relation, field in MENTION_KINDS:
        for mention in getattr(article, relation).all():
            mentioned.append(reference(getattr(mention, field), links))
    if mentioned:
        node["mentions"] = mentioned
    return node


def with_mentions(articles: list[Article]) -> list[Article]:
    """The articles again, in the same order, with the mentions the node reads prefetched.

    An API list reads its mentions as plain rows (``ArticleListSerializer``), so
    its article objects have none loaded: four queries for the whole page.
    """
    ids = [article.pk for article in articles]
    loaded = Article.objects.filter(pk__in=ids).with_mentions().in_bulk()
    return [loaded[pk] for pk in ids if pk in loaded]


#: How an article is described, on its page and in the API.
ARTICLE = LinkedDataType(news_article_node, prepare=with_mentions)

#: The linked data of this app's models, by model name (see ``kaluga_cluster.linked_data``).
LINKED_DATA = {"article": ARTICLE}
