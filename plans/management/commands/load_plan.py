from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from plans.loading import PLAN_DIR, PlanFileError, load_plan


class Command(BaseCommand):
    help = "Load or refresh plans from JSON files (default: every plan in fixtures/plans/)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="Plan files to load.")
        parser.add_argument("--user", help="Username the changes are recorded against.")

    def handle(self, *args, paths, user, **options):
        if user:
            try:
                user = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"There is no user {user!r}.") from None
        for path in paths or sorted(PLAN_DIR.glob("*.json")):
            try:
                result = load_plan(path, user=user)
            except PlanFileError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(self.style.SUCCESS(result.summary()) if result.changed else f"{result.plan}: up to date.")
