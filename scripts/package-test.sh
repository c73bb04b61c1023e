#!/usr/bin/env bash
# Checks the installer as a packager and an admin would.
#   package-test.sh validate BUILD_DIR   desktop entry, AppStream metainfo, cpack (.deb + .tar.gz), lintian
#   package-test.sh install BUILD_DIR    apt-get install ./the.deb, run the installed programs, purge,
#                                        and show that nothing but user data is left behind
# Exit 77 (skipped) where it cannot run: install needs root.
set -euo pipefail
cmd=${1:?usage: package-test.sh validate|install BUILD_DIR}
build=$(cd "${2:?build dir}" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
pkgdir="$build/packages"
name=dcm-operator-console

deb_file() { ls -t "$pkgdir"/${name}_*.deb 2>/dev/null | head -n1; }

case $cmd in
validate)
    desktop-file-validate "$root/packaging/org.dcm.OperatorConsole.desktop"
    echo "package-test: desktop entry valid"
    appstreamcli validate --no-net --explain "$root/packaging/org.dcm.OperatorConsole.metainfo.xml"
    echo "package-test: metainfo valid"
    rm -rf "$pkgdir"
    (cd "$build" && cpack -G "DEB;TGZ" -B "$pkgdir" >"$build/cpack.log" 2>&1) || { tail -n 40 "$build/cpack.log"; exit 1; }
    deb=$(deb_file)
    [ -n "$deb" ] || { echo "package-test: no .deb produced" >&2; exit 1; }
    ls "$pkgdir"/*.tar.gz >/dev/null
    echo "package-test: built $(basename "$deb") ($(du -h "$deb" | cut -f1))"
    dpkg-deb --field "$deb" Package Version Depends Recommends
    # Every finding is listed; errors fail the test. Known, accepted warnings are in docs/PACKAGING.md.
    lintian --no-tag-display-limit --info "$deb" | tee "$build/lintian.txt" || true
    if grep -q '^E:' "$build/lintian.txt"; then
        echo "package-test: lintian reports errors" >&2
        exit 1
    fi
    ;;
install)
    if [ "$(id -u)" -ne 0 ]; then
        echo "package-test: install needs root; skipped"
        exit 77
    fi
    deb=$(deb_file)
    [ -n "$deb" ] || { echo "package-test: run 'validate' first (no .deb in $pkgdir)" >&2; exit 1; }
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --reinstall "$deb" >/dev/null
    files=$(dpkg -L "$name" | while read -r f; do [ -f "$f" ] && echo "$f"; done)
    echo "package-test: installed $(echo "$files" | wc -l) files"
    for f in /usr/bin/dcm-console /usr/bin/dcmctl /usr/share/applications/org.dcm.OperatorConsole.desktop \
             /usr/share/metainfo/org.dcm.OperatorConsole.metainfo.xml \
             /usr/share/icons/hicolor/scalable/apps/org.dcm.OperatorConsole.svg \
             /usr/share/icons/hicolor/48x48/apps/org.dcm.OperatorConsole.png \
             /usr/share/man/man1/dcmctl.1.gz /usr/lib/systemd/user/dcm-serve.service \
             /usr/share/doc/dcm-operator-console/copyright; do
        [ -e "$f" ] || { echo "package-test: missing $f" >&2; exit 1; }
    done
    version=$(QT_QPA_PLATFORM=offscreen /usr/bin/dcm-console --version)
    echo "package-test: $version"
    echo "$version" | grep -q "0\." || { echo "package-test: unexpected --version output" >&2; exit 1; }
    # grep reads all of the help (no -q): quitting at the first match would end dcmctl with SIGPIPE once
    # the help is longer than one pipe write, and pipefail would count that as a failure.
    /usr/bin/dcmctl --help | grep "Exit codes" >/dev/null
    state=${DCM_VCSIM_STATE:?the vcsim fixture state file}
    # A throw-away HOME: the installed program must not need anything from the build tree or the user.
    home=$(mktemp -d)
    out=$(HOME=$home DCM_SERVER=$(jq -r .url "$state") DCM_USER=$(jq -r .username "$state") \
          DCM_THUMBPRINT=$(jq -r .thumbprint "$state") DCM_PASSWORD=$(jq -r .password "$state") \
          /usr/bin/dcmctl about --json)
    echo "$out" | jq -e '.apiType == "VirtualCenter"' >/dev/null || { echo "package-test: about failed: $out" >&2; exit 1; }
    echo "package-test: installed dcmctl talked to the simulator: $(echo "$out" | jq -r .fullName)"
    apt-get remove --purge -y -qq "$name" >/dev/null
    left=0
    for f in $files; do
        if [ -e "$f" ]; then echo "package-test: left behind: $f" >&2; left=1; fi
    done
    [ $left -eq 0 ] || exit 1
    dpkg -s "$name" >/dev/null 2>&1 && { echo "package-test: still registered with dpkg" >&2; exit 1; }
    echo "package-test: purged; nothing left but user data ($(find "$home" -type f | wc -l) files in the throw-away HOME)"
    rm -rf "$home"
    ;;
*)
    echo "usage: package-test.sh validate|install BUILD_DIR" >&2
    exit 2
    ;;
esac
