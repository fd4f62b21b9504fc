"""Sample records and an editor token for fuzzing the running API (.ci/api-fuzz).

Not a test module: ``.ci/api-fuzz`` calls :func:`populate` in a throwaway
database so that schemathesis meets every shape of record, including hidden
articles, rejected metrics, title-only metrics and positions without an
organisation.
"""

from decimal import Decimal

from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token

from articles.models import Article
from entities.models import ReviewStatus
from kaluga_cluster.editors import EDITORS_GROUP
from tests.factories import (
    ArticleFactory,
    MetricFactory,
    OrganisationMentionFactory,
    PersonMentionFactory,
    PositionFactory,
    ProgramMentionFactory,
)


def populate(*, articles: int = 8) -> str:
    """Create sample records and an editor; return the editor's API token."""
    for number in range(articles):
        status = Article.Status.HIDDEN if number % 4 == 3 else Article.Status.PUBLISHED
        undated = {"published_on": None} if number % 5 == 4 else {}
        article = ArticleFactory(
            status=status,
            body="The cluster held a meeting. Investors put in RUB 93.3 million.",
            **undated,
        )
        organisation = OrganisationMentionFactory(article=article, spans=[[4, 11]]).organisation
        person = PersonMentionFactory(article=article).person
        program = ProgramMentionFactory(article=article).program
        PositionFactory(person=person, organisation=organisation, article=article)
        PositionFactory(person=person, organisation=None, article=None)
        MetricFactory(article=article, organisation=organisation, start=46, end=62)
        MetricFactory(
            article=article,
            program=program,
            value=Decimal("12.5"),
            unit="%",
            raw_text="12.5%",
            start=None,
            end=None,
            review_status=ReviewStatus.REJECTED if number % 3 == 2 else ReviewStatus.UNREVIEWED,
        )
    editor, _ = User.objects.get_or_create(username="api-fuzz-editor")
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    token, _ = Token.objects.get_or_create(user=editor)
    return token.key
