#!/usr/bin/env bash
# The six breakages of issue 24, applied one at a time: each must make its tests fail.
# Each patch is applied to the working tree, the tests that answer for it are run, and the
# patch is taken back out whatever happened. Prints one line per patch; exits 1 if any
# patch left its tests green.
set -uo pipefail
cd "$(dirname "$0")/../.."
PY=.venv/bin/python
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
for patch in tools/mutation_patches/*.patch; do
  name=$(basename "$patch" .patch)
  read -r -a args <<<"${TESTS[$name]}"
  git apply "$patch" || { echo "$name: does not apply"; status=1; continue; }
  out=$($PY -m pytest -q -p no:cacheprovider "${args[@]}" 2>&1 | tail -1)
  git apply -R "$patch"
  case "$out" in
    *failed*) echo "$name: killed — $out" ;;
    *) echo "$name: SURVIVED — $out"; status=1 ;;
  esac
done
exit $status
