from django.core.management.base import BaseCommand, CommandError

from governance.loading import NOTICE_DIR, load_notice
from plans.loading import PlanFileError


class Command(BaseCommand):
    help = "Load or refresh DfE Improvement Notices and their duties (default: every file in fixtures/notices/)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*")

    def handle(self, *args, paths, **options):
        for path in paths or sorted(NOTICE_DIR.glob("*.json")):
            try:
                result = load_notice(path)
            except PlanFileError as error:
                raise CommandError(str(error)) from error
            self.stdout.write("Notice: " + ("up to date." if not result.changed else ", ".join(
                f"{count} {name} created" for name, count in sorted(result.created.items())) or "updated."))
