from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'measures'
