"""The hostile-input corpus (``tests/hostile/``, described by ``manifest.json``) through the Python
API: each file gives the ``powerbalance.errors`` exception of the core error the manifest names,
pointing at the same line and column, or a read with the figures the manifest gives. Never a
panic, never a silent drop. (``rust/core/tests/hostile.rs`` runs the same corpus in Rust.)
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any, Callable, Dict, List

import powerbalance as pb
import pyarrow as pa
import pytest
from powerbalance import errors

HOSTILE = Path(__file__).parent / "hostile"
MANIFEST: Dict[str, Any] = json.loads((HOSTILE / "manifest.json").read_text(encoding="utf-8"))
CASES: List[Dict[str, Any]] = MANIFEST["cases"]

# The core's error variants and the exceptions they become.
CLASSES = {
    "Format": errors.DataFormatError,
    "Parse": errors.DataFormatError,
    "Empty": errors.EmptyFileError,
    "Encoding": errors.EncodingError,
}


#: The path readers of the manifest's ``reader`` names (``sipri`` reads the bytes, see ``read``).
READERS: Dict[str, Callable[[Path], Any]] = {
    "nmc": pb.read_nmc,
    "states": pb.read_states,
    "majors": pb.read_majors,
    "milex": pb.read_milex,
    "maddison": pb.read_maddison,
    "alliances": pb.read_alliances,
    "ideal_points": pb.read_ideal_points,
}


def read(case: Dict[str, Any]) -> Any:
    path = HOSTILE / case["file"]
    reader = case["reader"]
    if reader == "sipri":
        return pb.read_sipri_bytes(path.read_bytes(), case.get("name", case["file"]))
    if reader not in READERS:
        raise AssertionError(f"unknown reader {reader!r}")
    return READERS[reader](path)


def test_every_file_is_in_the_manifest() -> None:
    listed = {c["file"] for c in CASES}
    on_disk = {p.name for p in HOSTILE.iterdir() if p.name != "manifest.json" and not p.name.startswith(".")}
    assert on_disk == listed
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", [c for c in CASES if c["outcome"] == "error"], ids=lambda c: c["file"])
def test_hostile_error(case: Dict[str, Any]) -> None:
    cls = CLASSES[case["error"]]
    with pytest.raises(cls) as info:
        read(case)
    e = info.value
    # The exact class: a Parse error is a DataFormatError, not one of its subclasses.
    if case["error"] in ("Format", "Parse"):
        assert type(e) is errors.DataFormatError
    if "line" in case:
        assert e.line == case["line"], str(e)
    if "column" in case:
        assert e.column == case["column"], str(e)
    if "column_name" in case:
        assert e.column_name == case["column_name"], str(e)
    if "contains" in case:
        assert case["contains"] in str(e)


@pytest.mark.parametrize("case", [c for c in CASES if c["outcome"] == "ok"], ids=lambda c: c["file"])
def test_hostile_read(case: Dict[str, Any]) -> None:
    got = read(case)
    if case["reader"] != "sipri":
        assert len(got) == case["rows"]
        return
    led = got
    entries = pa.table(led.entries())
    assert entries.num_rows == len(led)
    if "entries" in case:
        assert len(led) == case["entries"]
    if "coverage" in case:
        assert led.layout == case["coverage"]
    if "total_tiv" in case:
        total = sum(entries.column("tiv").to_pylist())
        assert math.isclose(total, case["total_tiv"], rel_tol=1e-9, abs_tol=1e-9)
    report = pa.table(led.report()).to_pylist()[0]
    if "format" in case:
        assert report["format"] == case["format"]
    skipped = pa.table(led.skipped()).to_pylist()
    if "skipped" in case:
        assert len(skipped) == case["skipped"]
    # Every data row is read or skipped with a reason.
    assert report["rows_read"] + len(skipped) == report["data_rows"]
    if "skipped_lines" in case:
        assert [[s["line"], s["reason"]] for s in skipped] == case["skipped_lines"]
    rows = entries.to_pylist()
    for sup, rec, year, tiv in case.get("sample", []):
        assert any(
            r["supplier"] == sup
            and r["recipient"] == rec
            and r["year"] == year
            and math.isclose(r["tiv"], tiv, rel_tol=1e-9)
            for r in rows
        ), (sup, rec, year, tiv)
    deal = case.get("deal", {})
    if "designation" in deal:
        assert any(r["designation"] == deal["designation"] for r in rows)


# ---------------------------------------------------------------------------------------------
# Crashes and exhaustion (issue 11), reader side: each case runs in a child process whose address
# space is limited to its own baseline (after importing powerbalance) + 1 GiB, and must end in a
# ``powerbalance.errors`` exception within 10 s, the child alive. Big inputs are generated here,
# in ``tmp_path``, never committed. (``rust/core/tests/hostile_limits.rs`` covers the same classes
# in Rust.)

CHILD = textwrap.dedent(
    """
    import json, resource, sys, time
    import powerbalance as pb
    from powerbalance import errors

    def vm(field):
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
        raise RuntimeError(field)

    base_vm, base_rss = vm("VmSize"), vm("VmRSS")
    limit = base_vm + (1 << 30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    results = []
    for label, call in CALLS:
        t0 = time.perf_counter()
        try:
            call()
            outcome, info = "ok", {}
        except errors.PowerbalanceError as e:
            outcome = type(e).__name__
            info = {k: getattr(e, k, None) for k in ("line", "column", "column_name")}
            info["message"] = str(e)[:400]
        except MemoryError:
            outcome, info = "MemoryError", {}
        results.append({"label": label, "outcome": outcome, "seconds": time.perf_counter() - t0, **info})
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"results": results, "peak_above_baseline": peak - base_rss, "limit": limit}))
    """
)


def run_limited(setup: str, timeout: float = 10.0) -> Dict[str, Any]:
    """Run ``setup`` (which defines ``CALLS``, a list of ``(label, callable)``) in a child under
    an address-space limit of its baseline + 1 GiB; return what it printed. The child must exit
    normally (no abort from a failed allocation, no kill by the timeout)."""
    code = textwrap.dedent(setup) + "\n" + CHILD
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(Path(pb.__file__).parents[1]), env.get("PYTHONPATH", "")])
    t0 = time.monotonic()
    # The limit applies from the child's start (baseline + 1 GiB set after the import, in CHILD).
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout + 20, env=env)
    wall = time.monotonic() - t0
    assert proc.returncode == 0, f"the child died (return code {proc.returncode}):\n{proc.stderr[-3000:]}"
    out: Dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    out["wall"] = wall
    for r in out["results"]:
        assert r["seconds"] < timeout, r
    # Every case stays under the 1 GiB above the baseline (it would have died otherwise).
    assert out["peak_above_baseline"] < (1 << 30), out
    return out


def outcomes(out: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    return {r["label"]: r for r in out["results"]}


# One file per non-SIPRI reader with the year cell ``{Y}`` on line 3, and where the error points.
YEAR_FILES = {
    "read_nmc": (
        "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc,version\n"
        "USA,2,1900,1,1,1,1,1,1,0.2,2021\nUSA,2,{Y},1,1,1,1,1,1,0.2,2021\n",
        3,
        "year",
    ),
    "read_states": (
        "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\n"
        "USA,2,United States,1816,1,1,2016,12,31,2016\nCAN,20,Canada,{Y},1,1,2016,12,31,2016\n",
        4,
        "styear",
    ),
    "read_majors": (
        "stateabb,ccode,styear,stmonth,stday,endyear,endmonth,endday,version\n"
        "USA,2,1898,8,13,2016,12,31,2016\nUKG,200,1816,1,1,{Y},12,31,2016\n",
        6,
        "endyear",
    ),
    "read_alliances": (
        "ccode1,ccode2,year,cow_defense,cow_neutral,cow_nonagg,cow_entente\n2,20,1950,1,0,1,1\n2,200,{Y},1,0,0,0\n",
        3,
        "year",
    ),
    "read_alliance_years": (
        "ccode1,ccode2,year,atop_defense,atop_offense,atop_neutral,atop_nonagg,atop_consul\n"
        "2,20,1950,1,0,0,0,0\n2,200,{Y},1,0,0,0,0\n",
        3,
        "year",
    ),
    "read_ideal_points": (
        "ccode,iso3c,countryname,year,idealpointfp\n2,USA,United States,1950,1.5\n2,USA,United States,{Y},1.5\n",
        4,
        "year",
    ),
    "read_milex": (
        "country,iso3c,ccode,region,subregion,year,milex_const2023_usd_m,const_flag,milex_current_usd_m,"
        "current_flag,milex_share_gdp,share_gdp_flag,notes\n"
        "France,FRA,220,Europe,Western Europe,1990,1,R,1,R,0.03,R,\n"
        "France,FRA,220,Europe,Western Europe,{Y},1,R,1,R,0.03,R,\n",
        6,
        "year",
    ),
    "read_sdp_gdp": (
        "ccode,year,wbgdp2011est,wbpopest,sdpest,wbgdppc2011est\n2,1900,22.9,15.4,22.0,7.5\n2,{Y},22.9,15.4,22.0,7.5\n",
        2,
        "year",
    ),
    "read_maddison": (
        "iso3c,country,region,year,gdppc,pop\nFRA,France,Western Europe,1900,5000,40000\n"
        "FRA,France,Western Europe,{Y},5000,40000\n",
        4,
        "year",
    ),
}
BAD_YEARS = ["0", "-5", "99999", "2147483647", "-2147483648", "1599", "2101"]


def test_years_outside_the_range_are_located_errors_and_nothing_allocates_per_year(tmp_path: Path) -> None:
    """Each non-SIPRI reader refuses a year outside 1600-2100 (Maddison 1-2100) with a
    DataFormatError at the cell; then ordinary calls on the widest data accepted stay small."""
    calls = []
    for reader, (template, _column, _name) in YEAR_FILES.items():
        years = [y for y in BAD_YEARS if not (reader == "read_maddison" and y == "1599")]
        for y in years:
            p = tmp_path / f"{reader}_{y}.csv"
            p.write_text(template.replace("{Y}", y), encoding="utf-8")
            mod = "pb.panels" if reader == "read_alliance_years" else "pb"
            calls.append(f"    ({reader + ' ' + y!r}, lambda: {mod}.{reader}({str(p)!r})),")
    widest = tmp_path / "nmc_widest.csv"
    widest.write_text(
        "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc\nUSA,2,1600,1,1,1,1,1,1,0.5\nUKG,200,2100,1,1,1,1,1,1,0.5\n",
        encoding="utf-8",
    )
    setup = "\n".join(
        [
            "def widest():",
            f"    caps = pb.read_nmc({str(widest)!r})",
            "    assert len(caps.ratio('USA', 'UKG')) == 501",
            "CALLS = [",
            *calls,
            "    ('widest', widest),",
            "]",
        ]
    )
    out = outcomes(run_limited(setup))
    assert out["widest"]["outcome"] == "ok", out["widest"]
    for reader, (_, column, name) in YEAR_FILES.items():
        for y in BAD_YEARS:
            r = out.get(f"{reader} {y}")
            if r is None:
                continue
            assert r["outcome"] == "DataFormatError", r
            assert (r["line"], r["column"], r["column_name"]) == (3, column, name), r


REGISTER_HEADER = (
    "SIPRI AT Database ID,Supplier,Recipient,Designation,Description,Armament category,Order date,"
    "Order date is estimate,Numbers delivered,Numbers delivered is estimate,Delivery year,"
    "Delivery year is estimate,Status,SIPRI estimate,TIV deal unit,TIV delivery values,Local production\n"
)


def test_a_first_line_of_tens_of_megabytes_is_a_format_error(tmp_path: Path) -> None:
    """Detection reads at most 40 lines / 64 KiB: a 50 MB first line (commas, or one long word)
    is a DataFormatError naming the file and line 1, with memory far below the file's 50x."""
    commas = tmp_path / "trade-register.csv"
    commas.write_bytes(b"," * 50_000_000 + b"\n" + REGISTER_HEADER.encode())
    word = tmp_path / "TIV-Export-All.csv"
    word.write_bytes(b"x" * 50_000_000)
    setup = f"""
    data = open({str(commas)!r}, "rb").read()
    CALLS = [
        ("commas", lambda: pb.read_sipri({str(commas)!r})),
        ("word", lambda: pb.read_sipri({str(word)!r})),
        ("bytes", lambda: pb.read_sipri_bytes(data, "mem.csv")),
    ]
    """
    out = run_limited(setup)
    for r in out["results"]:
        assert r["outcome"] == "DataFormatError" and r["line"] == 1, r
        assert "64 KiB" in r["message"], r
    # Reading 50 MB takes 50 MB (the 'bytes' case holds a second copy): nowhere near the 50 x
    # 50 MB = 2.5 GB detection used to take. Measured: 53-62 MiB for each case alone; in full-suite
    # runs 370 MiB once and 711 MiB once (not explained yet: the peak is the child's whole-life
    # maxrss). The bound is the issue's: under 1 GiB above the interpreter for an input under 100 MB.
    assert out["peak_above_baseline"] < 2**30, out


def body_files(tmp_path: Path, n: int) -> Dict[str, Path]:
    """A valid file of each format (from the corpus), then one data line of ``n`` commas."""
    sources = {
        "register": "register_ok_small.csv",
        "classic": "classic_latin1.csv",
        "wide": "wide_ok.csv",
        "long": "long_good.csv",
        "values": "values_ok.csv",
        "nmc": "nmc_ok.csv",
        "alliances": "alliances_cow_ok.csv",
        "milex": "milex_ok.csv",
        "ideal_points": "ideal_points_ok.csv",
        "maddison": "maddison_ok.csv",
    }
    out = {}
    for name, src in sources.items():
        head = (HOSTILE / src).read_bytes()
        if not head.endswith(b"\n"):
            head += b"\n"
        p = tmp_path / src.replace("_ok", "").replace(".csv", "_huge_row.csv")
        p.write_bytes(head + b"," * n + b"\n")
        out[name] = p
    return out


def test_a_huge_data_line_after_a_valid_header_is_bounded(tmp_path: Path) -> None:
    """After a header every reader knows, one data line of 60 MB of commas: each reader ends in
    a DataFormatError (a row wider than its header) within 10 s and under the 1 GiB limit."""
    files = body_files(tmp_path, 60_000_000)
    readers = {
        "nmc": "pb.read_nmc",
        "alliances": "pb.read_alliances",
        "milex": "pb.read_milex",
        "ideal_points": "pb.read_ideal_points",
        "maddison": "pb.read_maddison",
    }
    calls = "\n".join(
        f"    ({name!r}, lambda: {readers.get(name, 'pb.read_sipri')}({str(p)!r}))," for name, p in files.items()
    )
    out = run_limited(f"CALLS = [\n{calls}\n]\n")
    for r in out["results"]:
        assert r["outcome"] == "DataFormatError", r


def test_files_above_64_mib_are_refused_unread(tmp_path: Path) -> None:
    """A 100 MB file (sparse: nothing written) is a DataIOError that names the cap, at once."""
    big = tmp_path / "trade-register.csv"
    with open(big, "wb") as f:
        f.truncate(100_000_000)
    readers = [
        "pb.read_sipri",
        "pb.read_nmc",
        "pb.read_states",
        "pb.read_milex",
        "pb.read_maddison",
        "pb.read_alliances",
        "pb.read_ideal_points",
        "pb.panels.read_alliance_years",
    ]
    calls = "\n".join(f"    ({r!r}, lambda: {r}({str(big)!r}))," for r in readers)
    out = run_limited(f"CALLS = [\n{calls}\n]\n")
    for r in out["results"]:
        assert r["outcome"] == "DataIOError" and "64 MiB" in r["message"], r
        assert r["seconds"] < 1, r
    with pytest.raises(errors.DataIOError, match="64 MiB"):
        pb.read_sipri_bytes(b"x" * (64 * 2**20 + 1), "big.csv")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifos_and_devices_are_refused_before_opening(tmp_path: Path) -> None:
    """A FIFO or /dev/zero named like a data file is a DataIOError that says what the path is;
    nothing blocks, nothing reads forever."""
    fifo = tmp_path / "trade-register.csv"
    os.mkfifo(fifo)
    readers = [
        "pb.read_sipri",
        "pb.read_nmc",
        "pb.read_states",
        "pb.read_majors",
        "pb.read_milex",
        "pb.read_maddison",
        "pb.read_sdp_gdp",
        "pb.read_alliances",
        "pb.read_ideal_points",
        "pb.panels.read_alliance_years",
    ]
    calls = [f"    ({r + ' fifo'!r}, lambda: {r}({str(fifo)!r}))," for r in readers]
    calls += [f"    ({r + ' zero'!r}, lambda: {r}('/dev/zero'))," for r in readers]
    out = run_limited("CALLS = [\n" + "\n".join(calls) + "\n]\n")
    for r in out["results"]:
        what = "FIFO" if r["label"].endswith("fifo") else "character device"
        assert r["outcome"] == "DataIOError", r
        assert what in r["message"] and "not a regular file" in r["message"], r


def test_a_folder_does_not_follow_links_out_of_it(tmp_path: Path) -> None:
    """In a data folder, a symlink that leads outside (or nowhere, or to /dev/zero) and a FIFO are
    not read: the ledger is the folder's own file, and ``skipped()`` lists each with its reason."""
    data, outside = tmp_path / "data", tmp_path / "outside"
    (data / "sub").mkdir(parents=True)
    outside.mkdir()
    small = (HOSTILE / "register_ok_small.csv").read_bytes()
    (data / "sub" / "register.csv").write_bytes(small)
    (data / "a-inside.csv").symlink_to(data / "sub" / "register.csv")
    (outside / "secret.csv").write_bytes(small)
    (data / "b-outside.csv").symlink_to(outside / "secret.csv")
    (data / "c-dangling.csv").symlink_to(tmp_path / "nowhere.csv")
    (data / "d-zero.csv").symlink_to("/dev/zero")
    if hasattr(os, "mkfifo"):
        os.mkfifo(data / "e-fifo.csv")
    led = pb.read_sipri(data)
    report = pa.table(led.report()).to_pylist()
    assert [Path(r["path"]).name for r in report] == ["a-inside.csv"]
    skipped = {Path(s["path"]).name: s["reason"] for s in pa.table(led.skipped()).to_pylist() if s["line"] == 0}
    assert "outside the folder" in skipped["b-outside.csv"]
    assert "does not exist" in skipped["c-dangling.csv"]
    assert "outside the folder" in skipped["d-zero.csv"]
    if hasattr(os, "mkfifo"):
        assert "FIFO" in skipped["e-fifo.csv"]
    only = tmp_path / "only"
    only.mkdir()
    (only / "x.csv").symlink_to(outside / "secret.csv")
    with pytest.raises(errors.PowerbalanceError, match="outside the folder"):
        pb.read_sipri(only)


def test_one_bad_byte_in_a_utf8_register_is_an_encoding_error() -> None:
    """A register with UTF-8 names and one byte that is not UTF-8 is an EncodingError at that byte
    (it used to be read as Latin-1, every non-ASCII name becoming a new actor); without any UTF-8
    character the same byte is a genuine Latin-1 export and reads."""
    lines = (HOSTILE / "register_ok_small.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    i = next(k for k, line in enumerate(lines) if line.startswith("90003,"))
    lines = [line.replace("France", "Türkiye") if line.startswith("90002,") else line for line in lines]
    body = "".join(lines).encode("utf-8")
    line_start = body.index(b"90003,")
    at = body.index(b"AH-64E", line_start) + 5
    damaged = body[:at] + b"\xe9" + body[at + 1 :]
    with pytest.raises(errors.EncodingError) as info:
        pb.read_sipri_bytes(damaged, "damaged.csv")
    assert (info.value.line, info.value.column) == (i + 1, at - line_start + 1)
    assert "0xE9" in str(info.value)
    latin1 = damaged.replace("Türkiye".encode("utf-8"), b"Turkey")
    led = pb.read_sipri_bytes(latin1, "latin1.csv")
    assert "Latin-1" in str(pa.table(led.report()).to_pylist()[0]["notes"])
