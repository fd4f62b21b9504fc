"""The editors' workspace for articles, their mentions and their metrics."""

from django.contrib import admin

from articles.models import Article, OrganisationMention, PersonMention, ProgramMention
from entities.admin.mixins import CuratedAdminMixin, SiteLinkMixin, status_action
from entities.models import Metric


class MentionInline(admin.TabularInline):
    """Base of the three mention inlines: the entity is editable, provenance is not."""

    extra = 0
    readonly_fields = ("quote", "spans")


class OrganisationMentionInline(MentionInline):
    model = OrganisationMention
    fields = ("organisation", "quote", "spans")
    autocomplete_fields = ("organisation",)


class PersonMentionInline(MentionInline):
    model = PersonMention
    fields = ("person", "quote", "spans")
    autocomplete_fields = ("person",)


class ProgramMentionInline(MentionInline):
    model = ProgramMention
    fields = ("program", "quote", "spans")
    autocomplete_fields = ("program",)


class MetricInline(admin.TabularInline):
    """The metrics an article states, with the sentence each came from."""

    model = Metric
    extra = 0
    fields = (
        "label",
        "value",
        "unit",
        "qualifier",
        "year",
        "organisation",
        "review_status",
        "quote",
    )
    readonly_fields = ("review_status", "quote")
    autocomplete_fields = ("organisation",)
    show_change_link = True


@admin.register(Article)
class ArticleAdmin(CuratedAdminMixin, SiteLinkMixin, admin.ModelAdmin):
    # A filtered changelist would count the whole table again for its "(N total)".
    show_full_result_count = False
    list_display = (
        "title",
        "published_on",
        "source",
        "source_file",
        "status",
        "curated",
        "site_link",
    )
    list_filter = ("status", "curated", "source", "published_on")
    date_hierarchy = "published_on"
    search_fields = ("title", "source_file", "source")
    prepopulated_fields = {"slug": ("title",)}
    fieldsets = (
        (None, {"fields": ("title", "slug", "published_on", "source", "status", "body")}),
        (
            "Provenance",
            {"fields": ("source_file", "content_hash", "curated", "created_at", "updated_at")},
        ),
    )
    readonly_fields = ("content_hash", "curated", "created_at", "updated_at")
    inlines = (OrganisationMentionInline, PersonMentionInline, ProgramMentionInline, MetricInline)
    actions = (
        status_action(
            Article.Status.HIDDEN,
            name="hide_articles",
            description="Hide selected articles from visitors",
            done="Hid",
        ),
        status_action(
            Article.Status.PUBLISHED,
            name="publish_articles",
            description="Publish selected articles",
            done="Published",
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        # The file an article came from is its identity for the importer.
        if obj is None:
            return self.readonly_fields
        return (*self.readonly_fields, "source_file")
