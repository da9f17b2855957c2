"""The migrations whose SQL the claims tests replay on PostgreSQL: one Django app per scenario.

Every scenario starts from the same models (BASE, migration 0001), may prepare more state in further migrations,
and ends with the one migration whose SQL the claim describes (the "observed" migration, always the last).
`generate.py` writes the apps, applies each migration in turn and records what `sqlmigrate` prints for it.
Operations are Python source, written as a developer writes them in a migration file.
A scenario may name the Django versions it needs (`django`: minimum (major, minor); `django_below`: the first
version without it; `claim_by_django`: the claim a version's SQL makes instead, when Django changed), and the part each table plays in the claim (`roles`; by default the operation works on
`order`, which references `customer` and is referenced by `line`). A table with no role must not be locked.
"""

BASE = """
migrations.CreateModel(
    name="Customer",
    fields=[
        ("id", models.BigAutoField(primary_key=True, serialize=False)),
        ("name", models.CharField(max_length=100)),
    ],
),
migrations.CreateModel(
    name="Order",
    fields=[
        ("id", models.BigAutoField(primary_key=True, serialize=False)),
        ("customer", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="{app}.customer")),
        ("number", models.IntegerField()),
        ("note", models.CharField(max_length=20, null=True)),
        ("code", models.CharField(max_length=20)),
        ("total", models.DecimalField(max_digits=10, decimal_places=2)),
        ("created", models.DateTimeField()),
    ],
),
migrations.CreateModel(
    name="Line",
    fields=[
        ("id", models.BigAutoField(primary_key=True, serialize=False)),
        ("order", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="{app}.order")),
        ("quantity", models.IntegerField()),
    ],
),
"""

# name: claim id (server/src/analysis/claims.ts) → list of migrations after BASE; the last one is observed.
SCENARIOS = {
    "AddIndex": [
        'migrations.AddIndex(model_name="order", index=models.Index(fields=["number"], name="{app}_idx")),',
    ],
    "AddIndexConcurrently": {
        "atomic": False,
        "migrations": ['django.contrib.postgres.operations.AddIndexConcurrently(model_name="order", index=models.Index(fields=["number"], name="{app}_idx")),'],
    },
    "RemoveIndexConcurrently": {
        "atomic": False,
        "migrations": [
            'migrations.AddIndex(model_name="order", index=models.Index(fields=["number"], name="{app}_idx")),',
            'django.contrib.postgres.operations.RemoveIndexConcurrently(model_name="order", name="{app}_idx"),',
        ],
    },
    "RemoveIndex": [
        'migrations.AddIndex(model_name="order", index=models.Index(fields=["number"], name="{app}_idx")),',
        'migrations.RemoveIndex(model_name="order", name="{app}_idx"),',
    ],
    "AddField.nullable": [
        'migrations.AddField(model_name="order", name="comment", field=models.TextField(null=True)),',
    ],
    "AddField.notNullWithDefault": [
        'migrations.AddField(model_name="order", name="status", field=models.CharField(max_length=10, default="new")),',
    ],
    "AddField.dbIndex": [
        'migrations.AddField(model_name="order", name="reference", field=models.IntegerField(null=True, db_index=True)),',
    ],
    "AddField.unique": [
        'migrations.AddField(model_name="order", name="reference", field=models.IntegerField(null=True, unique=True)),',
    ],
    "AddField.foreignKey": [
        'migrations.AddField(model_name="order", name="referrer", field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="{app}.customer")),',
    ],
    "AddField.foreignKeyNoIndex": [
        'migrations.AddField(model_name="order", name="referrer", field=models.ForeignKey(null=True, db_index=False, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="{app}.customer")),',
    ],
    "AddField.foreignKeyWithDefault": [
        'migrations.AddField(model_name="order", name="referrer", field=models.ForeignKey(default=1, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="{app}.customer"), preserve_default=False),',
    ],
    "AddField.manyToMany": [
        'migrations.AddField(model_name="order", name="watchers", field=models.ManyToManyField(related_name="+", to="{app}.customer")),',
    ],
    "AddField.constantDbDefault": {
        "django": (5, 0),
        "migrations": ['migrations.AddField(model_name="order", name="status", field=models.CharField(max_length=10, db_default="new")),'],
    },
    "AddField.stableDbDefault": {
        "django": (5, 0),
        "migrations": ['migrations.AddField(model_name="order", name="seen", field=models.DateTimeField(db_default=django.db.models.functions.Now())),'],
    },
    "AddField.volatileDbDefault": {
        "django": (5, 0),
        "migrations": ['migrations.AddField(model_name="order", name="token", field=models.UUIDField(db_default=django.contrib.postgres.functions.RandomUUID())),'],
    },
    "AlterField.setNotNull": [
        'migrations.AlterField(model_name="order", name="note", field=models.CharField(max_length=20)),',
    ],
    "AlterField.setNotNullWithDefault": [
        'migrations.AlterField(model_name="order", name="note", field=models.CharField(max_length=20, default="")),',
    ],
    "AlterField.setNotNullAfterValidatedCheck": {
        "django": (5, 1),
        "migrations": [
            'django.contrib.postgres.operations.AddConstraintNotValid(model_name="order", constraint=models.CheckConstraint(condition=models.Q(note__isnull=False), name="{app}_nn")),',
            'django.contrib.postgres.operations.ValidateConstraint(model_name="order", name="{app}_nn"),',
            'migrations.AlterField(model_name="order", name="note", field=models.CharField(max_length=20)),',
        ],
    },
    "AlterField.dropNotNull": [
        'migrations.AlterField(model_name="order", name="code", field=models.CharField(max_length=20, null=True)),',
    ],
    "AlterField.type": [
        'migrations.AlterField(model_name="order", name="number", field=models.BigIntegerField()),',
    ],
    "AlterField.varcharLonger": [
        'migrations.AlterField(model_name="order", name="code", field=models.CharField(max_length=40)),',
    ],
    "AlterField.varcharShorter": [
        'migrations.AlterField(model_name="order", name="code", field=models.CharField(max_length=10)),',
    ],
    "AlterField.varcharToText": [
        'migrations.AlterField(model_name="order", name="code", field=models.TextField()),',
    ],
    "AlterField.decimalPrecision": [
        'migrations.AlterField(model_name="order", name="total", field=models.DecimalField(max_digits=12, decimal_places=2)),',
    ],
    "AlterField.dbIndex": [
        'migrations.AlterField(model_name="order", name="number", field=models.IntegerField(db_index=True)),',
    ],
    "AlterField.defaultOnly": [
        'migrations.AlterField(model_name="order", name="number", field=models.IntegerField(default=0)),',
    ],
    "AlterField.unique": [
        'migrations.AlterField(model_name="order", name="number", field=models.IntegerField(unique=True)),',
    ],
    "AlterField.foreignKeyConstraint": [
        'migrations.AddField(model_name="order", name="referrer", field=models.ForeignKey(null=True, db_constraint=False, db_index=False, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="{app}.customer")),',
        'migrations.AlterField(model_name="order", name="referrer", field=models.ForeignKey(null=True, db_index=False, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="{app}.customer")),',
    ],
    "RemoveField": [
        'migrations.RemoveField(model_name="order", name="note"),',
    ],
    "RemoveField.foreignKey": [
        'migrations.RemoveField(model_name="order", name="customer"),',
    ],
    "RenameField": [
        'migrations.RenameField(model_name="order", old_name="note", new_name="remark"),',
    ],
    "AddConstraint.check": [
        'migrations.AddConstraint(model_name="order", constraint=models.CheckConstraint(check=models.Q(number__gte=0), name="{app}_check")),',
    ],
    "AddConstraint.unique": [
        'migrations.AddConstraint(model_name="order", constraint=models.UniqueConstraint(fields=["number"], name="{app}_uniq")),',
    ],
    "AddConstraint.uniqueCondition": [
        'migrations.AddConstraint(model_name="order", constraint=models.UniqueConstraint(fields=["number"], condition=models.Q(note__isnull=False), name="{app}_uniq")),',
    ],
    # Expressions need Django 4.0; without a condition Django writes a unique index with no WHERE.
    "AddConstraint.uniqueIndex": {
        "django": (4, 0),
        "migrations": ['migrations.AddConstraint(model_name="order", constraint=models.UniqueConstraint(django.db.models.functions.Lower("code"), models.F("number"), name="{app}_uniq")),'],
    },
    "AddConstraint.exclusion": [
        'migrations.AddField(model_name="order", name="span", field=django.contrib.postgres.fields.DateTimeRangeField(null=True)),',
        'migrations.AddConstraint(model_name="order", constraint=django.contrib.postgres.constraints.ExclusionConstraint(name="{app}_excl", expressions=[("span", django.contrib.postgres.fields.RangeOperators.OVERLAPS)])),',
    ],
    "AddConstraintNotValid": {
        "django": (5, 1),
        "migrations": ['django.contrib.postgres.operations.AddConstraintNotValid(model_name="order", constraint=models.CheckConstraint(condition=models.Q(number__gte=0), name="{app}_check")),'],
    },
    "ValidateConstraint": {
        "django": (5, 1),
        "migrations": [
            'django.contrib.postgres.operations.AddConstraintNotValid(model_name="order", constraint=models.CheckConstraint(condition=models.Q(number__gte=0), name="{app}_check")),',
            'django.contrib.postgres.operations.ValidateConstraint(model_name="order", name="{app}_check"),',
        ],
    },
    "RemoveConstraint": [
        'migrations.AddConstraint(model_name="order", constraint=models.CheckConstraint(check=models.Q(number__gte=0), name="{app}_check")),',
        'migrations.RemoveConstraint(model_name="order", name="{app}_check"),',
    ],
    "DeleteModel": {
        "roles": {"table": "memo"},
        "migrations": [
            'migrations.CreateModel(name="Memo", fields=[("id", models.BigAutoField(primary_key=True, serialize=False)), ("text", models.TextField())]),',
            'migrations.DeleteModel(name="Memo"),',
        ],
    },
    "DeleteModel.withForeignKey": {
        "roles": {"table": "line", "referenced": "order"},
        "migrations": [
            'migrations.DeleteModel(name="Line"),',
        ],
    },
    "RenameModel": {
        "roles": {"table": "line", "referenced": "order"},
        "migrations": [
            'migrations.RenameModel(old_name="Line", new_name="Item"),',
        ],
    },
    "RenameModel.withIncomingForeignKey": {
        "roles": {"table": "order", "referencing": "line"},
        "migrations": [
            'migrations.RenameModel(old_name="Order", new_name="Purchase"),',
        ],
    },
    "RenameModel.pinnedTableWithIncomingForeignKey": {
        "roles": {"table": "order", "referencing": "line"},
        "claim_by_django": {"5.2": "RenameModel.pinnedTable"},
        "migrations": [
            'migrations.AlterModelTable(name="order", table="{app}_order"),',
            'migrations.RenameModel(old_name="Order", new_name="Purchase"),',
        ],
    },
    "AlterModelTable": {
        "roles": {"table": "line", "referenced": "order"},
        "migrations": [
            'migrations.AlterModelTable(name="line", table="{app}_item"),',
        ],
    },
    "AlterUniqueTogether": [
        'migrations.AlterUniqueTogether(name="order", unique_together={("customer", "number")}),',
    ],
    "AlterIndexTogether": {
        "django_below": (5, 1),
        "migrations": ['migrations.AlterIndexTogether(name="order", index_together={("customer", "number")}),'],
    },
    "AlterOrderWithRespectTo": {
        "roles": {"table": "line", "referenced": "order"},
        "migrations": [
            'migrations.AlterOrderWithRespectTo(name="line", order_with_respect_to="order"),',
        ],
    },
    "DataMigration.update": [
        'migrations.RunSQL("UPDATE {app}_order SET number = number + 1", reverse_sql=migrations.RunSQL.noop),',
    ],
    "CreateModel.withForeignKey": {
        "roles": {"table": "refund", "referenced": "order"},
        "migrations": [
            'migrations.CreateModel(name="Refund", fields=[("id", models.BigAutoField(primary_key=True, serialize=False)), ("order", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="{app}.order"))]),',
        ],
    },
}
