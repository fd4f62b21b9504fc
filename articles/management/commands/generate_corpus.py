"""``manage.py generate_corpus N DIR``: write N synthetic articles for benchmarks."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.corpus import write_corpus


class Command(BaseCommand):
    help = (
        "Write N invented news articles as .txt files into DIR, in the style of the "
        "articles import_seeds reads (for benchmarks). The same --seed writes the same files."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, metavar="N", help="How many articles to write.")
        parser.add_argument("directory", type=Path, metavar="DIR", help="Where to write them.")
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed of the corpus (default 1)."
        )
        parser.add_argument(
            "--start",
            type=int,
            default=0,
            help="Number of the first article (to extend a corpus; default 0).",
        )

    def handle(self, *args, count: int, directory: Path, seed: int, start: int, **options):
        if count < 0 or start < 0:
            raise CommandError("N and --start must not be negative")
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory}: not a directory")
        paths = write_corpus(directory, count, seed=seed, start=start)
        if options["verbosity"] > 0:
            self.stdout.write(f"Wrote {len(paths)} articles to {directory} (seed {seed}).")
