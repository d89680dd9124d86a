from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'governance'

    def ready(self):
        from governance.loading import PLAN_SECTION
        from plans.loading import register_section

        register_section(PLAN_SECTION)  # the plan file's boards, loaded and dumped with the plan
