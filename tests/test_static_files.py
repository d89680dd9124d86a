"""Every file a template asks for with {% static %} exists: in production a missing one is a 500."""

import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

STATIC_TAG = re.compile(r"""{%\s*static\s+['"]([^'"]+)['"]\s*%}""")


def test_it_ships_every_static_file_the_templates_name():
    names = {
        name
        for template in Path(settings.BASE_DIR, "templates").rglob("*.html")
        for name in STATIC_TAG.findall(template.read_text(encoding="utf-8"))
    }
    assert "images/favicon.svg" in names
    missing = sorted(name for name in names if finders.find(name) is None)
    assert not missing


CDN = re.compile(r"https?://[^\"' ]*(cdn|unpkg|jsdelivr|googleapis|cloudflare|bootstrapcdn)")


def test_it_loads_nothing_from_a_cdn():
    """The app must work on a closed council network: no asset or template names a CDN."""
    roots = [Path(settings.BASE_DIR, "improvement", "static"), Path(settings.BASE_DIR, "templates")]
    offenders = [
        f"{path}: {match.group(0)}"
        for root in roots
        for path in root.rglob("*")
        if path.is_file() and path.suffix in {".js", ".css", ".html", ".svg"}
        for match in CDN.finditer(path.read_text(encoding="utf-8", errors="ignore"))
    ]
    assert not offenders
