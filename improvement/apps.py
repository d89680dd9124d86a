from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "improvement"
    verbose_name = "Improvement Tracker"

    def ready(self):
        from improvement import security  # noqa: F401 - connects the sign-in signal that starts the session clock
