"""The editors' workspace for organisations, people, programs and metrics.

Every save through the admin marks the record as curated, so that later
imports leave it alone.
"""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html

from entities.models import Metric, Organisation, Person, Position, Program


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


class CuratedAdminMixin:
    """Marks records an editor saves (directly or in an inline) as curated."""

    def save_model(self, request, obj, form, change):
        obj.curated = True
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            if inline_form.has_changed() and hasattr(inline_form.instance, "curated"):
                inline_form.instance.curated = True
        super().save_formset(request, form, formset, change)


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


def set_status_logged(model_admin, request, queryset, status) -> int:
    """Set ``status`` on each selected record, mark it curated and log it in the admin history."""
    count = 0
    for obj in queryset:
        if obj.status == status:
            continue
        obj.status = status
        obj.curated = True
        obj.save(update_fields=["status", "curated", "updated_at"])
        model_admin.log_change(request, obj, f"Status set to {obj.get_status_display()}.")
        count += 1
    return count


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


@admin.register(Organisation)
class OrganisationAdmin(CuratedAdminMixin, SiteLinkMixin, ArticleCountMixin, admin.ModelAdmin):
    form = NamedEntityForm
    list_display = ("name", "kind", "article_count", "curated", "updated_at", "site_link")
    list_filter = ("kind", "curated")
    search_fields = ("name", "aliases", "slug")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "kind", "aliases", "description", "curated", "created_at")
    readonly_fields = ("curated", "created_at")
    inlines = (OrganisationPositionInline,)


@admin.register(Person)
class PersonAdmin(CuratedAdminMixin, SiteLinkMixin, ArticleCountMixin, admin.ModelAdmin):
    form = NamedEntityForm
    list_display = ("name", "current_positions", "article_count", "curated", "site_link")
    list_filter = ("curated", "positions__organisation__kind")
    search_fields = ("name", "aliases", "slug", "positions__title")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "aliases", "curated", "created_at")
    readonly_fields = ("curated", "created_at")
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
class ProgramAdmin(CuratedAdminMixin, SiteLinkMixin, ArticleCountMixin, admin.ModelAdmin):
    form = NamedEntityForm
    list_display = ("name", "kind", "article_count", "curated", "updated_at", "site_link")
    list_filter = ("kind", "curated")
    search_fields = ("name", "aliases", "slug")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "kind", "aliases", "description", "curated", "created_at")
    readonly_fields = ("curated", "created_at")


@admin.register(Position)
class PositionAdmin(CuratedAdminMixin, admin.ModelAdmin):
    list_display = ("person", "title", "organisation", "article", "curated")
    list_filter = ("curated",)
    list_select_related = ("person", "organisation", "article")
    search_fields = ("person__name", "title", "organisation__name")
    autocomplete_fields = ("person", "organisation", "article")
    readonly_fields = ("quote", "curated", "created_at")


@admin.register(Metric)
class MetricAdmin(CuratedAdminMixin, SiteLinkMixin, admin.ModelAdmin):
    list_display = (
        "label",
        "value",
        "unit",
        "qualifier",
        "year",
        "subject",
        "article",
        "status",
        "site_link",
    )
    list_filter = ("status", "unit", "qualifier", "year", "curated")
    list_select_related = ("article", "organisation", "program")
    search_fields = ("label", "raw_text", "quote", "article__title")
    autocomplete_fields = ("article", "organisation", "program")
    fieldsets = (
        (None, {"fields": ("label", "value", "unit", "qualifier", "year", "period", "status")}),
        ("Subject", {"fields": ("organisation", "program")}),
        (
            "Provenance",
            {"fields": ("article", "raw_text", "quote", "start", "end", "curated", "created_at")},
        ),
    )
    readonly_fields = ("raw_text", "quote", "start", "end", "curated", "created_at")
    actions = ("reject_metrics", "restore_metrics")

    def get_readonly_fields(self, request, obj=None):
        # Provenance of an extracted metric is fixed; a metric an editor adds
        # by hand needs its article and wording filled in.
        if obj is None:
            return ("curated", "created_at")
        return (*self.readonly_fields, "article")

    @admin.action(description="Reject selected metrics (hide them; imports never recreate them)")
    def reject_metrics(self, request, queryset):
        count = set_status_logged(self, request, queryset, Metric.Status.REJECTED)
        self.message_user(request, f"Rejected {count} metric(s).")

    @admin.action(description="Restore selected metrics")
    def restore_metrics(self, request, queryset):
        count = set_status_logged(self, request, queryset, Metric.Status.ACTIVE)
        self.message_user(request, f"Restored {count} metric(s).")
