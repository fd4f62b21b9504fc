"""Duplicate candidates in the admin: the queue of pairs and the page deciding one.

The changelist shows open pairs, highest score first (decided ones through
the status filter), each with both names linked to their records; one query
for the page's rows whatever their number (the names come from subqueries).
A pair's page shows both records side by side with the sentences they come
from (``entities.evidence``) and three buttons, "Merge into left", "Merge
into right" and "Not the same", which post to the pair's ``decide`` view;
that calls ``entities.services.review`` and moves on to the next open pair.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, CharField, OuterRef, Subquery, When
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from entities.evidence import evidence_count, evidence_for
from entities.models import NAMED_MODELS, DuplicateCandidate
from entities.services import review

Status = DuplicateCandidate.Status

#: What the reasons stored on a pair mean, for editors.
REASON_LABELS = {
    "same name": "same name or alias",
    "legal form": "same name, another legal form",
    "acronym": "acronym and expansion",
    "contained": "one name contained in the other",
    "initials": "initials and full first name",
    "initials (several people fit)": "initials, several people fit",
    "similar": "similar spelling",
    "words in order": "one name's words in order in the other",
    "abbreviated": "the same words, some cut short",
    "merged by an editor": "merged by an editor",
}


def _name_of(side: str):
    """The name of a pair's first or second record, whatever its kind (a subquery per kind)."""
    return Case(
        *(
            When(
                kind=kind,
                then=Subquery(model.objects.filter(pk=OuterRef(side)).values("name")[:1]),
            )
            for kind, model in NAMED_MODELS.items()
        ),
        output_field=CharField(),
    )


class StatusFilter(admin.SimpleListFilter):
    """Open pairs unless the editor asks for decided ones (or all)."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*Status.choices, ("all", "All")]

    def choices(self, changelist):
        value = self.value() or Status.OPEN
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or Status.OPEN
        if value == "all":
            return queryset
        return queryset.filter(status=value)


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(admin.ModelAdmin):
    """The duplicate queue: open pairs, best first; a pair's page decides it."""

    list_display = ("score_display", "kind", "first_link", "second_link", "reasons_display")
    list_display_links = None
    list_filter = (StatusFilter, "kind")
    ordering = ("-score", "pk")
    list_per_page = 50
    pair_template = "admin/entities/duplicate_pair.html"

    def has_add_permission(self, request):
        return False  # pairs are found, not typed in

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(first_name=_name_of("first_id"), second_name=_name_of("second_id"))
        )

    def get_list_display(self, request):
        return (*self.list_display, "status", "decide_link")

    @admin.display(description="score", ordering="score")
    def score_display(self, obj):
        return f"{obj.score:.2f}"

    @admin.display(description="left")
    def first_link(self, obj):
        return self._record_link(obj.kind, obj.first_id, obj.first_name)

    @admin.display(description="right")
    def second_link(self, obj):
        return self._record_link(obj.kind, obj.second_id, obj.second_name)

    @admin.display(description="why")
    def reasons_display(self, obj):
        return ", ".join(REASON_LABELS.get(reason, reason) for reason in obj.reasons)

    @admin.display(description="")
    def decide_link(self, obj):
        label = "Review" if obj.status == Status.OPEN else "View"
        url = reverse("admin:entities_duplicatecandidate_change", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, label)

    def _record_link(self, kind, pk, name):
        if name is None:
            return format_html("<em>deleted</em> (id {})", pk)
        url = reverse(f"admin:entities_{kind}_change", args=[pk])
        return format_html('<a href="{}">{}</a>', url, name)

    # The pair's page and its decisions.

    def get_urls(self):
        decide = self.admin_site.admin_view(self.decide_view)
        return [
            path("<int:object_id>/decide/", decide, name="entities_duplicatecandidate_decide"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Both records side by side with their evidence, and the decision buttons."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        candidate = self._get_candidate(object_id)
        try:
            left, right = review.candidate_records(candidate)
        except review.DecisionError as error:
            left = right = None
            self.message_user(request, str(error), messages.WARNING)
        can_decide = (
            candidate.status == Status.OPEN
            and left is not None
            and self._may_decide(request, candidate.kind)
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Possibly one: two {NAMED_MODELS[candidate.kind]._meta.verbose_name_plural}",
            "candidate": candidate,
            "reasons": [REASON_LABELS.get(r, r) for r in candidate.reasons],
            "sides": [self._side(record, "left") for record in (left, right)] if left else [],
            "can_decide": can_decide,
            "decide_url": reverse("admin:entities_duplicatecandidate_decide", args=[candidate.pk]),
            "changelist_url": reverse("admin:entities_duplicatecandidate_changelist"),
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.pair_template, context)

    def decide_view(self, request, object_id):
        """POST: merge into left or right, or not the same; then the next open pair."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        candidate = self._get_candidate(object_id)
        if not self._may_decide(request, candidate.kind):
            raise PermissionDenied
        decision = request.POST.get("decision")
        try:
            if decision == "merge_left":
                review.merge_candidate(candidate, keep_id=candidate.first_id, user=request.user)
                done = "Merged the right record into the left one."
            elif decision == "merge_right":
                review.merge_candidate(candidate, keep_id=candidate.second_id, user=request.user)
                done = "Merged the left record into the right one."
            elif decision == "distinct":
                review.not_the_same(candidate, user=request.user)
                done = "Marked as not the same: this pair will not be suggested again."
            else:
                raise Http404("Unknown decision.")
        except review.DecisionError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(
                reverse("admin:entities_duplicatecandidate_change", args=[candidate.pk])
            )
        self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(self._next_url(candidate))

    def _get_candidate(self, object_id) -> DuplicateCandidate:
        return get_object_or_404(
            DuplicateCandidate.objects.select_related("decided_by"), pk=object_id
        )

    def _may_decide(self, request, kind: str) -> bool:
        """Deciding changes the pair, and merging changes one record and deletes the other."""
        model = NAMED_MODELS[kind]._meta
        return (
            self.has_change_permission(request)
            and request.user.has_perm(f"{model.app_label}.change_{model.model_name}")
            and request.user.has_perm(f"{model.app_label}.delete_{model.model_name}")
        )

    def _next_url(self, decided: DuplicateCandidate) -> str:
        # A merge deleted a record: its other pairs wait for the next refresh.
        following = (
            DuplicateCandidate.objects.filter(status=Status.OPEN)
            .exclude(pk=decided.pk)
            .annotate(first_name=_name_of("first_id"), second_name=_name_of("second_id"))
            .filter(first_name__isnull=False, second_name__isnull=False)
            .order_by("-score", "pk")
            .values_list("pk", flat=True)
            .first()
        )
        if following is None:
            return reverse("admin:entities_duplicatecandidate_changelist")
        return reverse("admin:entities_duplicatecandidate_change", args=[following])

    def _side(self, record, position) -> dict:
        model = record._meta
        return {
            "record": record,
            "kind": getattr(record, "get_kind_display", lambda: "")(),
            "url": reverse(f"admin:{model.app_label}_{model.model_name}_change", args=[record.pk]),
            "evidence": evidence_for(record),
            "article_total": evidence_count(record),
        }
