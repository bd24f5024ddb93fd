#!/usr/bin/env bash
# Builds target/hallmark_<version>_<arch>.deb from what the build put in target/ (hallmark-dist/pom.xml runs it
# at `package`, where dpkg-deb exists). Usage: build-deb.sh TARGET VERSION ARCH JDK MODULES MAINTAINER
#
# Why dpkg-deb around the tarball's layout, with a Java runtime of its own made by jlink, rather than a
# Depends on a JRE or `jpackage --type deb`:
# - A Depends cannot be met where it matters: Debian 12 has no Java 21 or newer at all, and a JDK installed
#   from a tarball (as on these build machines) is no package, so `apt install ./hallmark_*.deb` would fail.
#   The runtime makes the package install anywhere on amd64 Debian or Ubuntu; it costs ~100 MB on disk.
# - jpackage makes the same runtime, but puts the application under /opt, gives it a native launcher that
#   ignores HALLMARK_JAVA_OPTS and the JIT options of bin/hallmark, has no /usr/bin link, and its maintainer
#   scripts would have to be replaced anyway (user, units, passphrase). Here the package runs the very
#   bin/hallmark the tarball has, and every file it installs is listed below.
# - Speed: jlink takes ~3 s; zstd, which dpkg reads since Debian 12 and Ubuntu 21.10, compresses the ~140 MB
#   in about a second, where dpkg-deb's default xz takes a minute on two cores.
set -euo pipefail
target=$1 version=$2 arch=$3 jdk=$4 modules=$5 maintainer=$6
here=$(cd "$(dirname "$0")" && pwd)
dist=$(cd "$here/../dist" && pwd)
docs=$(cd "$here/../../../docs" && pwd)
# 0.1.0-SNAPSHOT -> 0.1.0~SNAPSHOT: "~" sorts before the release, so 0.1.0 upgrades its snapshot.
debversion=${version//-/\~}
out="$target/hallmark_${debversion}_${arch}.deb"
work="$target/deb"
root="$work/root"
started=$(date +%s)

rm -rf "$work" "$target"/hallmark_*.deb
mkdir -p "$root/DEBIAN"

app="$root/usr/lib/hallmark"
install -d "$app/bin" "$app/lib" "$root/usr/bin"
install -m 0644 "$target/hallmark.jar" "$app/"
install -m 0644 "$target"/lib/*.jar "$app/lib/"
install -m 0755 "$target/dist/bin/hallmark" "$app/bin/hallmark"
ln -s ../lib/hallmark/bin/hallmark "$root/usr/bin/hallmark"

# The runtime: the modules the pom lists, without what a server never uses (debug symbols, man pages, headers).
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --output "$app/runtime"

install -d "$root/usr/lib/systemd/system" "$root/usr/lib/sysusers.d" "$root/etc/hallmark" "$root/usr/share/doc/hallmark"
install -m 0644 "$dist"/systemd/* "$root/usr/lib/systemd/system/"
install -m 0644 "$dist/sysusers.d/hallmark.conf" "$root/usr/lib/sysusers.d/"
install -m 0644 "$dist/etc/hallmark.env" "$root/etc/hallmark/"
# docs/README.md is for whoever edits the docs (how the build runs their command blocks), not for operators,
# and its name would collide with the project's README.md here.
install -m 0644 "$here/../../../README.md" $(ls "$docs"/*.md | grep -v '/README\.md$') "$root/usr/share/doc/hallmark/"

for script in postinst prerm postrm; do
  install -m 0755 "$here/$script" "$root/DEBIAN/"
done
echo /etc/hallmark/hallmark.env > "$root/DEBIAN/conffiles"
cat > "$root/DEBIAN/control" <<CONTROL
Package: hallmark
Version: $debversion
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: libc6 (>= 2.17), adduser | systemd
Section: admin
Priority: optional
Description: self-hosted IoT device PKI: IEEE 802.1AR IDevIDs and LDevIDs, EST, OCSP
 Hallmark keeps a device maker's CA hierarchy: IDevIDs provisioned at the
 factory, LDevIDs issued and renewed in the field over EST, revocation (CRLs
 and OCSP) and a hash-chained audit log.
 .
 The package brings its own Java runtime. It installs /usr/bin/hallmark, the
 service hallmark.service (the server, as user hallmark, data in
 /var/lib/hallmark) and the device agent's hallmark-device-renew.timer;
 neither is enabled until configured (/usr/share/doc/hallmark/install.md).
CONTROL

dpkg-deb --root-owner-group -Zzstd --build "$root" "$out" >/dev/null
rm -rf "$work"
echo "built $out ($(du -h "$out" | cut -f1), $(( $(date +%s) - started )) s)"
