#!/usr/bin/env bash
# Command 2 of the README: install what is missing, build, run every test — the clang-format check
# (ctest `format-check`, label lint) and the fuzz corpus replay (`fuzz_vim_reply.corpus`) included.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh"
werror=OFF
[ "${CI:-}" = "true" ] && werror=ON
DCM_BUILD_DIR="${DCM_BUILD_DIR:-$root/build}" "$root/scripts/build.sh" -DDCM_WERROR=$werror
build="${DCM_BUILD_DIR:-$root/build}"
cd "$build"
ctest --output-on-failure --timeout 600 -j "${DCM_JOBS:-2}" "$@"
