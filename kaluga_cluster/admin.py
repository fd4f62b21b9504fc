"""The editors' admin site: Django's, with the review queue as the start of an editor's day.

``KnowledgeBaseAdminSite`` is the default admin site (``kaluga_cluster.apps.
KnowledgeBaseAdminConfig``), so every ``admin.site.register`` and
``@admin.register`` lands on it. It adds

- ``/admin/review/``: the review queue (``entities.services.review_queue``):
  open duplicate candidates, open metric conflicts and unreviewed records,
  doubtful and much-mentioned first, each linked to the page that decides it;
- ``/admin/review/conflicts/<key>/``: one metric conflict, its values side by
  side with their sentences, and "Prefer this value";
- the queue's counts on the admin index.

An editor sees the sections of the models they may view; a user who may view
none of them gets 403, an anonymous one the login page.
"""

import logging

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from entities.evidence import evidence_for
from entities.models import NAMED_MODELS, DuplicateCandidate, Metric
from entities.services import review, review_queue
from entities.services.conflicts import ConflictKey, conflict_group

logger = logging.getLogger(__name__)


def _may_view(user, model) -> bool:
    """Whether ``user`` may view ``model`` in the admin (view or change permission)."""
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    )


def _sections(user) -> dict:
    """What of the queue ``user`` may see: ``pairs``, ``conflicts`` and the record models."""
    return {
        "pairs": _may_view(user, DuplicateCandidate),
        "conflicts": _may_view(user, Metric),
        "models": [m for m in review_queue.REVIEWED_MODELS if _may_view(user, m)],
    }


def _any(sections: dict) -> bool:
    return sections["pairs"] or sections["conflicts"] or bool(sections["models"])


class KnowledgeBaseAdminSite(admin.AdminSite):
    """The admin site of the knowledge base, with the editors' review queue."""

    site_header = "Kaluga Cluster knowledge base"
    site_title = "Kaluga Cluster editors"
    index_title = "Curate articles, organisations, people, programs and metrics"

    def get_urls(self):
        """Django's admin URLs, with the review queue and the conflict page in front."""
        return [
            path("review/", self.admin_view(self.review_queue_view), name="review_queue"),
            path(
                "review/conflicts/<str:key>/",
                self.admin_view(self.conflict_view),
                name="review_conflict",
            ),
            *super().get_urls(),
        ]

    def index(self, request, extra_context=None):
        """The admin index, with a "Review queue" box holding each section's count."""
        sections = _sections(request.user)
        extra = {}
        if _any(sections):
            extra["review_queue"] = self._count_rows(sections)
            extra["review_queue_url"] = reverse("admin:review_queue", current_app=self.name)
        return super().index(request, extra_context={**extra, **(extra_context or {})})

    def review_queue_view(self, request):
        """What waits for an editor: pairs, conflicts, unreviewed records (bounded reads)."""
        sections = _sections(request.user)
        if not _any(sections):
            raise PermissionDenied
        counts = self._count_rows(sections)
        kinds = [
            {
                "name": model._meta.model_name,
                "title": model._meta.verbose_name_plural.capitalize(),
                "count": next(
                    row["count"] for row in counts if row["key"] == model._meta.model_name
                ),
                "records": [
                    (record, self._change_url(record))
                    for record in review_queue.doubtful_first(
                        model, limit=review_queue.SECTION_SIZE
                    )
                ],
                "all_url": self._changelist_url(model) + "?review_status__exact=unreviewed",
                "has_confidence": model is not review_queue.Position,
                "has_articles": model in NAMED_MODELS.values(),
            }
            for model in sections["models"]
        ]
        context = {
            **self.each_context(request),
            "title": "Review queue",
            "counts": counts,
            "count_of": {row["key"]: row["count"] for row in counts},
            "pairs": (
                review_queue.open_pairs(limit=review_queue.SECTION_SIZE)
                if sections["pairs"]
                else None
            ),
            "conflicts": (
                [(line, line.key.encode()) for line in review_queue.conflict_summary().lines]
                if sections["conflicts"]
                else None
            ),
            "kinds": kinds,
            "section_size": review_queue.SECTION_SIZE,
        }
        return TemplateResponse(request, "admin/review/queue.html", context)

    @staticmethod
    def _count_rows(sections) -> list[dict]:
        """The queue's counts as rows of ``key``, ``label``, ``count`` and ``anchor``."""
        numbers = review_queue.counts(
            models=sections["models"],
            pairs=sections["pairs"],
            metric_conflicts=sections["conflicts"],
        )
        labels = {"pairs": "Duplicate candidates", "conflicts": "Metric conflicts"}
        labels.update(
            (m._meta.model_name, f"Unreviewed {m._meta.verbose_name_plural}")
            for m in sections["models"]
        )
        return [
            {"key": key, "label": labels[key], "count": count, "anchor": f"queue-{key}"}
            for key, count in numbers.items()
        ]

    def _change_url(self, record) -> str:
        opts = record._meta
        return reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change",
            args=[record.pk],
            current_app=self.name,
        )

    def _changelist_url(self, model) -> str:
        opts = model._meta
        return reverse(
            f"admin:{opts.app_label}_{opts.model_name}_changelist", current_app=self.name
        )

    def conflict_view(self, request, key):
        """A metric conflict: the values side by side; POST ``metric`` prefers one of them."""
        if request.method not in ("GET", "HEAD", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        if not _may_view(request.user, Metric):
            raise PermissionDenied
        try:
            conflict_key = ConflictKey.decode(key)
        except ValueError as error:
            raise Http404("No such metric conflict.") from error
        queue_url = reverse("admin:review_queue", current_app=self.name)
        may_prefer = request.user.has_perm("entities.change_metric")
        if request.method == "POST":
            if not may_prefer:
                raise PermissionDenied
            chosen = request.POST.get("metric", "")
            if not chosen.isdigit():
                raise Http404("Choose one of the group's metrics.")
            metric = get_object_or_404(Metric.objects.filter(conflict_key.q()), pk=int(chosen))
            try:
                review.prefer(metric, user=request.user)
            except review.DecisionError as error:
                messages.error(request, str(error))
                return HttpResponseRedirect(request.path)
            messages.success(
                request,
                f"Preferred {metric.raw_text} for {metric.label} ({metric.year}); "
                "the other values stay, ranked lower.",
            )
            return HttpResponseRedirect(queue_url)
        group = conflict_group(conflict_key)
        if group is None:
            messages.info(request, "These metrics no longer state different values.")
            return HttpResponseRedirect(queue_url)
        columns = [
            {
                "metric": metric,
                "evidence": (evidence_for(metric, limit=1) or [None])[0],
                "change_url": self._change_url(metric),
            }
            for metric in group.metrics
        ]
        context = {
            **self.each_context(request),
            "title": f"Metric conflict: {group.label}, {group.year}, {group.unit}",
            "group": group,
            "subject_url": self._change_url(group.subject) if group.subject else None,
            "columns": columns,
            "may_prefer": may_prefer,
            "queue_url": queue_url,
        }
        return TemplateResponse(request, "admin/review/conflict.html", context)
