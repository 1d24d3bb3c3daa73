#!/usr/bin/env bash
# The six breakages of issue 24, applied one at a time: each must make its tests fail.
# Works in a copy of the working tree (build/mutation/patches), which is never left patched:
# each patch is applied there, the tests that answer for it run against that copy, and the
# patch is taken back out whatever happened. Prints one line per patch; exits 1 if any patch
# left its tests green.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
copy="$root/build/mutation/patches"
rm -rf "$copy" && mkdir -p "$copy"
(cd "$root" && git ls-files -z --cached --others --exclude-standard |
  xargs -0 -I{} sh -c '[ -f "{}" ] && mkdir -p "$0/$(dirname "{}")" && cp "{}" "$0/{}"' "$copy")
cd "$copy"
PY="$root/.venv/bin/python"
export PYTHONPATH="$copy"  # the copy's officekit, not the editable install's
declare -A TESTS=(
  [1-no-fontconfig]="tests/test_export.py tests/test_build.py::test_pdfs_embed_the_stand_ins_their_keywords_name"
  [2-cli-ignores-duplex-copies-volume]="tests/test_cli.py tests/test_cli_options.py"
  [3-no-batch-timeout]="tests/test_export.py"
  [4-no-character-style-layer]="tests/test_check.py tests/test_check_boundaries.py"
  [5-pdf-allows-23-lines]="tests/test_pdfcheck.py"
  [6a-points-fewer-decimals]="tests/test_filters.py"
  [6b-points-decimals-of-this-year-only]="tests/test_filters.py"
  [6c-points-one-decimal-more]="tests/test_filters.py"
)
status=0
for patch in "$root"/tools/mutation_patches/*.patch; do
  name=$(basename "$patch" .patch)
  read -r -a args <<<"${TESTS[$name]}"
  patch -s -p1 --forward <"$patch" || { echo "$name: does not apply"; status=1; continue; }
  out=$("$PY" -m pytest -q -p no:cacheprovider "${args[@]}" 2>&1 | tail -1)
  patch -s -R -p1 <"$patch"
  case "$out" in
    *failed*) echo "$name: killed — $out" ;;
    *) echo "$name: SURVIVED — $out"; status=1 ;;
  esac
done
exit $status
