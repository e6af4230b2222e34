#!/usr/bin/env bash
# The main job: replicate the paper's tables and claims from public data into ./report.
# Usage: bash scripts/replicate.sh [--out DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source "$ROOT/scripts/data-env.sh"
bash "$ROOT/scripts/setup.sh"
PY="${PYTHON:-python3}"
exec "$PY" -m powerbalance replicate "$@"
