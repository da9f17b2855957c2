"""Production settings: DJANGO_SETTINGS_MODULE=shop_project.production_settings. Deliberately unfinished: a read replica
without timeouts, a wildcard ALLOWED_HOSTS, and no secure cookies or HTTPS redirect."""
from .settings import *  # noqa: F401,F403

ALLOWED_HOSTS = ["*"]

DATABASES["replica"] = {
    "ENGINE": "django.db.backends.postgresql",
    "NAME": "shop",
    "HOST": os.environ.get("POSTGRES_REPLICA_HOST", "replica.internal"),
}
