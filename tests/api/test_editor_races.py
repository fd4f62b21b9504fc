"""Editors win every race with the import, whatever the interleaving.

An import reads an article, extracts it outside any transaction, then
writes. These tests put an editor's write at each point of that sequence:
between extraction and the write (both databases), and while the import's
write holds the article (PostgreSQL, two connections in two threads; on
SQLite, writers are one at a time by construction: IMMEDIATE transactions).
"""

import os
import threading

import pytest

import articles.services
from articles.models import Article
from articles.services import ImportStatus, article_import_file
from entities.models import Metric, Organisation

ARTICLE = """Northwind Biologics opens a plant in Vellamo

12 March 2024

Northwind Biologics LLC opened a new plant in the Vellamo technopark on Tuesday. \
The company invested 2.5 billion rubles in the site, said Pavel Hruby, General Director \
of Northwind Biologics. The plant will employ 300 people by 2026.

The regional Ministry of Economic Development supported the project.
"""
# The same article without the sentence about the jobs.
WITHOUT_JOBS = ARTICLE.replace(" The plant will employ 300 people by 2026.", "")


@pytest.fixture
def article_file(tmp_path):
    path = tmp_path / "northwind.txt"
    path.write_text(ARTICLE)
    return path


def imported(path) -> Article:
    result = article_import_file(path=path)
    assert result.status is ImportStatus.CREATED
    return result.article


def editor_writes_after_extraction(monkeypatch, write):
    """Run ``write()`` as the import finishes extracting, before it writes anything."""
    real = articles.services.prepare_article

    def extract_then_let_the_editor_write(data):
        prepared = real(data)
        write()
        return prepared

    monkeypatch.setattr(articles.services, "prepare_article", extract_then_let_the_editor_write)


@pytest.mark.django_db
def test_an_article_edited_during_extraction_is_not_overwritten(
    article_file, editor_api, monkeypatch
):
    article = imported(article_file)
    responses = []
    editor_writes_after_extraction(
        monkeypatch,
        lambda: responses.append(
            editor_api.patch(
                f"/api/articles/{article.pk}/",
                {"title": "Corrected by an editor", "status": "hidden"},
                format="json",
            )
        ),
    )
    result = article_import_file(path=article_file, force=True)
    assert responses[0].status_code == 200
    assert result.status is ImportStatus.CURATED
    article.refresh_from_db()
    assert (article.title, article.status) == ("Corrected by an editor", "hidden")


@pytest.mark.django_db
def test_an_article_deleted_during_extraction_is_not_recreated(
    article_file, editor_api, monkeypatch
):
    article = imported(article_file)
    editor_writes_after_extraction(
        monkeypatch, lambda: editor_api.delete(f"/api/articles/{article.pk}/")
    )
    result = article_import_file(path=article_file, force=True)
    assert result.status is ImportStatus.DELETED
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_metric_edited_during_extraction_keeps_the_edit(article_file, editor_api, monkeypatch):
    article = imported(article_file)
    metric = article.metrics.get(raw_text="2.5 billion rubles")
    editor_writes_after_extraction(
        monkeypatch,
        lambda: editor_api.patch(
            f"/api/metrics/{metric.pk}/", {"label": "capital investment"}, format="json"
        ),
    )
    article_import_file(path=article_file, force=True)
    edited = Metric.objects.get(article=article, raw_text="2.5 billion rubles")
    assert (edited.label, edited.curated) == ("capital investment", True)


# --- The editor writes while the import's transaction holds the article ----------

on_postgresql = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="SQLite runs one writer at a time (IMMEDIATE transactions): no interleaving exists",
)


class ImportHeldInItsWrite:
    """A forced re-import paused inside its transaction, after taking the article's lock."""

    def __init__(self, monkeypatch, path):
        self.inside = threading.Event()
        self.resume = threading.Event()
        self.result = None
        real = articles.services.extraction_persist

        def persist_after_a_pause(**kwargs):
            self.inside.set()
            assert self.resume.wait(timeout=30)
            return real(**kwargs)

        monkeypatch.setattr(articles.services, "extraction_persist", persist_after_a_pause)
        self.thread = threading.Thread(target=self._run, args=(path,))

    def _run(self, path):
        from django.db import connection

        try:
            self.result = article_import_file(path=path, force=True)
        finally:
            connection.close()

    def __enter__(self):
        self.thread.start()
        assert self.inside.wait(timeout=30)
        return self

    def __exit__(self, *exc):
        self.resume.set()
        self.thread.join(timeout=60)


def in_thread(send):
    """Start ``send()`` in a thread with its own connection; return it and its result box."""
    box = []

    def run():
        from django.db import connection

        try:
            box.append(send())
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, box


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_an_article_edit_waits_for_the_import_then_wins(article_file, editor_api, monkeypatch):
    article = imported(article_file)
    with ImportHeldInItsWrite(monkeypatch, article_file) as held:
        editor, response = in_thread(
            lambda: editor_api.patch(
                f"/api/articles/{article.pk}/", {"title": "Corrected meanwhile"}, format="json"
            )
        )
        editor.join(timeout=0.5)
        assert editor.is_alive(), "the editor's write did not wait for the import's"
    editor.join(timeout=30)
    assert held.result.status is ImportStatus.UPDATED
    assert response[0].status_code == 200
    article.refresh_from_db()
    assert (article.title, article.curated) == ("Corrected meanwhile", True)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_editing_a_metric_the_import_removes_meanwhile_answers_409(
    article_file, editor_api, monkeypatch
):
    article = imported(article_file)
    jobs = article.metrics.get(raw_text="300 people")
    article_file.write_text(WITHOUT_JOBS)
    with ImportHeldInItsWrite(monkeypatch, article_file):
        editor, response = in_thread(
            lambda: editor_api.patch(f"/api/metrics/{jobs.pk}/", {"label": "jobs"}, format="json")
        )
        editor.join(timeout=0.5)
        assert editor.is_alive(), "the editor's write did not wait for the import's"
    editor.join(timeout=30)
    assert response[0].status_code == 409
    assert "deleted while you were editing" in response[0].json()["detail"]
    assert not Metric.objects.filter(pk=jobs.pk).exists()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_editing_a_metric_during_reextraction_keeps_the_edit(article_file, editor_api, monkeypatch):
    article = imported(article_file)
    metric = article.metrics.get(raw_text="2.5 billion rubles")
    with ImportHeldInItsWrite(monkeypatch, article_file):
        editor, response = in_thread(
            lambda: editor_api.patch(
                f"/api/metrics/{metric.pk}/", {"label": "capital investment"}, format="json"
            )
        )
        editor.join(timeout=0.5)
        assert editor.is_alive(), "the editor's write did not wait for the import's"
    editor.join(timeout=30)
    assert response[0].status_code == 200, response[0].content
    edited = Metric.objects.get(article=article, raw_text="2.5 billion rubles")
    assert (edited.label, edited.curated) == ("capital investment", True)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_an_organisation_edited_while_the_import_updates_it_keeps_the_edit(
    article_file, editor_api, monkeypatch
):
    """The import reads the records it will update under a row lock: the editor waits, then wins."""
    import entities.services.resolution

    imported(article_file)
    company = Organisation.objects.get(name="Northwind Biologics LLC")
    reading_done, resume = threading.Event(), threading.Event()
    real = entities.services.resolution._update_matched

    def update_after_a_pause(*args, **kwargs):
        reading_done.set()
        assert resume.wait(timeout=30)
        return real(*args, **kwargs)

    monkeypatch.setattr(entities.services.resolution, "_update_matched", update_after_a_pause)
    importer, _ = in_thread(lambda: article_import_file(path=article_file, force=True))
    assert reading_done.wait(timeout=30)
    editor, response = in_thread(
        lambda: editor_api.patch(
            f"/api/organisations/{company.pk}/", {"aliases": ["NWB Group"]}, format="json"
        )
    )
    editor.join(timeout=0.5)
    assert editor.is_alive(), "the editor's write did not wait for the import's"
    resume.set()
    importer.join(timeout=60)
    editor.join(timeout=30)
    assert response[0].status_code == 200, response[0].content
    company.refresh_from_db()
    assert (company.aliases, company.curated) == (["NWB Group"], True)
