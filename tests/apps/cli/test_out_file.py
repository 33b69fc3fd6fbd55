"""Where ``longcat forecast file`` writes OUT: a file is replaced whole or left as it was, a
symlink's target is written and the link kept, and stdout, pipes and devices are written
through, never replaced by a file."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from apps.cli import out_file
from apps.cli.forecast import OUT_COLUMNS
from apps.cli.out_file import is_stream, out_problem, write_out_file

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def nothing_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    """A device must never be renamed over: were the code to try, the test fails instead of
    leaving a regular file where the machine's /dev/null or /dev/full was."""

    replace = os.replace

    def refuse(source, target) -> None:
        if str(target).startswith("/dev/"):
            raise AssertionError(f"{target} would have been replaced")
        replace(source, target)

    monkeypatch.setattr(out_file.os, "replace", refuse)


def daily_file(tmp_path: Path) -> Path:
    ds = pd.date_range("2026-01-01", periods=60, freq="D").strftime("%Y-%m-%d")
    y = 100 + 10 * np.sin(np.arange(60) * 2 * np.pi / 7) + np.arange(60) % 3
    source = tmp_path / "in.csv"
    pd.DataFrame({"ds": ds, "y": y}).to_csv(source, index=False)
    return source


def forecast(app: typer.Typer, source: Path, out: str, *options: str):
    args = ["forecast", "file", str(source), "--horizon", "7", "--out", out, *options]
    return runner.invoke(app, args, catch_exceptions=False)


def test_out_problems_are_named(tmp_path: Path, monkeypatch) -> None:
    """A directory, the input itself (also by another name), a folder under a file and a
    folder without write permission are refused; a file in folders yet to create is fine."""
    source = tmp_path / "in.csv"
    source.write_text("ds,y\n")
    (tmp_path / "link.csv").symlink_to(source)
    assert "is a directory" in out_problem(tmp_path, source)
    assert "is the input file" in out_problem(tmp_path / "link.csv", source)
    assert "is the input file" in out_problem(tmp_path / "." / "in.csv", source)
    assert f"{source} is a file" in out_problem(source / "sub" / "out.csv", source)
    assert out_problem(tmp_path / "new" / "deeper" / "out.csv", source) is None
    monkeypatch.setattr(out_file.os, "access", lambda path, mode: Path(path) != tmp_path)
    assert f"cannot write in {tmp_path} (permission denied)" in out_problem(
        tmp_path / "new" / "out.csv", source
    )


def test_a_read_only_file_system_is_named_as_such(tmp_path: Path, monkeypatch) -> None:
    """A folder on a read-only mount is refused as that, not as a permission problem. (A
    mount cannot be made in a test, so the file system's flags are what is stood in.)"""

    class ReadOnly:
        f_flag = os.ST_RDONLY

    monkeypatch.setattr(out_file.os, "statvfs", lambda path: ReadOnly())
    assert out_problem(tmp_path / "out.csv", tmp_path / "in.csv") == (
        f"cannot write in {tmp_path} (a read-only file system)"
    )


def test_a_failed_write_leaves_no_temporary_file_and_out_as_it_was(tmp_path: Path) -> None:
    """A write that breaks halfway leaves no temporary file, and an existing OUT untouched;
    a complete one replaces OUT."""
    out = tmp_path / "out.csv"
    out.write_text("old\n")

    def half(handle) -> None:
        handle.write("series_id,ds")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_out_file(out, half)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"] and out.read_text() == "old\n"
    write_out_file(out, lambda handle: handle.write("new\n"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"] and out.read_text() == "new\n"


def test_a_symlink_keeps_pointing_at_its_target_which_is_written(tmp_path: Path) -> None:
    """OUT a symlink to a file in another folder: the target gets the new content and the
    link stays a link; a dangling link has its target created."""
    shared = tmp_path / "shared"
    shared.mkdir()
    target = shared / "target.csv"
    target.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    write_out_file(link, lambda handle: handle.write("new\n"))
    assert link.is_symlink() and target.read_text() == "new\n"
    assert sorted(p.name for p in shared.iterdir()) == ["target.csv"]
    dangling = tmp_path / "dangling.csv"
    dangling.symlink_to(shared / "later.csv")
    write_out_file(dangling, lambda handle: handle.write("made\n"))
    assert dangling.is_symlink() and (shared / "later.csv").read_text() == "made\n"


def test_a_fifo_is_written_through(tmp_path: Path) -> None:
    """A named pipe with a reader waiting gets the content and is still a pipe after."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()), daemon=True)
    reader.start()
    assert is_stream(fifo)
    write_out_file(fifo, lambda handle: handle.write("series_id,ds\n"))
    reader.join(timeout=10)
    assert received == ["series_id,ds\n"] and stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_devices_are_streams_and_files_are_not(tmp_path: Path) -> None:
    """/dev/null, /dev/stdout, /dev/fd/N and - are written through; a file, a missing file,
    a symlink to a file and a file under /dev/shm are replaced whole."""
    for name in ("/dev/null", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1", "-"):
        assert is_stream(Path(name)), name
    assert not is_stream(Path("/dev/shm/longcat/out.csv"))
    (tmp_path / "file.csv").write_text("x\n")
    (tmp_path / "link.csv").symlink_to(tmp_path / "file.csv")
    for name in ("file.csv", "missing.csv", "link.csv"):
        assert not is_stream(tmp_path / name)


def test_dash_writes_the_csv_to_stdout_and_the_summary_to_stderr(app, tmp_path: Path) -> None:
    """--out - : stdout holds the CSV alone (seven rows and the header), stderr the summary;
    no file named '-' appears."""
    result = forecast(app, daily_file(tmp_path), "-")
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert lines[0] == ",".join(OUT_COLUMNS) and len(lines) == 8
    assert "wrote 7 rows to stdout" in result.stderr
    assert not (tmp_path / "-").exists() and not Path("-").exists()


def test_dash_with_json_is_refused_before_any_fit(app, tmp_path: Path) -> None:
    """--json prints its summary on stdout, so it cannot share stdout with the CSV."""
    result = forecast(app, daily_file(tmp_path), "-", "--json")
    assert result.exit_code == 1 and result.stdout == ""
    assert "--out -: is stdout, where --json writes its summary" in result.stderr


def test_dev_null_stays_a_device(app, tmp_path: Path, nothing_replaced) -> None:
    """--out /dev/null is a normal way to see only the summary: it is written through and
    stays a character device."""
    result = forecast(app, daily_file(tmp_path), "/dev/null")
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
def test_a_full_device_fails_the_command(app, tmp_path: Path, nothing_replaced) -> None:
    """Writing to /dev/full fails with the system's reason and a non-zero exit; the device
    stays a device."""
    result = forecast(app, daily_file(tmp_path), "/dev/full")
    assert result.exit_code == 1
    assert "--out /dev/full: cannot be written (No space left on device)" in result.stderr
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_dev_stdout_appended_by_the_shell_keeps_what_was_there(tmp_path: Path) -> None:
    """``--out /dev/stdout >> log.csv`` in a fresh process: the CSV is added after the log's
    lines, not written over them, and the summary goes to stderr."""
    source = daily_file(tmp_path)
    log = tmp_path / "log.csv"
    log.write_text("kept line\n")
    command = [sys.executable, "-m", "apps.cli", "forecast", "file", str(source)]
    with log.open("a") as appended:
        done = subprocess.run(
            [*command, "--horizon", "7", "--out", "/dev/stdout"],
            stdout=appended,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            timeout=300,
        )
    assert done.returncode == 0, done.stderr
    lines = log.read_text().splitlines()
    assert lines[0] == "kept line" and lines[1] == ",".join(OUT_COLUMNS) and len(lines) == 9
    assert "wrote 7 rows to /dev/stdout" in done.stderr
