#!/usr/bin/env bash
# Links the package's own Java runtime from the JDK that runs Maven (21+, the enforcer makes sure), as a tar that
# keeps the executables' modes for jdeb. Skipped when the tar is newer than this script and that JDK.
# Usage: jlink-runtime.sh JAVA_HOME BUILD_DIR
set -euo pipefail
jdk=$1 out=$2
tar=$out/runtime.tar
if [ -f "$tar" ] && [ "$tar" -nt "$0" ] && [ "$tar" -nt "$jdk/release" ]; then exit 0; fi
# What the node's jar uses: the Java SE modules plus sun.misc.Unsafe (Netty, JavaCPP), JMX and JFR (metrics), DNS
# (Redis client), PKCS#11/EC crypto (TLS, DTLS), zip filesystems and extra charsets (JDBC).
modules=java.se,jdk.unsupported,jdk.management,jdk.management.jfr,jdk.jfr,jdk.naming.dns,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.zipfs,jdk.charsets,jdk.net
rm -rf "$out/runtime" "$tar"
mkdir -p "$out"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --output "$out/runtime"
tar -cf "$tar" -C "$out" runtime
rm -rf "$out/runtime"
