"""Applies a safe route (a list of the app's migrations, in order) the way a rolling deploy does, and reports
what Django and PostgreSQL said, as JSON on stdout.

Usage: apply_route.py APP FIRST_ROUTE_MIGRATION [NEXT ...]   (DJANGO_SETTINGS_MODULE set, the project on sys.path)

1. `migrate APP <the migration before the route>` and one row per model inserted by that code (kept: the
   route runs on a table with data).
2. For each migration of the route: `migrate APP <it>`, then an insert by the code deployed before it (the
   models as the previous migration leaves them) and by the code deployed with it (the models it leaves), each
   in a transaction rolled back, so the rows do not stay.
3. `migrate APP zero`, `migrate APP` forward again, and `makemigrations APP --check --dry-run`.
The models a migration leaves come from Django's own loader (its historical models), the way the code of that
deploy declares them: every concrete field gets a value, as a model instance's save() sends it.
"""
import datetime
import decimal
import io
import json
import sys
import traceback
import uuid

import django
from django.core.management import call_command
from django.db import connection, models, transaction
from django.db.migrations.loader import MigrationLoader

django.setup()

try:  # MG113's exclusion constraint is on a range field (django.contrib.postgres needs psycopg2)
    from django.contrib.postgres.fields import DateTimeRangeField
except ImportError:
    DateTimeRangeField = None

APP = sys.argv[1]
ROUTE = sys.argv[2:]
counter = [0]


class Rollback(Exception):
    pass


def sample(field):
    """A value the code would write, distinct per call (unique columns)."""
    counter[0] += 1
    n = counter[0]
    if DateTimeRangeField is not None and isinstance(field, DateTimeRangeField):
        start = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(days=n)
        return field.range_type(start, start + datetime.timedelta(hours=1))
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, (models.BooleanField,)):
        return False
    if isinstance(field, (models.IntegerField, models.FloatField)):
        return n
    if isinstance(field, models.DecimalField):
        return decimal.Decimal(n)
    if isinstance(field, models.DateTimeField):
        return datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    if isinstance(field, models.DateField):
        return datetime.date(2026, 1, 1)
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, (models.CharField, models.TextField)):
        return "v%d" % n
    return None


def insert(model, made):
    """Creates a row as the code declaring `model` does (parents of required foreign keys first)."""
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.has_default() or getattr(field, "db_default", models.NOT_PROVIDED) is not models.NOT_PROVIDED:
            continue
        if field.is_relation:
            if field.null:
                continue
            values[field.name] = made.get(field.related_model) or insert(field.related_model, made)
            continue
        value = sample(field)
        if value is not None or not field.null:
            values[field.name] = value
    row = model.objects.create(**values)
    made[model] = row
    return row


def models_at(loader, migration):
    state = loader.project_state((APP, migration))
    return [model for model in state.apps.get_models() if model._meta.app_label == APP]


def insert_each(loader, migration, keep):
    """`{model: error or None}` for a row of every model of the app as the code at `migration` declares them."""
    results = {}
    for model in models_at(loader, migration):
        try:
            if keep:
                insert(model, {})
            else:
                with transaction.atomic():
                    insert(model, {})
                    raise Rollback()
            results[model.__name__] = None
        except Rollback:
            results[model.__name__] = None
        except Exception as error:  # the finding: the code of that deploy cannot insert
            results[model.__name__] = "%s: %s" % (type(error).__name__, str(error).strip().splitlines()[0])
    return results


def command(*args):
    out = io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=out, verbosity=1)
        return {"ok": True, "output": out.getvalue()}
    except SystemExit as exit:
        return {"ok": exit.code in (0, None), "output": out.getvalue()}
    except Exception:
        return {"ok": False, "output": out.getvalue() + traceback.format_exc()}


def main():
    loader = MigrationLoader(connection)
    parents = [parent for parent in loader.graph.node_map[(APP, ROUTE[0])].parents if parent.key[0] == APP]
    before = parents[0].key[1] if parents else None
    report = {"django": django.get_version(), "steps": []}
    if before:
        report["setup"] = command("migrate", APP, before)
        report["setup_insert"] = insert_each(loader, before, keep=True)
    previous = before
    for name in ROUTE:
        step = {"migration": name, "migrate": command("migrate", APP, name)}
        if step["migrate"]["ok"]:
            step["old_code"] = insert_each(loader, previous, keep=False) if previous else {}
            step["new_code"] = insert_each(loader, name, keep=False)
        report["steps"].append(step)
        previous = name
        if not step["migrate"]["ok"]:
            break
    else:
        report["zero"] = command("migrate", APP, "zero")
        report["again"] = command("migrate", APP)
        report["makemigrations"] = command("makemigrations", APP, "--check", "--dry-run")
    print(json.dumps(report))


main()
