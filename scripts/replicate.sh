#!/usr/bin/env bash
# The main job: replicate the paper's tables, figures and claims from public data into a report
# (report.md and report.html, a self-contained page with the figures embedded).
# Usage: bash scripts/replicate.sh [--out DIR] [other options of `powerbalance replicate`]
#
# Prepares .venv first (scripts/setup.sh: creates it once, builds the extension when its sources
# changed), then runs `powerbalance replicate` in it. The data come from the data home
# (POWERBALANCE_DATA, else the user data home, where `powerbalance data fetch` writes).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
exec "$ROOT/.venv/bin/python" -m powerbalance replicate "$@"
