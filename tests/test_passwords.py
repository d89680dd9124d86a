import os
import subprocess
import sys

from django.conf import settings
from django.contrib.auth.hashers import make_password

STRONG = {"argon2", "bcrypt_sha256", "pbkdf2_sha256", "scrypt"}


def test_it_hashes_passwords_with_a_strong_hasher_outside_the_tests():
    # The tests swap in MD5 for speed (tests/conftest.py), so production's hasher is read in a process of its own.
    program = (
        "import django; django.setup(); "
        "from django.contrib.auth.hashers import get_hasher, identify_hasher, make_password; "
        "hasher = identify_hasher(make_password('correct-horse-battery')); "
        "print(hasher.algorithm, getattr(hasher, 'iterations', 0), get_hasher().algorithm)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "improvement.settings"}
    out = subprocess.run(
        [sys.executable, "-c", program], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, check=True
    ).stdout.split()
    algorithm, iterations, default = out[0], int(out[1]), out[2]
    assert algorithm == default and algorithm in STRONG
    assert algorithm != "pbkdf2_sha256" or iterations >= 1_000_000  # Django 5.2's own count


def test_the_tests_hash_with_the_fast_hasher():
    assert make_password("correct-horse-battery").startswith("md5$")
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
