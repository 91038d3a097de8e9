"""``manage.py run_scheduled_jobs``: enqueue the daily background jobs for the task worker
(``manage.py db_worker``) to run. Run it once a day, from cron or a systemd timer (README,
"Production"); with ``make run``, run it by hand to try the jobs.

Each job is safe to run more often than daily: it does only what is still to do.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from engagement import tasks as engagement_tasks
from organisations import tasks as organisations_tasks
from plans import tasks as plans_tasks
from voices import tasks as voices_tasks

# The daily jobs, in the order they are enqueued.
DAILY_JOBS = (
    engagement_tasks.support_request_erase_expired_contacts,
    organisations_tasks.group_submission_erase_expired_contacts,
    voices_tasks.voice_erase_expired_contacts,
    engagement_tasks.send_overdue_reminders,
    plans_tasks.shared_plans_notify_new_councillors,
)


class Command(BaseCommand):
    help = "Enqueue the daily background jobs (retention, reminders) for the task worker."

    def handle(self, *args, **options):
        for job in DAILY_JOBS:
            result = job.enqueue()
            self.stdout.write(f"Enqueued {job.name} ({result.id}).")
