"""The fact-sheet script, powerbalance's way: read the 2024 register, the top-40 importers of
2016-20 with their three main suppliers and the 2011-15 comparison, print it.

Run: ``python fact_sheet_powerbalance.py REGISTER.csv`` (``--json``: the rows as JSON, for the
harness's check that the three scripts agree; not timed).
"""

import sys

import powerbalance as pb

led = pb.read_sipri(sys.argv[1])
t = led.importers(2016, 2020, top=40, suppliers=3, compare=(2011, 2015))
if "--json" in sys.argv:
    import json

    print(json.dumps(t.to_pylist()))
else:
    print(t)
