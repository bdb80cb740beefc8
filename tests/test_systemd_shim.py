"""The stand-ins the manual drill uses for systemd (tests/helpers/systemd_shim.py) understand every
directive of deploy/'s units and refuse one they do not, rather than run a unit wrong: a directive
added to deploy/ must be taught to them (or listed as not emulated) before the drill can pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import systemd_shim

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


@pytest.mark.parametrize(
    "name", sorted(p.name for p in DEPLOY.glob("*.service")) + sorted(p.name for p in DEPLOY.glob("*.timer"))
)
def test_every_unit_of_deploy_is_understood(name):
    conf = systemd_shim.parse_unit((DEPLOY / name).read_text(encoding="utf-8"), name)
    assert conf.get("Service", {}).get("ExecStart") or conf.get("Timer", {}).get("OnCalendar")


@pytest.mark.parametrize(
    "line", ["[Service]\nCapabilityBoundingSet=CAP_NET_BIND_SERVICE\n", "[Socket]\nListenStream=80\n"]
)
def test_a_directive_it_does_not_know_is_refused(line):
    with pytest.raises(systemd_shim.Refused, match="not supported"):
        systemd_shim.parse_unit(line, "made-up.service")


def test_the_environment_file_is_read_as_systemd_reads_it(tmp_path):
    env = tmp_path / "gongkai.env"
    env.write_text('# comment\n; also a comment\n\nA=1\nB="two words"\nC= padded \nD=x=y\n', encoding="utf-8")
    assert systemd_shim.parse_environment_file(str(env)) == {
        "A": "1",
        "B": "two words",
        "C": "padded",
        "D": "x=y",
    }
    assert systemd_shim.parse_environment_file(f"-{tmp_path}/missing.env") == {}
    with pytest.raises(systemd_shim.Refused, match="No such file"):
        systemd_shim.parse_environment_file(f"{tmp_path}/missing.env")
