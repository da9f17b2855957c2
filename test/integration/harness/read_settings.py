"""Prints django.conf.settings.DATABASES of DJANGO_SETTINGS_MODULE as JSON (Django imports the module itself)."""
import json
import sys

from django.conf import settings

json.dump(settings.DATABASES, sys.stdout, default=repr)
