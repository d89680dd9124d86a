import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from plans.reminders import send_update_reminders


class Command(BaseCommand):
    help = "Email each person whose actions need an update or are due within 30 days (once a day; for cron)."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=datetime.date.fromisoformat, help="Run as if on this day (YYYY-MM-DD).")

    def handle(self, *args, date=None, **options):
        sent = send_update_reminders(on=date or timezone.localdate())
        self.stdout.write(f"Sent {sent} reminder email{'s' if sent != 1 else ''}.")
