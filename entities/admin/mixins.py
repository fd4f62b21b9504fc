"""Editor behaviour the admins of both apps share: curating, tombstones, merging, columns.

Every save through the admin marks the record as curated, and every deletion
leaves a tombstone, so that later imports neither overwrite nor recreate what
an editor did.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import DELETION, LogEntry
from django.db import transaction
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.utils.html import format_html

from entities.editing import RecordGone, editor_deleting, editor_saving, lock_for_edit
from entities.filtersets import MAX_SEARCH_LENGTH
from entities.models import ReviewStatus
from entities.services import changes, review
from kaluga_cluster.cache import bump_data_version_on_commit


class AliasesField(forms.CharField):
    """Edits a JSON list of aliases as a textarea with one alias per line."""

    widget = forms.Textarea(attrs={"rows": 4, "cols": 60})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "One alias per line: other spellings, acronyms.")
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        lines = (line.strip() for line in (value or "").splitlines())
        return list(dict.fromkeys(line for line in lines if line))


class NamedEntityForm(forms.ModelForm):
    """Admin form for records with aliases."""

    aliases = AliasesField()


class BoundedSearchMixin:
    """Changelist and autocomplete searches use at most MAX_SEARCH_LENGTH characters.

    SQLite fails on LIKE patterns over 50,000 bytes; nobody types a search
    that long, so a pasted wall of text is cut instead of ending in a 500.
    """

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_term[:MAX_SEARCH_LENGTH])


class CuratedAdminMixin(BoundedSearchMixin):
    """Editors' saves mark records curated; their deletions leave tombstones.

    Both apply to the record itself and to the rows of its inlines. A form
    posted for a record first waits for any import writing its article and
    reads the record afresh, inside the admin's transaction
    (``entities.editing``), so the editor's change lands on the current
    record and an import can no longer write over it.
    """

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None or request.method != "POST":
            return obj
        try:
            lock_for_edit(obj)
        except RecordGone:
            return None  # the admin says the record does not exist (any more)
        # Read again now that no import can change it: the form applies to this.
        return super().get_object(request, object_id, from_field)

    def save_model(self, request, obj, form, change):
        with editor_saving(obj, user=request.user):
            obj.curated = True
            super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        editor_deleting(obj, user=request.user)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for obj in queryset:
            editor_deleting(obj, user=request.user)

    def save_formset(self, request, form, formset, change):
        changed = formset.save(commit=False)
        for obj in formset.deleted_objects:
            editor_deleting(obj, user=request.user)
        for obj in changed:
            with editor_saving(obj, user=request.user):
                obj.curated = True
                obj.save()
        formset.save_m2m()


class MergeAdminMixin:
    """An action that merges duplicate records into the one the editor picks."""

    actions = ("merge_records",)

    @admin.action(description="Merge selected %(verbose_name_plural)s into one")
    def merge_records(self, request, queryset):
        records = list(queryset)
        if len(records) < 2:
            self.message_user(request, "Select at least two records to merge.", messages.WARNING)
            return None
        keep_pk = request.POST.get("keep")
        keep = next((record for record in records if str(record.pk) == keep_pk), None)
        if keep is None:
            return TemplateResponse(
                request,
                "admin/entities/merge_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "title": f"Merge {self.model._meta.verbose_name_plural}",
                    "opts": self.model._meta,
                    "records": records,
                    "action_checkbox_name": ACTION_CHECKBOX_NAME,
                },
            )
        others = [record for record in records if record.pk != keep.pk]
        merged_names = ", ".join(record.name for record in others)
        with transaction.atomic():
            # The history of each merged record ends with where it went (logged
            # before it is deleted, as the admin does for deletions).
            LogEntry.objects.log_actions(
                user_id=request.user.pk,
                queryset=others,
                action_flag=DELETION,
                change_message=f"Merged into {keep.name} (id {keep.pk}).",
            )
            review.merge(keep=keep, others=others, user=request.user)
        self.message_user(request, f"Merged {merged_names} into {keep.name}.")
        return None


class SiteLinkMixin:
    """A list column linking each record to its public page."""

    @admin.display(description="Page")
    def site_link(self, obj):
        return format_html('<a href="{}" target="_blank">view</a>', obj.get_absolute_url())


class ArticleCountMixin:
    """A sortable column with the number of articles that mention the record."""

    # An annotated (GROUP BY) queryset is unordered unless ordered explicitly.
    ordering = ("name",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(article_count=Count("mentions__article", distinct=True))
        )

    @admin.display(description="Articles", ordering="article_count")
    def article_count(self, obj):
        return obj.article_count


@transaction.atomic
def set_status_logged(model_admin, request, queryset, status) -> int:
    """Set ``status`` on each selected record, mark it curated and log it in the admin history."""
    bump_data_version_on_commit()
    count = 0
    for selected in queryset:
        try:
            obj = lock_for_edit(selected)
        except RecordGone:
            continue  # deleted meanwhile: nothing to set
        if obj.status == status:
            continue
        was = obj.status
        # API mirrors learn of it: what shows the record moves, a hidden one leaves.
        with changes.changing([obj]):
            obj.status = status
            obj.curated = True
            obj.save(update_fields=["status", "curated", "updated_at"])
        changes.left_view(obj, field="status", was=was)
        model_admin.log_change(request, obj, f"Status set to {obj.get_status_display()}.")
        count += 1
    return count


class ConfidenceBandFilter(admin.SimpleListFilter):
    """Records by how strongly the extractor's evidence supports them: doubtful ones first."""

    title = "confidence"
    parameter_name = "confidence_band"
    bands = {
        "low": ("below 0.5", Q(confidence__lt=0.5)),
        "medium": ("0.5 to 0.8", Q(confidence__gte=0.5, confidence__lt=0.8)),
        "high": ("0.8 and above", Q(confidence__gte=0.8)),
    }

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _) in self.bands.items()]

    def queryset(self, request, queryset):
        band = self.bands.get(self.value())
        return queryset if band is None else queryset.filter(band[1])


class ConfidenceMixin:
    """A sortable confidence column, two decimals, read-only on the form."""

    @admin.display(description="Confidence", ordering="confidence")
    def confidence_display(self, obj):
        return f"{obj.confidence:.2f}"


def status_action(status, *, name: str, description: str, done: str, apply=set_status_logged):
    """An admin action named ``name`` that sets ``status`` on the selected records.

    ``apply(model_admin, request, queryset, status)`` sets it and says how many
    changed; ``done`` is the past tense the editor reads back: "Rejected 3 metric(s).".
    """

    @admin.action(description=description)
    def action(model_admin, request, queryset):
        count = apply(model_admin, request, queryset, status)
        noun = model_admin.model._meta.verbose_name
        model_admin.message_user(request, f"{done} {count} {noun}(s).")

    action.__name__ = name
    return action


def _review(model_admin, request, queryset, status) -> int:
    return review.review(queryset, status, user=request.user)


class ReviewAdminMixin:
    """Confirm or reject extracted records, one by one or in bulk (``entities.services.review``).

    A rejected record is hidden from visitors and the API's lists and no
    import brings it back; each decision is in the record's history and can be
    undone from the review decisions.
    """

    actions = (
        status_action(
            ReviewStatus.CONFIRMED,
            name="confirm_records",
            description="Confirm selected %(verbose_name_plural)s",
            done="Confirmed",
            apply=_review,
        ),
        status_action(
            ReviewStatus.REJECTED,
            name="reject_records",
            description="Reject selected %(verbose_name_plural)s (hidden; no import restores them)",
            done="Rejected",
            apply=_review,
        ),
    )
