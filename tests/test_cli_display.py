"""What the command line prints when its output is not a terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.load_factory import load_folder


def test_a_redirected_report_keeps_each_department_on_one_line(tmp_path: Path) -> None:
    """Into a file or a pipe the tables are not wrapped at 80 columns, where a department's name
    would be split over lines."""
    department = "Automation and Control Systems Engineering"
    data = load_folder(
        tmp_path,
        [f"Aigerim Nurlanovna Seitkali,{department},lecturer,100,AUT101,Russian"],
        [f"AUT101 L1,AUT101,lecture,{department},Russian,60"],
    )
    (tmp_path / "mine.csv").write_text("item,teachers\nAUT101 L1,Aigerim Nurlanovna Seitkali\n")
    command = "from cli.main import main; main()"
    result = subprocess.run(
        [sys.executable, "-c", command, "load", "check", str(data), str(tmp_path / "mine.csv")],
        capture_output=True,
        text=True,
        env={name: value for name, value in os.environ.items() if name not in ("COLUMNS", "LINES")},
        cwd=Path(__file__).resolve().parent.parent,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    rows = [line for line in result.stdout.splitlines() if department in line]
    assert any("60" in row and "100" in row for row in rows), result.stdout
