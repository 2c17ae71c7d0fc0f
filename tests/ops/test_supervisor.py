"""ops.supervisor: a process that exits is started again with a growing backoff."""
import sys

from ops import supervisor
from ops.supervisor import Supervised


def test_an_exited_process_is_restarted_with_backoff(tmp_path, capsys):
    each = Supervised("short", [sys.executable, "-c", "pass"], {}, cwd=tmp_path)
    first = each.process
    first.wait(10)
    each.check(now=each.started + 1)  # noticed: restart scheduled after the first backoff
    assert each.restart_at == each.started + 1 + supervisor.FIRST_BACKOFF_SECONDS
    assert each.process is first
    each.check(now=each.restart_at)
    assert each.process is not first and each.restart_at is None
    each.process.wait(10)
    each.check(now=each.started + 1)
    assert each.restart_at == each.started + 1 + 2 * supervisor.FIRST_BACKOFF_SECONDS
    assert "short exited with code 0; restarting in 1 s" in capsys.readouterr().err


def test_a_running_process_is_left_alone(tmp_path):
    each = Supervised("long", [sys.executable, "-c", "import time; time.sleep(30)"], {},
                      cwd=tmp_path)
    try:
        each.check(now=each.started + 5)
        assert each.restart_at is None and each.process.poll() is None
    finally:
        each.process.kill()
        each.process.wait()
