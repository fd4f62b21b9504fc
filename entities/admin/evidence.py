"""The Evidence panel of every reviewed record's change page, with one-click review.

The panel shows the sentences the record comes from (``entities.evidence``),
each with the mention marked and its article linked to the site at that
sentence, and the record's review state with "Confirm" and "Reject" buttons.
The buttons post the existing ``confirm_records``/``reject_records`` actions to
the model's changelist (the admin's own action path: permissions, CSRF, the
decision in the history) and ask to come back to the change page.

The panel sits above the change form, not inside it: a form may not hold another.
"""

from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

from entities.evidence import DEFAULT_LIMIT, evidence_count, evidence_for
from entities.models import ReviewStatus

#: The POST field naming the page an action posted from the panel returns to.
RETURN_FIELD = "_evidence_next"


class EvidencePanelMixin:
    """Shows the Evidence panel on the change page and returns its actions there."""

    change_form_template = "admin/entities/evidence_change_form.html"
    evidence_limit = DEFAULT_LIMIT

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and not add:
            context["evidence_panel"] = self.evidence_panel(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def evidence_panel(self, request, obj) -> dict:
        """What the panel template shows for ``obj``: sentences, counts, review state, buttons."""
        evidence = evidence_for(obj, limit=self.evidence_limit)
        can_review = self.has_change_permission(request, obj)
        status = obj.review_status
        return {
            "evidence": evidence,
            "article_total": evidence_count(obj),
            "article_shown": len({item.article_id for item in evidence}),
            "review_status": status,
            "review_status_display": obj.get_review_status_display(),
            "can_confirm": can_review and status != ReviewStatus.CONFIRMED,
            "can_reject": can_review and status != ReviewStatus.REJECTED,
            "return_field": RETURN_FIELD,
            "return_to": request.get_full_path(),
        }

    def response_action(self, request, queryset):
        response = super().response_action(request, queryset)
        target = request.POST.get(RETURN_FIELD)
        if (
            isinstance(response, HttpResponseRedirect)
            and target
            and url_has_allowed_host_and_scheme(
                target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            )
        ):
            return HttpResponseRedirect(target)
        return response
