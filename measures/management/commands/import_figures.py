import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from measures.importing import ImportRefused, commit_import, preview_file, save_upload
from plans.models import Plan


class Command(BaseCommand):
    help = "Import monthly figures from an .xlsx or .csv file: all or nothing, with the same checks as the web page."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--plan", help="Plan slug (needed when there is more than one plan).")
        parser.add_argument("--dry-run", action="store_true", help="Check and show the changes; save nothing.")
        parser.add_argument("--user", default=None, help="Username the figures are recorded as entered by.")
        parser.add_argument("--confirm-warnings", action="store_true",
                            help="Import even though the preview lists warnings (after checking each one).")

    def handle(self, *args, file, plan=None, dry_run=False, user=None, confirm_warnings=False, **options):
        plan = self.get_plan(plan)
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        previewed_at = timezone.now()
        preview = preview_file(plan=plan, content=content, file_name=file.name, progress=self.progress)
        self.report(preview)
        if preview.errors:
            raise CommandError(f"{len(preview.errors)} problem(s) in {file.name}: nothing was imported.")
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")
            return
        if not preview.can_commit:
            self.stdout.write("No changes: every figure is already held.")
            return
        if preview.warnings and not confirm_warnings:
            raise CommandError(
                f"{len(preview.warnings)} warning(s) in {file.name}: check each one, then run again with "
                "--confirm-warnings to import. Nothing was imported."
            )
        account = self.get_user(user)
        upload = save_upload(plan=plan, content=content, file_name=file.name, user=account)
        try:
            commit_import(upload=upload, user=account, previewed_at=previewed_at, confirmed=confirm_warnings)
        except ImportRefused as refused:
            self.report(refused.preview)
            for problem in refused.stale:
                self.stderr.write(f"  changed meanwhile {problem}")
            raise CommandError(
                "Figures changed while importing: nothing was imported. Run the command again."
            ) from None
        self.stdout.write(self.style.SUCCESS(f"Imported {file.name}."))

    def get_plan(self, slug):
        plans = Plan.objects.filter(slug=slug) if slug else Plan.objects.all()
        if plans.count() != 1:
            names = ", ".join(Plan.objects.values_list("slug", flat=True)) or "none loaded"
            raise CommandError(f"Say which plan with --plan (plans: {names}).")
        return plans.get()

    def get_user(self, username):
        User = get_user_model()
        if username:
            try:
                return User.objects.get(username=username)
            except User.DoesNotExist:
                raise CommandError(f"No user called {username}.") from None
        account = User.objects.filter(is_superuser=True).order_by("pk").first()
        if account is None:
            raise CommandError("Name the user the figures are entered by with --user.")
        return account

    def progress(self, done, total):
        if total < 1000:
            return
        width = 30
        filled = width * done // total
        sys.stderr.write(f"\rReading figures [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    def report(self, preview):
        counts = preview.counts
        self.stdout.write(f"{counts['new']} new, {counts['changed']} changed, {counts['note']} with only the note "
                          f"changed, {counts['unchanged']} unchanged; {len(preview.skipped)} skipped.")
        for change in preview.of_kind("changed"):
            self.stdout.write(
                f"  changed {change.measure.code} {change.month:%b %Y}: {change.old.display} → {change.display}"
            )
        for change in preview.of_kind("note"):
            self.stdout.write(
                f"  note {change.measure.code} {change.month:%b %Y}: “{change.old.note}” → “{change.new_note}”"
            )
        for problem in preview.skipped:
            self.stdout.write(f"  skipped {problem}")
        for problem in preview.errors:
            self.stderr.write(f"  error {problem}")
        for problem in preview.warnings:
            self.stderr.write(f"  warning {problem}")
