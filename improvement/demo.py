"""Demo accounts, one per role, for trying the tracker. Never created by a production set-up."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str
    full_name: str


DEMO_USERS = [
    DemoUser("board", "demo-board-member", "Board member", "Bola Member"),
    DemoUser("manager", "demo-service-manager", "Service manager", "Sam Manager"),
    DemoUser("admin", "demo-performance-admin", "Admin", "Ada Admin"),
]


def create_demo_users():
    User = get_user_model()
    for demo in DEMO_USERS:
        first, last = demo.full_name.split(" ", 1)
        user, _ = User.objects.get_or_create(username=demo.username, defaults={"first_name": first, "last_name": last})
        user.set_password(demo.password)
        user.is_staff = user.is_superuser = demo.role == "Admin"
        user.save()
        user.groups.set([Group.objects.get_or_create(name=demo.role)[0]])
