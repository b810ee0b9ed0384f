"""Typed audit entries chained per commune, and the personal-data access log (decision 0006).

The untyped global trail is renamed ``core_legacyauditentry`` and kept, read-only, with its
original hashes; every row is copied into the new ``core_auditlog`` under a ``legacy.<action>``
type (the old summary in ``data.text``), chained again per commune.  No trigger is ever disabled:
the old table's triggers are recreated under its new name in the same transaction, and the new
tables get their own before any application code can write.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

#: Every append-only table after this migration (``tests/conftest.py`` drops and restores the
#: triggers around the flush of transactional tests).
TABLES = ("core_legacyauditentry", "core_auditlog", "core_personaldataaccess")


def _sqlite(table):
    return [f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"]


def _sqlite_undo(table):
    return [f"DROP TRIGGER IF EXISTS {table}_no_update;",
            f"DROP TRIGGER IF EXISTS {table}_no_delete;"]


_PG_FUNCTION = """CREATE OR REPLACE FUNCTION core_append_only() RETURNS trigger AS $$
   BEGIN RAISE EXCEPTION 'audit log is append-only'; END; $$ LANGUAGE plpgsql;"""


def _postgres(table):
    return [f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION core_append_only();",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION core_append_only();"]


def _postgres_undo(table):
    return [f"DROP TRIGGER IF EXISTS {table}_no_change ON {table};",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};"]


SQLITE = [s for t in TABLES for s in _sqlite(t)]
SQLITE_UNDO = [s for t in TABLES for s in _sqlite_undo(t)]
POSTGRES = [_PG_FUNCTION] + [s for t in TABLES for s in _postgres(t)]
POSTGRES_UNDO = [s for t in TABLES for s in _postgres_undo(t)]

# The triggers of migration 0003 on the table under its old name.
_OLD_SQLITE_UNDO = ["DROP TRIGGER IF EXISTS core_auditentry_no_update;",
                    "DROP TRIGGER IF EXISTS core_auditentry_no_delete;"]
_OLD_POSTGRES_UNDO = ["DROP TRIGGER IF EXISTS core_auditentry_no_change ON core_auditentry;",
                      "DROP TRIGGER IF EXISTS core_auditentry_no_truncate ON core_auditentry;",
                      "DROP FUNCTION IF EXISTS core_auditentry_append_only();"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


def _restore_old_triggers(apps, schema_editor):
    import importlib

    old = importlib.import_module("tiepdan.core.migrations.0003_audit_append_only")
    _run({"sqlite": old.SQLITE, "postgresql": old.POSTGRES})(apps, schema_editor)


def copy_legacy_entries(apps, schema_editor):
    """Each old entry, in its old order, becomes the next entry of its commune's chain."""
    from tiepdan.core.audit import GENESIS, hash_of

    legacy = apps.get_model("core", "LegacyAuditEntry")
    entry = apps.get_model("core", "AuditEntry")
    commune = apps.get_model("core", "Commune")
    db = schema_editor.connection.alias
    wards = dict(commune.objects.using(db).values_list("pk", "ward_code"))
    heads: dict[str, tuple[int, str]] = {}
    batch = []
    for old in legacy.objects.using(db).order_by("seq").iterator(chunk_size=2000):
        chain = f"commune:{wards[old.commune_id]}" if old.commune_id is not None else "system"
        seq, prev_hash = heads.get(chain, (0, GENESIS))
        row = {
            "chain": chain, "seq": seq + 1, "at": old.at, "actor_id": old.actor_id,
            "actor_name": old.actor_name, "actor_roles": old.actor_roles,
            "commune_id": old.commune_id, "type": f"legacy.{old.action}",
            "data": {"text": old.summary, "legacy_seq": old.seq},
            "object_type": old.object_type, "object_id": old.object_id,
            "reason": old.reason, "ip": old.ip, "prev_hash": prev_hash,
        }
        row["hash"] = hash_of(row)
        heads[chain] = (row["seq"], row["hash"])
        batch.append(entry(**row))
        if len(batch) >= 2000:
            entry.objects.using(db).bulk_create(batch)
            batch = []
    entry.objects.using(db).bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_durable_steps"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(_run({"sqlite": _OLD_SQLITE_UNDO, "postgresql": _OLD_POSTGRES_UNDO}),
                             _restore_old_triggers),
        migrations.RenameModel("AuditEntry", "LegacyAuditEntry"),
        migrations.AlterModelOptions(
            name="legacyauditentry",
            options={"ordering": ["-seq"], "verbose_name": "nhật ký cũ",
                     "verbose_name_plural": "nhật ký cũ"},
        ),
        migrations.CreateModel(
            name='AuditEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('chain', models.CharField(max_length=32, verbose_name='chuỗi')),
                ('seq', models.BigIntegerField(verbose_name='số thứ tự trong chuỗi')),
                ('at', models.DateTimeField(db_index=True, verbose_name='thời điểm')),
                ('actor_name', models.CharField(blank=True, max_length=150, verbose_name='người thực hiện')),
                ('actor_roles', models.CharField(blank=True, max_length=255, verbose_name='vai trò')),
                ('type', models.CharField(db_index=True, max_length=64, verbose_name='loại mục')),
                ('data', models.JSONField(default=dict, verbose_name='dữ liệu')),
                ('object_type', models.CharField(blank=True, max_length=100, verbose_name='loại đối tượng')),
                ('object_id', models.CharField(blank=True, max_length=64, verbose_name='mã đối tượng')),
                ('reason', models.TextField(blank=True, verbose_name='lý do')),
                ('ip', models.GenericIPAddressField(blank=True, null=True, verbose_name='địa chỉ IP')),
                ('prev_hash', models.CharField(max_length=64)),
                ('hash', models.CharField(max_length=64, unique=True)),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('commune', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.commune')),
            ],
            options={
                'verbose_name': 'nhật ký hoạt động',
                'verbose_name_plural': 'nhật ký hoạt động',
                'db_table': 'core_auditlog',
                'ordering': ['-id'],
                'indexes': [models.Index(fields=['object_type', 'object_id'], name='core_audit_object_idx')],
                'constraints': [models.UniqueConstraint(fields=('chain', 'seq'), name='core_auditentry_chain_seq')],
            },
        ),
        migrations.CreateModel(
            name='PersonalDataAccess',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(db_index=True, verbose_name='thời điểm')),
                ('actor_name', models.CharField(blank=True, max_length=150, verbose_name='người truy cập')),
                ('actor_roles', models.CharField(blank=True, max_length=255, verbose_name='vai trò')),
                ('type', models.CharField(db_index=True, max_length=64, verbose_name='loại truy cập')),
                ('data', models.JSONField(default=dict, verbose_name='dữ liệu')),
                ('object_type', models.CharField(blank=True, max_length=100, verbose_name='loại đối tượng')),
                ('object_id', models.CharField(blank=True, max_length=64, verbose_name='mã đối tượng')),
                ('reason', models.TextField(blank=True, verbose_name='lý do')),
                ('ip', models.GenericIPAddressField(blank=True, null=True, verbose_name='địa chỉ IP')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('commune', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.commune')),
            ],
            options={
                'verbose_name': 'nhật ký truy cập dữ liệu cá nhân',
                'verbose_name_plural': 'nhật ký truy cập dữ liệu cá nhân',
                'ordering': ['-id'],
                'indexes': [models.Index(fields=['object_type', 'object_id'], name='core_access_object_idx')],
            },
        ),
        migrations.RunPython(copy_legacy_entries, migrations.RunPython.noop),
        migrations.RunPython(_run({"sqlite": SQLITE, "postgresql": POSTGRES}),
                             _run({"sqlite": SQLITE_UNDO, "postgresql": POSTGRES_UNDO})),
    ]
