"""``powerbalance sipri PATH``: read a SIPRI export and summarise it."""

from __future__ import annotations

import argparse

#: The largest ``--top`` (far more than the actors of any release).
MAX_TOP = 100_000

HELP = "read a SIPRI export (file or folder): print the load report and the top importers"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``PATH`` and ``--top``."""
    parser.add_argument("path", metavar="PATH", help="a SIPRI export file or a folder of them")
    parser.add_argument("--top", type=int, default=10, help="importers to list (default 10)")


def run(args: argparse.Namespace) -> int:
    """Print the load report, then the top importers of the file's latest five-year period."""
    import powerbalance as pb
    from powerbalance.cli import error

    if not 1 <= args.top <= MAX_TOP:
        return error(f"--top must be between 1 and {MAX_TOP:,}, not {args.top}")
    led = pb.read_sipri(args.path)
    print(repr(led))
    print()
    print("Load report")
    report = led.report()
    columns = ["path", "format", "coverage", "data_rows", "rows_read", "rows_skipped", "entries"]
    print(report.select(columns).to_string(None))
    whole = led.skipped().filter(line=0)
    if whole.num_rows:
        print()
        print("Files not read")
        print(whole.select(["path", "reason"]).to_string(None))
    if led.span is None:
        print("\nThe ledger is empty.")
        return 0
    last = led.span[1]
    first = last - 4
    partners = 3 if led.layout == "dyadic" else 0
    if led.layout == "export-totals":  # no recipients: list exporters instead
        table = led.exporters(first, last, top=args.top, clients=partners)
        what = "exporters", "exports"
    else:
        table = led.importers(first, last, top=args.top, suppliers=partners)
        what = "importers", "imports"
    print()
    print(f"Top {args.top} {what[0]}, {first}-{last} (share of world {what[1]})")
    print(table.to_string(None))
    return 0
