"""The admins of organisations, people, programs, positions, metrics and tombstones."""

from django.contrib import admin

from entities.admin.evidence import EvidencePanelMixin
from entities.admin.mixins import (
    ArticleCountMixin,
    BoundedSearchMixin,
    ConfidenceBandFilter,
    ConfidenceMixin,
    CuratedAdminMixin,
    MergeAdminMixin,
    NamedEntityForm,
    ReviewAdminMixin,
    SiteLinkMixin,
)
from entities.models import ImportTombstone, Metric, Organisation, Person, Position, Program


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
    EvidencePanelMixin,
    CuratedAdminMixin,
    ReviewAdminMixin,
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
    readonly_fields = ("review_status", "confidence", "curated", "created_at")
    actions = (*ReviewAdminMixin.actions, *MergeAdminMixin.actions)


class KindedEntityAdmin(NamedEntityAdmin):
    """Organisations and programs: records with a kind and a description."""

    list_display = (
        "name",
        "kind",
        "article_count",
        "confidence_display",
        "review_status",
        "curated",
        "updated_at",
        "site_link",
    )
    list_filter = ("review_status", "kind", ConfidenceBandFilter, "curated")
    fields = (
        "name",
        "slug",
        "kind",
        "aliases",
        "description",
        "review_status",
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
        "review_status",
        "curated",
        "site_link",
    )
    list_filter = (
        "review_status",
        ConfidenceBandFilter,
        "curated",
        "positions__organisation__kind",
    )
    search_fields = (*NamedEntityAdmin.search_fields, "positions__title")
    fields = ("name", "slug", "aliases", "review_status", "confidence", "curated", "created_at")
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
class PositionAdmin(EvidencePanelMixin, CuratedAdminMixin, ReviewAdminMixin, admin.ModelAdmin):
    """Positions: who holds which title where, as an article states it."""

    list_display = ("person", "title", "organisation", "article", "review_status", "curated")
    list_filter = ("review_status", "curated")
    list_select_related = ("person", "organisation", "article")
    search_fields = ("person__name", "title", "organisation__name")
    autocomplete_fields = ("person", "organisation", "article")
    readonly_fields = ("quote", "review_status", "curated", "created_at")


@admin.register(Metric)
class MetricAdmin(
    EvidencePanelMixin,
    CuratedAdminMixin,
    ReviewAdminMixin,
    SiteLinkMixin,
    ConfidenceMixin,
    admin.ModelAdmin,
):
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
        "review_status",
        "site_link",
    )
    list_filter = ("review_status", ConfidenceBandFilter, "unit", "qualifier", "year", "curated")
    list_select_related = ("article", "organisation", "program")
    search_fields = ("label", "raw_text", "quote", "article__title")
    autocomplete_fields = ("article", "organisation", "program")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "label",
                    "value",
                    "unit",
                    "qualifier",
                    "year",
                    "period",
                    "review_status",
                    "rank",
                )
            },
        ),
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
    readonly_fields = (
        "raw_text",
        "quote",
        "start",
        "end",
        "review_status",
        "rank",
        "confidence",
        "curated",
        "created_at",
    )

    def get_readonly_fields(self, request, obj=None):
        # Provenance of an extracted metric is fixed; a metric an editor adds
        # by hand needs its article and wording filled in.
        if obj is None:
            return ("review_status", "rank", "confidence", "curated", "created_at")
        return (*self.readonly_fields, "article")


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
