#!/usr/bin/env bash
# Installs Cascade Live from its Debian package as the systemd service cascade-live. The package (built by
# `./cascade build` or `mvn -DskipTests package` to infra/target/cascade-live_VERSION_amd64.deb) brings its own Java
# runtime, creates the `cascade` user, /var/lib/cascade and /etc/cascade/cascade.conf (0640, root:cascade), applies
# the UDP buffer sysctls, and enables and starts the service.
# Usage: sudo infra/install.sh [path/to/cascade-live_VERSION_amd64.deb]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
deb=${1:-}
if [ -z "$deb" ]; then
  deb=$(ls -t "$here"/target/cascade-live_*_amd64.deb 2>/dev/null | head -1 || true)
fi
if [ -z "$deb" ] || [ ! -f "$deb" ]; then
  echo "no package${deb:+ at $deb}: build it first with './cascade build', which writes infra/target/cascade-live_VERSION_amd64.deb" >&2
  exit 1
fi
[ "$(id -u)" = 0 ] || { echo "installing a package needs root: sudo $0 $*" >&2; exit 1; }
deb=$(readlink -f "$deb")
# apt-get also fetches the package's few dependencies (libc6, zlib1g, passwd); plain dpkg where there is no apt.
if command -v apt-get >/dev/null 2>&1; then
  apt-get install -y "$deb"
else
  dpkg -i "$deb"
fi
echo "Cascade Live installed: settings in /etc/cascade/cascade.conf (see /usr/share/doc/cascade-live/operations.md);"
echo "'journalctl -u cascade-live -f' shows its log."
