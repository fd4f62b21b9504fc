"""What an import run does once its files are written: the upkeep of what depends on them.

:func:`after_changes` refreshes the query planner's statistics, tidies the
name index and refreshes the editors' duplicate candidates;
``articles.services.articles_import`` calls it once per run that created or
updated articles (and bumps the cached pages' data version, see
``kaluga_cluster.cache``).
"""

from django.apps import apps
from django.db import connection

from articles.models import Article
from entities.models import NAMED_MODELS
from entities.name_index import tidy_name_index
from entities.services.duplicates import refresh_candidates


def after_changes(*, changed: int, articles_before: int, since) -> None:
    """Upkeep after a run (begun at ``since``) that changed ``changed`` of ``articles_before``."""
    refresh_planner_statistics(changed=changed, before=articles_before)
    if is_large_change(changed=changed, before=articles_before):
        tidy_name_index(connection)
    # Only records this run created or changed can make new pairs: on 10,000
    # articles comparing pairs took half of a full refresh (0.4 of 0.8 s).
    refresh_candidates(records=named_records_changed_since(since))


def named_records_changed_since(moment) -> list:
    """Organisations, people and programs created or changed (``updated_at``) since ``moment``."""
    return [
        record
        for model in NAMED_MODELS.values()
        for record in model.objects.filter(updated_at__gte=moment).only("pk")
    ]


def is_large_change(*, changed: int, before: int) -> bool:
    """Whether a run changed more than 50 + 10% of ``before`` articles (autovacuum's threshold)."""
    return changed > 50 + 0.1 * before


def refresh_planner_statistics(*, changed: int, before: int) -> None:
    """Let the query planner know the tables' shapes after an import changed them.

    SQLite: without statistics it guesses from indexes alone: it read an
    article's metrics through the index on their status rather than the one
    on ``article_id``, which made the API's article list 15 times slower at
    10,000 articles. ``analysis_limit`` samples rather than reads every row,
    so this takes milliseconds; it runs after every import that changed
    something. Except for the article table, read in full (13 ms at 10,000
    articles, a tenth of the full ``ANALYZE`` of every table): sampled, its
    status index seemed to hold about 1,000 articles per status, so SQLite
    fetched the published articles through it and sorted them all for the
    lists and the home page (181 ms for ``/`` at 100,000 articles, 22 ms at
    10,000, against 5 ms from the newest-first index).

    PostgreSQL: autovacuum vacuums and analyses a table once 50 rows plus a
    tenth of it changed, but late, or never where it is off: 20,000 articles
    imported, the API search's median was 106 ms, 76 ms after ``ANALYZE``. So
    after a large change (:func:`is_large_change`, counted in articles) the
    import does it itself on the tables of both apps. ``VACUUM`` as well as
    ``ANALYZE``: vacuum sets the tables' visibility maps, without which no
    count or window can be answered from an index alone; right after a
    10,000-article import the review queue's cold load took p95 393 ms, 320
    ms once vacuumed. Vacuum cannot run inside a transaction (a test's, or
    a caller's ``atomic``); there it is left to autovacuum and only
    ``ANALYZE`` runs. ``ANALYZE`` samples at most 30,000 rows a table (at
    the default statistics target), and vacuum after a mostly-inserting
    import reads each new page once.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            try:
                cursor.execute("PRAGMA analysis_limit = 1000")
                cursor.execute("ANALYZE")
            finally:  # the connection is reused: later ANALYZEs must not sample
                cursor.execute("PRAGMA analysis_limit = 0")
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Article._meta.db_table)}")
    elif connection.vendor == "postgresql" and is_large_change(changed=changed, before=before):
        tables = ", ".join(
            connection.ops.quote_name(model._meta.db_table)
            for app in ("articles", "entities")
            for model in apps.get_app_config(app).get_models()
            if model._meta.managed
        )
        in_transaction = connection.in_atomic_block or not connection.get_autocommit()
        command = "ANALYZE" if in_transaction else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            cursor.execute(f"{command} {tables}")
