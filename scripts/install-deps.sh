#!/usr/bin/env bash
# The one list of everything tnohaku needs from Debian's packages, installed only when
# missing (idempotent, quiet when all is there). Run as root on Debian 12.
#   scripts/install-deps.sh            build and run dependencies
#   scripts/install-deps.sh --test     also what the tests use
#   scripts/install-deps.sh --bench    also what the benchmarks use
set -euo pipefail

BUILD=(build-essential cmake ninja-build pkg-config
       libxapian-dev libcpp-httplib-dev rapidjson-dev libicu-dev doctest-dev
       libvoikko-dev voikko-fi libjemalloc-dev libbrotli-dev zlib1g-dev
       python3 curl ca-certificates)
# clang-14 and libclang-rt-14-dev: the libFuzzer targets (tests/fuzz) and their sanitizer
# runtimes; gcc's libasan/libubsan come with build-essential.
TEST=(xapian-tools chromium fonts-dejavu-core clang-14 libclang-rt-14-dev)
BENCH=(wrk postgresql valgrind)

want=("${BUILD[@]}")
for arg in "$@"; do
  case "$arg" in
    --test) want+=("${TEST[@]}") ;;
    --bench) want+=("${TEST[@]}" "${BENCH[@]}") ;;
    *) echo "install-deps.sh: unknown option $arg (use --test or --bench)" >&2; exit 2 ;;
  esac
done

# The browser tests need node and npm. Machines that already have a node (e.g. from
# NodeSource) keep it: Debian's npm package would conflict with that install.
if [[ " $* " == *" --test "* || " $* " == *" --bench "* ]] && ! command -v node >/dev/null; then
  want+=(nodejs npm)
fi

missing=()
for pkg in "${want[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps.sh: missing packages: ${missing[*]}; run as root or install them" >&2
  exit 1
fi
echo "install-deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists when they are absent or older than a day.
if [[ -z $(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -1) ]]; then
  apt-get update -qq
fi
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
