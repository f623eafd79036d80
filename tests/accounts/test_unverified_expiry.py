"""Accounts whose address was never confirmed expire on a schedule, through the same deletion as by hand."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from samenorg.accounts.models import User
from samenorg.accounts.services_deletion import accounts_expire_unverified
from samenorg.accounts.tasks import expire_unverified_accounts
from tests.factories import CommentFactory, MembershipRequestFactory, UserFactory

pytestmark = pytest.mark.django_db


def _joined(days_ago: int, **fields) -> User:
    user = UserFactory(verified=False, **fields)
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=days_ago))
    return user


def test_an_account_never_confirmed_goes_after_the_period_and_no_sooner(settings):
    settings.SAMENORG_UNVERIFIED_ACCOUNT_DAYS = 14
    _joined(15)
    recent = _joined(13)

    deleted = accounts_expire_unverified()

    assert deleted == 1
    assert set(User.objects.values_list("pk", flat=True)) == {recent.pk}
    assert accounts_expire_unverified(now=timezone.now() + timedelta(days=2)) == 1
    assert not User.objects.exists()


def test_confirmed_logged_in_and_staff_accounts_stay():
    confirmed = UserFactory()
    User.objects.filter(pk=confirmed.pk).update(date_joined=timezone.now() - timedelta(days=400))
    logged_in = _joined(400, last_login=timezone.now() - timedelta(days=399))
    staff = _joined(400, is_staff=True)
    unconfirmed_second_address = UserFactory()
    unconfirmed_second_address.emailaddress_set.create(email="tweede@example.org", verified=False)
    User.objects.filter(pk=unconfirmed_second_address.pk).update(date_joined=timezone.now() - timedelta(days=400))

    assert accounts_expire_unverified() == 0
    assert User.objects.count() == 4
    assert {confirmed, logged_in, staff, unconfirmed_second_address} == set(User.objects.all())


def test_the_task_deletes_through_the_same_path_without_mail_and_is_safe_to_run_twice(
    django_capture_on_commit_callbacks,
):
    expired = _joined(30, name="Nooit Bevestigd")
    request = MembershipRequestFactory(user=expired)
    comment = CommentFactory(author=expired)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        first = expire_unverified_accounts()
    with django_capture_on_commit_callbacks(execute=True):
        second = expire_unverified_accounts()

    assert (first, second) == (1, 0)
    assert not User.objects.filter(pk=expired.pk).exists()
    assert not type(request).objects.filter(pk=request.pk).exists()
    comment.refresh_from_db()
    assert comment.author is None
    assert not User.history.rel.related_model.objects.filter(pgh_obj_id=expired.pk).exists()
    assert mail.outbox == []


def test_many_accounts_go_batch_by_batch():
    for _ in range(7):
        _joined(20)
    keep = UserFactory()

    assert accounts_expire_unverified(batch_size=3) == 7
    assert list(User.objects.all()) == [keep]
