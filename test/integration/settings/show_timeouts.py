"""Asks PostgreSQL, through Django's own connection, which timeouts the session runs with.

Usage: DJANGO_SETTINGS_MODULE=… python3 show_timeouts.py [--lock-probe]
Prints JSON: the SHOW values, libpq's connection parameters as psycopg2 saw them, and with --lock-probe how a
query waiting for a lock held by another session ended (error message and seconds waited).
"""
import json
import sys
import time

import django

django.setup()

from django.db import OperationalError, connection  # noqa: E402

result = {}
with connection.cursor() as cursor:
    for name in ("statement_timeout", "lock_timeout"):
        cursor.execute("SHOW " + name)
        result[name] = cursor.fetchone()[0]
dsn = connection.connection.get_dsn_parameters()
result["dsn"] = {key: dsn.get(key) for key in ("options", "connect_timeout", "host", "port")}

if "--lock-probe" in sys.argv:
    import psycopg2

    params = connection.settings_dict
    holder = psycopg2.connect(dbname=params["NAME"], user=params["USER"], host=params["HOST"], port=params["PORT"])
    with holder.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS mg_probe (id int)")
    holder.commit()
    with holder.cursor() as cursor:
        cursor.execute("LOCK TABLE mg_probe IN ACCESS EXCLUSIVE MODE")  # held until rollback
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM mg_probe")
        result["lock_probe"] = {"error": None}
    except OperationalError as error:
        result["lock_probe"] = {"error": str(error).strip()}
    result["lock_probe"]["waited_s"] = round(time.monotonic() - started, 2)
    holder.rollback()
    holder.close()

json.dump(result, sys.stdout)
