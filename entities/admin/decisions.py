"""The editors' decisions (confirm, reject, merge, not the same, preferred value), undoable.

Each decision is also in its record's own history page; this list is every
decision in one place, newest first, with who took it and an undo button.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme

from entities.models import ReviewDecision
from entities.services import review


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(admin.ModelAdmin):
    """Read-only history of decisions; "Undo" takes one back (a merge is split back)."""

    list_display = ("created_at", "action", "record_link", "summary", "user", "undo_button")
    list_filter = ("action", "content_type", ("undone_at", admin.EmptyFieldListFilter))
    list_select_related = ("user", "content_type")
    search_fields = ("object_repr", "summary")
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = (
        "action",
        "record_link",
        "summary",
        "user",
        "created_at",
        "undone_at",
        "undone_by",
        "undo_button",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        undo = self.admin_site.admin_view(self.undo_view)
        return [
            path("<int:pk>/undo/", undo, name="entities_reviewdecision_undo"),
            *super().get_urls(),
        ]

    def undo_view(self, request, pk):
        """GET: what undoing does, to confirm; POST: take the decision back."""
        decision = get_object_or_404(ReviewDecision, pk=pk)
        model = decision.content_type.model_class()
        if not request.user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}"):
            raise PermissionDenied
        if request.method != "POST":
            return TemplateResponse(
                request,
                "admin/entities/undo_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "Undo this decision?",
                    "opts": self.model._meta,
                    "decision": decision,
                    "next": request.GET.get("next", ""),
                },
            )
        try:
            review.undo(decision, user=request.user)
        except review.DecisionError as error:
            self.message_user(request, f"Not undone: {error}", messages.ERROR)
        else:
            self.message_user(request, f"Undone: {decision.summary}")
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("admin:entities_reviewdecision_changelist")
        return redirect(target)

    @admin.display(description="Record")
    def record_link(self, decision):
        model = decision.content_type.model_class()
        url = reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_change",
            args=[decision.object_id],
        )
        return format_html('<a href="{}">{}</a>', url, decision.object_repr)

    @admin.display(description="Undo")
    def undo_button(self, decision):
        if decision.undone_at is not None:
            return format_html(
                "undone by {} on {}", decision.undone_by, f"{decision.undone_at:%Y-%m-%d %H:%M}"
            )
        url = reverse("admin:entities_reviewdecision_undo", args=[decision.pk])
        return format_html('<a class="button" href="{}">Undo…</a>', url)
