from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'measures'

    def ready(self):
        from measures.loading import SECTION
        from plans.loading import register_section

        register_section(SECTION)  # the plan file's measures, loaded and dumped with the plan
