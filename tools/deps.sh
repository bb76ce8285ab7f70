#!/bin/sh
# Install the Debian packages phonon~ needs, if any is missing: the list, with the reason for each
# package, is tools/deps.txt. Usage: sh tools/deps.sh [--quiet] [group...] (default: build run test).
# Idempotent; with --quiet it prints nothing when everything is already there. Runs apt-get as root,
# or through sudo.
quiet=0; [ "${1:-}" = "--quiet" ] && { quiet=1; shift; }
groups=${*:-build run test}
list="$(dirname "$0")/deps.txt"
need=""
for g in $groups; do
  need="$need $(awk -v g="$g" '!/^#/ && NF >= 2 && $2 == g { print $1 }' "$list")"
done
missing=""
for p in $need; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && { [ $quiet = 1 ] || echo "deps: all present ($groups)"; exit 0; }
echo "deps: installing$missing"
SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "deps: not root and no sudo; install by hand:$missing" >&2; exit 1; }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null && \
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
  echo "deps: apt-get failed; install by hand:$missing" >&2; exit 1; }
