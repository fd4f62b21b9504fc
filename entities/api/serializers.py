"""Serializers of organisations, people, programs and metrics.

Embedded relations use brief serializers (id, slug, name/title). Related
records are written by id (``article_id``, ``organisation_id``, ``program_id``)
and read back as those brief objects.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from entities.evidence import evidence_for
from entities.filtersets import MAX_YEAR, MIN_YEAR
from entities.models import (
    Metric,
    Organisation,
    Person,
    Position,
    Program,
    ReviewStatus,
    article_model,
)
from kaluga_cluster.api import (
    SiteURLField,
    ValidatedModelSerializer,
    reject_control_characters,
    site_url_maker,
)


class ReviewStatusField(serializers.ChoiceField):
    """The review state; an editor writes ``confirmed`` or ``rejected`` (a decision, in history).

    ``unreviewed`` is what the import gives; a decision is taken back with
    undo in the admin's review decisions, not by writing it.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            "unreviewed (as extracted), confirmed or rejected by an editor. Editors write "
            "confirmed or rejected; a rejected record leaves the default lists.",
        )
        super().__init__(choices=ReviewStatus.choices, **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value == ReviewStatus.UNREVIEWED:
            self.fail("invalid_choice", input=data)
        return value


CONFIDENCE_HELP = (
    "0 to 1: how strongly the article's evidence supports this extracted record; 1 for "
    "records editors added. Set by the import, read-only here."
)


class ArticleBriefSerializer(serializers.Serializer):
    """An article in brief: enough to name it and fetch it."""

    id = serializers.IntegerField(read_only=True)
    slug = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)


class OrganisationBriefSerializer(serializers.ModelSerializer):
    """An organisation in brief."""

    class Meta:
        model = Organisation
        fields = ["id", "slug", "name"]
        read_only_fields = fields


class NamedEntityListSerializer(serializers.ListSerializer):
    """A page of organisations or programs, each row read straight from its record.

    The same output as the serializer's fields (plain columns, ``aliases`` as
    strings, ``url``), without DRF's per-field work for every row, which
    made an API list several times slower than writing the JSON by hand.
    """

    def to_representation(self, data):
        """The records as dicts with the child serializer's fields, in its order."""
        url_of = site_url_maker(self.child.Meta.model, self.context.get("request"))
        # The child's fields: Meta.fields less any a request left out (?fields=, ?brief=1).
        shown = [name for name in self.child.Meta.fields if name in self.child.fields]
        fields = [name for name in shown if name not in ("url", "aliases")]
        rows = []
        for record in data:
            row = {name: getattr(record, name) for name in fields}
            row["url"] = url_of(record.slug)
            row["aliases"] = [str(alias) for alias in record.aliases or ()]
            rows.append({name: row[name] for name in shown})
        return rows


class NamedEntitySerializer(ValidatedModelSerializer):
    """Fields and rules shared by organisations, people and programs."""

    url = SiteURLField()
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=255),
        required=False,
        help_text="Other spellings, acronyms and merged names that refer to this record.",
    )
    article_count = serializers.IntegerField(
        read_only=True, help_text="How many published articles mention it."
    )
    confidence = serializers.FloatField(read_only=True, help_text=CONFIDENCE_HELP)
    review_status = ReviewStatusField()

    class Meta:
        extra_kwargs = {
            "slug": {
                "required": False,
                "help_text": "The last part of its page address; made from the name when omitted.",
            }
        }

    def validate(self, attrs):
        """Text fields hold no control characters; then the model's rules (a name taken...)."""
        reject_control_characters(attrs, multiline=("description",))
        return super().validate(attrs)


class DescribedEntitySerializer(NamedEntitySerializer):
    """Fields shared by organisations and programs: a kind and a description besides the name."""

    class Meta(NamedEntitySerializer.Meta):
        fields = [
            "id",
            "url",
            "slug",
            "name",
            "kind",
            "aliases",
            "description",
            "article_count",
            "confidence",
            "review_status",
        ]
        list_serializer_class = NamedEntityListSerializer


class OrganisationSerializer(DescribedEntitySerializer):
    """An organisation with its aliases and how many articles mention it."""

    class Meta(DescribedEntitySerializer.Meta):
        model = Organisation


class ProgramSerializer(DescribedEntitySerializer):
    """A program with its aliases and how many articles mention it."""

    class Meta(DescribedEntitySerializer.Meta):
        model = Program


class PositionSerializer(serializers.ModelSerializer):
    """A title a person holds, at an organisation or none, and the article stating it."""

    organisation = OrganisationBriefSerializer(read_only=True, allow_null=True)
    article = ArticleBriefSerializer(
        read_only=True, allow_null=True, help_text="The article that states this position."
    )

    class Meta:
        model = Position
        fields = ["id", "title", "organisation", "article"]
        read_only_fields = fields


class PersonSerializer(NamedEntitySerializer):
    """A person with aliases and positions (positions are curated in the admin)."""

    positions = PositionSerializer(many=True, read_only=True)

    class Meta(NamedEntitySerializer.Meta):
        model = Person
        fields = [
            "id",
            "url",
            "slug",
            "name",
            "aliases",
            "positions",
            "article_count",
            "confidence",
            "review_status",
        ]


class MetricSubjectSerializer(serializers.Serializer):
    """The organisation or program a metric is about."""

    type = serializers.SerializerMethodField()
    id = serializers.IntegerField(read_only=True)
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)

    @extend_schema_field({"type": "string", "enum": ["organisation", "program"]})
    def get_type(self, subject):
        """``organisation`` or ``program``."""
        return subject._meta.model_name


def _subject_id_field(model, *, other: str) -> serializers.PrimaryKeyRelatedField:
    """Write a metric's subject by id: an organisation or a program (``other``), not both."""
    noun = model._meta.model_name
    return serializers.PrimaryKeyRelatedField(
        source=noun,
        queryset=model.objects.all(),
        write_only=True,
        required=False,
        allow_null=True,
        help_text=f"Id of the {noun} it is about (or {other}_id, not both).",
    )


class MetricSerializer(ValidatedModelSerializer):
    """A quantitative claim of an article, its subject and the sentence it came from."""

    url = SiteURLField(help_text="The sentence on the article's page.")
    value = serializers.DecimalField(
        max_digits=Metric._meta.get_field("value").max_digits,
        decimal_places=Metric._meta.get_field("value").decimal_places,
        coerce_to_string=False,
        help_text='The number in base units: "RUR 93.3 Million" is 93300000.',
    )
    article = ArticleBriefSerializer(read_only=True)
    subject = MetricSubjectSerializer(
        read_only=True,
        allow_null=True,
        help_text="The organisation or program it is about; null when unknown.",
    )
    article_id = serializers.PrimaryKeyRelatedField(
        source="article",
        queryset=article_model().objects.all(),
        write_only=True,
        help_text="Id of the article that states it.",
    )
    organisation_id = _subject_id_field(Organisation, other="program")
    program_id = _subject_id_field(Program, other="organisation")
    confidence = serializers.FloatField(read_only=True, help_text=CONFIDENCE_HELP)
    review_status = ReviewStatusField()
    rank = serializers.ChoiceField(
        choices=Metric.Rank.choices,
        read_only=True,
        help_text=(
            "preferred: the value editors chose where sources state different values for the "
            "same subject, label and year; normal otherwise."
        ),
    )

    class Meta:
        model = Metric
        fields = [
            "id",
            "url",
            "label",
            "value",
            "unit",
            "raw_text",
            "qualifier",
            "year",
            "period",
            "quote",
            "start",
            "end",
            "review_status",
            "rank",
            "confidence",
            "article",
            "subject",
            "article_id",
            "organisation_id",
            "program_id",
        ]
        # The same years the filters accept, whatever the database's integer range.
        extra_kwargs = {"year": {"min_value": MIN_YEAR, "max_value": MAX_YEAR}}
        # ?brief=1 (kaluga_cluster.api_fields): what names a figure.
        brief_fields = ["id", "url", "label", "value", "unit", "year"]

    def validate(self, attrs):
        """Plain text; then the model's rules (one subject, offsets, one title figure per text)."""
        reject_control_characters(attrs, multiline=("quote",))
        return super().validate(attrs)


#: How many sentences of evidence a detail response carries, newest articles first.
EVIDENCE_LIMIT = 10


class EvidenceSerializer(serializers.Serializer):
    """One sentence an article gives as evidence of a record (``entities.evidence``)."""

    article = serializers.SerializerMethodField()
    sentence = serializers.CharField(
        read_only=True,
        help_text="The sentence as the article states it (a title figure: the title).",
    )
    start = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="Where the sentence starts in the article body; null for the title.",
    )
    end = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="Where the sentence ends in the article body; null for the title.",
    )
    highlights = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2),
        read_only=True,
        help_text="[start, end] of the record's words, as offsets into the sentence.",
    )
    url = serializers.SerializerMethodField()

    @extend_schema_field(ArticleBriefSerializer)
    def get_article(self, evidence) -> dict:
        """The article that states the sentence, in brief."""
        return {
            "id": evidence.article_id,
            "slug": evidence.article_slug,
            "title": evidence.article_title,
        }

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_url(self, evidence) -> str:
        """The sentence on the article's page (``#s-<start>``; the page itself for the title)."""
        request = self.context.get("request")
        url = evidence.article_url
        return request.build_absolute_uri(url) if request is not None else url


@extend_schema_field(EvidenceSerializer(many=True))
class EvidenceField(serializers.Field):
    """The record's evidence: sentences of articles this client may read, newest first."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            f"Up to {EVIDENCE_LIMIT} sentences the record comes from, newest articles first, "
            "each with its article, offsets in the body, the record's words to highlight and "
            "its address on the article's page.",
        )
        super().__init__(read_only=True, source="*", **kwargs)

    def to_representation(self, record):
        """The sentences, leaving out articles hidden from this client."""
        request = self.context.get("request")
        user = getattr(request, "user", None)
        opts = article_model()._meta
        public = user is None or not user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
        evidence = evidence_for(record, limit=EVIDENCE_LIMIT, public=public)
        return EvidenceSerializer(evidence, many=True, context=self.context).data


class OrganisationDetailSerializer(OrganisationSerializer):
    """An organisation with the sentences it comes from (the detail response)."""

    evidence = EvidenceField()

    class Meta(OrganisationSerializer.Meta):
        fields = [*OrganisationSerializer.Meta.fields, "evidence"]


class PersonDetailSerializer(PersonSerializer):
    """A person with the sentences they come from (the detail response)."""

    evidence = EvidenceField()

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "evidence"]


class ProgramDetailSerializer(ProgramSerializer):
    """A program with the sentences it comes from (the detail response)."""

    evidence = EvidenceField()

    class Meta(ProgramSerializer.Meta):
        fields = [*ProgramSerializer.Meta.fields, "evidence"]


class MetricDetailSerializer(MetricSerializer):
    """A metric with the sentence it comes from (the detail response)."""

    evidence = EvidenceField()

    class Meta(MetricSerializer.Meta):
        fields = [*MetricSerializer.Meta.fields, "evidence"]
