"""The fact-sheet script, polars' way (see fact_sheet_powerbalance.py for the task).

``main_suppliers`` is also the polars side of the in-process benchmark (``benchmarks/fact_sheet.py``).
"""

import sys

import polars as pl

TIV, YEAR = "TIV delivery values", "Delivery year"


def main_suppliers(rows: pl.LazyFrame, imports: pl.LazyFrame, n: int) -> pl.LazyFrame:
    """Each recipient's ``n`` main suppliers in ``rows``, largest first, with their shares of its
    imports (``imports``: Recipient, tiv): Recipient, Supplier, d (the TIV), tiv, supplier_share."""
    return (
        rows.group_by("Recipient", "Supplier")
        .agg(pl.col(TIV).sum().alias("d"))
        .join(imports, on="Recipient")
        .with_columns((pl.col("d") / pl.col("tiv")).alias("supplier_share"))
        .sort(["Recipient", "d"], descending=[False, True])
        .group_by("Recipient", maintain_order=True)
        .head(n)
    )


def main() -> None:
    rows = pl.scan_csv(sys.argv[1], skip_rows=11).select("Supplier", "Recipient", YEAR, TIV)
    cur = rows.filter(pl.col(YEAR).is_between(2016, 2020))
    prev = rows.filter(pl.col(YEAR).is_between(2011, 2015))
    imports = cur.group_by("Recipient").agg(pl.col(TIV).sum().alias("tiv"))
    before = prev.group_by("Recipient").agg(pl.col(TIV).sum().alias("tiv_compare"))
    top = (
        imports.with_columns((pl.col("tiv") / pl.col("tiv").sum()).alias("share"))
        .sort("tiv", descending=True, maintain_order=True)
        .head(40)
        .join(before.with_columns((pl.col("tiv_compare") / pl.col("tiv_compare").sum()).alias("share_compare")),
              on="Recipient", how="left")
        .with_columns(((pl.col("tiv") / pl.col("tiv_compare") - 1) * 100).alias("change_pct"))
    )
    suppliers = (
        main_suppliers(cur, imports, 3)
        .with_columns(pl.int_range(1, pl.len() + 1).over("Recipient").alias("n"))
        .collect()
        .pivot(on="n", index="Recipient", values=["Supplier", "supplier_share"])
    )
    t = top.collect().join(suppliers, on="Recipient", how="left").sort("tiv", descending=True, maintain_order=True)
    if "--json" in sys.argv:
        print(t.write_json())
    else:
        with pl.Config(tbl_rows=40, tbl_cols=20):
            print(t)


if __name__ == "__main__":
    main()
