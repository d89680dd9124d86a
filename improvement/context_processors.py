from django.conf import settings

from plans.roles import is_admin, is_service_manager


def site(request):
    return {
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "demo_mode": settings.DEMO_MODE,
        "user_is_admin": is_admin(request.user),
        "user_is_manager": is_service_manager(request.user),
    }
