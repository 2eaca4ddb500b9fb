# KefuDesk: `make run` and `make test` are the whole set-up on Debian/Ubuntu.
# Missing system packages are installed with apt-get (through sudo when not root).

SHELL := /bin/bash
CARGO ?= cargo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# To build and run the app (Tauri 2 on WebKitGTK 4.1; OpenSSL for HTTPS; LLD links the release
# build with identical code folding).
APT_BUILD := build-essential pkg-config curl file libwebkit2gtk-4.1-dev libssl-dev librsvg2-dev nasm lld
# To test it: a virtual display, the WebKit WebDriver, a Secret Service on a private D-Bus,
# CJK fonts for readable screenshots, a window manager (maximising needs one), Node.js for the
# UI unit tests, PostgreSQL for KefuDesk Server's tests (a private cluster each time, never a
# running one).
APT_TEST := xvfb xauth webkit2gtk-driver gnome-keyring dbus dbus-x11 libsecret-tools fonts-noto-cjk openbox postgresql

# Installs the Debian packages named in $(1) that are not installed yet.
define ensure_packages
	@if command -v apt-get >/dev/null 2>&1; then \
	  missing=""; \
	  for p in $(1); do \
	    dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	  done; \
	  if [ -n "$$missing" ]; then \
	    echo "Installing system packages:$$missing"; \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	  fi; \
	else \
	  echo "Not a Debian/Ubuntu system: install the Tauri 2 prerequisites yourself (see README)."; \
	fi
endef

.PHONY: run server test deps deps-test tauri-driver lint prettier typescript typecheck bindings fmt test-ui test-rust test-keyring build test-e2e package test-package tauri-cli sandbox sandbox-wecom bench bench-avatar bench-records bench-archive bench-app bench-server licences screenshots clean

## Build and start the app (with no profile configured it opens the built-in sandbox).
run: deps
	$(CARGO) run -p kefudesk

## The whole test suite: the formatting and lint gate, UI unit tests, Rust tests, then the real
## window under Xvfb.
test: deps deps-test tauri-driver lint test-ui test-rust test-keyring build test-e2e

## Formatting (rustfmt.toml; the UI's JavaScript with Prettier, pinned: ui/.prettierrc.json) and
## Clippy with every warning an error, over every target.
PRETTIER_VERSION := 3.10.2
PRETTIER := target/tools/prettier/node_modules/.bin/prettier
lint: prettier typecheck
	@command -v cargo-fmt >/dev/null && command -v cargo-clippy >/dev/null || rustup component add rustfmt clippy
	$(CARGO) fmt --all --check
	cd ui && ../$(PRETTIER) --check "**/*.js"
	$(CARGO) clippy --workspace --all-targets -- -D warnings

prettier:
	$(call ensure_packages,$(if $(shell command -v npm),,npm))
	@$(PRETTIER) --version 2>/dev/null | grep -qx "$(PRETTIER_VERSION)" || \
	  npm install --no-save --no-audit --no-fund --loglevel=error --prefix target/tools/prettier prettier@$(PRETTIER_VERSION)

## The UI's JavaScript type-checked by TypeScript (pinned, from npm; nothing is built or shipped):
## its JSDoc, and the command payloads generated from the Rust types in ui/bindings/ (a test in
## make test-rust fails when they are stale; make bindings writes them).
TYPESCRIPT_VERSION := 5.9.3
TSC := target/tools/typescript/node_modules/.bin/tsc
typescript:
	$(call ensure_packages,$(if $(shell command -v npm),,npm))
	@$(TSC) --version 2>/dev/null | grep -qx "Version $(TYPESCRIPT_VERSION)" || \
	  npm install --no-save --no-audit --no-fund --loglevel=error --prefix target/tools/typescript typescript@$(TYPESCRIPT_VERSION)

typecheck: typescript
	$(TSC) -p ui/jsconfig.json

bindings:
	KEFUDESK_WRITE_BINDINGS=1 $(CARGO) test -p kefudesk --lib commands::bindings_tests

## Formats the Rust and JavaScript sources as the lint gate wants them.
fmt: prettier
	$(CARGO) fmt --all
	cd ui && ../$(PRETTIER) --write "**/*.js"

deps:
	$(call ensure_packages,$(APT_BUILD))
	@command -v $(CARGO) >/dev/null || { echo "Rust is missing: install it from https://rustup.rs"; exit 1; }

deps-test:
	$(call ensure_packages,$(APT_TEST) $(if $(shell command -v node),,nodejs))

tauri-driver:
	@command -v tauri-driver >/dev/null || [ -x "$${CARGO_HOME:-$$HOME/.cargo}/bin/tauri-driver" ] || \
	  $(CARGO) install tauri-driver --locked --version '^2'

# Under two time zones besides the machine's: WeChat's days are China Standard Time wherever
# the computer is, and one of them has daylight saving.
test-ui:
	cd ui && node --test tests/*.test.js
	cd ui && TZ=UTC node --test tests/*.test.js
	cd ui && TZ=Europe/Berlin node --test tests/*.test.js

test-rust:
	$(CARGO) test --workspace
	# The benchmarks are compiled (not run) so they cannot rot; in the test profile, since the
	# release profile's whole-program optimisation is paid once, by make package.
	$(CARGO) build --workspace --benches --profile dev
	# The fault matrix, printed: every command that talks to WeChat × every injected fault.
	$(CARGO) test -p kefudesk --lib fault_matrix -- --nocapture --test-threads=1

# Runs $(1) under $(2) on a private D-Bus session with an unlocked gnome-keyring (the real
# Secret Service) and a throwaway HOME: an existing login keyring would stay locked, and nothing
# a test writes may land in the developer's home.
define with_keyring
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	PATH="$${CARGO_HOME:-$$HOME/.cargo}/bin:$$PATH" \
	RUSTUP_HOME="$${RUSTUP_HOME:-$$HOME/.rustup}" CARGO_HOME="$${CARGO_HOME:-$$HOME/.cargo}" \
	HOME="$$tmp" XDG_DATA_HOME="$$tmp/.local/share" XDG_CONFIG_HOME="$$tmp/.config" XDG_CACHE_HOME="$$tmp/.cache" \
	$(2) dbus-run-session -- sh -c 'echo -n kefudesk-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec $(1)'
endef

# Secrets against the real Secret Service, then the error path with no Secret Service at all.
# Each runs a whole test file: no name filter that a rename could turn into running nothing.
test-keyring:
	$(call with_keyring,$(CARGO) test -p kefudesk --test keyring_secret_service -- --ignored,)
	env -u DISPLAY DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/kefudesk-no-bus \
	  $(CARGO) test -p kefudesk --test keyring_unavailable -- --ignored

build:
	$(CARGO) build -p kefudesk

# The real window on a private X server, D-Bus session and keyring; all go away with the step.
XVFB := xvfb-run -a -s "-screen 0 1280x860x24"
test-e2e:
	$(call with_keyring,$(CARGO) test -p kefu-e2e --test e2e -- --ignored --test-threads=1,$(XVFB))

## Linux installers: a .deb and an .rpm in target/release/bundle/, built by the Tauri bundler
## (the Tauri CLI from npm, pinned) from the lean release build.
TAURI_CLI_VERSION := 2.12.5
TAURI := target/tools/node_modules/.bin/tauri
package: deps tauri-cli
	rm -rf target/release/bundle
	$(TAURI) build --ci --bundles deb,rpm -- --no-default-features
	@ls -l target/release/bundle/deb/*.deb target/release/bundle/rpm/*.rpm

tauri-cli:
	$(call ensure_packages,$(if $(shell command -v npm),,npm))
	@$(TAURI) --version 2>/dev/null | grep -qx "tauri-cli $(TAURI_CLI_VERSION)" || \
	  npm install --no-save --no-audit --no-fund --loglevel=error --prefix target/tools @tauri-apps/cli@$(TAURI_CLI_VERSION)

## The package as users get it: install the .deb with apt, check its files, open the installed
## app in E2E (Agents on the sandbox, Settings), remove it, check only the user's config is left.
PACKAGE_HOME := $(CURDIR)/target/package-home
test-package: deps-test tauri-driver
	$(call ensure_packages,desktop-file-utils rpm file)
	@[ -n "$(wildcard target/release/bundle/deb/*.deb)" ] || $(MAKE) package
	rm -rf $(PACKAGE_HOME)
	KEFUDESK_E2E_HOME=$(PACKAGE_HOME) tests/package.sh install
	$(call with_keyring,env KEFUDESK_APP=/usr/bin/kefudesk KEFUDESK_E2E_HOME=$(PACKAGE_HOME) $(CARGO) test -p kefu-e2e --test installed -- --ignored,$(XVFB))
	KEFUDESK_E2E_HOME=$(PACKAGE_HOME) tests/package.sh remove

## KefuDesk Server on a throwaway PostgreSQL, the WeCom sandbox connected and calling back
## (KEFU_SERVER_LISTEN=127.0.0.1:8700 by default); Ctrl+C removes the database.
server: deps
	$(call ensure_packages,postgresql)
	$(CARGO) run -p kefu-server --features demo --bin kefu-server-demo

## The sandboxes alone, for other WeChat clients and manual testing.
sandbox: deps
	$(CARGO) run -p kefudesk --bin kefu-sandbox -- --port 9000

sandbox-wecom: deps
	$(CARGO) run -p kefudesk --bin kefu-sandbox -- --platform wecom --port 9001

## Benchmarks (figures printed, nothing asserted). The avatar one compares against ImageMagick
## and Pillow, which it installs.
bench: bench-avatar bench-records bench-archive bench-app bench-server

bench-avatar: deps
	$(call ensure_packages,imagemagick python3-pil)
	BENCH_PYTHON=/usr/bin/python3 $(CARGO) bench -p kefudesk --bench avatar

bench-records: deps
	$(CARGO) bench -p kefudesk --bench records

bench-archive: deps
	$(CARGO) bench -p kefudesk --bench archive

# KefuDesk Server on a private PostgreSQL: idle memory, a burst of callbacks to 50 listening
# desktops, Chinese substring search over 1 000 000 archived messages.
bench-server: deps deps-test
	$(CARGO) bench -p kefu-server --bench server

# The release app, built as make package builds it, on its sandbox: launch time and memory per
# process, through WebDriver. The harness is built in the dev profile: it measures the app, not
# itself, and skips a second whole-program optimisation.
bench-app: deps deps-test tauri-driver
	$(CARGO) build --release -p kefudesk --no-default-features --features tauri/custom-protocol
	$(call with_keyring,env KEFUDESK_APP=$(CURDIR)/target/release/kefudesk $(CARGO) bench -p kefu-e2e --bench app --profile dev,$(XVFB))

## The About panel's open-source licences (ui/licences.js), made by cargo-about from what the
## app links and by the vendored UI libraries' own package.json; run after changing a
## dependency (make test fails until it is current).
licences:
	@command -v cargo-about >/dev/null || [ -x "$${CARGO_HOME:-$$HOME/.cargo}/bin/cargo-about" ] || \
	  $(CARGO) install cargo-about --locked --features cli --version 0.9.3
	$(CARGO) about generate --format json -c src-tauri/packaging/about.toml -m src-tauri/Cargo.toml --fail | node src-tauri/packaging/licences.mjs

## Refresh the README screenshots from the last E2E run.
screenshots:
	mkdir -p docs
	cp target/e2e/agents-zh.png docs/agents-zh.png
	cp target/e2e/agents-en.png docs/agents-en.png
	cp target/e2e/settings-zh.png docs/settings-zh.png
	cp target/e2e/records-en.png docs/records-en.png
	cp target/e2e/sessions-zh.png docs/sessions-zh.png
	cp target/e2e/wecom-accounts-zh.png docs/wecom-accounts-zh.png
	cp target/e2e/wecom-conversation-zh.png docs/wecom-conversation-zh.png
	cp target/e2e/wecom-archive-zh.png docs/wecom-archive-zh.png
	cp target/e2e/wecom-link-zh.png docs/wecom-link-zh.png
	cp target/e2e/wecom-servicers-zh.png docs/wecom-servicers-zh.png
	cp target/e2e/agents-live-profile.png docs/agents-live-profile.png
	cp target/e2e/agents-min-menu-en.png docs/agents-min-menu-en.png
	cp target/e2e/sessions-min-zh.png docs/sessions-min-zh.png
	cp target/e2e/wecom-kfaccounts-min-zh.png docs/wecom-kfaccounts-min-zh.png
	cp target/e2e/stats-zh.png docs/stats-zh.png
	cp target/e2e/wecom-stats-zh.png docs/wecom-stats-zh.png
	cp target/e2e/settings-help-zh.png docs/settings-help-zh.png
	# From make test-package (the installed app), when it ran.
	[ ! -f target/e2e/installed-about-en.png ] || cp target/e2e/installed-about-en.png docs/installed-about-en.png

clean:
	$(CARGO) clean
