"""``powerbalance replicate``: recompute the paper's table, figures and claims into a report.

Writes into ``--out`` (default ``report/``):

``report.md``
    the report: Table 1 beside the data, Figure 1, the balance and UN-voting figures, every
    claim with the paper's words and a verdict per data release, and where the verdict changes
    between releases;
``table1_comparison.csv``, ``claims.csv``
    the tables behind it;
``figure1_russia_china.png``, ``balance_shares.png``, ``un_voting.png``
    the figures;
``.powerbalance-report.json``
    the manifest: what this command wrote, so that a second run may replace it.

Data: the data sets of :data:`powerbalance.paper.DATASETS`, in the data home (``--data-home``,
else ``POWERBALANCE_DATA``, else the user data home). Those missing are fetched into the data
home first (checked, atomic, with a progress bar) unless ``--offline``; the folder named by
``POWERBALANCE_DATA`` is read-only to powerbalance and is never written.

The report folder is written safely:

- a folder that is not empty and holds no manifest of this command is refused, and so is a
  manifest that names a file outside the folder;
- a symlink as the folder itself or in it is refused (nothing is written through one);
- every file is written to a temporary file in the folder and renamed over its target, and
  the manifest last, so an interrupted run leaves the previous report whole; files of the
  previous report that this run does not write again are removed.

Exit status: 0 when the report is written; 1 when data are missing and cannot be had (one line
naming the data sets and the command that fetches them); 2 on a refused report folder or any
other error (one line, ``powerbalance: error: ...``); 143 when stopped by SIGTERM (nothing
half-written is left: no ``.part`` file in the data home, no staging folder in the report's).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import pyarrow as pa
import pyarrow.csv as pacsv

from ..errors import PowerbalanceError

HELP = "replicate the paper: its table, figures and claims, with verdicts, into a report"

MANIFEST = ".powerbalance-report.json"
"""The report folder's manifest: the files this command wrote there."""

_MANIFEST_TOOL = "powerbalance replicate"

_STAGING_PREFIX = ".powerbalance-staging-"


class ReportFolderError(PowerbalanceError, OSError):
    """The report folder cannot be written safely (not ours, a symlink, not a folder)."""


SOURCE_LINE = "Source: SIPRI Arms Transfers Database (TIV, millions); powerbalance replication"


def _md_table(rows: List[Dict[str, Any]], columns: Sequence[str]) -> str:
    def cell(x: Any) -> str:
        if x is None:
            return ""
        if isinstance(x, float):
            return f"{x:,.1f}"
        return str(x).replace("|", "/").replace("\n", " ")

    out = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    out += ["| " + " | ".join(cell(r.get(c)) for c in columns) + " |" for r in rows]
    return "\n".join(out)


def figure1(ledgers: Dict[str, Any], path: Path) -> List[str]:
    """Plot Russia's (the Soviet Union's before 1992) deliveries to China, 1987-2016.

    Returns the lines of text the report prints about it (computed from the series).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.2), dpi=120)
    lines = []
    for label, L in ledgers.items():
        span = L.span
        if span is None or span[0] > 1987:
            lines.append(f"- {label} release: starts in {span[0] if span else '-'}, cannot draw 1987-2016")
            continue
        merged = L.follow_succession()
        t = pa.table(merged.dyad("Russia", "China", start=1987, end=2016)).to_pylist()
        years = [r["year"] for r in t]
        tiv = [r["tiv"] for r in t]
        ax.plot(years, tiv, marker="o", ms=3, label=f"SIPRI release {label}")
        peak = max(t, key=lambda r: r["tiv"])
        su = sum(r["tiv"] for r in t if r["year"] <= 1991)
        lines.append(
            f"- {label} release: peak {peak['tiv']:,.0f} m in {peak['year']}; Soviet deliveries 1987-91 "
            f"{su:,.0f} m; 1992-2016 mean {sum(r['tiv'] for r in t if r['year'] >= 1992) / 25:,.0f} m/yr"
        )
    ax.axvline(1991.5, color="grey", lw=0.8, ls="--")
    ax.text(1991.6, ax.get_ylim()[1] * 0.95, "Soviet Union | Russia", fontsize=8, color="grey", va="top")
    ax.set_xlabel("Year of delivery")
    ax.set_ylabel("TIV (millions, constant 1990 prices)")
    ax.set_title("Figure 1: exports of major arms by Russia to China, 1987-2016")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.text(0.01, 0.01, SOURCE_LINE + "; the Soviet Union before 1992", fontsize=7, color="dimgrey")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    fig.savefig(path)
    plt.close(fig)
    return lines


def figure_balance(home: Path, path: Path) -> List[str]:
    """Shares of the US, China and Russia in their combined CINC (NMC 6.0) and military
    expenditure (SIPRI, constant US$), 1992 on. Returns the report's lines about it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from powerbalance import capabilities as cp

    big3 = ("United States", "China", "Russia")
    from powerbalance import datasets

    nmc = cp.read_nmc(datasets.path("cow-nmc-v6", data_home=home))
    mx = cp.read_milex(datasets.path("sipri-milex", data_home=home))
    cinc: Dict[str, Dict[int, float]] = {a: {} for a in big3}
    for y in range(1992, nmc.coverage[1] + 1):
        for r in pa.table(nmc.shares(y, list(big3), "cinc")).to_pylist():
            cinc[r["actor"]][y] = r["share_of_group"]
    spend: Dict[str, Dict[int, float]] = {a: {} for a in big3}
    for r in pa.table(mx.table("constant", 1992, 2024)).to_pylist():
        if r["actor"] in spend and r["value"] is not None:
            spend[r["actor"]][r["year"]] = r["value"]
    years = sorted(set.intersection(*(set(v) for v in spend.values())))
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), dpi=120, sharey=True)
    for a in big3:
        axes[0].plot(sorted(cinc[a]), [100 * cinc[a][y] for y in sorted(cinc[a])], label=a)
        tot = [sum(spend[b][y] for b in big3) for y in years]
        axes[1].plot(years, [100 * spend[a][y] / t for y, t in zip(years, tot)], label=a)
    axes[0].set_title("CINC (COW NMC 6.0)")
    axes[1].set_title("Military expenditure (SIPRI, constant 2023 US$)")
    for ax in axes:
        ax.set_xlabel("Year")
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("Per cent of the three's total")
    axes[1].legend(fontsize=8)
    fig.suptitle("The US, China and Russia: shares of their combined capabilities")
    fig.text(0.01, 0.01, "Sources: COW National Material Capabilities 6.0; SIPRI Military Expenditure Database", fontsize=7, color="dimgrey")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    fig.savefig(path)
    plt.close(fig)
    y0 = max(cinc["Russia"])
    ym = years[-1]
    return [
        f"- CINC {y0}: US {100 * cinc['United States'][y0]:.1f}%, China {100 * cinc['China'][y0]:.1f}%, Russia {100 * cinc['Russia'][y0]:.1f}% of the three",
        f"- Military expenditure {ym}: US {100 * spend['United States'][ym] / sum(spend[b][ym] for b in big3):.1f}%, "
        f"China {100 * spend['China'][ym] / sum(spend[b][ym] for b in big3):.1f}%, Russia {100 * spend['Russia'][ym] / sum(spend[b][ym] for b in big3):.1f}%",
    ]


def figure_voting(home: Path, path: Path) -> List[str]:
    """UN General Assembly ideal-point distances of the three pairs, 1971 on."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from powerbalance import capabilities as cp
    from powerbalance import datasets

    ip = cp.read_ideal_points(datasets.path("un-ideal-points", data_home=home))
    pairs = [("China", "Russia"), ("Russia", "United States"), ("United States", "China")]
    fig, ax = plt.subplots(figsize=(8, 4), dpi=120)
    lines = []
    for a, b in pairs:
        t = [r for r in pa.table(ip.distance(a, b, start=1971, end=2024)).to_pylist() if r["distance"] is not None]
        ax.plot([r["year"] for r in t], [r["distance"] for r in t], label=f"{a} - {b}")
        lines.append(f"- {a} - {b}: distance {t[0]['distance']:.2f} in {t[0]['year']}, {t[-1]['distance']:.2f} in {t[-1]['year']}")
    ax.axhline(1.0, color="grey", ls="--", lw=0.8)
    ax.set_xlabel("Year")
    ax.set_ylabel("Ideal-point distance (UN General Assembly votes)")
    ax.set_title("How far apart the three vote in the UN")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.text(0.01, 0.01, "Source: Bailey, Strezhnev & Voeten, UN ideal points (July 2025)", fontsize=7, color="dimgrey")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    fig.savefig(path)
    plt.close(fig)
    return lines



# ---------------------------------------------------------------------------------------------
# the report folder


def _refuse(out: Path, why: str) -> ReportFolderError:
    return ReportFolderError(f"refusing to write the report into {out}: {why}")


def _read_manifest(out: Path) -> Optional[List[str]]:
    """The files the manifest in ``out`` lists (None when there is no manifest); checks it."""
    m = out / MANIFEST
    if not os.path.lexists(m):
        return None
    if m.is_symlink() or not m.is_file():
        raise _refuse(out, f"{MANIFEST} is not a regular file")
    try:
        data = json.loads(m.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise _refuse(out, f"{MANIFEST} is not a manifest of {_MANIFEST_TOOL} ({e})") from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("tool") != _MANIFEST_TOOL or not isinstance(files, list):
        raise _refuse(out, f"{MANIFEST} is not a manifest of {_MANIFEST_TOOL}")
    for f in files:
        if not isinstance(f, str) or not f or f in (".", "..", MANIFEST) or "/" in f or "\\" in f or "\0" in f:
            raise _refuse(out, f"{MANIFEST} names {f!r}, not a file of the folder")
    return list(files)


def check_report_folder(out: Path) -> List[str]:
    """Check that ``out`` may receive the report; return the files of the previous report there.

    ``out`` may be missing, empty, or hold a previous report of this command (its manifest).
    Raises :class:`ReportFolderError` when ``out`` or an entry in it is a symlink, when ``out``
    is not a folder, or when it holds files and no manifest.
    """
    if out.is_symlink():
        raise _refuse(out, "it is a symlink (pass the folder it points to, if that is meant)")
    if not out.exists():
        return []
    if not out.is_dir():
        raise _refuse(out, "it exists and is not a folder")
    entries = sorted(os.listdir(out))
    links = [e for e in entries if (out / e).is_symlink()]
    if links:
        raise _refuse(out, f"it holds symlinks ({', '.join(links[:5])}); powerbalance never writes through one")
    previous = _read_manifest(out)
    # a staging folder left by a killed run is this command's own; it is removed on commit
    entries = [e for e in entries if not (e.startswith(_STAGING_PREFIX) and (out / e).is_dir())]
    if previous is None and entries:
        shown = ", ".join(entries[:5]) + (", ..." if len(entries) > 5 else "")
        raise _refuse(out, f"it is not empty ({shown}) and holds no report of {_MANIFEST_TOOL} "
                           f"(no {MANIFEST}); choose a new or empty folder")
    return previous or []


def _atomic_write_bytes(dest: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    except BaseException:
        if os.path.lexists(tmp):
            os.unlink(tmp)
        raise


class _Staging:
    """Files of a report built in a hidden folder inside ``out``, moved into place by :meth:`commit`."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.dir = Path(tempfile.mkdtemp(dir=out, prefix=_STAGING_PREFIX))
        self.names: List[str] = []

    def path(self, name: str) -> Path:
        """Where to write ``name`` now; it becomes ``out/name`` on :meth:`commit`."""
        if name not in self.names:
            self.names.append(name)
        return self.dir / name

    def write_text(self, name: str, text: str) -> None:
        self.path(name).write_text(text, encoding="utf-8")

    def write_csv(self, name: str, table: Any) -> None:
        """Write a table as CSV (through a Python file object: any path the OS takes works)."""
        with open(self.path(name), "wb") as fh:
            pacsv.write_csv(pa.table(table), fh)

    def commit(self, previous: Sequence[str]) -> None:
        """Check the folder again, rename every staged file over its target, remove the files of
        the previous report not written again, and write the manifest last."""
        entries = set(os.listdir(self.out))
        for name in self.names:
            target = self.out / name
            if target.is_symlink():
                raise _refuse(self.out, f"{name} became a symlink while the report was built")
            if name in entries and name not in previous:
                raise _refuse(self.out, f"{name} appeared while the report was built; it is not this command's")
        for name in self.names:
            src = self.dir / name
            os.chmod(src, 0o644)
            with open(src, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(src, self.out / name)
        for name in previous:
            if name not in self.names and os.path.lexists(self.out / name) and not (self.out / name).is_symlink() \
                    and (self.out / name).is_file():
                os.unlink(self.out / name)
        for e in os.listdir(self.out):  # staging folders of killed runs
            if e.startswith(_STAGING_PREFIX) and self.out / e != self.dir and (self.out / e).is_dir() \
                    and not (self.out / e).is_symlink():
                shutil.rmtree(self.out / e, ignore_errors=True)
        import powerbalance

        manifest = {"tool": _MANIFEST_TOOL, "version": powerbalance.__version__, "files": list(self.names)}
        _atomic_write_bytes(self.out / MANIFEST, (json.dumps(manifest, indent=1) + "\n").encode("utf-8"))

    def cleanup(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# the report


def _verdict_changes(crow: List[Dict[str, Any]]) -> List[str]:
    out: List[str] = []
    by: Dict[str, Dict[str, str]] = {}
    for r in crow:
        by.setdefault(r["id"], {})[r["vintage"]] = r["verdict"]
    for cid, vv in by.items():
        kinds = set(vv.values())
        out.append(f"- {cid}: " + ("changes: " if len(kinds) > 1 else "same in every release: ")
                   + ", ".join(f"{k} {v}" for k, v in vv.items()))
    return out


def build(stage: _Staging, home: Path) -> Tuple[int, Dict[str, int]]:
    """Write the report's files into ``stage`` from the data in ``home``; return the number of
    claim rows and the verdict counts."""
    import powerbalance as pb

    from . import importers, verdicts

    md: List[str] = ["# Replication report", "", f"Paper: {importers.PAPER_CITATION}.", ""]
    vs = verdicts.vintages(home)
    ledgers = {v.label: pb.read_sipri(v.path) for v in vs}
    md += ["Data: " + "; ".join(f"{v.label}: `{v.dataset}` ({v.description})" for v in vs) + ".", ""]

    # Table 1
    md += ["## Table 1: the 40 largest importers, 2016-20", ""]
    cmp = importers.compare_table1(ledgers["2022"], totals=ledgers["2021"])
    stage.write_csv("table1_comparison.csv", cmp)
    rows = pa.table(cmp).to_pylist()
    same10 = all(r["computed_rank"] == r["position"] for r in rows if r["position"] <= 10)
    diff = [r for r in rows if r["differs"]]
    md += [
        "Computed from the 2022 TIV tables (the closest release with suppliers by recipient) "
        "and the 2021 import totals (the paper's own release).",
        f"The top ten importers and their order {'agree' if same10 else 'do NOT agree'} with the paper. "
        f"{len(diff)} of {len(rows)} rows differ by more than 0.1 percentage point in a share.",
        "",
        "```",
        importers.format_comparison(cmp),
        "```",
        "",
    ]

    # Figure 1
    md += ["## Figure 1: Russia's exports of major arms to China, 1987-2016", ""]
    fig_lines = figure1({k: v for k, v in ledgers.items() if k != "2021"}, stage.path("figure1_russia_china.png"))
    md += ["![Figure 1](figure1_russia_china.png)", ""] + fig_lines + [""]

    # The balance among the three, and their alignment
    md += ["## The balance among the US, China and Russia", "", "![Capability shares](balance_shares.png)", ""]
    md += figure_balance(home, stage.path("balance_shares.png")) + [""]
    md += ["## Alignment in UN voting", "", "![UN voting distances](un_voting.png)", ""]
    md += figure_voting(home, stage.path("un_voting.png")) + [""]

    # Claims
    ct = verdicts.evaluate(home, ledgers=ledgers)
    stage.write_csv("claims.csv", ct)
    crow = pa.table(ct).to_pylist()
    md += ["## Every claim of the paper", "",
           "Each claim in the paper's words (from the paper's claims file), the paper's figure, ours, and the verdict.", "",
           _md_table(crow, ["id", "vintage", "claim", "paper_value", "computed_value", "verdict", "note"]), ""]
    md += ["### Does a verdict change between releases?", ""] + _verdict_changes(crow)
    counts: Dict[str, int] = {}
    for r in crow:
        counts[r["verdict"]] = counts.get(r["verdict"], 0) + 1
    md += ["", "Verdicts over all claim-release rows: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())), ""]
    stage.write_text("report.md", "\n".join(md) + "\n")
    return len(crow), counts


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--out``, ``--data-home``, ``--offline``, ``--no-progress``."""
    parser.add_argument("--out", metavar="DIR", default="report", help="folder for the report (default: report)")
    parser.add_argument(
        "--data-home",
        metavar="DIR",
        default=None,
        help="the data folder (default: $POWERBALANCE_DATA, else the user data home)",
    )
    parser.add_argument("--offline", action="store_true", help="never download: fail if a data set is missing")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar while fetching")


def run(args: argparse.Namespace) -> int:
    """Check the report folder, get the data, write the report; return the exit status.

    SIGTERM unwinds like Ctrl-C (:func:`powerbalance.cli.data.sigterm_unwinds`): a download in
    progress leaves no ``.part`` file and a report in progress no staging folder; exit 143.
    """
    from ..cli.data import Terminated, sigterm_unwinds

    try:
        with sigterm_unwinds():
            return _run(args)
    except Terminated:
        print("powerbalance replicate: stopped by SIGTERM; no partial file was left", file=sys.stderr)
        return 143


def _run(args: argparse.Namespace) -> int:
    from .. import datasets
    from .verdicts import DATASETS

    out = Path(args.out)
    previous = check_report_folder(out)
    try:
        home = datasets.require(
            DATASETS,
            data_home=args.data_home,
            fetch=not args.offline,
            progress=False if args.no_progress else None,
        )
    except datasets.DataUnavailableError as e:
        print(f"powerbalance replicate: {e}", file=sys.stderr)
        return 1
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    check_report_folder(out)  # again: it may have been swapped for a symlink meanwhile
    stage = _Staging(out)
    try:
        n, counts = build(stage, home)
        stage.commit(previous)
    except BaseException:
        stage.cleanup()
        if created:
            try:
                out.rmdir()
            except OSError:
                pass
        raise
    stage.cleanup()
    print(f"replicate: wrote {out / 'report.md'} ({n} claim rows; " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) + ")")
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    """``python -m powerbalance.paper.replicate``: the same as ``powerbalance replicate``."""
    from ..cli import main as cli_main

    return cli_main(["replicate", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
