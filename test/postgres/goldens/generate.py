"""Writes the SQL goldens of the claims tests: what Django's own `sqlmigrate` prints for each scenario.

Usage (generate.sh does it for both Django versions): PGHOST=… PGPORT=… python generate.py OUT_DIR
Run by the Python whose Django is to be recorded. Each scenario of scenarios.py becomes an app; its migrations
are applied one by one, and each is printed by `sqlmigrate` just before it is applied, so that the schema
introspection Django does while generating SQL (constraint names, for one) sees the real database.
"""
import io
import os
import re
import sys
import tempfile

import django
from django.conf import settings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from scenarios import BASE, SCENARIOS  # noqa: E402

HEADER = """from django.db import migrations, models
import django.contrib.postgres.constraints
import django.contrib.postgres.fields
import django.contrib.postgres.functions
import django.contrib.postgres.operations
import django.db.models.deletion
import django.db.models.functions


class Migration(migrations.Migration):
{attributes}
    dependencies = [{dependencies}]

    operations = [
{operations}
    ]
"""


DEFAULT_ROLES = {"table": "order", "referenced": "customer", "referencing": "line"}


def claim_for_version(claim):
    spec = SCENARIOS[claim]
    overrides = spec.get("claim_by_django", {}) if isinstance(spec, dict) else {}
    return overrides.get("%d.%d" % django.VERSION[:2], claim)


def app_label(claim):
    return re.sub(r"[^a-z0-9]+", "_", claim.lower())


def indent(source, spaces):
    return "\n".join((" " * spaces + line) if line.strip() else line for line in source.strip("\n").split("\n"))


def scenario_steps(spec):
    return spec if isinstance(spec, list) else spec["migrations"]


def applies(spec):
    if isinstance(spec, list):
        return True
    version = django.VERSION[:2]
    return version >= spec.get("django", (0, 0)) and version < spec.get("django_below", (99, 0))


def write_app(root, claim, spec):
    label = app_label(claim)
    migrations_dir = os.path.join(root, label, "migrations")
    os.makedirs(migrations_dir)
    open(os.path.join(root, label, "__init__.py"), "w").close()
    open(os.path.join(migrations_dir, "__init__.py"), "w").close()
    steps = [BASE] + scenario_steps(spec)
    names = []
    for number, operations in enumerate(steps, start=1):
        observed = number == len(steps)
        name = "%04d_%s" % (number, "initial" if number == 1 else "observed" if observed else "step")
        attributes = "    initial = True\n" if number == 1 else ""
        if observed and isinstance(spec, dict) and spec.get("atomic") is False:
            attributes += "    atomic = False\n"
        dependencies = "" if number == 1 else '("%s", "%s")' % (label, names[-1])
        source = HEADER.format(attributes=attributes, dependencies=dependencies, operations=indent(operations.replace("{app}", label), 8))
        with open(os.path.join(migrations_dir, name + ".py"), "w") as handle:
            handle.write(source)
        names.append(name)
    return label, names


def main():
    out_dir = os.path.abspath(sys.argv[1])
    os.makedirs(out_dir, exist_ok=True)
    root = tempfile.mkdtemp(prefix="mg-goldens-")
    sys.path.insert(0, root)
    apps = {}
    for claim, spec in SCENARIOS.items():
        if applies(spec):
            apps[claim] = write_app(root, claim, spec)
    settings.configure(
        INSTALLED_APPS=["django.contrib.postgres"] + [label for label, _ in apps.values()],
        DATABASES={"default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("PGDATABASE", "goldens"),
            "USER": os.environ.get("PGUSER", "postgres"),
            "HOST": os.environ["PGHOST"],
            "PORT": os.environ["PGPORT"],
        }},
        USE_TZ=True,
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    )
    django.setup()
    from django.core.management import call_command

    version = django.get_version()
    for claim, (label, names) in apps.items():
        sections = []
        for index, name in enumerate(names):
            printed = io.StringIO()
            call_command("sqlmigrate", label, name, stdout=printed)
            call_command("migrate", label, name, verbosity=0)
            role = "observed" if index == len(names) - 1 else "setup"
            sections.append("-- Migration %s (%s)\n%s" % (name, role, printed.getvalue().strip()))
        spec = SCENARIOS[claim]
        roles = (spec.get("roles") if isinstance(spec, dict) else None) or DEFAULT_ROLES
        tables = ", ".join("%s = %s_%s" % (role, label, model) for role, model in roles.items())
        golden = "\n".join([
            "-- Claim: %s" % claim_for_version(claim),
            "-- Produced by test/postgres/goldens/generate.py from Django %s's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh." % version,
            "-- App: %s. Roles: %s." % (label, tables),
            "",
            "\n\n".join(sections),
            "",
        ])
        with open(os.path.join(out_dir, claim + ".sql"), "w") as handle:  # named by scenario
            handle.write(golden)
    print("%d goldens from Django %s in %s" % (len(apps), version, out_dir))


if __name__ == "__main__":
    main()
