#!/bin/sh
# tools/fresh-check.sh — try the README's commands on a fresh Debian 12 machine.
#
# Makes a Debian 12 root with only git, make and ca-certificates (debootstrap --variant=minbase; the
# base root is cached under /tmp/phonon-fresh and copied for every run), clones the current commit
# into it and runs, as root inside it, the README's two commands `make demo` and `make test`; then
# `make test` alone in a second fresh root (so each command is tried as the very first one) and
# `.ci/run` as CI runs it in a third (these two side by side). Prints the last lines of each and a
# verdict.
# Uncommitted changes are not tried: commit first. Needs root (chroot, mount).
#
# Usage: sh tools/fresh-check.sh [--keep]   (--keep leaves the roots in /tmp/phonon-fresh for a look)
# Environment: MIRROR (default http://deb.debian.org/debian), FRESH_DIR (default /tmp/phonon-fresh).
set -u
keep=0; [ "${1:-}" = "--keep" ] && keep=1
[ "$(id -u)" = 0 ] || { echo "fresh-check: run as root (it uses debootstrap, chroot and mount)"; exit 2; }
top=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel) || exit 2
commit=$(git -C "$top" rev-parse HEAD)
[ -z "$(git -C "$top" status --porcelain --untracked-files=no)" ] ||
  echo "fresh-check: note: uncommitted changes are not part of the check (commit $commit is)"
MIRROR=${MIRROR:-http://deb.debian.org/debian}
D=${FRESH_DIR:-/tmp/phonon-fresh}
base=$D/base
mkdir -p "$D"
sh "$top/tools/deps.sh" --quiet fresh || exit 2

if [ ! -f "$base/.phonon-base-ok" ]; then
  echo "fresh-check: making the base root (debootstrap, a few minutes; cached in $base)"
  rm -rf "$base"
  debootstrap --variant=minbase --include=git,make,ca-certificates bookworm "$base" "$MIRROR" \
    > "$D/debootstrap.log" 2>&1 || { tail -n 20 "$D/debootstrap.log"; echo "fresh-check: debootstrap failed"; exit 2; }
  touch "$base/.phonon-base-ok"
fi

# root NAME: a fresh copy of the base root with the commit cloned into /root/phonon
root() {
  r=$D/$1
  teardown "$r"
  rm -rf "$r"
  cp -a "$base" "$r"
  cp /etc/resolv.conf "$r/etc/resolv.conf" 2>/dev/null
  mount -t proc proc "$r/proc"
  mount --rbind /dev "$r/dev"
  mount --rbind /sys "$r/sys"
  git clone -q --no-local "$top" "$r/root/phonon" && git -C "$r/root/phonon" checkout -q "$commit"
}
teardown() {
  for m in proc dev sys; do
    mountpoint -q "$1/$m" 2>/dev/null && umount -R "$1/$m" 2>/dev/null
  done
  return 0
}
# inroot ROOT LOG COMMAND: run COMMAND in /root/phonon inside ROOT as a fresh login would
inroot() {
  chroot "$1" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    TERM=dumb LANG=C.UTF-8 ${4:-} sh -c "cd /root/phonon && $3" > "$2" 2>&1
}

status=0
report() {   # $1 = label, $2 = exit code, $3 = log
  echo "=== $1: exit $2 ($(wc -l < "$3") lines of output; last lines:)"
  tail -n "${4:-6}" "$3" | sed 's/^/    /'
  [ "$2" = 0 ] || status=1
}

start=$(date +%s)
root one
inroot "$D/one" "$D/demo.log" "make demo"; rc=$?
report "make demo (fresh root 1)" $rc "$D/demo.log"
inroot "$D/one" "$D/test.log" "make test"; rc=$?
report "make test (fresh root 1, after make demo)" $rc "$D/test.log" 8
teardown "$D/one"

root two
root three
inroot "$D/two" "$D/test-first.log" "make test" & p2=$!
inroot "$D/three" "$D/ci.log" "bash .ci/run" "CI=true" & p3=$!
wait $p2; rc2=$?
wait $p3; rc3=$?
report "make test as the first command (fresh root 2)" $rc2 "$D/test-first.log" 3
report ".ci/run (fresh root 3)" $rc3 "$D/ci.log" 8
teardown "$D/two"
teardown "$D/three"

[ $keep = 1 ] || rm -rf "$D/one" "$D/two" "$D/three"
echo "fresh-check: commit $commit, $(($(date +%s) - start)) s, logs in $D/{demo,test,test-first,ci}.log"
if [ $status = 0 ]; then echo "fresh-check: PASS"; else echo "fresh-check: FAIL"; fi
exit $status
