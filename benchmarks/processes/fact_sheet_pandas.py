"""The fact-sheet script, pandas' way (see fact_sheet_powerbalance.py for the task)."""

import sys

import pandas as pd

TIV, YEAR = "TIV delivery values", "Delivery year"
df = pd.read_csv(sys.argv[1], skiprows=11, usecols=["Supplier", "Recipient", YEAR, TIV])
cur = df[df[YEAR].between(2016, 2020)]
prev = df[df[YEAR].between(2011, 2015)]
imports = cur.groupby("Recipient")[TIV].sum()
before = prev.groupby("Recipient")[TIV].sum()
t = imports.to_frame("tiv").assign(share=imports / imports.sum())
t = t.sort_values("tiv", ascending=False, kind="stable").head(40)
t["tiv_compare"] = before.reindex(t.index)
t["share_compare"] = t["tiv_compare"] / before.sum()
t["change_pct"] = (t["tiv"] / t["tiv_compare"] - 1) * 100
dyads = cur[cur["Recipient"].isin(t.index)].groupby(["Recipient", "Supplier"])[TIV].sum().reset_index()
dyads["supplier_share"] = dyads[TIV] / dyads["Recipient"].map(imports)
top = dyads.sort_values(["Recipient", TIV], ascending=[True, False]).groupby("Recipient").head(3)
top = top.assign(n=top.groupby("Recipient").cumcount() + 1)
wide = top.pivot(index="Recipient", columns="n", values=["Supplier", "supplier_share"])
wide.columns = [f"supplier_{n}" if a == "Supplier" else f"supplier_{n}_share" for a, n in wide.columns]
t = t.join(wide).reset_index()
if "--json" in sys.argv:
    print(t.to_json(orient="records"))
else:
    print(t.to_string())
