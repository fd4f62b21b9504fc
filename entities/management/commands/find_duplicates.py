"""``manage.py find_duplicates``: refresh the editors' duplicate candidates."""

from django.core.management.base import BaseCommand

from entities.models import DuplicateCandidate
from entities.services.duplicates import refresh_candidates


class Command(BaseCommand):
    help = (
        "Find organisations, people and programs that are probably one (acronyms, contained "
        "names, legal forms, initials, similar spellings) and refresh the open duplicate "
        "candidates editors review in the admin. Decided pairs are never suggested again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind",
            action="append",
            choices=DuplicateCandidate.Kind.values,
            dest="kinds",
            help="Only this kind (repeatable; default: all).",
        )

    def handle(self, *args, kinds, **options):
        counts = refresh_candidates(kinds=kinds)
        for kind, found in sorted(counts.per_kind.items()):
            self.stdout.write(f"{kind}: {found} candidate pair(s)")
        self.stdout.write(
            self.style.SUCCESS(
                f"Duplicate candidates: {counts.created} new, {counts.updated} updated, "
                f"{counts.deleted} removed, {counts.open} open ({counts.seconds:.2f} s)."
            )
        )
