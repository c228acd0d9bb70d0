"""Upgrading keeps the history true: rows already e-mailed are marked as meant for e-mail,
and rows never e-mailed are not swept into a first digest."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("notifications", "0001_notifications_and_sent_reminders")]
AFTER = [("notifications", "0002_notification_preferences_and_digests")]


@pytest.mark.django_db(transaction=True)
def test_it_marks_only_the_rows_already_emailed() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        user = old.get_model("accounts", "User").objects.create(
            username="upgraded", email="upgraded@example.org"
        )
        Notification = old.get_model("notifications", "Notification")
        now = timezone.now()
        mailed = Notification.objects.create(
            recipient=user, kind="test.event", title="Mailed", created_at=now, emailed_at=now
        )
        unmailed = Notification.objects.create(
            recipient=user, kind="test.event", title="Not mailed", created_at=now
        )
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps.get_model("notifications", "Notification")
        wanted = dict(new.objects.values_list("pk", "email_wanted"))
        assert wanted == {mailed.pk: True, unmailed.pk: False}
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
