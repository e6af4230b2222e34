"""The public API on real SIPRI data: figures checked against SIPRI's fact sheet for 2016-20
(Wezeman et al., 2021) as the verification table of the shared data's ``sipri/README.md``
reports them for each vintage."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import powerbalance as pb
import pytest
from powerbalance.errors import UnknownActorError


def row(table: pb.Table, **where: Any) -> Dict[str, Any]:
    rows = table.filter(**where).to_pylist()
    assert len(rows) == 1, (where, rows)
    return rows[0]


# -- reading --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ledger_2022", "ledger_2024", "ledger_2026"])
def test_every_row_is_accounted_for(name: str, request: pytest.FixtureRequest) -> None:
    led: pb.Ledger = request.getfixturevalue(name)
    assert len(led) > 0
    assert led.layout == "dyadic"
    report = led.report()
    assert report.num_rows >= 1
    for r in report:
        assert r["rows_read"] + r["rows_skipped"] == r["data_rows"], r
    assert sum(report.column("entries")) == len(led) == led.entries().num_rows


def test_ledger_properties(ledger_2022: pb.Ledger, ledger_2024: pb.Ledger, ledger_2026: pb.Ledger) -> None:
    assert ledger_2022.span == (1950, 2021)
    assert ledger_2024.span == (1950, 2023)
    assert ledger_2026.span == (1995, 2024)
    assert ledger_2022.report().num_rows == 134
    assert not ledger_2026.annual_estimated
    assert "Ledger" in repr(ledger_2022) and "22225" in repr(ledger_2022)


def test_folder_skips_totals_files(ledger_2024: pb.Ledger) -> None:
    # the folder holds two registers and SIPRI's own export/import totals, which would double count
    assert ledger_2024.report().num_rows == 2
    whole = ledger_2024.skipped().filter(line=0)
    skipped_names = sorted(Path(p).name for p in whole.column("path"))
    assert skipped_names == ["export-values_1990-2023.csv", "import-values_1990-2023.csv"]


def test_read_bytes_matches_read_path(path_2026: Path, ledger_2026: pb.Ledger) -> None:
    led = pb.read_sipri_bytes(path_2026.read_bytes(), path_2026.name)
    assert len(led) == len(ledger_2026)
    assert led.total(1995, 2024) == pytest.approx(ledger_2026.total(1995, 2024))
    assert led.report().column("path") == [path_2026.name]


# -- fact-sheet tables (2022 tables) -----------------------------------------------------------


@pytest.fixture(scope="module")
def importers_2022(ledger_2022: pb.Ledger) -> pb.Table:
    return ledger_2022.importers(2016, 2020, top=10, compare=(2011, 2015))


def test_importers_layout(importers_2022: pb.Table) -> None:
    assert importers_2022.num_rows == 10
    assert importers_2022.column_names == [
        "rank", "recipient", "tiv", "share", "tiv_compare", "share_compare", "change_pct",
        "supplier_1", "supplier_1_share", "supplier_2", "supplier_2_share", "supplier_3", "supplier_3_share",
    ]  # fmt: skip
    assert importers_2022.column("rank") == list(range(1, 11))


def test_importers_2016_2020(importers_2022: pb.Table) -> None:
    assert importers_2022.column("recipient")[:2] == ["Saudi Arabia", "India"]
    sa = row(importers_2022, recipient="Saudi Arabia")
    assert sa["share"] == pytest.approx(0.114, abs=0.0005)
    india = row(importers_2022, recipient="India")
    assert india["share"] == pytest.approx(0.098, abs=0.0005)
    assert india["share_compare"] == pytest.approx(0.141, abs=0.0005)
    assert india["change_pct"] < 0  # India's imports fell from 2011-15 to 2016-20
    assert india["supplier_1"] == "Russia"
    assert india["supplier_1_share"] == pytest.approx(0.543, abs=0.005)
    china = row(importers_2022, recipient="China")
    assert china["supplier_1"] == "Russia"
    assert china["supplier_1_share"] == pytest.approx(0.773, abs=0.005)
    assert china["supplier_2"] == "France"
    assert china["supplier_2_share"] == pytest.approx(0.102, abs=0.005)


def test_exporters_2016_2020(ledger_2022: pb.Ledger) -> None:
    t = ledger_2022.exporters(2016, 2020, top=5)
    assert t.column("supplier")[:2] == ["United States", "Russia"]
    assert row(t, supplier="United States")["share"] == pytest.approx(0.365, abs=0.0015)
    assert row(t, supplier="Russia")["share"] == pytest.approx(0.207, abs=0.0015)
    assert row(t, supplier="Germany")["share"] == pytest.approx(0.055, abs=0.0015)
    assert "tiv_compare" not in t


@pytest.mark.parametrize(
    "name, us_share, china_from_russia",
    [("ledger_2024", 0.363, 0.770), ("ledger_2026", 0.362, 0.763)],
)
def test_later_vintages(name: str, us_share: float, china_from_russia: float, request: pytest.FixtureRequest) -> None:
    led: pb.Ledger = request.getfixturevalue(name)
    assert row(led.exporters(2016, 2020, top=3), supplier="United States")["share"] == pytest.approx(
        us_share, abs=0.0015
    )
    sup = led.suppliers("China", 2016, 2020)
    assert row(sup, supplier="Russia")["share"] == pytest.approx(china_from_russia, abs=0.0015)


def test_shares_are_of_the_whole_world(ledger_2022: pb.Ledger) -> None:
    by_s = ledger_2022.by_supplier(2016, 2020)
    total = ledger_2022.total(2016, 2020)
    assert sum(by_s.column("tiv")) == pytest.approx(total)
    assert sum(by_s.column("share")) == pytest.approx(1.0)
    by_r = ledger_2022.by_recipient(2016, 2020)
    assert sum(by_r.column("tiv")) == pytest.approx(total)
    by_d = ledger_2022.by_dyad(2016, 2020)
    assert sum(by_d.column("tiv")) == pytest.approx(total)
    world = ledger_2022.world(start=2016, end=2020)
    assert world.column("year") == [2016, 2017, 2018, 2019, 2020]
    assert sum(world.column("tiv")) == pytest.approx(total)
    # unknown suppliers and non-state actors count in the world total
    kinds = {a["name"]: a["kind"] for a in ledger_2022.actors()}
    assert {kinds[s] for s in by_s.column("supplier")} >= {"state", "unknown"}


# -- dyads, partners, series -------------------------------------------------------------------


def test_dyad_russia_china(ledger_2022: pb.Ledger) -> None:
    d = ledger_2022.dyad("Russia", "China")
    assert d.column_names == [
        "year",
        "tiv",
        "share_of_supplier_exports",
        "share_of_recipient_imports",
        "supplier_exports",
        "recipient_imports",
    ]  # fmt: skip
    assert d.column("year")[0] == 1950 and d.column("year")[-1] == 2021
    assert row(d, year=2005)["tiv"] == 3077
    assert row(d, year=2018)["share_of_supplier_exports"] == pytest.approx(0.249, abs=0.0005)
    assert row(d, year=2006)["share_of_supplier_exports"] == pytest.approx(0.478, abs=0.0005)
    window = ledger_2022.dyad("Russia", "China", start=2000, end=2009)
    assert window.num_rows == 10
    assert max(window.column("tiv")) == 3077
    assert ledger_2022.dyad("Russia", "China", start=2019).column("year") == [2019, 2020, 2021]


def test_soviet_union_and_russia_are_separate(ledger_2022: pb.Ledger) -> None:
    assert ledger_2022.resolve("Soviet Union") != ledger_2022.resolve("Russia")
    early = ledger_2022.dyad("Russia", "China", start=1985, end=1991)
    assert all(t == 0 for t in early.column("tiv"))
    soviet = ledger_2022.dyad("Soviet Union", "China", start=1990, end=1990)
    assert soviet.column("tiv")[0] > 0


def test_follow_succession_merges(ledger_2022: pb.Ledger) -> None:
    before = row(ledger_2022.dyad("Russia", "China", start=1990, end=1990), year=1990)["tiv"]
    merged = ledger_2022.follow_succession()
    after = row(merged.dyad("Russia", "China", start=1990, end=1990), year=1990)["tiv"]
    soviet = row(ledger_2022.dyad("Soviet Union", "China", start=1990, end=1990), year=1990)["tiv"]
    assert before == 0 and after > 0 and after == pytest.approx(soviet)
    assert len(merged) == len(ledger_2022)
    assert merged.total(1950, 2021) == pytest.approx(ledger_2022.total(1950, 2021))
    # the original ledger is unchanged
    assert row(ledger_2022.dyad("Russia", "China", start=1990, end=1990), year=1990)["tiv"] == 0


def test_spellings_give_the_same_results(ledger_2022: pb.Ledger, ledger_2024: pb.Ledger) -> None:
    for led in (ledger_2022, ledger_2024):
        assert led.resolve("Turkey") == led.resolve("Turkiye") == led.resolve("turkiye") == "Turkiye"
        assert led.series("Turkey") == led.series("Turkiye")
        assert led.suppliers("Turkey", 2010, 2020) == led.suppliers("Turkiye", 2010, 2020)
        assert led.dyad("United States", "Turkey") == led.dyad("USA", "Turkiye")
    assert ledger_2022.series("Turkey", start=2016, end=2020).column("imports")[0] > 0


def test_partners(ledger_2022: pb.Ledger) -> None:
    cl = ledger_2022.clients("Russia", 2016, 2020)
    assert cl.column_names == ["rank", "recipient", "tiv", "share"]
    assert cl.column("recipient")[:2] == ["India", "China"]
    assert sum(cl.column("share")) == pytest.approx(1.0)
    sup = ledger_2022.suppliers("India", 2016, 2020)
    assert sup.column("supplier")[0] == "Russia"


def test_series(ledger_2022: pb.Ledger) -> None:
    s = ledger_2022.series("India", start=2016, end=2020)
    assert s.column_names == [
        "year", "exports", "imports", "net_exports", "share_of_world_exports", "share_of_world_imports", "world",
    ]  # fmt: skip
    share = sum(s.column("imports")) / sum(s.column("world"))
    assert share == pytest.approx(0.098, abs=0.0005)
    for r in s:
        assert r["net_exports"] == pytest.approx(r["exports"] - r["imports"])


def test_unknown_actor(ledger_2022: pb.Ledger) -> None:
    with pytest.raises(UnknownActorError) as info:
        ledger_2022.dyad("Rusia", "China")
    e = info.value
    assert e.name == "Rusia"
    assert "Russia" in e.suggestions
    assert "Rusia" in str(e) and "Russia" in str(e)
    assert not str(e).startswith("'")  # not KeyError's quoting
    assert isinstance(e, KeyError) and isinstance(e, pb.errors.PowerbalanceError)
    with pytest.raises(UnknownActorError):
        pb.actor("Atlantis")


def test_registry() -> None:
    a = pb.actor("USR")
    assert a["name"] == "Soviet Union" and a["successor"] == "Russia" and a["iso3"] == "SUN"
    ru = pb.actor("russian federation")
    assert ru["name"] == "Russia" and ru["predecessor"] == "Soviet Union" and ru["cow_code"] == 365
    assert "Turkey" in pb.actor("Turkiye")["aliases"]
    t = pb.actors()
    assert t.num_rows > 250
    assert {"name", "kind", "cow_code", "iso3"} <= set(t.column_names)


def test_version() -> None:
    assert pb.__version__ and pb.__version__[0].isdigit()


def test_public_api_is_documented() -> None:
    for name in pb.__all__:
        obj = getattr(pb, name)
        if callable(obj) and not isinstance(obj, str):
            assert obj.__doc__, name
    for name in dir(pb.Ledger):
        if not name.startswith("_"):
            assert getattr(pb.Ledger, name).__doc__, name
    for name in ("importers", "exporters", "dyad", "by_supplier", "by_recipient", "by_dyad", "series", "world"):
        doc = getattr(pb.Ledger, name).__doc__
        assert "Wezeman" in doc or "SIPRI" in doc, name
        assert "Examples" in doc and "Returns" in doc, name


def _public_callables() -> List[Any]:
    """The functions and methods of the data modules (h4's part of the convention)."""
    import inspect

    out: List[Any] = []
    for mod in (pb, pb.ledger, pb.capabilities, pb.metrics, pb.panels, pb.table):
        for attr in getattr(mod, "__all__", []):
            obj = getattr(mod, attr)
            if inspect.isclass(obj):
                out += [(f"{attr}.{m}", f) for m, f in vars(obj).items() if inspect.isfunction(f) and m[0] != "_"]
            elif inspect.isfunction(obj):
                out.append((attr, obj))
    return out


def test_optional_periods_default_to_none_and_quantities_are_measure() -> None:
    """One convention (issue 12): an optional ``start``/``end`` is None (the data's own first or
    last year), never a year written into the signature; the quantity a method reads is
    ``measure=`` (not ``series``, ``estimate`` or ``kind``); the thin classes have examples."""
    import inspect

    found = _public_callables()
    assert len(found) > 80
    for name, fn in found:
        sig = inspect.signature(fn)
        for p in ("start", "end"):
            if p in sig.parameters:
                default = sig.parameters[p].default
                assert default is inspect.Parameter.empty or default is None, f"{name}{sig}"
        # a chart's `kind` is the kind of mark drawn (line, bar), not a quantity read from the data
        quantity_names = {"series", "estimate"} if name.endswith("chart") else {"series", "estimate", "kind"}
        assert not quantity_names & set(sig.parameters), f"{name}{sig}"
    for cls in (pb.Capabilities, pb.StateList, pb.MilitaryExpenditure, pb.Maddison, pb.SdpGdp, pb.Alliances,
                pb.IdealPoints, pb.panels.AllianceYears, pb.Table, pb.Ledger):
        assert "Examples" in (cls.__doc__ or ""), cls.__name__
        for m, f in vars(cls).items():
            if inspect.isfunction(f) and m[0] != "_":
                assert f.__doc__ and len(f.__doc__.strip().splitlines()) > 0, f"{cls.__name__}.{m}"


# -- command line ----------------------------------------------------------------------------


def cli(*args: str) -> "subprocess.CompletedProcess[str]":
    return subprocess.run([sys.executable, "-m", "powerbalance", *args], capture_output=True, text=True, timeout=120)


def test_cli_sipri(path_2026: Path) -> None:
    r = cli("sipri", str(path_2026))
    assert r.returncode == 0, r.stderr
    assert "trade-register" in r.stdout
    assert "2020-2024" in r.stdout and "India" in r.stdout


def test_cli_version() -> None:
    r = cli("version")
    assert r.returncode == 0 and r.stdout.strip() == pb.__version__


def test_cli_errors(tmp_path: Path) -> None:
    r = cli("sipri")  # missing PATH: argparse names the subcommand
    assert r.returncode == 2 and re.search(r"^powerbalance( sipri)?: error: .*PATH", r.stderr, re.M), r.stderr
    r = cli("frobnicate")
    assert r.returncode == 2 and "powerbalance: error:" in r.stderr and "frobnicate" in r.stderr
    r = cli("sipri", str(tmp_path / "missing.csv"))
    assert r.returncode == 2 and r.stderr.startswith("powerbalance: error:") and "missing.csv" in r.stderr
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    r = cli("sipri", str(empty))
    assert r.returncode == 2 and "empty" in r.stderr and "Traceback" not in r.stderr


def test_cli_passes_arguments_to_a_module_with_its_own_main(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import types

    import powerbalance.cli as cli_pkg

    seen: List[Sequence[str]] = []

    def fake_main(argv: Optional[Sequence[str]] = None) -> int:
        seen.append(list(argv or []))
        if argv and "--fail" in argv:
            raise pb.errors.InvalidArgumentError("no such thing")
        return 0

    mod = types.ModuleType("fake_cmd", "Fake: a command with its own parser.")
    mod.main = fake_main  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fake_cmd", mod)
    monkeypatch.setitem(cli_pkg.COMMANDS, "fake", "fake_cmd")
    assert cli_pkg.main(["fake", "--out", "x", "-h"]) == 0
    assert seen == [["--out", "x", "-h"]]
    assert cli_pkg.main(["fake", "--fail"]) == 2
    assert "powerbalance: error: no such thing" in capsys.readouterr().err


def test_cli_main_in_process(path_2026: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from powerbalance.__main__ import main

    assert main(["sipri", str(path_2026), "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "Top 3 importers" in out
    assert main(["sipri", str(path_2026), "--top", "0"]) == 2


# -- the command line on odd arguments: one line, an exit status, never a traceback -------------


def _no_traceback(r: "subprocess.CompletedProcess[str]", status: int, *needles: str) -> None:
    assert r.returncode == status, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) >= 1 and lines[-1].startswith("powerbalance"), r.stderr
    for n in needles:
        assert n in r.stderr, (n, r.stderr)


@pytest.mark.parametrize(
    "args, status, needles",
    [
        (["frobnicate"], 2, ["invalid choice: 'frobnicate'"]),
        ([], 2, ["COMMAND"]),
        (["sipri", "{tmp}/missing.csv"], 2, ["missing.csv: No such file or directory"]),
        (["sipri", "{tmp}/folder"], 2, ["folder"]),
        (["sipri", "--top", "99999999999999999999", "{tmp}/x.csv"], 2, ["--top must be between 1 and"]),
        (["sipri", "--top", "ten", "{tmp}/x.csv"], 2, ["invalid int value"]),
        (["run", "{tmp}/folder"], 2, ["folder: Is a directory"]),
        (["run", "{tmp}/missing.rhai"], 2, ["missing.rhai: No such file or directory"]),
        (["run", "{tmp}/latin1.rhai"], 2, ["latin1.rhai:2:8: the script is not UTF-8 text (byte 0xe9)"]),
        (["run", "{tmp}/ok.rhai", "--data", "{tmp}/nowhere"], 2, ["--data", "nowhere: not a folder"]),
        (["run", "{tmp}/ok.rhai", "--data", "{tmp}/ok.rhai"], 2, ["not a folder"]),
        (["run", "{tmp}/ok.rhai", "--scenario", "{tmp}/folder"], 2, ["Is a directory"]),
        (["run", "{tmp}/ok.rhai", "--scenario", "{tmp}/ok.rhai"], 2, ["not a scenario"]),
        (["run", "{tmp}/ok.rhai", "--max-wall-time", "nan"], 2, ["max_wall_time"]),
        (["run", "{tmp}/\udcff.rhai"], 2, ["No such file or directory"]),
        (["version", "extra"], 2, ["unrecognized arguments: extra"]),
        (["replicate", "--out", "{tmp}/ok.rhai", "--offline"], 2, ["refusing to write the report", "not a folder"]),
    ],
)
def test_cli_odd_arguments(tmp_path: Path, args: List[str], status: int, needles: List[str]) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "ok.rhai").write_text("40 + 2\n")
    (tmp_path / "latin1.rhai").write_bytes("// a script\nlet caf\xe9 = 1;\n".encode("latin-1"))
    argv = [os.fsencode(a.replace("{tmp}", str(tmp_path))) for a in args]
    r = subprocess.run(
        [sys.executable, "-m", "powerbalance", *map(os.fsdecode, argv)],
        capture_output=True,
        text=True,
        timeout=120,
        errors="backslashreplace",
    )
    _no_traceback(r, status, *needles)


def test_cli_non_utf8_output_path(tmp_path: Path) -> None:
    """A non-UTF-8 file name (surrogates in Python) reaches the file system and prints."""
    name = os.fsdecode(b"r\xe9sultat.rhai")
    (tmp_path / name).write_text("6 * 7\n")
    r = subprocess.run(
        [sys.executable, "-m", "powerbalance", "run", str(tmp_path / name)], capture_output=True, timeout=120
    )
    assert r.returncode == 0 and r.stdout.strip() == b"42", r


def _default_sigint() -> None:
    # The child must get Python's KeyboardInterrupt even when this test runs with SIGINT
    # ignored (background jobs, nohup, some CI): restore the default before exec.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_cli_ctrl_c_exits_130_with_one_line(tmp_path: Path) -> None:
    script = tmp_path / "forever.rhai"
    # each operation does real work (a 1,000-element array), so the operations limit (50 M) is
    # not reached before the signal on a fast machine; only the wall time (60 s) could stop it
    script.write_text("let x = 0;\nloop { let a = []; a.pad(1000, 0); x += a.len(); }\n")
    p = subprocess.Popen(
        [sys.executable, "-m", "powerbalance", "run", str(script), "--max-wall-time", "60"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_default_sigint,
    )
    time.sleep(2.0)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=30)
    assert p.returncode == 130, (p.returncode, err)
    assert err.strip() == f"{script}: interrupted", err


def test_cli_ctrl_c_and_bugs_in_any_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse
    import types

    import powerbalance.cli as cli_pkg

    def make(exc: BaseException) -> types.ModuleType:
        mod = types.ModuleType("fake_cmd")
        mod.HELP = "fake"  # type: ignore[attr-defined]
        mod.add_arguments = lambda p: None  # type: ignore[attr-defined]

        def run(args: argparse.Namespace) -> int:
            raise exc

        mod.run = run  # type: ignore[attr-defined]
        return mod

    monkeypatch.setitem(cli_pkg.COMMANDS, "fake", "fake_cmd")
    monkeypatch.delenv("POWERBALANCE_TRACEBACK", raising=False)
    cases = [
        (KeyboardInterrupt(), 130, "powerbalance: interrupted\n"),
        (pb.errors.InvalidArgumentError("bad value\nsecond line"), 2, "powerbalance: error: bad value second line\n"),
        (
            FileNotFoundError(2, "No such file or directory", "/x/y.csv"),
            2,
            "powerbalance: error: /x/y.csv: No such file or directory\n",
        ),
        (
            UnicodeDecodeError("utf-8", b"ab\xff", 2, 3, "invalid start byte"),
            2,
            "powerbalance: error: not UTF-8 text: byte 0xff at offset 2\n",
        ),
        (
            TypeError("a bug"),
            3,
            "powerbalance: internal error: TypeError: a bug "
            "(set POWERBALANCE_TRACEBACK=1 to see where; please report it)\n",
        ),
    ]
    for exc, status, err in cases:
        monkeypatch.setitem(sys.modules, "fake_cmd", make(exc))
        assert cli_pkg.main(["fake"]) == status
        assert capsys.readouterr().err == err
    monkeypatch.setenv("POWERBALANCE_TRACEBACK", "1")
    monkeypatch.setitem(sys.modules, "fake_cmd", make(TypeError("a bug")))
    with pytest.raises(TypeError):
        cli_pkg.main(["fake"])
