"""Backups as docs/deployment.md tells an operator to make them, restored into a new database that
journeybot then carries on with: pg_dump/pg_restore for PostgreSQL, SQLite's .backup for the file."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from bot.standin.session import open_standin
from storage.db import make_engine
from storage.models import Item
from storage.schema import pending_revisions
from tests.requirements import missing

ROOT = Path(__file__).resolve().parents[1]
PEOPLE = {"U0LEAD": "Lea", "U0ANA": "Ana"}
# As in docs/deployment.md, with the database URL and the file names filled in.
PG_DUMP = "pg_dump --format=custom --file=journeybot.dump {libpq_url}"
PG_RESTORE = "pg_restore --no-owner --exit-on-error --dbname={libpq_url} journeybot.dump"
SQLITE_BACKUP = "sqlite3 journeybot.sqlite3 \".backup 'journeybot-backup.sqlite3'\""


def test_the_documented_backup_commands_are_the_tested_ones():
    deployment = (ROOT / "docs" / "deployment.md").read_text()
    for command, database in ((PG_DUMP, "journeybot"), (PG_RESTORE, "journeybot_restored")):
        assert command.format(libpq_url=f"postgresql://journeybot@db.internal/{database}") in deployment
    assert SQLITE_BACKUP in deployment


def a_workshop_with_answers(database_url: str) -> list[str]:
    with open_standin(database_url=database_url, people=PEOPLE) as slack:
        slack.command("U0LEAD", "start Ordering online")
        slack.reply("U0ANA", "A parent ordering school books")
        slack.reply("U0ANA", "Someone in a hurry & <not> patient")
    return stored_answers(database_url)


def stored_answers(database_url: str) -> list[str]:
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            return sorted(item.text for item in session.exec(select(Item)))
    finally:
        engine.dispose()


def libpq(database_url: str) -> str:
    """DATABASE_URL as pg_dump reads it: without SQLAlchemy's +psycopg."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.mark.postgres
def test_pg_dump_and_pg_restore(postgres_server, tmp_path):
    source, target = postgres_server.create_database(), postgres_server.create_database()  # target: empty
    answers = a_workshop_with_answers(source)
    bin_dir = postgres_server.bin_dir
    if not all((bin_dir / name).exists() for name in ("pg_dump", "pg_restore")):
        missing(f"pg_dump and pg_restore are not in {bin_dir}, beside the server")
    for command, url in ((PG_DUMP, source), (PG_RESTORE, target)):
        subprocess.run(f"{bin_dir}/{command.format(libpq_url=libpq(url))}", shell=True, cwd=tmp_path, check=True)
    assert stored_answers(target) == answers and len(answers) == 2
    assert pending_revisions(make_engine(target)) == []
    with open_standin(database_url=target, people=PEOPLE) as slack:  # carries on where the backup was
        assert "step 1 of" in slack.command("U0ANA", "status")


def test_sqlite_backup(tmp_path):
    if not shutil.which("sqlite3"):
        missing("the sqlite3 command is not installed (apt-get install sqlite3)")
    answers = a_workshop_with_answers(f"sqlite:///{tmp_path / 'journeybot.sqlite3'}")
    subprocess.run(SQLITE_BACKUP, shell=True, cwd=tmp_path, check=True)
    assert stored_answers(f"sqlite:///{tmp_path / 'journeybot-backup.sqlite3'}") == answers and len(answers) == 2
