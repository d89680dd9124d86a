from django.core.management.base import BaseCommand, CommandError

from plans.loading import DEFAULT_PLAN_FILE, PlanFileError, load_plan


class Command(BaseCommand):
    help = "Load or refresh a plan from a JSON file in fixtures/plans/ (default: Knowsley, April 2025)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PLAN_FILE), help="Plan file to load.")

    def handle(self, *args, path, **options):
        try:
            result = load_plan(path)
        except PlanFileError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(result.summary()) if result.changed else f"{result.plan}: up to date.")
