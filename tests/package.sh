#!/usr/bin/env bash
# The Linux package as a user's machine gets it (make test-package):
#   tests/package.sh install   install the .deb with apt, check what it declares and installs
#   tests/package.sh remove    remove it and check nothing of it is left but the user's config
# Between the two, make test-package opens the installed app in E2E (tests/installed.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
PKG=kefu-desk
BIN=/usr/bin/kefudesk
DESKTOP=/usr/share/applications/KefuDesk.desktop
ICON_SIZES="32x32 64x64 128x128 256x256 512x512"
USER_HOME=${KEFUDESK_E2E_HOME:?the E2E home the installed app ran with}
fail() { echo "package test: $*" >&2; exit 1; }

one() { # the single file matching $1
  local found=( $1 )
  [ ${#found[@]} = 1 ] && [ -f "${found[0]}" ] || fail "expected one $1, found: ${found[*]} (run make package)"
  echo "${found[0]}"
}

case "${1:-}" in
install)
  deb=$(one 'target/release/bundle/deb/*.deb')
  rpm=$(one 'target/release/bundle/rpm/*.rpm')
  echo "== $deb ($(du -h "$deb" | cut -f1)), $rpm ($(du -h "$rpm" | cut -f1))"
  # What the .deb declares: WebKitGTK 4.1, D-Bus (the keyring) and OpenSSL 3 (HTTPS to WeChat),
  # a Secret Service and a CJK font recommended.
  control=$(dpkg-deb -f "$deb")
  echo "$control" | sed 's/^/   /'
  for want in "Package: $PKG" libwebkit2gtk-4.1-0 libdbus-1-3 "libssl3 | libssl3t64" gnome-keyring fonts-noto-cjk; do
    grep -q -- "$want" <<<"$control" || fail ".deb control lacks $want"
  done
  # The .rpm holds the same files.
  rpm_files=$(rpm -qpl "$rpm" 2>/dev/null)
  for f in $BIN $DESKTOP /usr/share/licenses/$PKG/LICENSE; do
    grep -qx "$f" <<<"$rpm_files" || fail ".rpm lacks $f"
  done
  rpm -qp --requires "$rpm" 2>/dev/null | grep -q 'libwebkit2gtk-4.1.so.0' || fail ".rpm does not require WebKitGTK 4.1"
  rpm -qp --requires "$rpm" 2>/dev/null | grep -q 'openssl-libs' || fail ".rpm does not require OpenSSL"

  if dpkg-query -W "$PKG" >/dev/null 2>&1; then $SUDO apt-get remove -y -q "$PKG" >/dev/null; fi
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "./$deb"

  # The installed files: the binary, the menu entry (valid, both languages), the icons, the licence.
  [ -x $BIN ] || fail "$BIN is not installed"
  [ -f $DESKTOP ] || fail "$DESKTOP is not installed"
  desktop-file-validate $DESKTOP || fail "$DESKTOP is not a valid desktop entry"
  for want in 'Name=KefuDesk 客服台' 'Name\[zh_CN\]=' 'Comment=' 'Comment\[zh_CN\]=' 'Categories=Office;' 'Exec=kefudesk' 'Icon=kefudesk'; do
    grep -q "^$want" $DESKTOP || fail "$DESKTOP lacks $want"
  done
  for size in $ICON_SIZES; do
    icon=/usr/share/icons/hicolor/$size/apps/kefudesk.png
    [ -f "$icon" ] || fail "$icon is not installed"
    file "$icon" | grep -q "${size/x/ x } *, 8-bit/color RGBA" || fail "$icon is not a ${size} RGBA PNG: $(file "$icon")"
  done
  grep -q "MIT License" /usr/share/doc/$PKG/copyright || fail "no licence in /usr/share/doc/$PKG"
  # Only the app: the sandbox and benchmark helpers stay out of the user's PATH.
  extra=$(dpkg -L $PKG | grep '^/usr/bin/' | grep -vx $BIN || true)
  [ -z "$extra" ] || fail "the package installs more than the app: $extra"
  echo "== installed: $(dpkg-query -W -f='${Package} ${Version}, ${Installed-Size} KiB' $PKG)"
  dpkg -L $PKG | sed 's/^/   /'
  dpkg -L $PKG > target/package-files.txt
  ;;
remove)
  [ -f target/package-files.txt ] || fail "run tests/package.sh install first"
  config=$USER_HOME/.config/app.kefudesk.desktop/config.json
  [ -f "$config" ] || fail "the installed app left no config at $config: did the E2E test run?"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q $PKG
  ! dpkg-query -W -f='${Status}' $PKG 2>/dev/null | grep -q installed || fail "$PKG is still installed"
  left=""
  while read -r f; do
    # Directories the package shared with others (/usr, /usr/share/icons/...) stay; its files go.
    if [ -e "$f" ] && [ ! -d "$f" ]; then left="$left $f"; fi
  done < target/package-files.txt
  [ -z "$left" ] || fail "files left after removing the package:$left"
  [ ! -d /usr/share/doc/$PKG ] || fail "/usr/share/doc/$PKG is left"
  # The user's own data is theirs: removing the app does not touch it.
  [ -f "$config" ] || fail "removing the package took the user's config $config"
  echo "== removed: no file of $PKG is left; the user's config stays ($config)"
  ;;
*) fail "usage: $0 install|remove" ;;
esac
