"""backup_files and restore_files on the local disk (any database): every evidence file out and back, by name."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from plans.models import Action
from plans.services import post_update


@pytest.fixture
def evidence(plan, manager, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    action = Action.objects.get(objective__plan=plan, ref="4.1")
    update = post_update(action=action, author=manager, expected_version=action.version, status="on_track",
                         files=[SimpleUploadedFile("audit.pdf", b"%PDF-1.4 audit")])
    return update.evidence.get()


def test_it_copies_every_evidence_file_out_and_back(evidence, settings, tmp_path):
    call_command("backup_files", str(tmp_path / "backup"))
    assert (tmp_path / "backup" / evidence.file.name).read_bytes() == b"%PDF-1.4 audit"
    (tmp_path / "media" / evidence.file.name).unlink()  # the disk is lost
    call_command("restore_files", str(tmp_path / "backup"))
    assert (tmp_path / "media" / evidence.file.name).read_bytes() == b"%PDF-1.4 audit"


def test_it_names_evidence_whose_file_is_missing_from_the_storage(evidence, tmp_path):
    (tmp_path / "media" / evidence.file.name).unlink()
    with pytest.raises(CommandError, match=evidence.file.name):
        call_command("backup_files", str(tmp_path / "backup"))
    with pytest.raises(CommandError, match=evidence.file.name):
        call_command("restore_files", str(tmp_path / "backup"))
