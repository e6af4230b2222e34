#!/usr/bin/env bash
# The whole test suite: Rust (core, script, the PyO3 glue) and Python (API, interop, errors,
# notebooks, paper), from a fresh clone: scripts/setup.sh --dev prepares .venv first.
#
# Usage: bash scripts/test.sh
#
# Data: the data home is found by the package's own rule (POWERBALANCE_DATA, else the user data
# home where `powerbalance data fetch` writes). When every registered data set is there, all
# tests run. Otherwise only the tests that need no data run (the Rust tests whose path has no
# `with_data` and are not in a tests/*_data.rs file; pytest -m "not data", on the synthetic
# fixtures of tests/fixtures), and the script then exits 2 with one message saying how to get
# the data. Exit status: 0 all passed, 1 a test failed, 2 fixture tests passed but data missing.
#
# Style gates: `cargo fmt --all --check` (rustfmt.toml), `cargo clippy --workspace --all-targets
# -- -D warnings`, `ruff check python tests benchmarks` and `mypy --strict` over python/powerbalance
# (both configured in pyproject.toml); a failure fails the command like a failed test (exit 1),
# with the one command that fixes or shows it.
#
# Rust tests build with the Cargo profile `local` in the target dir of the wheel (CARGO_TARGET_DIR,
# default ./target), so the dependencies compiled for the extension are reused.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

t0=$SECONDS
bash scripts/setup.sh --dev
t_setup=$((SECONDS - t0))
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
export VIRTUAL_ENV="$VENV" PATH="$VENV/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export PYO3_PYTHON="$PY"   # the Rust tests of the PyO3 glue link the interpreter of .venv
PROFILE=local

# -- the data home, by the package's rule ------------------------------------------------------
# Prints three lines: the data home, where it comes from (argument/env/user), the data sets
# (live downloads excepted) that lack a file there.
mapfile -t DATA < <("$PY" - <<'EOF'
import powerbalance.datasets as d
print(d.data_home())
print(d.home_source())
fixed = [n for n in d.names() if not d.info(n).live]
lacking = d.missing(fixed)
print(f"all {len(fixed)} data sets" if lacking and len(lacking) == len(fixed) else " ".join(lacking))
EOF
)
DATA_HOME="${DATA[0]}"
DATA_SOURCE="${DATA[1]}"
LACKING="${DATA[2]:-}"
if [ -z "$LACKING" ]; then
    export POWERBALANCE_DATA="$DATA_HOME"
    echo "test: data: $DATA_HOME (every data set present): running every test"
else
    echo "test: data: $DATA_HOME lacks $LACKING: running only the tests that need no data"
fi

failed=()

# -- the Rust style gates: rustfmt (rustfmt.toml) and clippy with every warning an error ---------
# Both come with rustup's default profile; a minimal toolchain lacks them: add them then.
have_cargo_tool() { # $1: cargo subcommand, $2: its rustup component
    cargo "$1" --version >/dev/null 2>&1 && return 0
    if command -v rustup >/dev/null 2>&1; then
        echo "test: cargo $1 is missing: rustup component add $2"
        rustup component add "$2" >&2 && cargo "$1" --version >/dev/null 2>&1 && return 0
    fi
    echo "test: cargo $1 is missing and rustup could not add the $2 component" >&2
    return 1
}
t0=$SECONDS
echo "== Rust style (cargo fmt --check, cargo clippy -D warnings)"
if ! have_cargo_tool fmt rustfmt; then
    failed+=("Rust format (no rustfmt)")
elif ! cargo fmt --all --check || ! rustfmt --edition 2021 --check fuzz/fuzz_targets/*.rs; then
    echo "test: Rust code is not formatted (diff above): run cargo fmt --all; rustfmt --edition 2021 fuzz/fuzz_targets/*.rs" >&2
    failed+=("Rust format (cargo fmt --all --check)")
fi
if ! have_cargo_tool clippy clippy; then
    failed+=("Rust lint (no clippy)")
elif ! cargo clippy --workspace --all-targets --locked --profile "$PROFILE" -- -D warnings; then
    echo "test: clippy found warnings (above), which are errors here" >&2
    failed+=("Rust lint (cargo clippy -D warnings)")
fi

# -- the Python style gates: ruff (lint and import order) and mypy --strict (pyproject.toml) ------
echo "== Python style (ruff check, mypy --strict)"
if ! "$VENV/bin/ruff" check python tests benchmarks; then
    echo "test: ruff found problems (above): run $VENV/bin/ruff check --fix python tests benchmarks, then fix what it lists" >&2
    failed+=("Python lint (ruff check)")
fi
if ! "$PY" -m mypy; then
    echo "test: mypy --strict found type errors (above): run $PY -m mypy (config in pyproject.toml) and fix them" >&2
    failed+=("Python types (mypy --strict)")
fi
t_style=$((SECONDS - t0))

t0=$SECONDS
echo "== Rust tests (cargo profile '$PROFILE')"
if [ -z "$LACKING" ]; then
    cargo test --workspace --locked --profile "$PROFILE" --no-fail-fast || failed+=("Rust")
else
    # Data tests: every test whose path has `with_data` (unit tests in src/) and every
    # integration test file named *_data.rs. The rest runs: libraries, other test files, doc tests.
    tests=()
    for f in rust/*/tests/*.rs; do
        n="$(basename "$f" .rs)"
        case "$n" in *_data) ;; *) tests+=(--test "$n") ;; esac
    done
    cargo test --workspace --locked --profile "$PROFILE" --no-fail-fast --lib --bins "${tests[@]}" -- --skip with_data || failed+=("Rust")
    cargo test --workspace --locked --profile "$PROFILE" --doc || failed+=("Rust doc")
fi

t_rust=$((SECONDS - t0))

# -- Chromium for the browser test (tests/test_browser.py, a data test): Debian's package, since
# Playwright's own browser download is not used. Installed here when running as root (CI);
# otherwise a missing Chromium fails the command with the one command that installs it.
if [ -z "$LACKING" ] && [ -z "${POWERBALANCE_CHROMIUM:-}" ] &&
    ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "test: installing Chromium for the browser test: apt-get install chromium"
        export DEBIAN_FRONTEND=noninteractive
        { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium; } || failed+=("Chromium (apt-get install chromium failed)")
    else
        echo "test: the browser test needs Chromium; install it with:  sudo apt-get install -y chromium   (or set POWERBALANCE_CHROMIUM to a Chromium executable)" >&2
        failed+=("Chromium missing (sudo apt-get install -y chromium)")
    fi
fi

t0=$SECONDS
echo "== Python tests"
marker=()
[ -n "$LACKING" ] && marker=(-m "not data")
set +e
"$PY" -m pytest "${marker[@]}"
rc=$?
set -e
t_python=$((SECONDS - t0))
echo "test: time: setup ${t_setup} s, style gates ${t_style} s, Rust build and tests ${t_rust} s, Python tests ${t_python} s"
if [ "$rc" -eq 5 ]; then
    echo "test: pytest collected no tests: that is a failure" >&2
    failed+=("Python (no tests collected)")
elif [ "$rc" -ne 0 ]; then
    failed+=("Python")
fi

if [ "${#failed[@]}" -gt 0 ]; then
    echo "test: FAILED: ${failed[*]}" >&2
    [ -n "$LACKING" ] && echo "test: (the data tests did not run either: $DATA_HOME lacks data)" >&2
    exit 1
fi
if [ -n "$LACKING" ]; then
    if [ "$DATA_SOURCE" = env ]; then
        how="POWERBALANCE_DATA names a folder the package does not write to: point it at a complete data folder, or unset it and run \`$VENV/bin/powerbalance data fetch --all\` (into the user data home)"
    else
        how="get them with \`$VENV/bin/powerbalance data fetch --all\`"
    fi
    echo >&2
    echo "test: the tests that need no data passed, but the data tests did not run: the data home $DATA_HOME lacks $LACKING. To run them, $how, then run bash scripts/test.sh again." >&2
    exit 2
fi
echo "test: all passed"
