from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from plans.models import Evidence


def stored_names():
    """Every file name the database refers to: evidence now, and evidence since removed (its history keeps it)."""
    names = set(Evidence.objects.exclude(file="").values_list("file", flat=True))
    names |= set(Evidence.history.exclude(file="").values_list("file", flat=True))
    return sorted(names)


def within(folder, name):
    target = (folder / name).resolve()
    if not target.is_relative_to(folder.resolve()):
        raise CommandError(f"{name!r} is not a file name this app writes: nothing copied for it.")
    return target


class Command(BaseCommand):
    help = (
        "Copy every evidence file the database refers to from the file storage (local disk, Azure Blob Storage or "
        "S3) into FOLDER, under the same names. Run it right after pg_dump; restore_files puts them back."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, folder, **options):
        current = set(Evidence.objects.exclude(file="").values_list("file", flat=True))
        copied, missing = 0, []
        for name in stored_names():
            target = within(folder, name)
            if target.exists():
                copied += 1
                continue
            if not default_storage.exists(name):
                if name in current:
                    missing.append(name)
                continue  # removed evidence whose file went with it
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".part")  # a copy cut short never passes for the file
            with default_storage.open(name, "rb") as source, open(partial, "wb") as out:
                for chunk in source.chunks():
                    out.write(chunk)
            partial.rename(target)
            copied += 1
        self.stdout.write(f"Copied {copied} file{'s' if copied != 1 else ''} to {folder}.")
        if missing:
            raise CommandError(
                f"{len(missing)} evidence file{'s are' if len(missing) != 1 else ' is'} in the database but not in "
                f"the storage: {', '.join(missing)}"
            )
