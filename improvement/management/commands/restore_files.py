from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from improvement.management.commands.backup_files import stored_names, within
from plans.models import Evidence


class Command(BaseCommand):
    help = (
        "Put the evidence files backup_files copied into FOLDER back into the file storage, under the same names. "
        "Files already there are left as they are. Run it after pg_restore."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, folder, **options):
        restored, present, absent = 0, 0, []
        for name in stored_names():
            source = within(folder, name)
            if default_storage.exists(name):
                present += 1
                continue
            if not source.exists():
                absent.append(name)
                continue
            with open(source, "rb") as content:
                saved = default_storage.save(name, File(content))
            if saved != name:
                raise CommandError(f"The storage saved {name} as {saved}: check nothing else writes to it.")
            restored += 1
        self.stdout.write(f"Restored {restored} file{'s' if restored != 1 else ''}; {present} already there.")
        current = set(Evidence.objects.exclude(file="").values_list("file", flat=True))
        lost = [name for name in absent if name in current]
        if lost:
            raise CommandError(f"Evidence in the database with no file in {folder} or the storage: {', '.join(lost)}")
