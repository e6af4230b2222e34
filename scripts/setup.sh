#!/usr/bin/env bash
# Make the project's virtual environment .venv ready: create it once, install what the scripts
# need into it, and build and install the powerbalance extension when its sources changed.
#
# Usage: bash scripts/setup.sh [--dev]
#   (no option)  powerbalance with what it needs to run (the main job, scripts/replicate.sh)
#   --dev        also the build, test and notebook tools of requirements-dev.txt (scripts/test.sh)
#
# Environment: PYTHON (the Python 3.9+ that creates .venv; default python3), CARGO_TARGET_DIR
# (default ./target). Needs Rust (cargo) and, on Debian or Ubuntu, the python3-venv package.
#
# Nothing is installed outside .venv. Re-running when nothing changed installs nothing: the
# extension is rebuilt and reinstalled only when the hash of rust/, python/, Cargo.toml,
# Cargo.lock and pyproject.toml differs from the one recorded at the last install
# (.venv/.powerbalance-build). The wheel is built with the Cargo profile `local` (release without
# LTO) in the same target dir as scripts/test.sh's `cargo test`, so the two share one build.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

DEV=0
for a in "$@"; do
    case "$a" in
        --dev) DEV=1 ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "setup: unknown option $a (usage: bash scripts/setup.sh [--dev])" >&2; exit 2 ;;
    esac
done

VENV="$ROOT/.venv"
PROFILE=local
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
say() { echo "setup: $*"; }
die() { echo "setup: $*" >&2; exit 1; }

command -v cargo >/dev/null 2>&1 || die "cargo not found: install Rust 1.80 or later (https://rustup.rs) and re-run"

# One setup at a time per checkout (two scripts started together would otherwise build and
# install the same wheel twice).
mkdir -p "$CARGO_TARGET_DIR"
if command -v flock >/dev/null 2>&1; then
    exec 9>"$CARGO_TARGET_DIR/.setup.lock"
    flock 9
fi

# -- 1. the virtual environment ----------------------------------------------------------------
venv_ok() { [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -m pip --version >/dev/null 2>&1; }
if ! venv_ok; then
    BASE="${PYTHON:-python3}"
    command -v "$BASE" >/dev/null 2>&1 || die "$BASE not found: install Python 3.9 or later (or set PYTHON)"
    "$BASE" -c 'import sys; sys.exit(sys.version_info < (3, 9))' ||
        die "$BASE is Python $("$BASE" -c 'import platform; print(platform.python_version())'); powerbalance needs 3.9 or later (set PYTHON)"
    venv_hint="$BASE cannot create a virtual environment (its venv/ensurepip modules are missing).
       On Debian or Ubuntu install them with:  apt-get install python3-venv
       (as root, or with sudo), then re-run this command."
    "$BASE" -c 'import venv, ensurepip' 2>/dev/null || die "$venv_hint"
    rm -rf "$VENV"
    say "creating the virtual environment $VENV ($("$BASE" -c 'import sys; print(sys.executable, sys.version.split()[0])'))"
    if ! "$BASE" -m venv "$VENV" || ! venv_ok; then
        rm -rf "$VENV"
        die "$venv_hint"
    fi
fi
PY="$VENV/bin/python"
PIP=("$PY" -m pip --disable-pip-version-check)

# -- 2. Python packages (only when the lists changed) -------------------------------------------
build_requires() {  # pyproject's [build-system] requires (maturin), read without tomllib (3.9+)
    "$PY" - "$ROOT/pyproject.toml" <<'EOF'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
block = re.search(r"^\[build-system\](.*?)(?=^\[)", text, re.S | re.M).group(1)
print("\n".join(re.findall(r'"([^"]+)"', re.search(r"requires\s*=\s*\[(.*?)\]", block, re.S).group(1))))
EOF
}
mapfile -t BUILD_REQ < <(build_requires)
hash_of() { cat "$@" | sha256sum | cut -c1-32; }
run_hash="$(hash_of pyproject.toml)"
dev_hash="$(hash_of pyproject.toml requirements-dev.txt)"
run_stamp="$VENV/.powerbalance-deps-run"
dev_stamp="$VENV/.powerbalance-deps-dev"
if [ "$(cat "$dev_stamp" 2>/dev/null)" = "$dev_hash" ] ||
    { [ "$DEV" = 0 ] && [ "$(cat "$run_stamp" 2>/dev/null)" = "$run_hash" ]; }; then
    say "Python packages in .venv are up to date"
elif [ "$DEV" = 1 ]; then
    say "installing the build, test and notebook tools into .venv (requirements-dev.txt)"
    "${PIP[@]}" install "${BUILD_REQ[@]}" -r requirements-dev.txt
    echo "$dev_hash" >"$dev_stamp"
else
    say "installing the build tool into .venv (${BUILD_REQ[*]})"
    "${PIP[@]}" install "${BUILD_REQ[@]}"
    echo "$run_hash" >"$run_stamp"
fi

# -- 3. the extension (only when its sources changed) ------------------------------------------
src_hash() {
    {
        echo "profile=$PROFILE python=$("$PY" -c 'import sys; print(sys.version)')"
        find rust python -type f \
            ! -path '*/__pycache__/*' ! -name '*.pyc' ! -name '*.so' ! -name '*.pyd' \
            -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
        sha256sum Cargo.toml Cargo.lock pyproject.toml
    } | sha256sum | cut -c1-32
}
build_stamp="$VENV/.powerbalance-build"
want="$(src_hash)"
installed() { "$PY" -c 'import powerbalance._native' >/dev/null 2>&1; }
if [ "$(cat "$build_stamp" 2>/dev/null)" = "$want" ] && installed; then
    say "powerbalance in .venv is up to date (sources unchanged since the last build: $want)"
else
    [ -f "$build_stamp" ] && say "sources changed since the last build: rebuilding the extension"
    first=""
    [ -d "$CARGO_TARGET_DIR/$PROFILE" ] || first=" (the first build compiles about 100 crates: 5 to 10 minutes on 2 cores)"
    say "building the extension with cargo profile '$PROFILE' into $CARGO_TARGET_DIR$first"
    out="$CARGO_TARGET_DIR/wheels-$PROFILE"
    rm -rf "$out"
    "$PY" -m maturin build --profile "$PROFILE" --locked --interpreter "$PY" -o "$out"
    wheels=("$out"/powerbalance-*.whl)
    [ "${#wheels[@]}" = 1 ] && [ -f "${wheels[0]}" ] || die "maturin left no single wheel in $out"
    # pip unlinks each old file before writing the new one, so a process that has the old
    # extension loaded keeps its copy; uninstall first because the version number does not change.
    if "$PY" -m pip show powerbalance >/dev/null 2>&1; then
        "${PIP[@]}" uninstall --yes --quiet powerbalance
    fi
    say "installing $(basename "${wheels[0]}") into .venv"
    # [plot]: matplotlib, for the figures of the report.
    "${PIP[@]}" install "${wheels[0]}[plot]"
    installed || die "powerbalance was installed but does not import in .venv"
    echo "$want" >"$build_stamp"
fi
"$PY" -c 'import powerbalance, sys; print("setup: powerbalance", powerbalance.__version__, "ready in", sys.prefix)'
