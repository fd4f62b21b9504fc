"""The create_editor command makes accounts that can curate but not manage users."""

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_creates_staff_editor_with_editor_permissions(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", "a-long-and-unusual-passphrase")
    call_command("create_editor", "olga", "--noinput")
    user = User.objects.get(username="olga")
    assert user.is_staff and not user.is_superuser
    assert user.check_password("a-long-and-unusual-passphrase")
    assert user.has_perm("entities.change_organisation")
    assert user.has_perm("articles.delete_article")
    assert not user.has_perm("auth.change_user")


def test_promotes_an_existing_user_without_touching_the_password():
    User.objects.create_user("ivan", password="original-secret-123")
    call_command("create_editor", "ivan", "--noinput")
    user = User.objects.get(username="ivan")
    assert user.is_staff
    assert user.check_password("original-secret-123")
    assert user.has_perm("entities.change_metric")


def test_weak_password_is_rejected_with_reason(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", "123")
    with pytest.raises(CommandError, match="Password rejected"):
        call_command("create_editor", "weak", "--noinput")
    assert not User.objects.filter(username="weak").exists()
