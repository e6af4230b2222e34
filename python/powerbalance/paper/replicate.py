"""``powerbalance replicate``: recompute the paper's table, figures and claims into a report.

Writes into ``--out`` (default ``report/``):

``report.md``
    the report: a summary (the paper's question and the answer the data give, verdict counts
    per release), a legend, Table 1 beside the data, Figure 1, the balance and UN-voting
    figures, every claim with the paper's words, the paper's figure and ours per data release
    with the verdict and its reason, where a verdict changes between releases of the same data,
    and the references (every data set with its vintage);
``report.html``
    the same report as one self-contained HTML page: the figures embedded as base64 PNG, no
    external resource;
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
import base64
import html
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

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


# ---------------------------------------------------------------------------------------------
# one document, two renderings: Markdown (report.md) and a self-contained HTML page (report.html)

_INLINE = re.compile(r"\*\*(.+?)\*\*|`([^`]+)`")


def _html_inline(text: str) -> str:
    """Escape ``text`` for HTML and render its two inline marks, ``**bold**`` and ```code```."""
    out, pos = [], 0
    for m in _INLINE.finditer(text):
        out.append(html.escape(text[pos : m.start()], quote=False))
        if m.group(1) is not None:
            out.append(f"<strong>{html.escape(m.group(1), quote=False)}</strong>")
        else:
            out.append(f"<code>{html.escape(m.group(2), quote=False)}</code>")
        pos = m.end()
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


def _md_cell(x: Any) -> str:
    return "" if x is None else str(x).replace("|", "/").replace("\n", " ")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class Doc:
    """The report as a list of blocks, rendered as Markdown (:meth:`markdown`) and as one
    self-contained HTML page (:meth:`html`, figures embedded as base64 PNG, no external resource).

    Text may carry ``**bold**`` and ```code```; everything else is escaped in HTML.
    """

    def __init__(self) -> None:
        self.blocks: List[Tuple[str, Any]] = []

    def heading(self, level: int, text: str) -> None:
        self.blocks.append(("h", (level, text)))

    def para(self, text: str) -> None:
        self.blocks.append(("p", text))

    def quote(self, text: str) -> None:
        self.blocks.append(("quote", text))

    def bullets(self, items: Sequence[str]) -> None:
        if items:
            self.blocks.append(("ul", list(items)))

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        self.blocks.append(("table", (list(headers), [list(r) for r in rows])))

    def figure(self, name: str, alt: str, caption: str) -> None:
        self.blocks.append(("img", (name, alt, caption)))

    def markdown(self) -> str:
        out: List[str] = []
        for kind, x in self.blocks:
            if kind == "h":
                out += ["#" * x[0] + " " + x[1]]
            elif kind == "p":
                out += [x]
            elif kind == "quote":
                out += ["> " + x]
            elif kind == "ul":
                out += [f"- {i}" for i in x]
            elif kind == "table":
                headers, rows = x
                out += ["| " + " | ".join(_md_cell(h) for h in headers) + " |", "|" + "---|" * len(headers)]
                out += ["| " + " | ".join(_md_cell(c) for c in r) + " |" for r in rows]
            elif kind == "img":
                out += [f"![{x[1]}]({x[0]})", "", f"*{x[2]}*"]
            out.append("")
        return "\n".join(out)

    def html(self, title: str, images: Dict[str, bytes]) -> str:
        """The page; ``images`` maps every figure's file name to its PNG bytes (embedded)."""
        body: List[str] = []
        for kind, x in self.blocks:
            if kind == "h":
                body.append(f'<h{x[0]} id="{_slug(x[1])}">{_html_inline(x[1])}</h{x[0]}>')
            elif kind == "p":
                body.append(f"<p>{_html_inline(x)}</p>")
            elif kind == "quote":
                body.append(f"<blockquote>{_html_inline(x)}</blockquote>")
            elif kind == "ul":
                body.append("<ul>" + "".join(f"<li>{_html_inline(i)}</li>" for i in x) + "</ul>")
            elif kind == "table":
                headers, rows = x
                head = "".join(f"<th>{_html_inline(str(h))}</th>" for h in headers)
                trs = "".join(
                    "<tr>" + "".join(f"<td>{_html_inline(_md_cell(c))}</td>" for c in r) + "</tr>" for r in rows
                )
                body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{trs}</tbody></table>")
            elif kind == "img":
                name, alt, caption = x
                data = base64.b64encode(images[name]).decode("ascii")
                body.append(
                    f'<figure id="{_slug(name)}"><img src="data:image/png;base64,{data}" alt="{html.escape(alt)}">'
                    f"<figcaption>{_html_inline(caption)}</figcaption></figure>"
                )
        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
            + "\n".join(body)
            + "\n</body>\n</html>\n"
        )


_CSS = (
    "body{font-family:Georgia,serif;max-width:72rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#222}"
    "h1,h2,h3{font-family:Helvetica,Arial,sans-serif}h2{border-bottom:1px solid #ccc;margin-top:2.2rem}"
    "table{border-collapse:collapse;margin:0.8rem 0;font-size:0.85rem}"
    "th,td{border:1px solid #ccc;padding:0.25rem 0.45rem;vertical-align:top;text-align:left}"
    "th{background:#f1f1f1}tbody tr:nth-child(even){background:#fafafa}"
    "blockquote{margin:0.6rem 0;padding:0.3rem 0.9rem;border-left:4px solid #99b;background:#f6f6fb}"
    "figure{margin:1rem 0}img{max-width:100%;height:auto}figcaption{font-size:0.85rem;color:#555}"
    "code{font-size:0.9em;background:#f3f3f3;padding:0 0.2em}"
)


# ---------------------------------------------------------------------------------------------
# the figures

SOURCE_LINE = "Source: SIPRI Arms Transfers Database (TIV, millions); powerbalance replication"
_SOVIET = "the Soviet Union before 1992"


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _soviet_line(ax: Any) -> None:
    """A dotted line at the dissolution of the Soviet Union (between 1991 and 1992), labelled."""
    ax.axvline(1991.5, color="grey", lw=0.8, ls=":")
    ax.text(
        1991.3, 0.98, "Soviet Union", transform=ax.get_xaxis_transform(), fontsize=7, color="grey", ha="right", va="top"
    )
    ax.text(1991.7, 0.98, "Russia", transform=ax.get_xaxis_transform(), fontsize=7, color="grey", ha="left", va="top")


def figure1(ledgers: Dict[str, Any], path: Path) -> List[str]:
    """Plot Russia's (the Soviet Union's before 1992) deliveries to China, 1987-2016.

    Returns the lines of text the report prints about it (computed from the series).
    """
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 4.2), dpi=120)
    lines = []
    for label, L in ledgers.items():
        span = L.span
        if span is None or span[0] > 1987:
            lines.append(f"{label} release: starts in {span[0] if span else '-'}, cannot draw 1987-2016")
            continue
        merged = L.follow_succession()
        t = pa.table(merged.dyad("Russia", "China", start=1987, end=2016)).to_pylist()
        years = [r["year"] for r in t]
        tiv = [r["tiv"] for r in t]
        ax.plot(years, tiv, marker="o", ms=3, label=f"SIPRI release {label}")
        peak = max(t, key=lambda r: r["tiv"])
        su = sum(r["tiv"] for r in t if r["year"] <= 1991)
        lines.append(
            f"{label} release: peak {peak['tiv']:,.0f} m in {peak['year']}; Soviet deliveries 1987-91 "
            f"{su:,.0f} m; 1992-2016 mean {sum(r['tiv'] for r in t if r['year'] >= 1992) / 25:,.0f} m/yr"
        )
    _soviet_line(ax)
    ax.set_xlabel("Year of delivery")
    ax.set_ylabel("TIV (millions, constant 1990 prices)")
    ax.set_title("Figure 1: exports of major arms by Russia to China, 1987-2016")
    ax.legend(fontsize=8, loc="upper right")
    ax.grid(alpha=0.3)
    fig.text(0.01, 0.01, SOURCE_LINE + "; " + _SOVIET, fontsize=7, color="dimgrey")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    fig.savefig(path)
    plt.close(fig)
    return lines


_BIG3 = ("United States", "China", "Russia")
_COLOURS = {"United States": "tab:blue", "China": "tab:red", "Russia": "tab:green"}
BALANCE_YEARS = (1992, 2024)
"""The x range of both panels of the balance figure."""


def figure_balance(home: Path, path: Path) -> List[str]:
    """Shares of the US, China and Russia in their combined CINC (COW NMC 7.0; NMC 6.0 compared
    in the text) and military expenditure (SIPRI, constant US$), on one x range (:data:`BALANCE_YEARS`).
    Returns the report's lines about it."""
    plt = _pyplot()
    from powerbalance import capabilities as cp
    from powerbalance import datasets

    cinc: Dict[str, Dict[str, Dict[int, float]]] = {}
    for label, name in (("NMC 7.0", "cow-nmc-v7"), ("NMC 6.0", "cow-nmc-v6")):
        nmc = cp.read_nmc(datasets.path(name, data_home=home))
        cinc[label] = {a: {} for a in _BIG3}
        for y in range(BALANCE_YEARS[0], min(nmc.coverage[1], BALANCE_YEARS[1]) + 1):
            for r in pa.table(nmc.shares(y, list(_BIG3), "cinc")).to_pylist():
                cinc[label][r["actor"]][y] = r["share_of_group"]
    mx = cp.read_milex(datasets.path("sipri-milex", data_home=home))
    spend: Dict[str, Dict[int, float]] = {a: {} for a in _BIG3}
    for r in pa.table(mx.table("constant", *BALANCE_YEARS)).to_pylist():
        if r["actor"] in spend and r["value"] is not None:
            spend[r["actor"]][r["year"]] = r["value"]
    years = sorted(set.intersection(*(set(v) for v in spend.values())))
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.4), dpi=120, sharey=True, sharex=True)
    for a in _BIG3:
        ys = sorted(cinc["NMC 7.0"][a])
        axes[0].plot(ys, [100 * cinc["NMC 7.0"][a][y] for y in ys], color=_COLOURS[a], label=a)
        tot = [sum(spend[b][y] for b in _BIG3) for y in years]
        axes[1].plot(years, [100 * spend[a][y] / t for y, t in zip(years, tot)], color=_COLOURS[a], label=a)
    axes[0].set_title(f"CINC (COW NMC 7.0, to {max(cinc['NMC 7.0']['Russia'])})", fontsize=10)
    axes[1].set_title("Military expenditure (SIPRI, constant 2023 US$)", fontsize=10)
    for ax in axes:
        ax.set_xlabel("Year")
        ax.set_xlim(BALANCE_YEARS[0] - 0.5, BALANCE_YEARS[1] + 0.5)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("Per cent of the three's total")
    axes[0].legend(fontsize=8)
    axes[1].legend(fontsize=8)
    fig.suptitle(
        f"The US, China and Russia: shares of their combined capabilities, {BALANCE_YEARS[0]}-{BALANCE_YEARS[1]}"
    )
    fig.text(
        0.01,
        0.01,
        "Sources: COW National Material Capabilities 7.0; SIPRI Military Expenditure Database 2025",
        fontsize=7,
        color="dimgrey",
    )
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    fig.savefig(path)
    plt.close(fig)
    out = []
    for label in ("NMC 6.0", "NMC 7.0"):
        y0 = max(cinc[label]["Russia"])
        out.append(
            f"CINC {y0} ({label}): "
            + ", ".join(f"{a} {100 * cinc[label][a][y0]:.1f}%" for a in _BIG3)
            + " of the three"
        )
    common = [y for y in cinc["NMC 6.0"]["Russia"] if y in cinc["NMC 7.0"]["Russia"]]
    gap = max(abs(cinc["NMC 6.0"][a][y] - cinc["NMC 7.0"][a][y]) for a in _BIG3 for y in common)
    out.append(
        f"NMC 6.0 and 7.0 give the same shares {common[0]}-{common[-1]} within {100 * gap:.2f} pp, so the figure "
        "draws NMC 7.0 only"
    )
    ym = years[-1]
    tot_m = sum(spend[b][ym] for b in _BIG3)
    out.append(f"Military expenditure {ym}: " + ", ".join(f"{a} {100 * spend[a][ym] / tot_m:.1f}%" for a in _BIG3))
    return out


TIE_THRESHOLD = 1.0
"""The ideal-point distance at or below which claim P5 counts a pair as a positive tie."""


def figure_voting(home: Path, path: Path) -> List[str]:
    """UN General Assembly ideal-point distances of the three pairs, 1971 on (Russia: the Soviet
    Union before 1992), with the tie threshold of claim P5 (:data:`TIE_THRESHOLD`)."""
    plt = _pyplot()
    from powerbalance import capabilities as cp
    from powerbalance import datasets

    ip = cp.read_ideal_points(datasets.path("un-ideal-points", data_home=home))
    pairs = [("China", "Russia"), ("Russia", "United States"), ("United States", "China")]
    fig, ax = plt.subplots(figsize=(8.5, 5.2), dpi=120)
    lines = []

    def label(a: str) -> str:
        return "Russia (Soviet Union to 1991)" if a == "Russia" else a

    for a, b in pairs:
        t = [r for r in pa.table(ip.distance(a, b, start=1971, end=2024)).to_pylist() if r["distance"] is not None]
        ax.plot([r["year"] for r in t], [r["distance"] for r in t], label=f"{label(a)} - {label(b)}")
        first = "the Soviet Union" if "Russia" in (a, b) and t[0]["year"] < 1992 else ""
        lines.append(
            f"{a} - {b}: distance {t[0]['distance']:.2f} in {t[0]['year']}"
            + (f" (Russia: {first})" if first else "")
            + f", {t[-1]['distance']:.2f} in {t[-1]['year']}"
        )
    ax.axhline(
        TIE_THRESHOLD,
        color="grey",
        ls="--",
        lw=0.8,
        label=f"distance {TIE_THRESHOLD:g}: at or below, a positive tie in the triangle of claim P5",
    )
    _soviet_line(ax)
    ax.set_xlabel("Year")
    ax.set_ylabel("Ideal-point distance (UN General Assembly votes)")
    ax.set_title("How far apart the three vote in the UN General Assembly, 1971-2024")
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2, frameon=False)
    ax.grid(alpha=0.3)
    fig.text(
        0.01,
        0.01,
        "Source: Bailey, Strezhnev & Voeten, UN General Assembly ideal points (July 2025 release); " + _SOVIET,
        fontsize=7,
        color="dimgrey",
    )
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
        raise _refuse(
            out,
            f"it is not empty ({shown}) and holds no report of {_MANIFEST_TOOL} "
            f"(no {MANIFEST}); choose a new or empty folder",
        )
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
            if (
                name not in self.names
                and os.path.lexists(self.out / name)
                and not (self.out / name).is_symlink()
                and (self.out / name).is_file()
            ):
                os.unlink(self.out / name)
        for e in os.listdir(self.out):  # staging folders of killed runs
            if (
                e.startswith(_STAGING_PREFIX)
                and self.out / e != self.dir
                and (self.out / e).is_dir()
                and not (self.out / e).is_symlink()
            ):
                shutil.rmtree(self.out / e, ignore_errors=True)
        import powerbalance

        manifest = {"tool": _MANIFEST_TOOL, "version": powerbalance.__version__, "files": list(self.names)}
        _atomic_write_bytes(self.out / MANIFEST, (json.dumps(manifest, indent=1) + "\n").encode("utf-8"))

    def cleanup(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# the report

VERDICTS = ("consistent", "inconsistent", "not testable")
"""The three verdict classes, in the order the report counts them."""

QUESTION = (
    "What does China and Russia's security cooperation, their arms trade above all, mean for the "
    "US' hegemony? The paper answers: a close and closer partnership, a tri-polar balance with "
    "the US, and a China-Russia coalition the US cannot break."
)
"""The paper's question and its own answer, in a sentence each (from its abstract and
introduction); :func:`answer` computes ours."""

_RELEASE_NAMES = {
    "2021": "SIPRI arms transfers, March 2021 release (the paper's own; import totals only)",
    "2022": "SIPRI arms transfers, 2022 release (TIV tables)",
    "2024": "SIPRI arms transfers, April 2024 release (register)",
    "2026": "SIPRI arms transfers, February 2026 release (register, from 1995)",
}
_OTHER = "Other data: COW NMC 6.0 and 7.0, SIPRI milex 2025, Maddison 2023, UN ideal points 2025"


def release_of(row: Dict[str, Any]) -> str:
    """The release a claim row counts under in the summary: a SIPRI release, or the other data."""
    return _RELEASE_NAMES.get(row["vintage"], _OTHER)


def verdict_counts(rows: Sequence[Dict[str, Any]]) -> Dict[str, Dict[str, int]]:
    """Rows per release (:func:`release_of`, in the summary's order) and verdict class.

    Every row counts once, so the counts add up to the number of claim rows.
    """
    order = list(_RELEASE_NAMES.values()) + [_OTHER]
    out: Dict[str, Dict[str, int]] = {k: {v: 0 for v in VERDICTS} for k in order}
    for r in rows:
        out[release_of(r)][r["verdict"]] += 1
    return {k: v for k, v in out.items() if sum(v.values())}


def _differ(n: int) -> str:
    """'1 differs', '16 differ'."""
    return f"{n} " + ("differs" if n == 1 else "differ")


def _pick(rows: Sequence[Dict[str, Any]], cid: str, series: Optional[str] = None) -> List[Dict[str, Any]]:
    return [r for r in rows if r["id"] == cid and (series is None or r["series"] == series)]


def _ok(rows: Sequence[Dict[str, Any]]) -> bool:
    """Every row consistent (and at least one row)."""
    return bool(rows) and all(r["verdict"] == "consistent" for r in rows)


def key_figures(home: Path, ledgers: Dict[str, Any]) -> Dict[str, Any]:
    """The few numbers the summary's answer quotes, computed from the data (latest releases)."""
    from powerbalance import capabilities as cp
    from powerbalance import datasets

    latest = max((k for k, L in ledgers.items() if L.layout == "dyadic"), key=int)
    L = ledgers[latest]
    d = {r["year"]: r for r in pa.table(L.dyad("Russia", "China", start=2006, end=2018)).to_pylist()}
    ip = cp.read_ideal_points(datasets.path("un-ideal-points", data_home=home))
    dist = {
        r["year"]: r["distance"]
        for r in pa.table(ip.distance("China", "Russia", start=2000, end=2024)).to_pylist()
        if r["distance"] is not None
    }
    nmc = cp.read_nmc(datasets.path("cow-nmc-v7", data_home=home))
    y = nmc.coverage[1]
    sh = {r["actor"]: r["share_of_group"] for r in pa.table(nmc.shares(y, list(_BIG3), "cinc")).to_pylist()}
    mx = cp.read_milex(datasets.path("sipri-milex", data_home=home))
    ym = BALANCE_YEARS[1]
    spend = {
        r["actor"]: r["value"]
        for r in pa.table(mx.table("constant", ym, ym)).to_pylist()
        if r["actor"] in _BIG3 and r["value"] is not None
    }
    return {
        "release": latest,
        "share_2006": d[2006]["share_of_supplier_exports"] or 0.0,
        "share_2018": d[2018]["share_of_supplier_exports"] or 0.0,
        "distance": (min(dist), dist[min(dist)], max(dist), dist[max(dist)]),
        "cinc_year": y,
        "cinc_pair": sh["China"] + sh["Russia"],
        "cinc_russia": sh["Russia"],
        "milex_year": ym,
        "milex_pair": (spend["China"] + spend["Russia"]) / sum(spend.values()),
    }


def answer(rows: Sequence[Dict[str, Any]], fig: Dict[str, Any]) -> str:
    """The one-sentence answer to the paper's question, from the verdicts of P4, P6 and P7 and the
    figures of :func:`key_figures`: "Yes" when all of them hold, "No" when none does, "Partly"
    otherwise. China's share of Russia's exports (2006 against 2018) says whether the arms trade
    between them fell."""
    closer = _ok(_pick(rows, "P7"))
    fell = fig["share_2018"] < fig["share_2006"]
    pair_cinc = _ok(_pick(rows, "P6", "COW NMC: CINC shares of the three"))
    pair_milex = _ok(_pick(rows, "P6", "SIPRI military expenditure"))
    tripolar = _ok(_pick(rows, "P4"))
    held = [closer, pair_cinc, pair_milex, tripolar]
    word = "Yes" if all(held) else "No" if not any(held) else "Partly"
    y0, d0, y1, d1 = fig["distance"]
    return (
        f"{word}: China and Russia {'have drawn' if closer else 'have not drawn'} closer in UN votes (ideal-point "
        f"distance {d0:.2f} in {y0}, {d1:.2f} in {y1}) while China's share of Russia's arms exports "
        f"{'fell' if fell else 'did not fall'} ({100 * fig['share_2006']:.0f}% in 2006, "
        f"{100 * fig['share_2018']:.0f}% in 2018, SIPRI {fig['release']}); together they "
        f"{'outweigh' if pair_cinc else 'do not outweigh'} the US in material capabilities "
        f"({100 * fig['cinc_pair']:.0f}% of the three's CINC in {fig['cinc_year']}) "
        f"{'and' if pair_milex else 'but not'} in military spending ({100 * fig['milex_pair']:.0f}% in "
        f"{fig['milex_year']}), and the balance {'is' if tripolar else 'is not'} tri-polar (Russia holds "
        f"{100 * fig['cinc_russia']:.0f}% of the three's CINC)."
    )


def summary(doc: Doc, rows: Sequence[Dict[str, Any]], fig: Dict[str, Any], t1: Dict[str, int]) -> None:
    """The report's first screen (at most 15 lines of Markdown): the question, the computed
    answer, the verdict counts per release and class (adding up to the claim rows), Table 1's
    count of differing shares, and the verdicts that change with the release."""
    from . import verdicts

    doc.heading(2, "Summary")
    doc.para(f"**The paper's question.** {QUESTION}")
    doc.para(f"**Our answer** (computed from the verdicts and figures below). {answer(rows, fig)}")
    counts = verdict_counts(rows)
    body = [[k, *(c[v] for v in VERDICTS), sum(c.values())] for k, c in counts.items()]
    doc.table(["Verdicts per data release", *VERDICTS, "rows"], body)
    total = ", ".join(f"{v} {sum(c[v] for c in counts.values())}" for v in VERDICTS)
    changed = [cid for cid, _, _ in verdicts.vintage_changes(rows, changed=True)]
    doc.para(
        f"All {len(rows)} claim rows: {total}. Table 1: of the 40 shares of world imports 2016-20, "
        f"{_differ(t1['2021'])} "
        f"from the paper in its own release (2021), {t1['2022']} in the 2022 release. Verdicts that change with the "
        "release of the same data: " + (", ".join(changed) if changed else "none") + "."
    )


def _legend(doc: Doc) -> None:
    from . import importers, verdicts

    doc.heading(2, "How to read this report")
    doc.bullets(
        [
            "**consistent**: the data give the paper's figure within the claim's stated tolerance; **inconsistent**: "
            "they do not (a finding about the paper, not an error of the replication); **not testable**: the data "
            "cannot test the claim, and the reason is given.",
            "**Release**: SIPRI revises past years in every release, so each arms-trade claim is tested on every "
            "release at hand (2021 totals, 2022, 2024, 2026); the power claims P1-P7 name their own data set and "
            "release (COW NMC 6.0 or 7.0, SIPRI milex 2025, Maddison 2023, UN ideal points July 2025).",
            "**TIV**: SIPRI's trend-indicator value, a volume index of major arms in millions at constant 1990 prices; "
            "it is not money, so the paper's dollar figures (from CSIS) are compared with it only where stated.",
            "**pp**: percentage points. Shares are of the whole (the world's imports, a supplier's exports, the "
            "three powers' total) and given in per cent.",
            "**A share that differs** (one rule for the report, claim T1 and notebook 01): " + importers.SHARE_DIFFERS,
            "**Kinds of claim**: " + "; ".join(f"{k}: {v}" for k, v in verdicts.KINDS.items()) + ".",
        ]
    )


def _table1(doc: Doc, stage: "_Staging", ledgers: Dict[str, Any]) -> Dict[str, int]:
    from . import importers

    doc.heading(2, "Table 1: the 40 largest importers of major arms, 2016-20")
    cmp = importers.compare_table1(ledgers["2022"], totals=ledgers["2021"])
    stage.write_csv("table1_comparison.csv", cmp)
    rows = pa.table(cmp).to_pylist()
    t1 = {"2022": sum(1 for r in rows if r["share_differs"]), "2021": sum(1 for r in rows if r["totals_share_differs"])}
    top10 = all(r["computed_rank"] == r["position"] for r in rows if r["position"] <= 10)
    at_rank_21 = sum(1 for r in rows if r["totals_rank"] == r["position"])
    inferred = [f"{r['position']}: {r['importer']}" for r in rows if r["importer_inferred"]]
    doc.para(
        "The paper's table (typed from its text, defects flagged, nothing repaired) beside the table computed "
        "from the 2022 TIV tables, the earliest release at hand with suppliers by recipient, and the 2016-20 "
        "shares of the March 2021 release, the paper's own (import totals only). "
        f"The paper's own release puts {at_rank_21} of 40 rows at the paper's rank, and of its 40 "
        f"shares {_differ(t1['2021'])} from the printed figure; the 2022 release has {t1['2022']} shares that "
        "differ, and "
        f"its top ten {'agree' if top10 else 'do not agree'} with the paper's in order: most differences are "
        f"SIPRI's later revisions, not the paper's errors. The rows whose name the paper lost are "
        f"{', '.join(inferred)}."
    )
    doc.para("**Legend.** 'data' is the 2022 release. " + importers.COMPARISON_LEGEND)
    cells = importers.comparison_cells(cmp)
    keys = [(k, h) for k, h in importers.COMPARISON_HEADERS if k in cells[0]]
    doc.table([h for _, h in keys], [[c[k] for k, _ in keys] for c in cells])
    return t1


def _claims(doc: Doc, rows: Sequence[Dict[str, Any]]) -> None:
    from . import verdicts

    doc.heading(2, "Every claim of the paper")
    doc.para(
        "Each claim in the paper's words (typed from the paper into `claims.csv`), where the paper says it, the "
        "paper's figure, how it is tested, and ours per data release with the verdict and its reason."
    )
    by: Dict[str, List[Dict[str, Any]]] = {cid: [] for cid in verdicts.CLAIM_IDS}
    for r in rows:
        by[r["id"]].append(r)
    tests = {c.id: c for c in verdicts.CLAIMS}
    for cid, rs in by.items():
        if not rs:
            continue
        t = rs[0]
        doc.heading(3, f"{cid}: {t['kind']}")
        doc.quote(t["claim"])
        tol = {r["tolerance"] for r in rs}
        method = tests[cid].method if cid in tests else "; ".join(dict.fromkeys(r["method"] for r in rs))
        doc.bullets(
            [
                f"**Where in the paper**: {t['where']}",
                f"**The paper's figure**: {t['paper_value']}",
                f"**Tested by**: {method}; tolerance: {'; '.join(sorted(tol))}",
            ]
        )
        multi = len({r["series"] for r in rs}) > 1
        doc.table(
            ["Release", "Our figure, from the data", "Verdict", "Why"],
            [
                [
                    r["vintage"] + (f" ({r['series']})" if multi else ""),
                    r["computed_value"] or "-",
                    f"**{r['verdict']}**",
                    r["note"] or "-",
                ]
                for r in rs
            ],
        )


def _changes(doc: Doc, rows: Sequence[Dict[str, Any]]) -> None:
    from . import verdicts

    doc.heading(2, "Does a verdict change between releases?")
    doc.para(
        "Only releases of the same data are compared: the SIPRI releases for the arms-trade claims, COW NMC 6.0 "
        "against 7.0 for the same measure of P3, P4 and P6. Rows of one claim on different measures (P3's CINC, "
        "military expenditure and arms exports; P6's CINC and spending) are not releases and are not compared."
    )
    changed, partial, same = [], [], []
    moved = {(cid, series) for cid, series, _ in verdicts.vintage_changes(rows, changed=True)}
    for cid, series, vv in verdicts.vintage_changes(rows):
        name = cid if series == verdicts.SIPRI_SERIES else f"{cid} ({series})"
        text = f"{name}: " + ", ".join(f"{k} {v}" for k, v in vv.items())
        if (cid, series) in moved:
            changed.append(text)
        elif len(set(vv.values())) > 1:
            partial.append(text)
        else:
            same.append(name)
    doc.para("Claims on SIPRI data are named by id alone; the others with the measure compared.")
    doc.para("**The verdict changes with the release:**" + ("" if changed else " none."))
    doc.bullets(changed)
    doc.para(
        "**Testable only in some releases** (the 2022 TIV tables have no deal detail or armament category):"
        + ("" if partial else " none.")
    )
    doc.bullets(partial)
    doc.para("**The same verdict in every release:** " + "; ".join(same) + ".")


def references(doc: Doc) -> None:
    """Every data set the report reads, with its vintage and citation (from :mod:`powerbalance.datasets`)."""
    from .. import datasets
    from . import importers, verdicts

    doc.heading(2, "References")
    doc.para("**The paper.** " + importers.PAPER_CITATION + ", published December 2021.")
    doc.para(
        "**Its Table 1's source.** P. D. Wezeman, A. Kuimova and S. T. Wezeman, 'Trends in International Arms "
        "Transfers, 2020', SIPRI Fact Sheet, March 2021 (the paper's footnote 50, 'SIPRI, 2021')."
    )
    doc.para("**Data** (every data set this report reads, by its registry name in `powerbalance.datasets`):")
    doc.bullets([_cite(datasets.info(name)) for name in verdicts.DATASETS])
    built = _built_from(verdicts.DATASETS)
    if built:
        doc.para("**Data sets used to build those above** (their originals are inputs of a conversion):")
        doc.bullets([_cite(datasets.info(name)) + f" Used to build: {', '.join(by)}." for name, by in built.items()])
    unused = [n for n in datasets.names() if n not in verdicts.DATASETS and n not in built]
    doc.para(
        "Registered in `powerbalance.datasets` but not read by this report: "
        + ", ".join(f"`{n}`" for n in unused)
        + "."
    )


def _cite(d: Any) -> str:
    return f"`{d.name}`: {d.title}. Vintage: {d.vintage}. {d.citation}" + (f" Source: {d.source}" if d.source else "")


def _built_from(names: Sequence[str]) -> Dict[str, List[str]]:
    """Registered data sets, other than ``names``, whose files are inputs of a conversion that
    builds a file of ``names`` (matched by folder and file name: ``cow_states/source/states2016.csv``
    is ``cow_states/states2016.csv`` of ``cow-states``); name -> the data sets built from it."""
    from .. import datasets

    owner: Dict[Tuple[str, str], str] = {}
    for n in datasets.names():
        for f in datasets.info(n).files:
            owner.setdefault((f.path.split("/")[0], f.path.rsplit("/", 1)[-1]), n)
    out: Dict[str, List[str]] = {}
    for n in names:
        for f in datasets.info(n).files:
            for o in f.build.inputs if f.build else ():
                src = owner.get((o.path.split("/")[0], o.path.rsplit("/", 1)[-1]))
                if src is not None and src not in names and n not in out.get(src, []):
                    out.setdefault(src, []).append(n)
    return out


def build(stage: _Staging, home: Path) -> Tuple[int, Dict[str, int]]:
    """Write the report's files into ``stage`` from the data in ``home``; return the number of
    claim rows and the verdict counts."""
    import powerbalance as pb

    from . import importers, verdicts

    vs = verdicts.vintages(home)
    ledgers = {v.label: pb.read_sipri(v.path) for v in vs}
    ct = verdicts.evaluate(home, ledgers=ledgers)
    stage.write_csv("claims.csv", ct)
    rows = pa.table(ct).to_pylist()

    body = Doc()
    t1 = _table1(body, stage, ledgers)

    figures: List[Tuple[str, str, str, Callable[[Path], List[str]], str, str]] = [
        (
            "Figure 1: Russia's exports of major arms to China, 1987-2016",
            "The paper's Figure 1 has lost its image; the series is recomputed from every release that covers it.",
            "figure1_russia_china.png",
            lambda path: figure1({k: v for k, v in ledgers.items() if k != "2021"}, path),
            "Figure 1: Russia's exports of major arms to China",
            "Deliveries of major arms by Russia (the Soviet Union before 1992; dotted line) to China, TIV millions, "
            "one line per SIPRI release.",
        ),
        (
            "The balance among the US, China and Russia",
            "",
            "balance_shares.png",
            lambda path: figure_balance(home, path),
            "Capability shares of the US, China and Russia",
            f"Both panels span {BALANCE_YEARS[0]}-{BALANCE_YEARS[1]}: CINC ends where COW's NMC 7.0 ends (2022), "
            "military expenditure runs to 2024.",
        ),
        (
            "Alignment in UN voting",
            "",
            "un_voting.png",
            lambda path: figure_voting(home, path),
            "UN voting distances of the three pairs",
            f"Ideal-point distance of each pair (lower = closer); 'Russia' is the Soviet Union before 1992 (dotted "
            f"line). The dashed line at {TIE_THRESHOLD:g} is claim P5's threshold: a pair at or below it counts as a "
            "positive tie in the strategic triangle.",
        ),
    ]
    for heading, intro, name, draw, alt, caption in figures:
        body.heading(2, heading)
        if intro:
            body.para(intro)
        lines = draw(stage.path(name))
        body.figure(name, alt, caption)
        body.bullets(lines)

    _claims(body, rows)
    _changes(body, rows)
    references(body)

    counts = {v: sum(1 for r in rows if r["verdict"] == v) for v in VERDICTS}
    counts = {k: n for k, n in counts.items() if n}
    body.para("Verdicts over all claim-release rows: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))

    doc = Doc()
    doc.heading(1, "Replication report")
    doc.para(f"Paper: {importers.PAPER_CITATION}.")
    summary(doc, rows, key_figures(home, ledgers), t1)
    _legend(doc)
    doc.blocks += body.blocks

    stage.write_text("report.md", doc.markdown())
    images = {n: stage.path(n).read_bytes() for n in FIGURES}
    stage.write_text("report.html", doc.html("Replication report: " + importers.PAPER_CITATION, images))
    return len(rows), dict(sorted(counts.items()))


FIGURES = ("figure1_russia_china.png", "balance_shares.png", "un_voting.png")
"""The report's figures, written beside report.md and embedded in report.html."""


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
    print(
        f"replicate: wrote {out / 'report.md'} ({n} claim rows; "
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        + ")"
    )
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    """``python -m powerbalance.paper.replicate``: the same as ``powerbalance replicate``."""
    from ..cli import main as cli_main

    return cli_main(["replicate", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
