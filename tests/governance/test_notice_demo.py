"""The demo's register: setup_demo loads the Notice and a plausible board once; the register table it shows."""

import datetime

from django.core.management import call_command
from django.utils import timezone

from governance.models import BoardMember, Meeting, Notice, NoticeDuty, Voice
from governance.notice import DutyStatus, Register


def test_setup_demo_loads_the_notice_and_its_records_once(db, settings):
    settings.DEMO_MODE = True
    call_command("setup_demo", stdout=open("/dev/null", "w"))
    counts = (NoticeDuty.objects.count(), BoardMember.objects.count(), Meeting.objects.count(), Voice.objects.count())
    call_command("setup_demo", stdout=open("/dev/null", "w"))
    assert counts == (NoticeDuty.objects.count(), BoardMember.objects.count(), Meeting.objects.count(),
                      Voice.objects.count())
    assert counts[0] == 14 and counts[2] > 5
    today = timezone.localdate()
    states = {s.duty.paragraph: s for s in Register(Notice.objects.get(), today).states()}
    for paragraph in ["4", "5b", "5c", "5d", "5e", "6", "10", "11", "12", "13"]:
        print(paragraph, states[paragraph].label, states[paragraph].next_due, states[paragraph].reason)
    assert states["5b"].next_due == Meeting.objects.latest().date + datetime.timedelta(weeks=6)
    assert states["5b"].status == DutyStatus.DUE_SOON
    if today > datetime.date(2026, 7, 31):
        assert states["11"].status == DutyStatus.OVERDUE
