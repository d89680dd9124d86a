"""Illustrative records for the Notice's register (demo mode only): the Improvement Board's members, meetings on a
six-weekly timetable with attendance, contributions asked of partners, views heard and the adviser's
quarterly reports."""

import datetime

from governance.models import Board, BoardMember, Meeting, PartnerContribution, Review, Voice

MEMBERS = [
    ("Independent chair (demo)", BoardMember.Kind.INDEPENDENT_CHAIR, "Independent chair", "Independent"),
    ("DfE Improvement Adviser (demo)", BoardMember.Kind.DFE_REPRESENTATIVE, "DfE representative",
     "Department for Education"),
    ("Director of Children's Services (demo)", BoardMember.Kind.COUNCIL, "DCS", "Knowsley Council"),
    ("Detective Superintendent (demo)", BoardMember.Kind.PARTNER, "Safeguarding partner", "Merseyside Police"),
    ("Designated Nurse (demo)", BoardMember.Kind.PARTNER, "Safeguarding partner", "NHS Cheshire and Merseyside"),
]
EVERY_WEEKS = 6


def create_demo_register(*, plan, today):
    """Runs once: does nothing if the Improvement Board already has members."""
    board = Board.objects.get(slug="knowsley-improvement-board")
    if board.members.exists():
        return False
    board.meets_every_weeks = EVERY_WEEKS
    board.save()
    members = [BoardMember.objects.create(board=board, name=name, kind=kind, role=role, organisation=organisation)
               for name, kind, role, organisation in MEMBERS]
    chair, dfe, dcs, police, health = members
    # Every six weeks back from five weeks ago, so the next meeting falls due within the month.
    dates = []
    date = today - datetime.timedelta(weeks=5)
    while date >= datetime.date(2025, 2, 1):
        dates.insert(0, date)
        date -= datetime.timedelta(weeks=EVERY_WEEKS)
    meetings = []
    for date in dates:
        meeting = Meeting.objects.create(board=board, date=date, agenda="Progress against the Improvement Plan.")
        attended = [chair, dcs, police] + ([dfe] if len(meetings) % 4 != 2 else []) + (
            [health] if len(meetings) % 3 else [])
        meeting.attendees.set(attended)
        meetings.append(meeting)
    if len(meetings) >= 2:
        asked, later = meetings[-2], meetings[-1]
        PartnerContribution.objects.create(
            board=board, partner=police, meeting=asked, description="Police attendance at strategy discussions, "
            "MASH, by month", requested=asked.date, due=asked.date + datetime.timedelta(weeks=4),
            state=PartnerContribution.State.RECEIVED, received=asked.date + datetime.timedelta(weeks=3))
        PartnerContribution.objects.create(
            board=board, partner=health, meeting=later, description="Health assessments for children in care "
            "completed in timescale", requested=later.date, due=later.date + datetime.timedelta(weeks=4))
    Voice.objects.create(
        plan=plan, source=Voice.Source.FRONTLINE_STAFF, heard_through="Staff survey (demo)",
        date=today - datetime.timedelta(days=100),
        summary="Illustrative: caseloads are still too high in the assessment teams; supervision is more regular.",
        what_changed="Two agency posts made permanent; caseloads reviewed monthly by heads of service.")
    Voice.objects.create(
        plan=plan, source=Voice.Source.CHILDREN, heard_through="Children in Care Council (demo)",
        date=today - datetime.timedelta(days=40),
        summary="Illustrative: young people want to know their social worker is staying and to be told when it "
        "changes.", what_changed="Letters introducing a new social worker, written with the Children in Care Council.")
    first = datetime.date(today.year, today.month, 15)
    for months_ago in (12, 9, 6, 3):
        index = first.year * 12 + first.month - 1 - months_ago
        day = datetime.date(index // 12, index % 12 + 1, 15)
        if plan.published and day < plan.published:
            continue
        Review.objects.get_or_create(plan=plan, kind=Review.Kind.ADVISER_REPORT, date=day, defaults={
            "title": f"Improvement Adviser's report, {day:%B %Y} (demo)", "carried_out_by": "DfE Improvement Adviser",
            "findings": "Illustrative: steady progress on practice standards; workforce remains the main risk.",
        })
    return True
