"""PostgreSQL full-text search: extensions, the `dutch_unaccent` configuration, the weighted
tsvector and its indexes. SQLite skips all of it (search falls back to icontains there).

`to_tsvector(regconfig, text)` is IMMUTABLE (unlike `unaccent()` called directly), so the
vector can be a STORED generated column: the database keeps it current on every write and the
indexing service never computes it. The `unaccent` dictionary runs inside the configuration,
before the Dutch stemmer, so café/cafe, België/Belgie and curaçao/curacao are one lexeme.
"""

from django.db import migrations

CONFIG = """
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'dutch_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION dutch_unaccent (COPY = pg_catalog.dutch);
        ALTER TEXT SEARCH CONFIGURATION dutch_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, dutch_stem;
    END IF;
END
$$;
"""

VECTOR = """
ALTER TABLE search_searchentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('dutch_unaccent'::regconfig, coalesce(title, '')), 'A')
    || setweight(to_tsvector('dutch_unaccent'::regconfig, coalesce(keywords, '')), 'B')
    || setweight(to_tsvector('dutch_unaccent'::regconfig, coalesce(summary, '')), 'C')
    || setweight(to_tsvector('dutch_unaccent'::regconfig, coalesce(body, '')), 'D')
) STORED;
CREATE INDEX search_entry_vector ON search_searchentry USING gin (search_vector);
CREATE INDEX search_entry_title_trgm ON search_searchentry USING gin (title gin_trgm_ops);
"""

UNDO_VECTOR = """
DROP INDEX IF EXISTS search_entry_title_trgm;
DROP INDEX IF EXISTS search_entry_vector;
ALTER TABLE search_searchentry DROP COLUMN IF EXISTS search_vector;
"""


def _on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_entry")]

    operations = [
        # The configuration and the extensions stay on reversal: other databases objects may
        # use them, and creating them again is a no-op.
        migrations.RunPython(_on_postgresql(CONFIG), migrations.RunPython.noop),
        migrations.RunPython(_on_postgresql(VECTOR), _on_postgresql(UNDO_VECTOR)),
    ]
