from plans.models.plan import (  # noqa: F401
    Action,
    ActionOwner,
    AreaForImprovement,
    Judgement,
    Objective,
    Plan,
    Post,
    SubObjective,
    SuccessIndicator,
    action_sort_key,
    end_of_month,
    month_label,
)
from plans.models.progress import (  # noqa: F401
    ActionUpdate,
    Brag,
    DeadlineRevision,
    Evidence,
    PostHolder,
    ReminderLog,
    Status,
)
from plans.models.versions import PlanVersion  # noqa: F401,E402
