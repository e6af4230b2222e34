"""Every data set fetched from an empty data home through a local mirror of the originals.

The mirror (``tests/mirror_server.py``, on 127.0.0.1) serves the originals listed in
``$POWERBALANCE_DATA/originals.json`` by URL and fakes SIPRI's backend; ``POWERBALANCE_MIRROR``
sends the downloads there. The whole path runs: download -> check the original -> convert
(.rda, .dta, .xlsx) -> check the result's sha256 -> install. Then each fault of the mirror (HTTP
500, a transient 500, a truncated body, wrong bytes, a stall, a byte a second, an endless body,
a redirect loop), SIGTERM in the middle of a download, and two fetches at once: each ends with a
clear error or a successful retry, and leaves no partial file, no ``.part`` file and no empty
folder. No test reaches the network.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import powerbalance as pb
import pytest
from powerbalance import datasets

sys.path.insert(0, str(Path(__file__).parent))
from mirror_server import SIPRI_PATH, MirrorServer  # noqa: E402

PYTHONPATH = str(Path(pb.__file__).parent.parent)
STATES_URL = datasets.info("cow-states").files[0].build.inputs[0].url  # type: ignore[union-attr]
STATES_SIZE = 10845  # the COW original (CRLF)


@pytest.fixture
def mirror(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MirrorServer]:
    with MirrorServer(data_dir) as srv:
        monkeypatch.setenv("POWERBALANCE_MIRROR", srv.url)
        monkeypatch.delenv("POWERBALANCE_DATA", raising=False)
        yield srv


def everything(home: Path) -> List[str]:
    """Every file and folder under ``home`` (temporary files too), or [] if it is gone."""
    if not home.exists():
        return []
    return sorted(p.relative_to(home).as_posix() + ("/" if p.is_dir() else "") for p in home.rglob("*"))


def cli(*args: str, env: Optional[Dict[str, str]] = None, drop: tuple = ()) -> subprocess.Popen:
    e = {k: v for k, v in os.environ.items() if k not in drop}
    e["PYTHONPATH"] = PYTHONPATH
    e.update(env or {})
    return subprocess.Popen(
        [sys.executable, "-m", "powerbalance", "data", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=e,
        preexec_fn=lambda: os.umask(0o022),
    )  # fmt: skip


def finish(p: subprocess.Popen, timeout: float = 120) -> "tuple[int, str, str]":
    out, err = p.communicate(timeout=timeout)
    return p.returncode, out, err


def wait_for(cond, seconds: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    t0 = time.monotonic()
    while not cond():
        if time.monotonic() - t0 > seconds:
            raise AssertionError(f"condition not met within {seconds} s")
        time.sleep(0.02)


# -- the whole path -----------------------------------------------------------------------------


def test_fetch_all_into_the_user_data_home_through_the_mirror(
    mirror: MirrorServer, tmp_path: Path, data_dir: Path
) -> None:
    xdg = tmp_path / "xdg"
    env = {"POWERBALANCE_MIRROR": mirror.url, "XDG_CACHE_HOME": str(xdg)}
    t0 = time.monotonic()
    code, out, err = finish(
        cli("fetch", "--all", "--attempts", "2", "--backoff", "0.01", env=env, drop=("POWERBALANCE_DATA",))
    )
    seconds = time.monotonic() - t0
    assert code == 0, err
    home = xdg / "powerbalance"
    assert f"{len(datasets.REPLICATION)} data sets" in out and str(home) in out
    code, out, err = finish(
        cli("fetch", "sipri-register-live", "--attempts", "1", env=env, drop=("POWERBALANCE_DATA",))
    )
    assert code == 0, err
    assert "25,024 deliveries" in out  # the fake backend answers with the 2026 register
    # every registered file is there with its sha256, the live one against its sidecar
    t = datasets.verify(data_home=home)
    assert set(t.column("status")) == {"ok"}, [r for r in t.to_pylist() if r["status"] != "ok"]
    assert len(t) == sum(len(ds.files) for ds in datasets.REGISTRY.values())
    for ds in datasets.REGISTRY.values():  # the converted ones are the shared data's bytes
        for f in ds.files:
            if f.build is not None:
                assert (home / f.path).read_bytes() == (data_dir / f.path).read_bytes(), f.path
    # the originals are kept under <folder>/source/, as in the shared layout
    for rel in [
        "cow_nmc/source/cow_nmc.rda",
        "gdp/source/MaddisonData.rda",
        "un_ideal_points/source/IdealpointsJuly2025.dta",
        "cow_states/source/majors2016.csv",
    ]:
        assert (home / rel).read_bytes() == (data_dir / rel).read_bytes()
    files = [p for p in home.rglob("*") if p.is_file()]
    assert not [p for p in files if p.name.endswith(".part") or p.name.startswith(".")]
    assert {oct(p.stat().st_mode & 0o777) for p in files} == {"0o644"}  # readable by others
    assert {oct(p.stat().st_mode & 0o777) for p in home.rglob("*") if p.is_dir()} == {"0o755"}
    # the loaders read what was fetched
    assert len(datasets.load("sipri-register-2024", data_home=home)) == 59157
    assert datasets.load("cow-nmc-v7", data_home=home).coverage == (1816, 2022)
    assert datasets.load("un-ideal-points", data_home=home).coverage == (1946, 2024)
    assert seconds < 45, seconds
    print(f"\nfetched {len(files)} files, {sum(p.stat().st_size for p in files):,} bytes in {seconds:.1f} s")


def test_a_second_fetch_downloads_nothing(mirror: MirrorServer, tmp_path: Path) -> None:
    datasets.fetch("cow-states", data_home=tmp_path, attempts=1)
    hits = sum(mirror.hits.values())
    assert hits == 2  # the two COW originals
    datasets.fetch("cow-states", data_home=tmp_path, attempts=1)
    assert sum(mirror.hits.values()) == hits
    datasets.fetch("cow-states", data_home=tmp_path, attempts=1, force=True)
    assert sum(mirror.hits.values()) == 2 * hits


# -- faults -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "mode, error, message",
    [
        ("500", datasets.FetchError, r"answered HTTP 500 .*\(2 attempts\)"),
        ("truncate", datasets.FetchError, r"cut short: got 5422 of 10845 bytes \(2 attempts\)"),
        ("wrong", datasets.ChecksumError, r"original of states2016.csv.*sha256 .*, expected 3d78d333.*not saved"),
        ("stall", datasets.FetchError, r"stalled: no data for 0.5 s \(2 attempts\)"),
        # a byte a second never trips the 1.5 s per-read timeout; the deadline 1.5 + 10845 / 20000 s does
        ("slow", datasets.FetchError, r"took longer than its deadline of 2.04225 s \(got \d of 10845 bytes\)"),
        ("endless", datasets.FetchError, r"sent more than the 10845 bytes expected"),
        ("redirect-loop", datasets.FetchError, r"HTTP 30\d .*a redirect loop"),
    ],
)
def test_each_fault_ends_clearly_and_leaves_nothing(
    mirror: MirrorServer, tmp_path: Path, mode: str, error: type, message: str
) -> None:
    mirror.fault(mode, STATES_URL)
    home = tmp_path / "home"
    t0 = time.monotonic()
    with pytest.raises(error, match=message):
        datasets.fetch("cow-states", data_home=home, attempts=2, backoff=0.01, timeout=1.5 if mode == "slow" else 0.5)
    assert time.monotonic() - t0 < 10
    assert not home.exists(), everything(home)  # no file, no .part, not even the folders it made


def test_a_transient_500_is_retried(mirror: MirrorServer, tmp_path: Path) -> None:
    mirror.fault("transient", STATES_URL, n=2)
    datasets.fetch("cow-states", data_home=tmp_path, attempts=3, backoff=0.01, timeout=2)
    assert mirror.hits[STATES_URL.split("https:/", 1)[1]] == 3
    assert set(datasets.verify("cow-states", data_home=tmp_path).column("status")) == {"ok"}


def test_a_fault_on_the_second_file_keeps_the_first(mirror: MirrorServer, tmp_path: Path) -> None:
    majors = datasets.info("cow-states").files[1].build.inputs[0].url  # type: ignore[union-attr]
    mirror.fault("500", majors)
    with pytest.raises(datasets.FetchError, match="HTTP 500"):
        datasets.fetch("cow-states", data_home=tmp_path, attempts=1)
    assert everything(tmp_path) == [
        "cow_states/",
        "cow_states/source/",
        "cow_states/source/states2016.csv",
        "cow_states/states2016.csv",
    ]


@pytest.mark.parametrize(
    "mode, attempts, message",
    [
        ("transient", 2, None),
        ("500", 2, r"HTTP 500 .*\(2 attempts\)"),
        ("endless", 1, r"sent more than the 67108864 bytes expected"),
    ],
)
def test_faults_of_the_live_sipri_backend(
    mirror: MirrorServer, tmp_path: Path, mode: str, attempts: int, message: Optional[str]
) -> None:
    mirror.fault(mode, SIPRI_PATH)
    if message is None:
        out = datasets.fetch("sipri-register-live", data_home=tmp_path, attempts=attempts, backoff=0.01)
        assert len(pb.read_sipri(out)) == 25024 and mirror.hits[SIPRI_PATH] == 2
        return
    with pytest.raises(datasets.FetchError, match=message):
        datasets.fetch("sipri-register-live", data_home=tmp_path / "home", attempts=attempts, backoff=0.01, timeout=5)
    assert not (tmp_path / "home").exists()


def test_mirror_variable_is_what_sends_downloads_there(
    mirror: MirrorServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert datasets.mirrored(STATES_URL) == mirror.url + STATES_URL[len("https:/") :]
    assert datasets.mirrored("http://example.org/x") == "http://example.org/x"  # only https:// is mirrored
    monkeypatch.setenv("POWERBALANCE_MIRROR", mirror.url + "/nowhere")
    with pytest.raises(datasets.FetchError, match=r"HTTP 404 .*/nowhere/raw.githubusercontent.com/brickleq"):
        datasets.fetch("cow-states", data_home=tmp_path / "home", attempts=1)
    assert not (tmp_path / "home").exists()


# -- the data-home rule -------------------------------------------------------------------------


def test_powerbalance_data_is_read_only(mirror: MirrorServer, tmp_path: Path, data_dir: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    env = {"POWERBALANCE_DATA": str(ro), "XDG_CACHE_HOME": str(tmp_path / "xdg"), "POWERBALANCE_MIRROR": mirror.url}
    code, out, err = finish(cli("fetch", "cow-states", env=env))
    assert code == 2
    assert f"powerbalance: error: POWERBALANCE_DATA names {ro}, which is read-only to powerbalance" in err
    assert "`env -u POWERBALANCE_DATA powerbalance data fetch cow-states`" in err
    assert everything(ro) == [] and sum(mirror.hits.values()) == 0
    # the command it names fetches into the user data home
    env.pop("POWERBALANCE_DATA")
    code, out, err = finish(cli("fetch", "cow-states", env=env, drop=("POWERBALANCE_DATA",)))
    assert code == 0, err
    assert (tmp_path / "xdg" / "powerbalance" / "cow_states" / "states2016.csv").is_file()
    # the same folder named explicitly is written to
    code, out, err = finish(
        cli("fetch", "cow-states", "--data-home", str(ro), env={**env, "POWERBALANCE_DATA": str(ro)})
    )
    assert code == 0, err
    assert (ro / "cow_states" / "majors2016.csv").is_file()
    # and a complete, verified set in POWERBALANCE_DATA is simply there: nothing to write
    code, out, err = finish(cli("fetch", "cow-nmc-v7", env={"POWERBALANCE_DATA": str(data_dir)}))
    assert code == 0 and "sha256 verified" in out, err


def test_data_home_command(tmp_path: Path) -> None:
    code, out, err = finish(cli("home", env={"XDG_CACHE_HOME": str(tmp_path)}, drop=("POWERBALANCE_DATA",)))
    assert (
        code == 0
        and out.splitlines()[0] == str(tmp_path / "powerbalance")
        and out.splitlines()[1].startswith("source: user")
    )
    code, out, err = finish(cli("home", env={"POWERBALANCE_DATA": str(tmp_path / "d")}))
    assert (
        out.splitlines() == [str(tmp_path / "d"), out.splitlines()[1]] and "source: env" in out and "read-only" in out
    )
    code, out, err = finish(
        cli("home", "--data-home", str(tmp_path / "a"), env={"POWERBALANCE_DATA": str(tmp_path / "d")})
    )
    assert out.splitlines()[0] == str(tmp_path / "a") and out.splitlines()[1].startswith("source: argument")


# -- SIGTERM and two fetches at once ------------------------------------------------------------


def test_sigterm_during_a_fetch_leaves_nothing(mirror: MirrorServer, tmp_path: Path) -> None:
    mirror.fault("slow", STATES_URL)  # a byte a second: the download is still running when the signal comes
    home = tmp_path / "home"
    p = cli(
        "fetch", "cow-states", "--data-home", str(home), "--deadline", "600", env={"POWERBALANCE_MIRROR": mirror.url}
    )
    wait_for(lambda: any(n.endswith(".part") for n in everything(home)))
    time.sleep(0.3)
    p.send_signal(signal.SIGTERM)
    code, out, err = finish(p, timeout=20)
    assert code == 143, err
    assert "fetch stopped by SIGTERM; no partial file was left" in err
    assert "Traceback" not in err
    assert not home.exists(), everything(home)


def test_two_fetches_of_one_dataset_at_once(mirror: MirrorServer, tmp_path: Path) -> None:
    dta = datasets.info("un-ideal-points").files[0].build.inputs[0].url  # type: ignore[union-attr]
    mirror.fault("transient", dta, n=1)  # the first fetch holds the lock through a 1.5 s backoff
    home = tmp_path / "home"
    env = {"POWERBALANCE_MIRROR": mirror.url}
    first = cli("fetch", "un-ideal-points", "--data-home", str(home), "--backoff", "1.5", env=env)
    wait_for(lambda: any(n.endswith(".part") for n in everything(home)))
    second = cli("fetch", "un-ideal-points", "--data-home", str(home), "--backoff", "0.01", env=env)
    r1, r2 = finish(first), finish(second)
    assert r1[0] == 0 and r2[0] == 0, (r1, r2)
    assert f"waiting for another fetch into {home} to finish" in r2[2]
    assert mirror.hits[dta.split("https:/", 1)[1]] == 2  # the 500 and one download: the second found it done
    assert everything(home) == [
        "un_ideal_points/", "un_ideal_points/IdealpointsJuly2025.csv",
        "un_ideal_points/source/", "un_ideal_points/source/IdealpointsJuly2025.dta",
    ]  # fmt: skip  # no lock file, no .part
    assert set(datasets.verify("un-ideal-points", data_home=home).column("status")) == {"ok"}
