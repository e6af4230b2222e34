#!/usr/bin/env bash
# Install what a fresh machine lacks and build the powerbalance extension into the current
# Python environment. Idempotent: a second run only rebuilds what changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PY="${PYTHON:-python3}"
need_rust() { command -v cargo >/dev/null 2>&1; }
if ! need_rust; then
    echo "setup: cargo not found; install Rust (https://rustup.rs) and re-run" >&2
    exit 1
fi

echo "setup: Python packages (test and notebook dependencies)"
"$PY" -m pip install --quiet --disable-pip-version-check -r "$ROOT/requirements-dev.txt"

echo "setup: building the powerbalance extension (release; the first build takes ~5 minutes)"
export CARGO_TARGET_DIR="${POWERBALANCE_MATURIN_TARGET:-$ROOT/target-maturin}"
rm -rf "$ROOT/target-maturin/wheels-out"
"$PY" -m maturin build --release --quiet -o "$ROOT/target-maturin/wheels-out"
"$PY" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$ROOT"/target-maturin/wheels-out/powerbalance-*.whl
"$PY" -c "import powerbalance, sys; print('setup: powerbalance', powerbalance.__version__, 'installed for', sys.executable)"
