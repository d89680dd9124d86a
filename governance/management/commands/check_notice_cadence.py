import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from governance.notice import check_cadence


class Command(BaseCommand):
    help = "Warn the owners of Notice duties that are due soon or overdue (once per change; daily, for cron)."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=datetime.date.fromisoformat, help="Run as if on this day (YYYY-MM-DD).")

    def handle(self, *args, date=None, **options):
        warned = check_cadence(on=date or timezone.localdate())
        for duty, state in warned:
            self.stdout.write(f"Paragraph {duty.paragraph}: {state.label} – {state.reason}")
        self.stdout.write(f"{len(warned)} duties newly due soon or overdue.")
