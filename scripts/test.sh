#!/usr/bin/env bash
# The whole test suite: Rust (core, script) and Python (API, interop, errors, paper).
# Usage: bash scripts/test.sh          (from a fresh clone; installs what it needs)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source "$ROOT/scripts/data-env.sh"
bash "$ROOT/scripts/setup.sh"

echo "== Rust tests"
cargo test --workspace --locked

echo "== Python tests"
PY="${PYTHON:-python3}"
set +e
"$PY" -m pytest
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
    echo "pytest collected no tests: that is a failure" >&2
    exit 1
fi
exit "$rc"
