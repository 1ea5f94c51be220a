# Helpers for srv6d scenario tests: TAP output, unique network namespaces,
# and a cleanup that removes every namespace and process a test made, on
# every exit path.  Source it; then call `tap_done` at the end.
set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
SRV6D=$BUILD/srv6d
SRV6CTL=$BUILD/srv6ctl

_tap_n=0 _tap_failed=0
_netns=() _pids=()
TMP=$(mktemp -d /tmp/srv6d-test.XXXXXX)

ok() {		# ok DESCRIPTION: a passed check
	_tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $*"
}
not_ok() {	# not_ok DESCRIPTION: a failed check
	_tap_n=$((_tap_n + 1)); _tap_failed=$((_tap_failed + 1))
	echo "not ok $_tap_n - $*"
}
skip() {	# skip DESCRIPTION REASON
	_tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $1 # SKIP $2"
}
check() {	# check DESCRIPTION COMMAND...: ok if COMMAND succeeds
	local d=$1; shift
	if "$@"; then ok "$d"; else not_ok "$d"; fi
}
diag() { echo "# $*"; }

# wait_until SECONDS COMMAND...: poll COMMAND every 0.1 s.
wait_until() {
	local t=$1 i; shift
	for ((i = 0; i < t * 10; i++)); do
		"$@" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# netns_new VAR: create a namespace with a name unique to this run and store
# the name in VAR.  (Not by command substitution: that runs in a subshell,
# and cleanup would never learn the name.)
netns_new() {
	local _name=srv6t-$$-${#_netns[@]}
	ip netns add "$_name" || return 1
	_netns+=("$_name")
	ip -n "$_name" link set lo up
	printf -v "$1" %s "$_name"
}

track_pid() { _pids+=("$1"); }

# children_of PID: the direct children's pids.
children_of() { ps -o pid= --ppid "$1" | tr -d ' '; }

_main_shell=$BASHPID
cleanup() {
	local p ns
	# a subshell that exits (a failed background job) must not clean up
	[ "$BASHPID" = "$_main_shell" ] || return 0
	for p in "${_pids[@]}"; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in "${_pids[@]}"; do
		wait_until 3 bash -c "! kill -0 $p" || kill -KILL "$p" 2>/dev/null
	done
	for ns in "${_netns[@]}"; do
		# anything still running inside the namespace goes too
		for p in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$p" 2>/dev/null
		done
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

tap_done() {
	echo "1..$_tap_n"
	[ "$_tap_failed" -eq 0 ]
}
