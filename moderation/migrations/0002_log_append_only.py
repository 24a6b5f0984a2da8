"""The moderation log is append-only in the database itself (PostgreSQL): a row is never
deleted, and an update may only set its links to NULL (what ON DELETE SET NULL does when a
member, case, community or library it names is deleted). Whatever writes to the table, the
Django admin, a shell or a future API, the history stays as it was written."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION moderation_log_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'the moderation log is append-only: rows cannot be deleted';
    END IF;
    IF NEW.action IS DISTINCT FROM OLD.action
        OR NEW.reason IS DISTINCT FROM OLD.reason
        OR NEW.object_repr IS DISTINCT FROM OLD.object_repr
        OR NEW.object_id IS DISTINCT FROM OLD.object_id
        OR NEW.created_at IS DISTINCT FROM OLD.created_at
        OR NEW.id IS DISTINCT FROM OLD.id
        OR (NEW.actor_id IS DISTINCT FROM OLD.actor_id AND NEW.actor_id IS NOT NULL)
        OR (NEW.case_id IS DISTINCT FROM OLD.case_id AND NEW.case_id IS NOT NULL)
        OR (NEW.content_type_id IS DISTINCT FROM OLD.content_type_id
            AND NEW.content_type_id IS NOT NULL)
        OR (NEW.member_id IS DISTINCT FROM OLD.member_id AND NEW.member_id IS NOT NULL)
        OR (NEW.community_id IS DISTINCT FROM OLD.community_id AND NEW.community_id IS NOT NULL)
        OR (NEW.library_id IS DISTINCT FROM OLD.library_id AND NEW.library_id IS NOT NULL)
    THEN
        RAISE EXCEPTION 'the moderation log is append-only: rows cannot be changed';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS moderation_log_append_only ON moderation_moderationaction;
CREATE TRIGGER moderation_log_append_only
    BEFORE UPDATE OR DELETE ON moderation_moderationaction
    FOR EACH ROW EXECUTE FUNCTION moderation_log_append_only();
"""

REVERSE = """
DROP TRIGGER IF EXISTS moderation_log_append_only ON moderation_moderationaction;
DROP FUNCTION IF EXISTS moderation_log_append_only();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial")]

    operations = [migrations.RunPython(_on_postgresql(FUNCTION), _on_postgresql(REVERSE))]
