"""The SQLite backend with the real limit on query parameters (the embedded default only).

Django 5.2 assumes SQLite allows 999 parameters per query, the default of SQLite before 3.32,
so `bulk_create` of 100 notifications (11 columns) took two INSERTs on SQLite and one on
PostgreSQL. SQLite since 3.32 allows 32 766, and Debian builds it with 250 000; Python 3.11's
`Connection.getlimit()` tells which. Django 6.0 reads the limit the same way (ticket #36143);
drop this backend when upgrading to it.
"""

from __future__ import annotations

import sqlite3

from django.db.backends.sqlite3 import base, features
from django.utils.functional import cached_property


class DatabaseFeatures(features.DatabaseFeatures):
    @cached_property
    def max_query_params(self) -> int:
        self.connection.ensure_connection()
        return self.connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
