from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from governance.notice_demo import create_demo_register
from improvement.demo import DEMO_USERS, create_demo_review, create_demo_updates, create_demo_users
from measures.demo import create_demo_figures
from plans.models import Plan


class Command(BaseCommand):
    help = "Load the plans, inspections, Notices and the demo accounts, updates, figures and review (DEMO_MODE=1 only)."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("Demo data is only loaded with DEMO_MODE=1, never in production.")
        call_command("load_plan", stdout=self.stdout)
        call_command("load_inspections", stdout=self.stdout)
        call_command("load_notices", stdout=self.stdout)
        create_demo_users()
        plan = Plan.objects.get(slug="knowsley-improvement-plan-2025")
        updates = create_demo_updates(plan=plan, today=timezone.localdate())
        self.stdout.write(f"Demo action updates: {updates} created.")
        figures = create_demo_figures(plan=plan, today=timezone.localdate())
        self.stdout.write(f"Demo monthly figures: {figures} created.")
        if create_demo_review(plan=plan, today=timezone.localdate()):
            self.stdout.write("Demo DfE review, follow-up action and self-assessment created.")
        if create_demo_register(plan=plan, today=timezone.localdate()):
            self.stdout.write("Demo board, meetings, contributions, voices and adviser's reports created.")
        for demo in DEMO_USERS:
            self.stdout.write(f"Demo {demo.role.lower()}: {demo.username} / {demo.password}")
