#!/usr/bin/env bash
# Build the one-folder frozen app with PyInstaller, then smoke-test it from a copy far
# from the source tree, as a new user would run it. Exits non-zero on any failure.
#
#   bash installer/build.sh                 # makes its own venv in build/venv-installer
#   PYTHON=.venv/bin/python bash installer/build.sh   # use a Python that has the package
#
# Output: dist/incident-recorder/ (the folder to ship, or to wrap in the MSI).
# Environment: PYTHON (see above), SKIP_SMOKE=1 to build only, MAX_MB (default 250).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
started=$SECONDS
MAX_MB="${MAX_MB:-250}"

step() { printf '\n== %s (%ss)\n' "$*" "$((SECONDS - started))"; }
fail() { echo "BUILD FAILED: $*" >&2; exit 1; }

# ---------------------------------------------------------------- Python with PyInstaller
if [ -z "${PYTHON:-}" ]; then
    venv="$ROOT/build/venv-installer"
    if [ ! -x "$venv/bin/python" ]; then
        step "Creating $venv"
        python3 -m venv "$venv"
    fi
    PYTHON="$venv/bin/python"
fi
if ! "$PYTHON" -c "import PyInstaller, incident_recorder, PySide6, sqlcipher3, reportlab" 2>/dev/null; then
    step "Installing the package and PyInstaller into $PYTHON"
    "$PYTHON" -m pip install -q -e ".[build]"
fi
"$PYTHON" -c "import PyInstaller, sys; print('PyInstaller', PyInstaller.__version__, 'on Python', sys.version.split()[0])"

# ---------------------------------------------------------------- build
step "Building with installer/incident_recorder.spec"
build_started=$SECONDS
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$ROOT/dist" --workpath "$ROOT/build/pyinstaller" \
    installer/incident_recorder.spec
build_seconds=$((SECONDS - build_started))
APP_DIR="$ROOT/dist/incident-recorder"
[ -x "$APP_DIR/incident-recorder" ] || fail "no program in $APP_DIR"
size_mb=$(du -sm "$APP_DIR" | cut -f1)
files=$(find "$APP_DIR" -type f | wc -l)
echo "Built $APP_DIR in ${build_seconds}s: ${size_mb} MB unpacked, $files files"

if [ "${SKIP_SMOKE:-0}" = "1" ]; then
    echo "Smoke test skipped (SKIP_SMOKE=1)."
    exit 0
fi

# ---------------------------------------------------------------- smoke test
# A copy in a fresh temporary folder; run from /tmp with a bare environment (no
# PYTHONPATH, a new HOME), so nothing can come from the source tree or a venv.
step "Smoke test from a copy of the built folder"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ir-smoke.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
cp -a "$APP_DIR" "$WORK/app"
mkdir -p "$WORK/home"
APP="$WORK/app/incident-recorder"
VERSION="$("$PYTHON" -c 'import re,sys; print(re.search(r"__version__ = \"(.+)\"", open("incident_recorder/__init__.py").read()).group(1))')"

run() {  # run the frozen app with a bare environment; extra VAR=value before --
    local -a extra=()
    while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do extra+=("$1"); shift; done
    shift
    (cd /tmp && env -i PATH=/usr/bin:/bin HOME="$WORK/home" LANG=C.UTF-8 \
        QT_QPA_PLATFORM=offscreen "${extra[@]}" "$APP" "$@")
}

out="$(run -- --version)" || fail "--version exited $?"
echo "$out"
[ "$out" = "incident-recorder $VERSION" ] || fail "--version said '$out', not $VERSION"

step "--self-check"
if ! out="$(run -- --self-check --data-dir "$WORK/data")"; then
    echo "$out"; fail "--self-check failed"
fi
echo "$out"
grep -q "^PASS  Resources: $WORK/app/" <<<"$out" || fail "resources did not come from the built folder"

step "demo --no-gui"
run -- demo --no-gui --data-dir "$WORK/demo" || fail "demo exited $?"

step "verify on the demo"
DEMO_AUTH=(INCIDENT_RECORDER_PASSPHRASE="orchard kettle demo")
out="$(run "${DEMO_AUTH[@]}" -- verify --data-dir "$WORK/demo" --user demo)" || {
    echo "$out"; fail "verify exited non-zero"; }
echo "$out"
grep -q "^OK: " <<<"$out" || fail "verify did not say OK"

step "A record as a PDF (reportlab and the fonts, frozen)"
ref="$(run "${DEMO_AUTH[@]}" -- list --data-dir "$WORK/demo" --user demo | grep -oE '^[0-9]{4}-[0-9]{4}' | head -n1)"
[ -n "$ref" ] || fail "list showed no records"
run "${DEMO_AUTH[@]}" -- record "$ref" --data-dir "$WORK/demo" --user demo -o "$WORK/record.pdf" \
    || fail "record $ref exited $?"
head -c 5 "$WORK/record.pdf" | grep -q '%PDF-' || fail "record $ref did not write a PDF"
echo "record $ref: $(wc -c <"$WORK/record.pdf") bytes of PDF"

help_text="$(run -- --help)"  # whole, then grep (see build_msi.sh on pipefail)
if grep -qE '^ +letter ' <<<"$help_text"; then
    step "A letter to parents as a PDF"
    run "${DEMO_AUTH[@]}" -- letter "$ref" --data-dir "$WORK/demo" --user demo -o "$WORK/letter.pdf" \
        || fail "letter $ref exited $?"
    head -c 5 "$WORK/letter.pdf" | grep -q '%PDF-' || fail "letter $ref did not write a PDF"
    echo "letter $ref: $(wc -c <"$WORK/letter.pdf") bytes of PDF"
fi

step "The window opens (offscreen) and stays up"
set +e
# "run" is a shell function, so "run ... &" starts a subshell that starts the app: with
# job control on, that job gets a process group of its own, and the whole group (the
# app included, not just the subshell) is ended below.
set -m
run -- --data-dir "$WORK/demo" >"$WORK/gui.log" 2>&1 &
gui=$!
set +m
sleep 6
if kill -0 "$gui" 2>/dev/null; then
    kill -TERM -- "-$gui" 2>/dev/null
    sleep 3
    kill -KILL -- "-$gui" 2>/dev/null
    wait "$gui" 2>/dev/null
    if ps -o pid= -g "$gui" | grep -q .; then fail "the app was still running after the smoke test"; fi
    echo "the app was still running after 6 s: good (and it has been ended)"
    if [ -s "$WORK/gui.log" ]; then echo "what it printed:"; cat "$WORK/gui.log"; fi
else
    wait "$gui"; code=$?
    cat "$WORK/gui.log"; fail "the app stopped at once (exit $code)"
fi
set -e

step "Done"
echo "SMOKE TEST PASSED"
echo "Frozen folder: ${size_mb} MB unpacked ($files files); build ${build_seconds}s; total $((SECONDS - started))s"
[ "$size_mb" -le "$MAX_MB" ] || fail "the folder is ${size_mb} MB, over the ${MAX_MB} MB target"
