"""Storage: the SQLite engine, migrations, full-text index, backups and the doctor."""
