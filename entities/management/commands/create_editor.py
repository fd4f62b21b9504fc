"""Create (or promote) an editor account: staff, in the Editors group, nothing more."""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kaluga_cluster.editors import EDITORS_GROUP


class Command(BaseCommand):
    help = (
        "Create an editor account (or make an existing user an editor). Editors can curate "
        "articles and entities in the admin but cannot manage users."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Read the password from the EDITOR_PASSWORD environment variable.",
        )

    def handle(self, *args, username, email, interactive, **options):
        try:
            group = Group.objects.get(name=EDITORS_GROUP)
        except Group.DoesNotExist as exc:
            raise CommandError(
                "The Editors group is missing: run `manage.py migrate` first."
            ) from exc

        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user = user_model(username=username, email=email)
            password = self._password(user, interactive)
            user.set_password(password)
        user.is_staff = True
        with transaction.atomic():
            user.save()
            user.groups.add(group)
        self.stdout.write(self.style.SUCCESS(f"{username} is an editor."))

    def _password(self, user, interactive: bool) -> str:
        if interactive:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords did not match.")
        else:
            password = os.environ.get("EDITOR_PASSWORD", "")
            if not password:
                raise CommandError("Set EDITOR_PASSWORD when using --noinput.")
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError("Password rejected: " + " ".join(exc.messages)) from exc
        return password
