"""factory_boy factories for the models, shared by the whole test suite.

Names are generic (``Organisation 3``) on purpose: tests that need a specific
name pass it in.
"""

import datetime
import hashlib
from decimal import Decimal

import factory

from articles.models import Article, OrganisationMention, PersonMention, ProgramMention
from entities.models import Metric, Organisation, Person, Position, Program


class OrganisationFactory(factory.django.DjangoModelFactory):
    """An organisation with a unique name."""

    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.COMPANY


class PersonFactory(factory.django.DjangoModelFactory):
    """A person with a unique name."""

    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")


class ProgramFactory(factory.django.DjangoModelFactory):
    """A program with a unique name."""

    class Meta:
        model = Program

    name = factory.Sequence(lambda n: f"Program {n}")
    kind = Program.Kind.REGIONAL


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published, dated article whose body is plain prose."""

    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    source_file = factory.Sequence(lambda n: f"{n:03d}_article.txt")
    published_on = factory.Sequence(lambda n: datetime.date(2014, 1, 1) + datetime.timedelta(n))
    source = "Regional news"
    body = "The cluster held a meeting.\n\nParticipants discussed training."
    content_hash = factory.LazyAttribute(lambda a: hashlib.sha256(a.body.encode()).hexdigest())
    status = Article.Status.PUBLISHED


class OrganisationMentionFactory(factory.django.DjangoModelFactory):
    """An article mentions an organisation (no spans unless given)."""

    class Meta:
        model = OrganisationMention

    article = factory.SubFactory(ArticleFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class PersonMentionFactory(factory.django.DjangoModelFactory):
    """An article mentions a person (no spans unless given)."""

    class Meta:
        model = PersonMention

    article = factory.SubFactory(ArticleFactory)
    person = factory.SubFactory(PersonFactory)


class ProgramMentionFactory(factory.django.DjangoModelFactory):
    """An article mentions a program (no spans unless given)."""

    class Meta:
        model = ProgramMention

    article = factory.SubFactory(ArticleFactory)
    program = factory.SubFactory(ProgramFactory)


class PositionFactory(factory.django.DjangoModelFactory):
    """A title a person holds at an organisation, stated by an article."""

    class Meta:
        model = Position

    person = factory.SubFactory(PersonFactory)
    title = factory.Sequence(lambda n: f"Director {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    article = factory.SubFactory(ArticleFactory)


class MetricFactory(factory.django.DjangoModelFactory):
    """A money metric stated in an article body (distinct offsets per metric)."""

    class Meta:
        model = Metric

    label = "investment"
    value = Decimal("93300000")
    unit = "RUB"
    raw_text = "RUR 93.3 Million"
    year = 2014
    # A body long enough for every factory metric's offsets (Metric.clean checks them).
    article = factory.SubFactory(
        ArticleFactory, body="The budget allocates RUR 93.3 Million. " * 160
    )
    quote = "The budget allocates RUR 93.3 Million."
    start = factory.Sequence(lambda n: n % 300 * 20)
    end = factory.LazyAttribute(lambda m: m.start + len(m.raw_text))
