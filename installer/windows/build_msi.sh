#!/usr/bin/env bash
# Compile the MSI on Linux with msitools' wixl: proves installer/windows/*.wxs is valid
# and complete. With no built app (dist/incident-recorder), a stand-in payload is used.
# The MSI made here holds the Linux build (or the stand-in): it is a compile check, not
# an installer to ship. The real MSI is built on Windows (.github/workflows/windows.yml).
#
#   bash installer/windows/build_msi.sh [APP_DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
APP_DIR="${1:-$ROOT/dist/incident-recorder}"
OUT="$ROOT/build/msi"
mkdir -p "$OUT"
command -v wixl >/dev/null || { echo "wixl is missing: sudo apt-get install wixl" >&2; exit 1; }

if [ ! -d "$APP_DIR" ]; then
    echo "No built app at $APP_DIR: compiling with a stand-in payload."
    APP_DIR="$OUT/stub-app"
    rm -rf "$APP_DIR"
    "$PYTHON" installer/windows/files_wxs.py --stub "$APP_DIR" -o "$OUT/files.wxs"
else
    "$PYTHON" installer/windows/files_wxs.py "$APP_DIR" -o "$OUT/files.wxs"
fi
# wixl has no Permanent attribute: after compiling, the data folder's component gets the
# msidbComponentAttributesPermanent bit (16) in the Component table (see below).
VERSION="$("$PYTHON" -c 'import re; print(re.search(r"__version__ = \"(.+)\"", open("incident_recorder/__init__.py").read()).group(1))')"
MSI="$OUT/incident-recorder-$VERSION-compile-check.msi"
started=$SECONDS
# wixl wants paths relative to the current folder (absolute ones are not found).
wixl -a x64 -D Version="$VERSION" -D AppDir="$(realpath --relative-to=. "$APP_DIR")" \
    -D IconFile=resources/icons/app.ico \
    -o "$MSI" installer/windows/incident_recorder.wxs "$OUT/files.wxs" 2>"$OUT/wixl.log" \
    || { cat "$OUT/wixl.log" >&2; echo "wixl could not compile the installer source" >&2; exit 1; }
# wixl warns that it does not know Permanent (handled below); show anything else.
grep -v -e "no property named 'Permanent'" -e '^$' "$OUT/wixl.log" >&2 || true
echo "wixl compiled $MSI ($(du -h "$MSI" | cut -f1)) in $((SECONDS - started))s"

# Permanent="yes" on the DataFolder component: WiX on Windows sets it; wixl ignores the
# attribute, so set the bit here (Component table: Component, ComponentId, Directory_,
# Attributes, Condition, KeyPath).
msiinfo export "$MSI" Component >"$OUT/Component.idt"
awk -F'\t' 'BEGIN { OFS = "\t" } $1 == "DataFolder" && int($4 / 16) % 2 == 0 { $4 += 16 } { print }' \
    "$OUT/Component.idt" >"$OUT/Component.new" && mv "$OUT/Component.new" "$OUT/Component.idt"
(cd "$OUT" && msibuild "$MSI" -i Component.idt)

# Read back what matters from the MSI's own tables.
if command -v msiinfo >/dev/null; then
    tables="$(msiinfo tables "$MSI")"
    for table in Upgrade Shortcut CreateFolder CustomAction Icon File Component; do
        grep -qx "$table" <<<"$tables" || { echo "the MSI has no $table table" >&2; exit 1; }
    done
    # Read whole before grep: "cmd | grep -q" under pipefail fails at random when grep
    # stops at the first match and the writer is killed by SIGPIPE.
    properties="$(msiinfo export "$MSI" Property)"
    grep -qE "^UpgradeCode.\{6E3C9F2A-4B7D-4C1E-9A58-2F0D7B3E8C41}" <<<"$properties" \
        || { echo "the MSI's UpgradeCode is not the fixed one" >&2; exit 1; }
    msiinfo export "$MSI" Component | awk -F'\t' '$1 == "DataFolder" { found = int($4 / 16) % 2 } END { exit !found }' \
        || { echo "the data folder's component is not Permanent" >&2; exit 1; }
    echo "MSI tables checked: Upgrade, Shortcut, CreateFolder, CustomAction, permanent data folder."
fi
