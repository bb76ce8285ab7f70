#!/bin/sh
# Install the Debian packages phonon~ needs to build and test, if any is missing.
# Idempotent; with --quiet it prints nothing when everything is already there.
quiet=0; [ "${1:-}" = "--quiet" ] && quiet=1
need="gcc make libc6-dev pkg-config libsndfile1-dev puredata-core puredata-dev pd-lib-builder python3"
missing=""
for p in $need; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && { [ $quiet = 1 ] || echo "deps: all present"; exit 0; }
echo "deps: installing$missing"
SUDO=""; [ "$(id -u)" != 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null && \
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
  echo "deps: apt-get failed; install by hand:$missing" >&2; exit 1; }
