#!/bin/sh
# debian13-root.sh: makes sure a Debian 13 (trixie) root with Dovecot 2.4 exists and prints its Dovecot version.
# MailServers24IT runs that Dovecot (unshare --mount, a bind mount of its test folder, chroot); scripts/test calls
# this script before ./mvnw. The first run takes about 95 s, a cached run nothing. Delete the root to pick up
# new Debian point releases.
#
# The root is built only when missing (first run: debootstrap --variant=minbase, then apt-get install inside it)
# and kept between runs: a finished root carries the marker file .app-passwords-root; a later run finds it and
# only prints the version. A half-built root (interrupted run) lacks the marker and is built again. Builds go to
# a temporary directory next to the root and are renamed into place at the end; a lock (flock) makes parallel
# runs wait for one build.
#
# Needs root (debootstrap, chroot, unshare) and a Debian host with apt-get (debootstrap is installed when
# missing). No services are started inside the root (policy-rc.d answers 101), and /proc is mounted only inside
# a private mount namespace, so nothing stays mounted.
#
# Settings (environment):
#   APP_PASSWORDS_DEBIAN13  where the root lives          (default /var/cache/app-passwords-debian13)
#   DEBIAN_MIRROR           Debian mirror                 (default: the first Debian URI in the host's apt sources)
#   DEBIAN_SECURITY_MIRROR  trixie-security mirror, or "none" (default: $DEBIAN_MIRROR with /debian -> /debian-security)
#   DEBIAN13_PACKAGES       packages to install           (default "dovecot-imapd dovecot-auth-lua")
#
# Output: one line, `dovecot --version` inside the root, e.g. "2.4.1-4 (7d8c0e5759)". Progress goes to stderr.
set -eu

ROOT=${APP_PASSWORDS_DEBIAN13:-/var/cache/app-passwords-debian13}
PACKAGES=${DEBIAN13_PACKAGES:-dovecot-imapd dovecot-auth-lua}
MARKER=.app-passwords-root

say() { printf '%s\n' "debian13-root: $*" >&2; }

version() { chroot "$1" /usr/sbin/dovecot --version; }

ready() { [ -f "$1/$MARKER" ] && [ -x "$1/usr/sbin/dovecot" ]; }

if ready "$ROOT"; then
  version "$ROOT"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  say "$ROOT is missing; build it as root with scripts/debian13-root.sh (debootstrap, chroot)."
  exit 1
fi

host_mirror() {
  # deb822 (*.sources: "URIs: ...") first, then one-line sources ("deb [opts] URI suite ..."); Debian's archive
  # only (not security, not third-party repositories).
  for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk '
      /^[[:space:]]*URIs:/ { for (i = 2; i <= NF; i++) print $i }
      /^[[:space:]]*deb[[:space:]]/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }
    ' "$f"
  done | grep -E '/debian/?$' | grep -v -- '-security' | head -n 1 | sed 's:/*$::'
}

mkdir -p "$(dirname "$ROOT")"
exec 9>"$ROOT.lock"
flock 9
if ready "$ROOT"; then # built by a parallel run while this one waited for the lock
  version "$ROOT"
  exit 0
fi

MIRROR=${DEBIAN_MIRROR:-$(host_mirror)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SECURITY=${DEBIAN_SECURITY_MIRROR:-$(printf '%s' "$MIRROR" | sed 's:/debian$:/debian-security:')}

if ! command -v debootstrap >/dev/null 2>&1; then
  say "installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >&2 ||
    { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >&2; }
fi

BUILD="$ROOT.build"
if [ -e "$BUILD" ]; then
  if findmnt -rn -o TARGET | grep -q -F "$BUILD"; then
    say "$BUILD has mounts under it; unmount them first"
    exit 1
  fi
  rm -rf --one-file-system "$BUILD"
fi

start=$(date +%s)
say "debootstrap --variant=minbase trixie $BUILD $MIRROR"
debootstrap --variant=minbase trixie "$BUILD" "$MIRROR" >&2

printf '#!/bin/sh\n# No services start inside this root: it shares the host network.\nexit 101\n' > "$BUILD/usr/sbin/policy-rc.d"
chmod 755 "$BUILD/usr/sbin/policy-rc.d"
{
  echo "deb $MIRROR trixie main"
  echo "deb $MIRROR trixie-updates main"
  [ "$SECURITY" = none ] || echo "deb $SECURITY trixie-security main"
} > "$BUILD/etc/apt/sources.list"

say "apt-get install $PACKAGES (inside the root)"
# /proc only inside a private mount namespace: gone when the command ends, even if it fails.
unshare --mount --propagation private -- sh -euc '
  mount -t proc proc "$1/proc"
  export DEBIAN_FRONTEND=noninteractive
  chroot "$1" apt-get update -q
  chroot "$1" apt-get -y -q upgrade
  # shellcheck disable=SC2086 # one word per package
  chroot "$1" apt-get install -y -q --no-install-recommends $2
  chroot "$1" apt-get clean
' sh "$BUILD" "$PACKAGES" >&2
rm -rf "$BUILD"/var/lib/apt/lists/*

printf 'built %s from %s in %ss: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$MIRROR" "$(($(date +%s) - start))" \
  "$PACKAGES" > "$BUILD/$MARKER"
if [ -e "$ROOT" ]; then # a root without the marker: an older or broken build
  if findmnt -rn -o TARGET | grep -q -F "$ROOT/"; then
    say "$ROOT has mounts under it; unmount them first"
    exit 1
  fi
  rm -rf --one-file-system "$ROOT"
fi
mv "$BUILD" "$ROOT"
say "built $ROOT in $(($(date +%s) - start)) s ($(du -sh "$ROOT" | cut -f1))"
version "$ROOT"
