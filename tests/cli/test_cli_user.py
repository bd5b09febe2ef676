"""Who the command line records on a batch and on a rollback: `--user` must name an analyst account
(anything else is refused and writes nothing); without it the system user is recorded, marked as a
command-line operator, and the import history says so with when."""

from __future__ import annotations

import getpass
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ntm.present.labels import import_history
from ntm.store.batches import list_batches
from ntm.store.connection import connect, transaction
from ntm.store.copy import clone_local
from tests.conftest import with_account
from tests.ingest.test_yearly import kon_tum_rows, to_csv

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def setup(demo_db_path, tmp_path) -> tuple[Path, Path, Path]:
    """A copy of the demo database, an accounts file with the analyst “lan”, and Kon Tum's 2024 file with
    one figure corrected."""
    db, users, file = tmp_path / "ntm.ducklake", tmp_path / "users.json", tmp_path / "kontum_2024.csv"
    clone_local(demo_db_path, db)
    with_account(db, "lan", "mật khẩu đủ dài 2024")
    con = connect(db, read_only=True)
    rows = kon_tum_rows(con)
    con.close()
    rows.loc[0, "households"] += 1
    file.write_bytes(to_csv(rows))
    return db, users, file


def ntm(db: Path, users: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, NTM_DB=str(db), NTM_USERS_FILE=str(users))
    return subprocess.run([sys.executable, "-m", "ntm", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=300)


def batches(db: Path):
    con = connect(db, read_only=True)
    try:
        return list_batches(con)
    finally:
        con.close()


def test_an_unknown_user_is_refused_and_nothing_is_written(setup):
    db, users, file = setup
    before = batches(db)
    r = ntm(db, users, "import", str(file), "--accept-warnings", "--user", "ai-cung-duoc")
    assert r.returncode == 2
    assert "Không có tài khoản “ai-cung-duoc”" in r.stderr
    assert "python -m ntm user add ai-cung-duoc" in r.stderr and "Không có gì được ghi." in r.stderr
    assert batches(db).equals(before)
    r = ntm(db, users, "rollback", str(int(before.batch_id.max())), "--user", "ai-cung-duoc", "--lang", "en")
    assert r.returncode == 2 and "There is no account “ai-cung-duoc”" in r.stderr
    assert batches(db).equals(before)


def test_without_user_the_system_user_is_recorded_as_command_line_operator(setup):
    db, users, file = setup
    r = ntm(db, users, "import", str(file), "--accept-warnings")
    assert r.returncode == 0, r.stderr
    newest = batches(db).sort_values("batch_id").iloc[-1]
    assert newest.imported_by == "cli:" + getpass.getuser()
    history = import_history(batches(db).sort_values("batch_id").tail(1), "vi")
    assert history["Người nhập"].tolist() == [f"{getpass.getuser()} (dòng lệnh)"]


def test_a_rollback_records_the_account_and_when(setup):
    db, users, file = setup
    assert ntm(db, users, "import", str(file), "--accept-warnings", "--user", "lan").returncode == 0
    batch = int(batches(db).batch_id.max())
    r = ntm(db, users, "rollback", str(batch), "--user", "lan")
    assert r.returncode == 0, r.stderr
    row = batches(db).set_index("batch_id").loc[batch]
    assert row.imported_by == "lan" and row.status == "rolled_back" and row.rolled_back_by == "lan"
    assert row.rolled_back_at is not None and not (row.rolled_back_at != row.rolled_back_at)   # a time, not NaT
    history = import_history(batches(db).set_index("batch_id").loc[[batch]].reset_index(), "vi")
    when_by = history["Hoàn tác (lúc · bởi)"].iloc[0]
    assert when_by.endswith(" · lan") and when_by[:2].isdigit()        # dd/mm/yyyy HH:mm · lan


def test_a_name_no_account_can_have_and_an_unreadable_accounts_file_get_their_own_answer(setup, tmp_path):
    """A name no account can have is said as such; an earlier release's store whose users file cannot be
    read (to bring its accounts in) is refused, naming the file, and nothing is written."""
    db, users, file = setup
    before = batches(db)
    r = ntm(db, users, "import", str(file), "--accept-warnings", "--user", "Nguyễn Lan")
    assert r.returncode == 2 and "tên này không dùng được cho tài khoản" in r.stderr
    assert "user add" not in r.stderr                       # that command would refuse the name too
    con = connect(db)
    with transaction(con) as cur:                           # the store as the release before step 13 left it
        cur.execute("DROP TABLE accounts")
        cur.execute("DROP TABLE login_failures")
        cur.execute("DELETE FROM schema_migrations WHERE number = 13")
    con.close()
    damaged = tmp_path / "damaged.json"
    damaged.write_text("{not json", encoding="utf-8")
    r = ntm(db, damaged, "import", str(file), "--accept-warnings", "--lang", "en")
    assert r.returncode == 2 and f"The accounts file {damaged} cannot be read" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr
    assert batches(db).equals(before)
