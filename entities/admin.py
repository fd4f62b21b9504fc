"""The editors' workspace for organisations, people, programs and metrics.

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
from entities.models import ImportTombstone, Metric, Organisation, Person, Position, Program
from entities.services import entity_merge


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
            entity_merge(keep=keep, others=others, user=request.user)
            self.log_change(request, keep, f"Merged {merged_names} into this record.")
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
    count = 0
    for selected in queryset:
        try:
            obj = lock_for_edit(selected)
        except RecordGone:
            continue  # deleted meanwhile: nothing to set
        if obj.status == status:
            continue
        obj.status = status
        obj.curated = True
        obj.save(update_fields=["status", "curated", "updated_at"])
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


class PositionInline(admin.TabularInline):
    """Positions held by a person."""

    model = Position
    fk_name = "person"
    extra = 0
    fields = ("title", "organisation", "article", "quote", "curated")
    readonly_fields = ("quote", "curated")
    autocomplete_fields = ("organisation", "article")


class OrganisationPositionInline(admin.TabularInline):
    """The people holding positions at an organisation."""

    model = Position
    fk_name = "organisation"
    extra = 0
    fields = ("person", "title", "article", "curated")
    readonly_fields = ("curated",)
    autocomplete_fields = ("person", "article")
    verbose_name = "person at this organisation"
    verbose_name_plural = "people at this organisation"


class NamedEntityAdmin(
    CuratedAdminMixin,
    MergeAdminMixin,
    SiteLinkMixin,
    ArticleCountMixin,
    ConfidenceMixin,
    admin.ModelAdmin,
):
    """What the admins of organisations, people and programs share.

    Aliases one per line, merging, article counts and confidence; the
    extractor's confidence, the curated flag and the creation time are read-only.
    """

    form = NamedEntityForm
    search_fields = ("name", "aliases", "slug")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("confidence", "curated", "created_at")


class KindedEntityAdmin(NamedEntityAdmin):
    """Organisations and programs: records with a kind and a description."""

    list_display = (
        "name",
        "kind",
        "article_count",
        "confidence_display",
        "curated",
        "updated_at",
        "site_link",
    )
    list_filter = ("kind", ConfidenceBandFilter, "curated")
    fields = (
        "name",
        "slug",
        "kind",
        "aliases",
        "description",
        "confidence",
        "curated",
        "created_at",
    )


@admin.register(Organisation)
class OrganisationAdmin(KindedEntityAdmin):
    """Organisations, with the people who hold positions at each."""

    inlines = (OrganisationPositionInline,)


@admin.register(Person)
class PersonAdmin(NamedEntityAdmin):
    """People, with their positions."""

    list_display = (
        "name",
        "current_positions",
        "article_count",
        "confidence_display",
        "curated",
        "site_link",
    )
    list_filter = (ConfidenceBandFilter, "curated", "positions__organisation__kind")
    search_fields = (*NamedEntityAdmin.search_fields, "positions__title")
    fields = ("name", "slug", "aliases", "confidence", "curated", "created_at")
    inlines = (PositionInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("positions__organisation")

    @admin.display(description="Positions")
    def current_positions(self, obj):
        return "; ".join(
            f"{position.title}, {position.organisation}"
            if position.organisation
            else position.title
            for position in obj.positions.all()
        )


@admin.register(Program)
class ProgramAdmin(KindedEntityAdmin):
    """Programs, initiatives, certifications and events."""


@admin.register(Position)
class PositionAdmin(CuratedAdminMixin, admin.ModelAdmin):
    list_display = ("person", "title", "organisation", "article", "curated")
    list_filter = ("curated",)
    list_select_related = ("person", "organisation", "article")
    search_fields = ("person__name", "title", "organisation__name")
    autocomplete_fields = ("person", "organisation", "article")
    readonly_fields = ("quote", "curated", "created_at")


@admin.register(Metric)
class MetricAdmin(CuratedAdminMixin, SiteLinkMixin, ConfidenceMixin, admin.ModelAdmin):
    # A filtered changelist would count the whole table again for its "(N total)".
    show_full_result_count = False
    list_display = (
        "label",
        "value",
        "unit",
        "qualifier",
        "year",
        "subject",
        "article",
        "confidence_display",
        "status",
        "site_link",
    )
    list_filter = ("status", ConfidenceBandFilter, "unit", "qualifier", "year", "curated")
    list_select_related = ("article", "organisation", "program")
    search_fields = ("label", "raw_text", "quote", "article__title")
    autocomplete_fields = ("article", "organisation", "program")
    fieldsets = (
        (None, {"fields": ("label", "value", "unit", "qualifier", "year", "period", "status")}),
        ("Subject", {"fields": ("organisation", "program")}),
        (
            "Provenance",
            {
                "fields": (
                    "article",
                    "raw_text",
                    "quote",
                    "start",
                    "end",
                    "confidence",
                    "curated",
                    "created_at",
                )
            },
        ),
    )
    readonly_fields = ("raw_text", "quote", "start", "end", "confidence", "curated", "created_at")
    actions = ("reject_metrics", "restore_metrics")

    def get_readonly_fields(self, request, obj=None):
        # Provenance of an extracted metric is fixed; a metric an editor adds
        # by hand needs its article and wording filled in.
        if obj is None:
            return ("confidence", "curated", "created_at")
        return (*self.readonly_fields, "article")

    @admin.action(description="Reject selected metrics (hide them; imports never recreate them)")
    def reject_metrics(self, request, queryset):
        count = set_status_logged(self, request, queryset, Metric.Status.REJECTED)
        self.message_user(request, f"Rejected {count} metric(s).")

    @admin.action(description="Restore selected metrics")
    def restore_metrics(self, request, queryset):
        count = set_status_logged(self, request, queryset, Metric.Status.ACTIVE)
        self.message_user(request, f"Restored {count} metric(s).")


@admin.register(ImportTombstone)
class ImportTombstoneAdmin(BoundedSearchMixin, admin.ModelAdmin):
    """What editors deleted. Deleting a tombstone lets the next import bring the record back."""

    list_display = ("label", "kind", "deleted_by", "deleted_at")
    list_filter = ("kind",)
    search_fields = ("label",)
    readonly_fields = ("kind", "key", "label", "deleted_by", "deleted_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
