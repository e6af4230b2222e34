"""The whole replication from an empty data home, as a new user runs it (issue 10, "Done when").

A user with no data anywhere (no ``POWERBALANCE_DATA``, an empty user data home) runs
``powerbalance replicate --out report``. The downloads go to a local mirror of the publishers'
originals (``tests/mirror_server.py`` on 127.0.0.1, which serves the files listed in
``$POWERBALANCE_DATA/originals.json`` of *this* test process and fakes SIPRI's backend), through
``POWERBALANCE_MIRROR``. The command must fetch what it lacks (a progress bar with bytes on a
terminal's stderr), convert the .rda/.dta/.xlsx originals, check every file's sha256 and write the
full report: every claim of the paper with a verdict for every release it applies to, the same
verdicts (and the same computed values) as a run on the ``POWERBALANCE_DATA`` folder, and all
figures as real PNG files.

Also from an empty data home: ``replicate --offline`` exits 1 with one message naming every
missing data set and the command that fetches them, and ``data list`` says every data set is
downloadable.

The tests that download need the real data (the mirror serves it): they take the ``data_dir``
fixture, so a run without the data fails with the conftest's message instead of passing
silently. The ``--offline`` and ``data list`` tests need no data.
"""

from __future__ import annotations

import csv
import os
import pty
import re
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import powerbalance as pb
from powerbalance import datasets
from powerbalance.paper import verdicts

sys.path.insert(0, str(Path(__file__).parent))
from mirror_server import MirrorServer, path_of  # noqa: E402

PYTHONPATH = str(Path(pb.__file__).parent.parent)
FIGURES = ("figure1_russia_china.png", "balance_shares.png", "un_voting.png")
VERDICTS = {"consistent", "inconsistent", "not testable"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class Run:
    """One finished command: exit status, stdout, stderr (decoded), seconds it took."""

    def __init__(self, code: int, out: str, err: str, seconds: float) -> None:
        self.code, self.out, self.err, self.seconds = code, out, err, seconds

    def __repr__(self) -> str:
        out, err = self.out[-3000:], self.err[-3000:]
        return f"exit {self.code} after {self.seconds:.1f} s\n--- stdout\n{out}\n--- stderr\n{err}"


def user_env(xdg: Path, mirror: Optional[str] = None, data: Optional[Path] = None) -> Dict[str, str]:
    """A user's environment: no ``POWERBALANCE_DATA`` unless ``data``, the user data home under
    ``xdg``, the mirror if given, and this checkout's package on the path."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in (datasets.ENV_DATA_HOME, datasets.ENV_MIRROR, "POWERBALANCE_SIPRI_URL")
    }
    env["XDG_CACHE_HOME"] = str(xdg)
    env["PYTHONPATH"] = PYTHONPATH
    env.pop("POWERBALANCE_TRACEBACK", None)
    if mirror is not None:
        env[datasets.ENV_MIRROR] = mirror
    if data is not None:
        env[datasets.ENV_DATA_HOME] = str(data)
    return env


def powerbalance(*args: str, env: Dict[str, str], cwd: Path, terminal: bool = False, timeout: float = 600) -> Run:
    """Run ``python -m powerbalance ARGS``; with ``terminal``, stderr is a pseudo-terminal (as a
    user's shell gives it), so that the progress bar is drawn; stdout is a pipe either way."""
    cmd = [sys.executable, "-m", "powerbalance", *args]
    t0 = time.monotonic()
    if not terminal:
        p = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
        return Run(p.returncode, p.stdout, p.stderr, time.monotonic() - t0)
    master, slave = pty.openpty()
    chunks: List[bytes] = []

    def pump() -> None:  # read the terminal as it is written (its buffer is small)
        while True:
            try:
                b = os.read(master, 65536)
            except OSError:  # EIO: the last writer closed it
                return
            if not b:
                return
            chunks.append(b)

    reader = threading.Thread(target=pump, daemon=True)
    try:
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL)
        os.close(slave)
        slave = -1
        reader.start()
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise
        reader.join(10)
    finally:
        if slave != -1:
            os.close(slave)
        os.close(master)
    err = b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")
    return Run(proc.returncode, out.decode("utf-8", "replace"), err, time.monotonic() - t0)


def png_size(path: Path) -> Tuple[int, int]:
    """Width and height of a PNG file, from its signature and IHDR chunk (fails on anything else)."""
    head = path.read_bytes()[:33]
    assert head[:8] == PNG_SIGNATURE, f"{path.name} is not a PNG file (starts {head[:8]!r})"
    length, kind = struct.unpack(">I4s", head[8:16])
    assert (length, kind) == (13, b"IHDR"), f"{path.name}: no IHDR chunk first"
    return struct.unpack(">II", head[16:24])


def claim_rows(report: Path) -> List[Dict[str, str]]:
    with open(report / "claims.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def verdict_keys(rows: List[Dict[str, str]]) -> List[Tuple[str, str, str, str]]:
    return [(r["id"], r["vintage"], r["verdict"], r["computed_value"]) for r in rows]


def counts(rows: List[Dict[str, str]]) -> Dict[str, int]:
    out: Dict[str, int] = {}
    for r in rows:
        out[r["verdict"]] = out.get(r["verdict"], 0) + 1
    return dict(sorted(out.items()))


def check_full_report(report: Path) -> List[Dict[str, str]]:
    """The report holds every claim with a verdict for every release, and every figure."""
    names = {p.name for p in report.iterdir()}
    assert {
        "report.md",
        "report.html",
        "claims.csv",
        "table1_comparison.csv",
        ".powerbalance-report.json",
        *FIGURES,
    } <= names, names
    assert not [n for n in names if n.startswith(".powerbalance-staging-") or n.endswith(".tmp")], names
    rows = claim_rows(report)
    assert {r["verdict"] for r in rows} <= VERDICTS, {r["verdict"] for r in rows}
    assert all(r["computed_value"] or r["verdict"] == "not testable" for r in rows), [
        r["id"] for r in rows if not r["computed_value"]
    ]
    by_id: Dict[str, List[str]] = {}
    for r in rows:
        by_id.setdefault(r["id"], []).append(r["vintage"])
    assert sorted(by_id) == sorted(verdicts.CLAIM_IDS), set(verdicts.CLAIM_IDS) ^ set(by_id)
    # the claims on SIPRI data: one verdict per release they apply to (all four, or the three
    # with suppliers by recipient), each once
    releases = verdicts._VINTAGES  # (label, dataset, dyadic, description)
    for c in verdicts.CLAIMS:
        want = [lbl for lbl, _, dyadic, _ in releases if dyadic or not c.needs_dyadic]
        assert by_id[c.id] == want, (c.id, by_id[c.id], want)
    # the claims on other data (P1-P7): at least one verdict each, on a named data set
    for r in rows:
        assert r["dataset"] and r["vintage"], r
    md = (report / "report.md").read_text(encoding="utf-8")
    for cid in verdicts.CLAIM_IDS:
        assert re.search(rf"^### {re.escape(cid)}: ", md, re.M), f"claim {cid} missing from report.md"
    total = counts(rows)
    assert "Verdicts over all claim-release rows: " + ", ".join(f"{k} {v}" for k, v in total.items()) in md
    for fig in FIGURES:
        assert f"]({fig})" in md, f"report.md does not show {fig}"
        w, h = png_size(report / fig)
        size = (report / fig).stat().st_size
        assert 800 <= w <= 2000 and 400 <= h <= 1200, (fig, w, h)
        assert 20_000 < size < 2_000_000, (fig, size)
    # the report's own Table 1 comparison: 40 rows of the paper
    with open(report / "table1_comparison.csv", encoding="utf-8", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == 40
    return rows


def test_replicate_from_an_empty_data_home_through_the_mirror(data_dir: Path, tmp_path: Path) -> None:
    xdg = tmp_path / "xdg"
    home = xdg / "powerbalance"
    report = tmp_path / "report"
    with MirrorServer(data_dir) as mirror:
        env = user_env(xdg, mirror=mirror.url)
        run = powerbalance("replicate", "--out", str(report), env=env, cwd=tmp_path, terminal=True)
        hits = dict(mirror.hits)
    assert run.code == 0, run
    # it fetched every data set the replication reads, from the mirror, into the user data home
    assert datasets.missing(pb.paper.DATASETS, data_home=home) == []
    t = datasets.verify(data_home=home).to_pylist()
    ok = {r["dataset"] for r in t if r["status"] == "ok"}
    assert set(pb.paper.DATASETS) <= ok, [r for r in t if r["dataset"] in pb.paper.DATASETS and r["status"] != "ok"]
    wanted = set()
    for name in pb.paper.DATASETS:
        for f in datasets.info(name).files:
            wanted |= {path_of(f.url)} if f.url else {path_of(o.url) for o in f.build.inputs}
    assert set(hits) == wanted, set(hits) ^ wanted
    assert all(n == 1 for n in hits.values()), f"each original downloaded once: {hits}"
    files = [p for p in home.rglob("*") if p.is_file()]
    assert not [p for p in files if p.name.endswith(".part") or p.name.startswith(".")], files
    # ... saying which data set it fetches and where, with a progress bar in bytes on the
    # terminal, and the conversions said
    n = len(pb.paper.DATASETS)
    for i, name in enumerate(pb.paper.DATASETS, 1):
        assert re.search(
            rf"^fetching {re.escape(name)} \({i} of {n}: \d+ files?, [\d.]+ [kM]B\) into {re.escape(str(home))}$",
            run.err,
            re.M,
        ), (name, run)
    bars = re.findall(r"\[#{24}\] 100%\s+[\d.]+/[\d.]+ (?:kB|MB)", run.err)
    assert len(bars) >= len(hits), run  # one full bar per download at least
    for rda in ("cow_nmc.rda", "MaddisonData.rda", "IdealpointsJuly2025.dta"):
        assert re.search(rf"converting [^\n]*{re.escape(rda)}[^\n]* -> ", run.err), (rda, run)
    assert "Traceback" not in run.err
    assert f"replicate: wrote {report / 'report.md'}" in run.out, run
    # `data list` there: the replication's data sets present and verified, every set downloadable
    for name, cells in data_list(powerbalance("data", "list", env=user_env(xdg), cwd=tmp_path), home).items():
        want = "yes" if name in pb.paper.DATASETS else cells["present"]
        assert cells == {"present": want, "verified": want, "downloadable": "yes"}, (name, cells)

    rows = check_full_report(report)

    # the same verdicts, computed values and tables as on the POWERBALANCE_DATA folder
    report_env = tmp_path / "report-env"
    ref = powerbalance(
        "replicate",
        "--offline",
        "--out",
        str(report_env),
        env=user_env(tmp_path / "xdg-unused", data=data_dir),
        cwd=tmp_path,
    )
    assert ref.code == 0, ref
    ref_rows = check_full_report(report_env)
    assert verdict_keys(rows) == verdict_keys(ref_rows)
    assert counts(rows) == counts(ref_rows)
    for name in ("claims.csv", "table1_comparison.csv", "report.md", "report.html", *FIGURES):
        assert (report / name).read_bytes() == (report_env / name).read_bytes(), (
            f"{name} differs between the two data homes"
        )
    assert not (tmp_path / "xdg-unused" / "powerbalance").exists(), (
        "a run on POWERBALANCE_DATA wrote into the user data home"
    )

    # a second run, as the user typed it (not --offline; the mirror is gone now, so a download
    # would fail): nothing to fetch, and it replaces its own report
    again = powerbalance("replicate", "--out", str(report), env=env, cwd=tmp_path)
    assert again.code == 0, again
    assert again.err == "", again
    assert verdict_keys(claim_rows(report)) == verdict_keys(rows)

    print(
        f"\nfetch + convert + verify + replicate from an empty data home: {run.seconds:.1f} s "
        f"({len(hits)} downloads, {len(files)} files, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB); "
        f"on POWERBALANCE_DATA: {ref.seconds:.1f} s; second run: {again.seconds:.1f} s; "
        f"{len(rows)} claim rows, verdicts " + ", ".join(f"{k} {v}" for k, v in counts(rows).items())
    )


def test_offline_on_an_empty_data_home_names_the_data_and_the_command(tmp_path: Path) -> None:
    xdg = tmp_path / "xdg"
    run = powerbalance("replicate", "--offline", "--out", str(tmp_path / "report"), env=user_env(xdg), cwd=tmp_path)
    assert run.code == 1, run
    assert run.out == ""
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, run
    assert f"missing data in {xdg / 'powerbalance'}" in lines[0]
    for name in pb.paper.DATASETS:
        assert re.search(rf"\b{re.escape(name)}\b", lines[0]), (name, lines[0])
    assert f"`powerbalance data fetch {' '.join(pb.paper.DATASETS)}`" in lines[0], lines[0]
    assert not (tmp_path / "report").exists(), "an offline run without data made the report folder"
    assert not (xdg / "powerbalance").exists(), "an offline run wrote into the user data home"


def data_list(run: Run, home: Path) -> Dict[str, Dict[str, str]]:
    """The rows of ``powerbalance data list``'s output: name -> present, verified, downloadable."""
    assert run.code == 0, run
    lines = run.out.splitlines()
    assert lines[0] == f"data home: {home} (user)", run
    header = lines[1]
    assert header.split() == ["name", "vintage", "files", "present", "verified", "downloadable"], header
    cut = {c: header.index(c) for c in ("present", "verified", "downloadable")}  # left-aligned columns
    rows = {}
    for ln in lines[2:]:
        name = ln.split()[0]
        assert name in datasets.REGISTRY and name not in rows, ln
        rows[name] = {c: ln[i:].split()[0] for c, i in cut.items()}
    assert sorted(rows) == sorted(datasets.REGISTRY), set(datasets.REGISTRY) ^ set(rows)
    return rows


def test_data_list_on_an_empty_home_says_every_dataset_is_downloadable(tmp_path: Path) -> None:
    xdg = tmp_path / "xdg"
    rows = data_list(powerbalance("data", "list", env=user_env(xdg), cwd=tmp_path), xdg / "powerbalance")
    for name, cells in rows.items():
        assert cells == {"present": "no", "verified": "no", "downloadable": "yes"}, (name, cells)
    assert not (xdg / "powerbalance").exists(), "`data list` created the data home"


def test_sigterm_during_the_fetch_leaves_nothing_half_written(data_dir: Path, tmp_path: Path) -> None:
    """SIGTERM while replicate downloads (the mirror sends a byte a second): exit 143, one line,
    no ``.part`` file, no empty folder in the data home, no report folder."""
    xdg = tmp_path / "xdg"
    report = tmp_path / "report"
    first = datasets.info(pb.paper.DATASETS[0]).files[0]
    assert first.url, first
    with MirrorServer(data_dir) as mirror:
        mirror.fault("slow", first.url)
        proc = subprocess.Popen(
            [sys.executable, "-m", "powerbalance", "replicate", "--out", str(report)],
            env=user_env(xdg, mirror=mirror.url),
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            t0 = time.monotonic()
            part = None
            while part is None and time.monotonic() - t0 < 60 and proc.poll() is None:
                part = next((p for p in xdg.rglob("*.part")), None) if xdg.exists() else None
                time.sleep(0.05)
            assert part is not None, "no download in progress within 60 s"
            time.sleep(1.5)  # a byte or two written
            proc.terminate()
            out, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    assert proc.returncode == 143, (proc.returncode, out, err)
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == "powerbalance replicate: stopped by SIGTERM; no partial file was left", err
    left = (
        sorted(p.relative_to(xdg).as_posix() for p in xdg.rglob("*") if "matplotlib" not in p.parts)
        if xdg.exists()
        else []
    )
    assert left == [], f"left in the data home: {left}"
    assert not report.exists()
