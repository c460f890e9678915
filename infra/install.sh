#!/usr/bin/env bash
# Installs a built Cascade Live jar as a systemd service on a Debian/Ubuntu host.
# Usage: sudo infra/install.sh [path/to/cascade-live.jar]
# With CASCADE_TURN_HOST=live.example.org (and CASCADE_TURN_MEDIA_IP, the node's media address) it also sets up
# Debian's coturn beside the node (infra/coturn/turnserver.conf, a fresh shared secret) and gives the node its
# turn-secret and turn-urls; see docs/operations.md, "Reach: ICE-TCP and TURN".
# CASCADE_INSTALL_ROOT (default empty, i.e. /) stages the files under another root, for packaging and tests.
set -euo pipefail
jar=${1:-api/target/cascade-live.jar}
root=${CASCADE_INSTALL_ROOT:-}
[ -f "$jar" ] || { echo "no jar at $jar: build it first with 'mvn -q -DskipTests package'" >&2; exit 1; }
java -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])' || { echo "java on PATH must be 21 or newer" >&2; exit 1; }

id cascade >/dev/null 2>&1 || useradd --system --home /var/lib/cascade --shell /usr/sbin/nologin cascade
install -d -o cascade -g cascade -m 0750 "$root/var/lib/cascade"
install -d -m 0755 "$root/opt/cascade"
# The settings hold secrets (db-password, secret, turn-secret): readable by root and the service's group only.
# The unit runs as User=cascade Group=cascade, so the node still reads them.
install -d -o root -g cascade -m 0750 "$root/etc/cascade"
install -m 0644 "$jar" "$root/opt/cascade/cascade-live.jar"
conf="$root/etc/cascade/cascade.conf"
if [ ! -f "$conf" ]; then
  # umask: the file never exists, even for a moment, with wider permissions than it ends with.
  (umask 077; cat > "$conf" <<'CONF'
# Cascade Live settings: keys are the flag names without "--" (see docs/configuration.md).
data-dir = /var/lib/cascade
http-port = 8080
media-port = 10000
# RTMP ingest for OBS and hardware encoders (TCP; "off" disables it); RTMPS needs tls-cert and tls-key.
rtmp-port = 1935
# rtmps-port = 1936
# public-ip = 203.0.113.10
# db-url = jdbc:postgresql://127.0.0.1:5432/cascade
# tls-cert = /etc/letsencrypt/live/example.org/fullchain.pem
# tls-key = /etc/letsencrypt/live/example.org/privkey.pem
CONF
  )
fi
# Also tightens a config an older version of this script wrote world-readable.
for f in "$conf" "$root/etc/cascade/cascade.env"; do
  if [ -f "$f" ]; then
    chown root:cascade "$f"
    chmod 0640 "$f"
  fi
done
if [ -n "${CASCADE_TURN_HOST:-}" ]; then
  turn_host=$CASCADE_TURN_HOST
  media_ip=${CASCADE_TURN_MEDIA_IP:?set CASCADE_TURN_MEDIA_IP to the media address of the node, the only peer coturn relays to}
  command -v turnserver >/dev/null || { [ -n "$root" ] || apt-get install -y coturn; }
  turn_conf="$root/etc/turnserver.conf"
  if ! grep -q '^turn-secret' "$conf"; then
    secret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
    (umask 077; sed -e "s/@SECRET@/$secret/" -e "s/@HOST@/$turn_host/g" -e "s/@MEDIA_IP@/$media_ip/" \
      "$(dirname "$0")/coturn/turnserver.conf" > "$turn_conf")
    chown root:turnserver "$turn_conf" 2>/dev/null || true
    chmod 0640 "$turn_conf"
    printf 'turn-secret = %s\nturn-urls = turn:%s:3478?transport=udp,turns:%s:443?transport=tcp\n' \
      "$secret" "$turn_host" "$turn_host" >> "$conf"
  fi
  systemctl enable --now coturn
fi
install -D -m 0644 "$(dirname "$0")/cascade-live.service" "$root/etc/systemd/system/cascade-live.service"
systemctl daemon-reload
systemctl enable --now cascade-live
echo "Cascade Live installed; 'journalctl -u cascade-live -f' shows its log."
