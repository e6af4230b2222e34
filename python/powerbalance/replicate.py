"""``powerbalance replicate``: recompute the paper's table, figure and arms-trade claims.

Writes into ``--out`` (default ``report/``):

``report.md``
    the report: Table 1 beside the data, Figure 1, every arms-trade claim with its verdict
    per SIPRI release, and where the verdict changes between releases;
``table1_comparison.csv``, ``claims.csv``
    the tables behind it;
``figure1_russia_china.png``
    Figure 1 recomputed: Russia's (the Soviet Union's before 1992) deliveries to China,
    1987-2016, in each release that covers those years.

With no data at hand it writes what the paper's own figures allow (Table 1 as typed from the
paper, with its defects), names what it skipped and says how to get the data.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import pyarrow as pa
import pyarrow.csv as pacsv

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
    nmc = cp.read_nmc(home / "cow_nmc/NMC-60-abridged.csv")
    mx = cp.read_milex(home / "sipri_milex/sipri_milex_1949_2024_long.csv")
    cinc: Dict[str, Dict[int, float]] = {a: {} for a in big3}
    for y in range(1992, nmc.coverage[1] + 1):
        for r in pa.table(nmc.shares(y, list(big3), "cinc")).to_pylist():
            cinc[r["actor"]][y] = r["share"]
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

    ip = cp.read_ideal_points(home / "un_ideal_points/IdealpointsJuly2025.csv")
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


def run(out: Path, data: Optional[str] = None) -> int:
    """Run the replication into ``out``; returns a process exit code."""
    import powerbalance as pb
    from powerbalance import claims as cl
    from powerbalance import paper

    out.mkdir(parents=True, exist_ok=True)
    md: List[str] = [
        "# Replication report",
        "",
        f"Paper: {paper.PAPER_CITATION}.",
        "",
    ]
    try:
        home = cl.data_home(data)
    except FileNotFoundError as e:
        t1 = paper.table1()
        pacsv.write_csv(pa.table(t1), out / "table1_paper.csv")
        md += [
            "**No data at hand**: " + str(e) + ".",
            "",
            "Written: Table 1 as typed from the paper (`table1_paper.csv`), with its defects flagged.",
            "Skipped (they need SIPRI data): the Table 1 comparison, Figure 1 and claims "
            + ", ".join(c.id for c in cl.CLAIMS) + ".",
        ]
        (out / "report.md").write_text("\n".join(md) + "\n", encoding="utf-8")
        print(f"replicate: no data ({e}); wrote the paper's Table 1 and {out / 'report.md'}", file=sys.stderr)
        return 0

    vs = cl.vintages(home)
    ledgers = {v.label: pb.read_sipri(v.path) for v in vs}
    md += ["Data: " + "; ".join(f"{v.label}: `{v.dataset}` ({v.description})" for v in vs) + ".", ""]

    # Table 1
    md += ["## Table 1: the 40 largest importers, 2016-20", ""]
    if "2022" in ledgers:
        totals = ledgers.get("2021")
        cmp = paper.compare_table1(ledgers["2022"], totals=totals)
        pacsv.write_csv(pa.table(cmp), out / "table1_comparison.csv")
        rows = pa.table(cmp).to_pylist()
        top10 = [r for r in rows if r["position"] <= 10]
        same10 = all(r["computed_rank"] == r["position"] for r in top10)
        diff = [r for r in rows if r["differs"]]
        md += [
            f"Computed from the 2022 TIV tables (the closest release with suppliers by recipient) "
            f"{'and the 2021 import totals (the paper' + chr(39) + 's own release)' if totals is not None else ''}.",
            f"The top ten importers and their order {'agree' if same10 else 'do NOT agree'} with the paper. "
            f"{len(diff)} of {len(rows)} rows differ by more than 0.1 percentage point in a share.",
            "",
            "```",
            paper.format_comparison(cmp),
            "```",
            "",
        ]
    else:
        md += ["Skipped: the 2022 TIV tables are not under the data folder.", ""]

    # Figure 1
    md += ["## Figure 1: Russia's exports of major arms to China, 1987-2016", ""]
    fig_lines = figure1({k: v for k, v in ledgers.items() if k != "2021"}, out / "figure1_russia_china.png")
    md += ["![Figure 1](figure1_russia_china.png)", ""] + fig_lines + [""]

    # The balance among the three, and their alignment
    if (home / "cow_nmc").is_dir() and (home / "sipri_milex").is_dir():
        md += ["## The balance among the US, China and Russia", "", "![Capability shares](balance_shares.png)", ""]
        md += figure_balance(home, out / "balance_shares.png") + [""]
    if (home / "un_ideal_points").is_dir():
        md += ["## Alignment in UN voting", "", "![UN voting distances](un_voting.png)", ""]
        md += figure_voting(home, out / "un_voting.png") + [""]

    # Claims
    ct = cl.evaluate(home, ledgers=ledgers)
    pacsv.write_csv(pa.table(ct), out / "claims.csv")
    crow = pa.table(ct).to_pylist()
    md += ["## Every claim of the paper", "", _md_table(crow, ["id", "vintage", "paper_value", "computed_value", "verdict", "note"]), ""]
    md += ["### Does a verdict change between releases?", ""]
    by: Dict[str, Dict[str, str]] = {}
    for r in crow:
        by.setdefault(r["id"], {})[r["vintage"]] = r["verdict"]
    for cid, vv in by.items():
        kinds = set(vv.values())
        md.append(f"- {cid}: " + ("changes: " if len(kinds) > 1 else "same in every release: ")
                  + ", ".join(f"{k} {v}" for k, v in vv.items()))
    counts: Dict[str, int] = {}
    for r in crow:
        counts[r["verdict"]] = counts.get(r["verdict"], 0) + 1
    md += ["", "Verdicts over all claim-release rows: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())), ""]
    (out / "report.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    print(f"replicate: wrote {out / 'report.md'} ({len(crow)} claim rows; " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) + ")")
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="powerbalance replicate", description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="report", help="folder for the report (default: report)")
    ap.add_argument("--data", default=None, help="data folder (default: $POWERBALANCE_DATA)")
    a = ap.parse_args(argv)
    return run(Path(a.out), a.data)
