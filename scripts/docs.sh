#!/usr/bin/env bash
# Builds the DocC documentation with swift-docc-plugin and fails on any documentation warning.
#
#   scripts/docs.sh                 the GUD module: .build/plugins/Swift-DocC/outputs/GUD.doccarchive
#   scripts/docs.sh --all           GUD, GUDNN and GUDNumerics (which `import GUD` re-exports), one
#                                   combined archive at the same place
#   scripts/docs.sh --html DIR      also transform for static hosting into DIR (open DIR/documentation/gud
#                                   through any web server, e.g. `python3 -m http.server -d DIR`)
#
# The generated HTML is not committed; this command recreates it. A live preview:
#   swift package --disable-sandbox preview-documentation --target GUD
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

targets=(--target GUD)
html=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --all) targets=(--target GUDNumerics --target GUDNN --target GUD --enable-experimental-combined-documentation) ;;
        --html)
            [[ $# -ge 2 ]] || { echo "error: --html needs a directory" >&2; exit 2; }
            mkdir -p "$2"
            dir="$(cd "$2" && pwd)"
            html=(--disable-indexing --transform-for-static-hosting --output-path "$dir")
            shift ;;
        -h|--help) sed -n '2,10p' "$0" | sed -E 's/^# ?//'; exit 0 ;;
        *) echo "error: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done

allow=()
if [[ ${#html[@]} -gt 0 ]]; then allow=(--allow-writing-to-directory "${html[-1]}"); fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
swift package "${allow[@]}" generate-documentation "${targets[@]}" "${html[@]}" 2>&1 | tee "$log"
warnings=$(grep -c "warning:" "$log" || true)
if [[ "$warnings" -gt 0 ]]; then
    echo "error: the documentation build printed $warnings warning(s)" >&2
    exit 1
fi
echo "documentation built without warnings"
