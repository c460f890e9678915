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
# With CASCADE_TURN_HOST=live.example.org (and CASCADE_TURN_MEDIA_IP, the node's media address) Debian's coturn is set
# up beside the node (infra/coturn/turnserver.conf with a fresh shared secret) and the node gets the same turn-secret
# and its turn-urls; see docs/operations.md, "Reach: ICE-TCP and TURN". CASCADE_INSTALL_ROOT stages these files under
# another root (tests).
root=${CASCADE_INSTALL_ROOT:-}
if [ -n "${CASCADE_TURN_HOST:-}" ]; then
  turn_host=$CASCADE_TURN_HOST
  media_ip=${CASCADE_TURN_MEDIA_IP:?set CASCADE_TURN_MEDIA_IP to the media address of the node, the only peer coturn relays to}
  command -v turnserver >/dev/null || apt-get install -y coturn
  conf="$root/etc/cascade/cascade.conf"
  turn_conf="$root/etc/turnserver.conf"
  mkdir -p "$(dirname "$conf")"
  if ! grep -q '^turn-secret' "$conf" 2>/dev/null; then
    secret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
    (umask 077; sed -e "s/@SECRET@/$secret/" -e "s/@HOST@/$turn_host/g" -e "s/@MEDIA_IP@/$media_ip/" \
      "$here/coturn/turnserver.conf" > "$turn_conf")
    chown root:turnserver "$turn_conf" 2>/dev/null || true
    chmod 0640 "$turn_conf"
    (umask 027; printf 'turn-secret = %s\nturn-urls = turn:%s:3478?transport=udp,turns:%s:443?transport=tcp\n' \
      "$secret" "$turn_host" "$turn_host" >> "$conf")
  fi
  systemctl enable --now coturn
  systemctl restart cascade-live
fi
echo "Cascade Live installed: settings in /etc/cascade/cascade.conf (see /usr/share/doc/cascade-live/operations.md);"
echo "'journalctl -u cascade-live -f' shows its log."
