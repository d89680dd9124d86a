from django.core.management.base import BaseCommand, CommandError

from governance.loading import DEFAULT_INSPECTIONS_FILE, load_inspections
from plans.loading import PlanFileError


class Command(BaseCommand):
    help = "Load or refresh Ofsted inspection history from a JSON file (default: Knowsley's)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_INSPECTIONS_FILE))

    def handle(self, *args, path, **options):
        try:
            result = load_inspections(path)
        except PlanFileError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            "Inspections: " + ("up to date." if not result.changed else ", ".join(
                f"{count} {name} created" for name, count in sorted(result.created.items())) or "updated.")
        )
