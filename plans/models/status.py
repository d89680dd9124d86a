from django.db import models


class Status(models.TextChoices):
    """What the owner says about an action, on the plan's fixed scale."""

    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETE = "complete", "Complete"


class Brag(models.TextChoices):
    """Blue, red, amber, green (and grey for not started): always shown with its words."""

    BLUE = "blue", "Blue"
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    GREY = "grey", "Grey"


STATUS_BRAG = {
    Status.NOT_STARTED: Brag.GREY,
    Status.ON_TRACK: Brag.GREEN,
    Status.AT_RISK: Brag.AMBER,
    Status.OFF_TRACK: Brag.RED,
    Status.COMPLETE: Brag.BLUE,
}
# Statuses that need commentary saying why.
NEEDS_REASON = {Status.AT_RISK, Status.OFF_TRACK}
