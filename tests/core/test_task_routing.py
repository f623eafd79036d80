"""Every task goes to the queue of its kind; a new task without a route fails here instead of landing,
unnoticed, behind the digests or the webhook deliveries."""

from django.conf import settings

from samenorg.celery import app

QUEUES = {"default", "events", "email", "webhooks", "digests"}


def queue_of(task: str) -> str:
    return app.amqp.router.route({}, task)["queue"].name


def project_tasks() -> set[str]:
    app.loader.import_default_modules()  # what the worker registers at startup (autodiscovery)
    return {name for name in app.tasks if not name.startswith("celery.")}


def test_the_declared_queues_are_the_kinds_of_work():
    assert set(app.amqp.queues) == QUEUES
    assert app.conf.task_default_queue == "default"


def test_every_task_of_the_platform_has_a_route_of_its_own():
    tasks = project_tasks()
    assert len(tasks) >= 15
    assert tasks - set(settings.CELERY_TASK_ROUTES) == set(), "route these tasks in CELERY_TASK_ROUTES"
    assert {queue_of(task) for task in tasks} == QUEUES


def test_each_kind_of_task_goes_to_its_queue():
    assert queue_of("samenorg.events.tasks.dispatch_event") == "events"
    assert queue_of("samenorg.notifications.tasks.send_notification_emails") == "email"
    assert queue_of("municipalities.tasks.send_membership_request_email") == "email"
    assert queue_of("webhooks.tasks.deliver_due_webhooks") == "webhooks"
    assert queue_of("samenorg.notifications.digest_tasks.send_digests") == "digests"
    assert queue_of("samenorg.accounts.tasks.clear_expired_sessions") == "default"


def test_the_beat_schedule_sends_each_periodic_task_to_its_queue():
    queues = {entry: queue_of(job["task"]) for entry, job in settings.CELERY_BEAT_SCHEDULE.items()}
    assert queues == {
        "digest-daily": "digests",
        "digest-weekly": "digests",
        "sweep-events": "events",
        "sweep-notification-emails": "email",
        "deliver-webhooks": "webhooks",
        "prune-webhook-deliveries": "default",
        "expire-unverified-accounts": "default",
        "prune-old-notifications": "default",
        "clear-expired-sessions": "default",
    }
