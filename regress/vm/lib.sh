# shellcheck shell=bash
# Helpers for the srv6d scenarios of regress/vm: PASS/FAIL checks, network
# namespaces, FRR and srv6d instances, explanations for `make demo'.
# They run inside the srv6 test VM (regress/vm/run shares our build at
# /opt/srv6 and the libraries it needs at /opt/srv6lib), or natively on a
# kernel with VRF devices (SRV6D, SRV6CTL point to the build; namespaces
# then get the prefix $NSP so as not to meet the host's own).

NPASS=0
NFAIL=0
say() { printf '%s\n' "$*"; }
section() { printf '\n=== %s ===\n' "$*"; }
pass() { NPASS=$((NPASS + 1)); say "PASS: $*"; }
fail() { NFAIL=$((NFAIL + 1)); say "FAIL: $*"; }
check() {	# check DESCRIPTION CMD...: PASS if CMD succeeds
	local d=$1
	shift
	if "$@"; then pass "$d"; else fail "$d"; fi
}
wait_until() {	# wait_until SECONDS CMD...: poll CMD every 0.5 s
	local limit=$1 t=0
	shift
	while ! "$@"; do
		[ "$t" -ge $((limit * 2)) ] && return 1
		sleep 0.5
		t=$((t + 1))
	done
}
summary() {	# the closing line CI counts
	say ""
	say "$NPASS passed, $NFAIL failed"
	[ "$NFAIL" = 0 ] && [ "$NPASS" -gt 0 ]
}

if [ -d /opt/srv6lib ]; then
	export LD_LIBRARY_PATH=/opt/srv6lib/lib
	export PATH=/opt/srv6lib/bin:$PATH
fi
SRV6D=${SRV6D:-/opt/srv6/srv6d}
SRV6CTL=${SRV6CTL:-/opt/srv6/srv6ctl}
FRR_BIN=${FRR_BIN:-/usr/lib/frr}
NSP=${NSP:-}
HERE=$(cd "$(dirname "$0")" && pwd)	# the scenario's directory
RUN=$(mktemp -d /tmp/srv6d-scenario.XXXXXX)
chmod 755 "$RUN"	# FRR (user frr) reaches its directory in it
OUT=${SRV6VM_OUT:-$RUN}

# the unprivileged user and the empty chroot of srv6d's children (in the
# VM; etc/setup-user on a real host)
if ! grep -q '^_srv6d:' /etc/passwd && [ -n "${SRV6VM:-}" ]; then
	echo '_srv6d:x:990:990::/var/lib/srv6d:/usr/sbin/nologin' >>/etc/passwd
	echo '_srv6d:x:990:' >>/etc/group
fi
mkdir -p /var/lib/srv6d/empty

# --- namespaces -------------------------------------------------------------
_nslist=()
netns_new() {	# netns_new NS: a namespace with lo up
	ip netns add "$NSP$1" || return 1
	_nslist+=("$1")
	nsx "$1" ip link set lo up
}
nsx() {		# nsx NS CMD...: run CMD in NS
	local ns=$1
	shift
	ip netns exec "$NSP$ns" "$@"
}
veth_ns() {	# veth_ns NS1 IF1 NS2 IF2: a veth pair between two namespaces
	ip link add "$2" netns "$NSP$1" type veth peer name "$4" netns "$NSP$3"
	nsx "$1" ip link set "$2" up
	nsx "$3" ip link set "$4" up
}
# vrf_devices: this kernel makes VRF devices (probed in a namespace)
vrf_devices() {
	local ns=srv6-vrfprobe-$$ rc
	ip netns add "$ns" 2>/dev/null || return 1
	ip -n "$ns" link add probe type vrf table 4242 2>/dev/null
	rc=$?
	ip netns del "$ns"
	return $rc
}
netns_cleanup() {	# every namespace made, and whatever still runs in it
	local ns p
	for ns in "${_nslist[@]+"${_nslist[@]}"}"; do
		for p in $(ip netns pids "$NSP$ns" 2>/dev/null); do
			kill -KILL "$p" 2>/dev/null
		done
		ip netns del "$NSP$ns" 2>/dev/null
	done
	_nslist=()
	rm -rf "$RUN"
}

# --- FRR, one instance per namespace -----------------------------------------
# Run as user frr with a private directory ($RUN/frr-NS: configs, vty
# sockets, zserv.api, pid files, logs), so that nothing of the host's FRR
# is touched; vtysh_ns talks to it there.
frr_dir() { echo "$RUN/frr-$1"; }
frr_start() {	# frr_start NS CONFDIR: zebra, staticd, bgpd with CONFDIR/D.conf
	local ns=$1 src=$2 dir d
	dir=$(frr_dir "$ns")
	mkdir -p "$dir"
	cp "$src"/*.conf "$dir/"
	echo 'service integrated-vtysh-config' >"$dir/vtysh.conf"
	chown -R frr:frr "$dir"
	for d in zebra staticd bgpd; do
		nsx "$ns" "$FRR_BIN/$d" -d -N "$NSP$ns" -u frr -g frr -P 0 \
		    -f "$dir/$d.conf" -i "$dir/$d.pid" --vty_socket "$dir" \
		    -z "$dir/zserv.api" --log "file:$dir/$d.log" \
		    >>"$dir/$d.out" 2>&1 || {
			say "cannot start FRR $d in $ns:"
			cat "$dir/$d.out"
			return 1
		}
		wait_until 20 test -S "$dir/$d.vty" || {
			say "FRR $d in $ns did not come up:"
			cat "$dir/$d.out"
			return 1
		}
	done
}
frr_running() { test -S "$(frr_dir "$1")/bgpd.vty"; }
frr_stop() {	# frr_stop NS: by the pid files; logs kept in $OUT
	local dir f
	dir=$(frr_dir "$1")
	for f in "$dir"/*.pid; do
		[ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	[ "$OUT" = "$RUN" ] || cp "$dir"/*.log "$OUT/" 2>/dev/null
	# the pathspace directory FRR makes for -N
	[ -z "$NSP" ] || rm -rf "/run/frr/$NSP$1"
	return 0
}
frr_log() { cat "$(frr_dir "$1")/$2.log" 2>/dev/null; }
vtysh_ns() {	# vtysh_ns NS "cmd" ["cmd"...]
	local ns=$1 c args=() dir
	shift
	dir=$(frr_dir "$ns")
	for c; do args+=(-c "$c"); done
	nsx "$ns" timeout 20 vtysh --vty_socket "$dir" --config_dir "$dir" \
	    "${args[@]}"
}

# --- pcap: tcpdump in the background, stopped by PID --------------------------
PCAP_PIDS=()
pcap_start() {	# pcap_start NS IFACE FILE [FILTER...]
	local ns=$1 ifc=$2 file=$3
	shift 3
	# not through a function: $! must be tcpdump itself
	ip netns exec "$NSP$ns" tcpdump -Z root -U -n -i "$ifc" -w "$file" "$@" 2>/dev/null &
	PCAP_PIDS+=($!)
	LAST_PCAP_PID=$!
	wait_until 10 test -s "$file" || true
}
pcap_stop() {	# pcap_stop PID
	kill -INT "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

# explain TEXT...: what the next step shows, for a person watching
explain() { printf '   # %s\n' "$@"; }
# show NS CMD...: print a command as typed on NS, then its output, indented
show() {
	local ns=$1
	shift
	printf '   %s# %s\n' "$ns" "$*"
	nsx "$ns" "$@" 2>&1 | sed 's/^/     /'
}
# sshow NAME ARGS...: the same for srv6ctl of instance NAME
sshow() {
	local name=$1
	shift
	printf '   %s# srv6ctl %s\n' "$name" "$*"
	sctl "$name" "$@" 2>&1 | sed 's/^/     /'
}
# vshow NS CMD: the same for FRR's vtysh
vshow() {
	printf '   %s# vtysh -c "%s"\n' "$1" "$2"
	vtysh_ns "$1" "$2" 2>&1 | sed 's/^/     /'
}

# --- srv6d ------------------------------------------------------------------
# srv6d_start NAME NS CONF: start srv6d -d -v in NS (log $OUT/srv6d-NAME.log),
# wait until srv6ctl answers
srv6d_start() {
	local name=$1 ns=$2 conf=$3
	ip netns exec "$NSP$ns" "$SRV6D" -d -v -f "$conf" -s "$RUN/$name.sock" \
	    -S "$RUN/$name.rsock" >>"$OUT/srv6d-$name.log" 2>&1 &
	printf -v "_srv6d_pid_$name" %s "$!"
	wait_until 20 sctl "$name" show summary >/dev/null 2>&1
}
srv6d_pid() { local v=_srv6d_pid_$1; echo "${!v:-}"; }
# srv6d_stop NAME: SIGTERM, wait up to 10 s, then SIGKILL
srv6d_stop() {
	local p
	p=$(srv6d_pid "$1")
	[ -n "$p" ] || return 0
	kill -TERM "$p" 2>/dev/null
	wait_until 10 sh -c "! kill -0 $p 2>/dev/null" || kill -KILL "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	printf -v "_srv6d_pid_$1" %s ""
}
sctl() { local name=$1; shift; "$SRV6CTL" -s "$RUN/$name.sock" "$@"; }
srv6d_established() {	# srv6d_established NAME ADDR
	sctl "$1" -j show neighbor 2>/dev/null | jq -e --arg a "$2" \
	    '[.. | objects | select(.address? == $a and .state? == "Established")] | length > 0' >/dev/null
}
# srv6d_sid NAME VRF BEHAVIOUR: the SID srv6d allocated (show sid)
srv6d_sid() {
	sctl "$1" -j show sid 2>/dev/null | jq -er --arg v "$2" --arg b "$3" \
	    '[.sids[] | select(.vrf == $v and .behavior == $b)][0].sid'
}
srv6d_log_tail() {	# srv6d_log_tail NAME [N]
	say "--- srv6d $1 log (last ${2:-40} lines)"
	grep -v 'control: client' "$OUT/srv6d-$1.log" | tail -n "${2:-40}"
}

# --- kernel state -----------------------------------------------------------
# local_sid NS TABLE BEHAVIOUR: the seg6local SID with that action and
# vrftable (or legacy table) TABLE in NS's main table
local_sid() {
	nsx "$1" ip -6 route show 2>/dev/null | awk -v t="$2" -v b="$3" '
	    /seg6local/ && $0 ~ ("action " b " ") &&
	    $0 ~ ("(vrftable|table) " t "( |$)") {print $1; exit}'
}
# encap_to NS VRF PREFIX SID: PREFIX in VRF's table goes encapsulated to SID
# (the route's own encap, or the nexthop object's it points to)
encap_to() {
	local r id
	r=$(nsx "$1" ip route show vrf "$2" "$3" 2>/dev/null)
	case $3 in *:*) r=$(nsx "$1" ip -6 route show vrf "$2" "$3" 2>/dev/null) ;; esac
	[ -n "$r" ] || return 1
	if printf '%s\n' "$r" | grep -q "encap seg6 mode encap.* segs 1 \[ $4 \]"; then
		return 0
	fi
	id=$(printf '%s\n' "$r" | sed -n 's/.*nhid \([0-9]*\).*/\1/p' | head -n1)
	[ -n "$id" ] && nsx "$1" ip nexthop show id "$id" 2>/dev/null |
	    grep -q "encap seg6 mode encap.* segs 1 \[ $4 \]"
}
no_route() {	# no_route NS VRF PREFIX
	local f=
	case $3 in *:*) f=-6 ;; esac
	[ -z "$(nsx "$1" ip $f route show vrf "$2" "$3" 2>/dev/null)" ]
}
# ping_ttl NS [-6] DST: the TTL / hop limit of the first echo reply
ping_ttl() {
	local ns=$1
	shift
	nsx "$ns" ping -c 3 -i 0.3 -W 2 "$@" 2>/dev/null |
	    sed -n 's/.* \(ttl\|hlim\)=\([0-9]*\) .*/\2/p' | head -n1
}
