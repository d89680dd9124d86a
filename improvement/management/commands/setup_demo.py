from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from improvement.demo import DEMO_USERS, create_demo_users


class Command(BaseCommand):
    help = "Load the Knowsley plan and the demo accounts (DEMO_MODE=1 only)."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("Demo data is only loaded with DEMO_MODE=1, never in production.")
        call_command("load_plan", stdout=self.stdout)
        create_demo_users()
        for demo in DEMO_USERS:
            self.stdout.write(f"Demo {demo.role.lower()}: {demo.username} / {demo.password}")
