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
_netns=() _pids=() _cleanup_dirs=() _rmdirs=()
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
quiet() { "$@" >/dev/null; }	# quiet COMMAND...: without its stdout
fails() { ! "$@"; }		# fails COMMAND...: ok if COMMAND fails
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
	local _name=${SRV6T_PREFIX:-srv6t-$$}-${#_netns[@]}
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
	for p in "${_cleanup_dirs[@]}"; do
		rm -rf "$p"
	done
	for p in "${_rmdirs[@]}"; do	# shared ones: only if empty
		rmdir "$p" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

tap_done() {
	echo "1..$_tap_n"
	[ "$_tap_failed" -eq 0 ]
}

# ------------------------------------------------------------------------
# Links and addresses

# link_ns NS1 IF1 "ADDR..." NS2 IF2 "ADDR...": a veth pair between two
# namespaces, both ends up, with these addresses (IPv6 ones without DAD,
# so they are usable at once).
link_ns() {
	local ns1=$1 if1=$2 a1=$3 ns2=$4 if2=$5 a2=$6
	ip link add name "$if1" netns "$ns1" type veth peer name "$if2" \
	    netns "$ns2" || return 1
	_addr_up "$ns1" "$if1" $a1 && _addr_up "$ns2" "$if2" $a2
}
_addr_up() {
	local ns=$1 ifc=$2 a; shift 2
	for a; do
		case $a in
		*:*) ip -n "$ns" addr add "$a" dev "$ifc" nodad ;;
		*) ip -n "$ns" addr add "$a" dev "$ifc" ;;
		esac || return 1
	done
	# no DAD for the link-local address either: FRR needs it at once
	ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$ifc.accept_dad=0"
	ip -n "$ns" link set dev "$ifc" up
}

# ------------------------------------------------------------------------
# srv6d: one instance per name, each with its own sockets and log in $TMP.

# srv6d_start NAME NS CONF: start srv6d in the foreground (-d) inside NS
# and wait until its control socket answers.
srv6d_start() {
	local name=$1 ns=$2 conf=$3 p
	ip netns exec "$ns" "$SRV6D" -d -f "$conf" -s "$TMP/$name.sock" \
	    -S "$TMP/$name.rsock" >>"$TMP/$name.log" 2>&1 &
	p=$!
	track_pid "$p"
	printf -v "_srv6d_pid_$name" %s "$p"
	wait_until 10 "$SRV6CTL" -s "$TMP/$name.sock" show summary >/dev/null
}
srv6d_pid() { local v=_srv6d_pid_$1; echo "${!v}"; }
# sctl NAME ARGS...: srv6ctl against instance NAME (sctl -j ... for JSON)
sctl() { local name=$1; shift; "$SRV6CTL" -s "$TMP/$name.sock" "$@"; }

# srv6d_neighbor_field NAME ADDR FIELD: one field of show neighbor -j
srv6d_neighbor_field() {
	sctl "$1" -j show neighbor "$2" | jq -r --arg a "$2" --arg f "$3" \
	    '[.. | objects | select(.address? == $a)][0][$f] // empty'
}
srv6d_established() {	# srv6d_established NAME ADDR
	[ "$(srv6d_neighbor_field "$1" "$2" state)" = Established ]
}
srv6d_not_established() { ! srv6d_established "$@"; }
# srv6d_jq NAME JQ-FILTER SRV6CTL-ARGS...: true if the filter is true on
# the JSON answer
srv6d_jq() {
	local name=$1 f=$2; shift 2
	sctl "$name" -j "$@" | jq -e "$f" >/dev/null
}
# srv6d_grep NAME REGEX SRV6CTL-ARGS...: the text answer matches REGEX
srv6d_grep() {
	local name=$1 re=$2; shift 2
	sctl "$name" "$@" | grep -Eq -- "$re"
}
# srv6d_has_route NAME PREFIX [NEIGHBOR]: PREFIX is in the Loc-RIB of
# instance NAME (learned from NEIGHBOR when given).
srv6d_has_route() {
	sctl "$1" -j show rib "$2" 2>/dev/null | jq -e --arg p "$2" \
	    --arg n "${3:-}" '[.. | objects | select(.prefix? == $p and
	    ($n == "" or .neighbor? == $n))] | length > 0' >/dev/null
}
srv6d_no_route() { ! srv6d_has_route "$@"; }
# srv6d_rib_json NAME ARGS...: show rib ARGS as JSON paths, one per line
srv6d_rib_paths() {
	local name=$1; shift
	sctl "$name" -j show rib "$@" | jq -c '.. | objects | select(has("prefix"))'
}

# ------------------------------------------------------------------------
# FRR: zebra, bgpd and optionally staticd per namespace, in the foreground
# as the frr user (root is not in the frrvty group FRR insists on), with
# their vty sockets, zserv socket, pid files and logs in $TMP/frr-NS.

frr_dir() { echo "$TMP/frr-$1"; }

# frr_start NS BGPD_CONF_TEXT [STATICD_CONF_TEXT]
frr_start() {
	local ns=$1 dir d p
	dir=$(frr_dir "$ns")
	mkdir -p "$dir"
	chmod 711 "$TMP"	# frr must reach its directory
	chown frr:frr "$dir"
	printf '%s\n' "$2" >"$dir/bgpd.conf"
	printf '%s\n' "${3:-}" >"$dir/staticd.conf"
	echo 'hostname zebra' >"$dir/zebra.conf"
	echo 'service integrated-vtysh-config' >"$dir/vtysh.conf"
	_cleanup_dirs+=("/run/frr/$ns")
	for d in zebra staticd bgpd; do
		[ "$d" = staticd ] && [ -z "${3:-}" ] && continue
		ip netns exec "$ns" "/usr/lib/frr/$d" -N "$ns" -u frr -g frr \
		    -P 0 -f "$dir/$d.conf" -i "$dir/$d.pid" \
		    --vty_socket "$dir" -z "$dir/zserv.api" \
		    --log "file:$dir/$d.log" >>"$dir/$d.out" 2>&1 &
		p=$!
		track_pid "$p"
		wait_until 10 test -S "$dir/$d.vty" || {
			diag "FRR $d in $ns did not start:"
			sed 's/^/# /' "$dir/$d.out"
			return 1
		}
		if [ "$d" = zebra ]; then
			wait_until 10 test -S "$dir/zserv.api" || return 1
		fi
	done
}
# vtysh_ns NS COMMAND...: each argument one vtysh command
vtysh_ns() {
	local ns=$1 c args=() dir; shift
	dir=$(frr_dir "$ns")
	for c; do args+=(-c "$c"); done
	ip netns exec "$ns" vtysh --vty_socket "$dir" --config_dir "$dir" \
	    "${args[@]}"
}
frr_established() {	# frr_established NS PEER
	vtysh_ns "$1" "show bgp neighbors $2 json" |
	    jq -e --arg p "$2" '.[$p].bgpState == "Established"' >/dev/null
}
# frr_has_route NS ipv4|ipv6 PREFIX: PREFIX is in FRR's BGP table
frr_has_route() {
	vtysh_ns "$1" "show bgp $2 unicast json" |
	    jq -e --arg p "$3" '.routes[$p] | length > 0' >/dev/null
}
frr_no_route() { ! frr_has_route "$@"; }
# frr_jq NS COMMAND JQ-FILTER [JQ-ARGS...]: true if the filter is true on
# the JSON answer to one vtysh command
frr_jq() {
	local ns=$1 c=$2 f=$3; shift 3
	vtysh_ns "$ns" "$c" | jq -e "$@" "$f" >/dev/null
}

# ------------------------------------------------------------------------
# GoBGP: gobgpd with a TOML file; its gRPC API on 127.0.0.1:50051 of the
# namespace, so every instance can use the default port.

gobgp_start() {		# gobgp_start NS CONF_TEXT
	local ns=$1 conf=$TMP/gobgp-$1.toml
	printf '%s\n' "$2" >"$conf"
	ip netns exec "$ns" gobgpd -f "$conf" -t toml -p --pprof-disable \
	    --api-hosts 127.0.0.1:50051 >>"$TMP/gobgp-$ns.log" 2>&1 &
	track_pid $!
	wait_until 10 gobgp_ns "$ns" global >/dev/null
}
gobgp_ns() {		# gobgp_ns NS ARGS...
	local ns=$1; shift
	ip netns exec "$ns" gobgp -u 127.0.0.1 -p 50051 "$@"
}
gobgp_established() {	# gobgp_established NS PEER
	gobgp_ns "$1" neighbor "$2" -j |
	    jq -e '.state.session_state == 6 or
	    .state.session_state == "established"' >/dev/null
}
gobgp_has_route() {	# gobgp_has_route NS ipv4|ipv6 PREFIX
	gobgp_ns "$1" global rib -a "$2" -j |
	    jq -e --arg p "$3" 'has($p)' >/dev/null
}

# ------------------------------------------------------------------------
# BIRD 2: in the foreground with its control socket in $TMP.

bird_start() {		# bird_start NS CONF_TEXT
	local ns=$1 conf=$TMP/bird-$1.conf
	printf '%s\n' "$2" >"$conf"
	ip netns exec "$ns" bird -f -c "$conf" -s "$TMP/bird-$ns.ctl" \
	    -P "$TMP/bird-$ns.pid" >>"$TMP/bird-$ns.log" 2>&1 &
	track_pid $!
	wait_until 10 test -S "$TMP/bird-$ns.ctl"
}
birdc_ns() {		# birdc_ns NS COMMAND...
	local ns=$1; shift
	ip netns exec "$ns" birdc -s "$TMP/bird-$ns.ctl" "$@"
}
bird_established() {	# bird_established NS PROTOCOL
	birdc_ns "$1" show protocols "$2" | grep -q Established
}
bird_has_route() {	# bird_has_route NS PREFIX
	birdc_ns "$1" show route "for" "$2" | grep -q "^${2%/*}"
}

# ------------------------------------------------------------------------
# ExaBGP 4.2: in the foreground as root; the UPDATEs it receives are
# written as JSON lines to $TMP/exabgp-NS.recv by a process it runs.

exabgp_start() {	# exabgp_start NS CONF_TEXT
	local ns=$1 conf=$TMP/exabgp-$1.conf
	printf '%s\n' "$2" >"$conf"
	: >"$TMP/exabgp-$ns.recv"
	ip netns exec "$ns" env exabgp.daemon.user=root \
	    exabgp.daemon.daemonize=false exabgp.api.cli=false \
	    exabgp.log.destination=stdout exabgp.daemon.drop=false \
	    exabgp "$conf" >>"$TMP/exabgp-$ns.log" 2>&1 &
	track_pid $!
}
# exabgp_recv_process NS: the `process` block that records UPDATEs
exabgp_recv_process() {
	# not `exec cat`: stdout must stay open, ExaBGP takes EOF for death
	printf '#!/bin/sh\ncat >>%s\n' "$TMP/exabgp-$1.recv" \
	    >"$TMP/exabgp-$1.recv.sh"
	chmod 755 "$TMP/exabgp-$1.recv.sh"
	printf 'process recv {\n\trun %s;\n\tencoder json;\n}\n' \
	    "$TMP/exabgp-$1.recv.sh"
}
exabgp_has_route() {	# exabgp_has_route NS PREFIX: announced to ExaBGP
	grep '"announce"' "$TMP/exabgp-$1.recv" | grep -q "\"$2\""
}
exabgp_established() {	# exabgp_established NS: it logged the session up
	grep -q '"state": *"up"' "$TMP/exabgp-$1.recv"
}

# ------------------------------------------------------------------------
# OpenBGPD (/usr/sbin/bgpd): in the foreground, without touching the FIB,
# its control sockets in $TMP.  It chroots to its user's home, /run/openbgpd,
# which systemd would make.

openbgpd_start() {	# openbgpd_start NS CONF_TEXT (without `socket` lines)
	local ns=$1 conf=$TMP/openbgpd-$1.conf
	if [ ! -d /run/openbgpd ]; then
		mkdir -p /run/openbgpd && _rmdirs+=(/run/openbgpd)
	fi
	{
		printf '%s\n' "$2"
		printf 'fib-update no\nsocket "%s"\n' "$TMP/openbgpd-$ns.sock"
		printf 'socket "%s" restricted\n' "$TMP/openbgpd-$ns.rsock"
	} >"$conf"
	chmod 0600 "$conf"	# bgpd refuses a file others may read
	ip netns exec "$ns" /usr/sbin/bgpd -d -f "$conf" \
	    >>"$TMP/openbgpd-$ns.log" 2>&1 &
	track_pid $!
	wait_until 10 bgpctl_ns "$ns" show >/dev/null
}
bgpctl_ns() {		# bgpctl_ns NS ARGS...
	local ns=$1; shift
	bgpctl -s "$TMP/openbgpd-$ns.sock" "$@"
}
openbgpd_established() {	# openbgpd_established NS PEER
	bgpctl_ns "$1" -j show neighbor "$2" |
	    jq -e '.neighbors[0].state == "Established"' >/dev/null
}
openbgpd_has_route() {	# openbgpd_has_route NS PREFIX
	bgpctl_ns "$1" -j show rib "$2" |
	    jq -e --arg p "$2" '[.rib[]? | select(.prefix == $p)] |
	    length > 0' >/dev/null
}

# ------------------------------------------------------------------------
# SRv6 VPN helpers

# srv6_attr SID BEHAVIOUR LBL LNL FL AL TL TO: a BGP Prefix-SID attribute
# (type 40) with one SRv6 L3 Service TLV holding one SID Information
# sub-TLV and one SID Structure sub-sub-TLV (RFC 9252 §2, §3.2.1), as an
# ExaBGP generic `attribute [ ... ]` body.  ExaBGP 4.2's own keyword emits
# a pre-RFC layout (SRV6.md); SID is the SID field as sent (transposed
# bits already zeroed), BEHAVIOUR a number (19 End.DT4, 0xffff ...).
srv6_attr() {
	local sid b=$(($2))
	sid=$(python3 -c 'import ipaddress, sys
print(ipaddress.IPv6Address(sys.argv[1]).exploded.replace(":", ""))' "$1") ||
	    return 1
	# TLV 5 (len 34): reserved, sub-TLV 1 (len 30): reserved, SID, flags,
	# behaviour, reserved, sub-sub-TLV 1 (len 6): the structure
	printf '0x28 0xc0 0x0500220001001e00%s00%04x0001000' "$sid" "$b"
	printf '6%02x%02x%02x%02x%02x%02x\n' "$3" "$4" "$5" "$6" "$7" "$8"
}

# exabgp_cmd_process NS: a `process cmd` block whose lines, appended by
# exabgp_cmd, ExaBGP reads as API commands (announce, withdraw).
exabgp_cmd_process() {
	: >"$TMP/exabgp-$1.cmd"
	# tail keeps stdout open: ExaBGP takes EOF for the process's death
	printf '#!/bin/sh\nexec tail -n +1 -F %s\n' "$TMP/exabgp-$1.cmd" \
	    >"$TMP/exabgp-$1.cmd.sh"
	chmod 755 "$TMP/exabgp-$1.cmd.sh"
	printf 'process cmd {\n\trun %s;\n\tencoder text;\n}\n' \
	    "$TMP/exabgp-$1.cmd.sh"
}
exabgp_cmd() {		# exabgp_cmd NS COMMAND: one API command
	printf '%s\n' "$2" >>"$TMP/exabgp-$1.cmd"
}

# sid_join FIELD LABEL TL TO: the whole SID from a SID field and the 20-bit
# VPN label carrying its transposed bits (RFC 9252 §4): label >> (20 - TL)
# ORed in at bit TO.  With the label 3 of an untransposed SID and TL 16 the
# bits are 0, so FIELD comes back unchanged.
sid_join() {
	python3 -c 'import ipaddress, sys
f, l, tl, to = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
bits = l >> (20 - tl) if tl else 0
print(ipaddress.IPv6Address(int(ipaddress.IPv6Address(f)) |
    bits << (128 - to - tl)))' "$@"
}
# frr_vpn_paths NS ipv4|ipv6 PREFIX RD: FRR's paths for RD:PREFIX in its
# VPN table, one JSON object a line (`remoteSid`, `remoteLabel`,
# `extendedCommunity.string`, `nexthops`).
frr_vpn_paths() {
	vtysh_ns "$1" "show bgp $2 vpn $3 json" |
	    jq -c --arg rd "$4" '.[$rd].paths[]?'
}
# frr_vpn_sid NS AF PREFIX RD TL TO: the whole SID of FRR's best path for
# RD:PREFIX, the label's bits put back at TO (FRR 8.4 shows the SID field
# and the label, not the structure).
frr_vpn_sid() {
	local p
	p=$(frr_vpn_paths "$1" "$2" "$3" "$4" | head -n 1)
	[ -n "$p" ] || return 1
	sid_join "$(jq -r .remoteSid <<<"$p")" \
	    "$(jq -r .remoteLabel <<<"$p")" "$5" "$6"
}
# frr_vpn_jq NS AF PREFIX RD FILTER: true if FILTER holds on one of FRR's
# paths for RD:PREFIX
frr_vpn_jq() {
	frr_vpn_paths "$1" "$2" "$3" "$4" |
	    jq -se "map(select($5)) | length > 0" >/dev/null
}
# srv6d_rib_count NAME JQ-FILTER SHOW-RIB-ARGS...: how many paths of
# `show rib ARGS` (JSON) satisfy the filter; fails when srv6ctl does
srv6d_rib_count() {
	local name=$1 f=$2 out; shift 2
	out=$(sctl "$name" -j show rib "$@") || return 1
	jq -e "[.. | objects | select(has(\"prefix\")) | select($f)] |
	    length" <<<"$out"
}
srv6d_rib_has() {	# srv6d_rib_has NAME JQ-FILTER SHOW-RIB-ARGS...
	local n
	n=$(srv6d_rib_count "$@" 2>/dev/null) && [ "$n" -gt 0 ]
}
srv6d_rib_lacks() {	# srv6d_rib_lacks NAME JQ-FILTER SHOW-RIB-ARGS...
	local n
	n=$(srv6d_rib_count "$@" 2>/dev/null) && [ "$n" -eq 0 ]
}
# rib_filter PREFIX [RD [SID]]: a jq filter for srv6d's JSON paths of
# PREFIX (of route distinguisher RD, with the whole SID SID)
rib_filter() {
	local q=".prefix == \"$1\""
	[ -n "${2:-}" ] && q+=" and .rd == \"$2\""
	[ -n "${3:-}" ] && q+=" and .sid == \"$3\""
	echo "$q"
}

# ------------------------------------------------------------------------
# What went over the wire: tcpdump per namespace, BGP UPDATEs decoded by
# bgp_pcap.py (VPN prefixes with their Prefix-SID, one JSON line each).

# pcap_start NS IF NAME: capture BGP on IF of NS into $TMP/NAME.pcap
pcap_start() {
	ip netns exec "$1" tcpdump -i "$2" -U --immediate-mode -Z root \
	    -w "$TMP/$3.pcap" 'tcp port 179' >"$TMP/$3.tcpdump" 2>&1 &
	track_pid $!
	wait_until 5 grep -q 'listening on' "$TMP/$3.tcpdump"
}
# pcap_vpn NAME [SRC]: the VPN prefixes sent by SRC, as JSON lines
pcap_vpn() {
	python3 "$TOP/regress/netns/bgp_pcap.py" "$TMP/$1.pcap" "${2:-}"
}
# pcap_last NAME SRC RD PREFIX: the last announcement or withdrawal of
# RD:PREFIX that SRC sent
pcap_last() {
	pcap_vpn "$1" "$2" | jq -c --arg rd "$3" --arg p "$4" \
	    'select(.rd == $rd and .prefix == $p)' | tail -n 1
}
