# shellcheck shell=bash disable=SC2034,SC2154
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Shared by the UI scripts (sourced, not run): packages, the sandbox, a
# headless X server, the mock HubSpot, and cleaning up after them.
#
# A script sets ui_packages=(...) and ui_needs=(files in the build) and
# calls ui_setup "$0" "$@" first: outside the sandbox it installs what is
# missing and runs the script again inside tests/hubspot-sandbox.

ui_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ui_top=$(cd "$ui_here/../.." && pwd)
ui_pids=()
ui_failed=0

ui_log () { printf '# %s\n' "$*"; }
ui_ok () { printf 'ok - %s\n' "$*"; }
ui_not_ok () { printf 'not ok - %s\n' "$*"; ui_failed=1; }
ui_check () {
	local what=$1; shift
	if "$@"; then ui_ok "$what"; else ui_not_ok "$what"; fi
}

ui_install_missing () {
	local missing=() p sudo=""
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	ui_log "installing ${missing[*]}"
	[ "$(id -u)" = 0 ] || sudo=sudo
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq
	$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Usage: ui_setup "$0" "$@"  (parses --build DIR and --screenshots DIR)
ui_setup () {
	local script=$1; shift
	ui_build=${HUBSPOT_BUILD_DIR:-$ui_top/_build}
	ui_screenshots=${HUBSPOT_UI_SCREENSHOTS:-}
	while [ $# -gt 0 ]; do
		case "$1" in
		--build) ui_build=$(cd "$2" && pwd); shift 2 ;;
		--screenshots) mkdir -p "$2"; ui_screenshots=$(cd "$2" && pwd); shift 2 ;;
		-h|--help) sed -n '3,/^set -/p' "$script" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
		*) echo "unknown option $1" >&2; exit 2 ;;
		esac
	done
	ui_screenshots=${ui_screenshots:-$ui_build/ui-screenshots}

	if [ -z "${HUBSPOT_SANDBOX:-}" ]; then
		local f
		ui_install_missing "${ui_packages[@]}"
		# tests/ui/run installs first, then times the script alone.
		[ "${HUBSPOT_UI_INSTALL_ONLY:-0}" = 1 ] && exit 0
		for f in "${ui_needs[@]}"; do
			[ -e "$ui_build/$f" ] || { echo "$ui_build/$f is not built (ninja -C $ui_build)" >&2; exit 2; }
		done
		mkdir -p "$ui_screenshots"
		export HUBSPOT_BUILD_DIR=$ui_build HUBSPOT_UI_SCREENSHOTS=$ui_screenshots
		# HUBSPOT_UI_KEEP=1 keeps the session's directory (logs) afterwards.
		local keep=()
		[ "${HUBSPOT_UI_KEEP:-0}" = 1 ] && keep=(--keep)
		exec "$ui_top/tests/hubspot-sandbox" --build "$ui_build" "${keep[@]}" -- "$script"
	fi
	mkdir -p "$ui_screenshots"
	trap ui_cleanup EXIT
}

ui_cleanup () {
	local pid
	for pid in "${ui_pids[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	wait 2>/dev/null || true
}

# A headless X server on a free display (-displayfd: fixed numbers collide).
ui_start_xvfb () {
	local fd_file=$HUBSPOT_SANDBOX/xvfb-display i
	Xvfb -displayfd 3 -screen 0 1280x900x24 -nolisten tcp 3>"$fd_file" >"$HUBSPOT_SANDBOX/xvfb.log" 2>&1 &
	ui_pids+=($!)
	for i in $(seq 100); do
		[ -s "$fd_file" ] && break
		sleep 0.1
	done
	[ -s "$fd_file" ] || { ui_not_ok "Xvfb starts"; exit 1; }
	DISPLAY=:$(head -n1 "$fd_file")
	export DISPLAY
	ui_log "Xvfb on $DISPLAY"
}

# The mock HubSpot; sets MOCK_URL.
ui_start_mock () {
	local port_file=$HUBSPOT_SANDBOX/mock-port i
	"$ui_build/tests/mock/hubspot-mock" --port-file "$port_file" >"$HUBSPOT_SANDBOX/mock.log" 2>&1 &
	ui_pids+=($!)
	for i in $(seq 100); do
		[ -s "$port_file" ] && break
		sleep 0.1
	done
	[ -s "$port_file" ] || { ui_not_ok "the mock HubSpot starts"; exit 1; }
	MOCK_URL=http://127.0.0.1:$(head -n1 "$port_file")
	ui_log "mock HubSpot on $MOCK_URL"
}

# Settings shared by every process of the session (memory would give each
# its own), with Evolution's first-run assistant off.
ui_use_keyfile_settings () {
	export GSETTINGS_BACKEND=keyfile
	mkdir -p "$XDG_CONFIG_HOME/glib-2.0/settings"
	cat >"$XDG_CONFIG_HOME/glib-2.0/settings/keyfile" <<-EOF
	[org/gnome/evolution/mail]
	show-startup-wizard=false
	EOF
}

ui_python () {
	# Debian's own python3: pyatspi and the GObject bindings live there.
	/usr/bin/python3 "$@"
}

# Whether the mock received a meeting create for summary $1 (prints it);
# tests/ui/uimock.py is the one reader of the mock's request log.
ui_mock_has_meeting () {
	ui_python "$ui_here/uimock.py" "$MOCK_URL" meeting "$1"
}

# Whether the mock created the contact $1 and associated it (prints the calls).
ui_mock_has_contact () {
	ui_python "$ui_here/uimock.py" "$MOCK_URL" contacts "$1"
}

# POST $2 (JSON) to the mock's control path $1.
ui_mock_post () {
	ui_python "$ui_here/uimock.py" "$MOCK_URL" post "$1" "$2"
}
