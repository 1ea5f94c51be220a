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
# jqe JQ-ARGS...: jq -e on stdin, but no input is no answer (2), where
# jq 1.6 -e would say true: a check on a daemon that printed nothing
# must not pass
jqe() {
	local in
	in=$(cat)
	[ -n "$in" ] || return 2
	jq -e "$@" <<<"$in"
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
# vpn_pe_conf N MEMBER [PEER LOCAL]...: an srv6d PE of AS 65001, router
# id 10.0.0.N, locator fc00:0:N::/48 (32/16/16), vrf0 (table 10, RD
# 6500N:10, RT 65000:10 both ways, sid auto, member MEMBER, network
# connected) and an iBGP VPNv4 + VPNv6 neighbor PEER from LOCAL per pair
vpn_pe_conf() {
	local n=$1 mif=$2
	shift 2
	cat <<EOF
as 65001
router-id 10.0.0.$n
srv6 {
	locator main prefix fc00:0:$n::/48 block-length 32 node-length 16 function-length 16
}
vrf vrf0 {
	table 10
	rd 6500$n:10
	import-target 65000:10
	export-target 65000:10
	sid auto
	interface $mif
	network connected
}
EOF
	while [ $# -ge 2 ]; do
		cat <<EOF
neighbor $1 {
	remote-as 65001
	local-address $2
	address-family vpnv4
	address-family vpnv6
}
EOF
		shift 2
	done
}
# need_table_mode NAME: unless srv6d and srv6ctl are built, jq and ping
# are there and the kernel has no VRF devices (srv6d would run in VRF
# mode), report test NAME skipped with the reason and end the script
need_table_mode() {
	local t ns rc why=
	for t in "$SRV6D" "$SRV6CTL"; do
		[ -x "$t" ] || why="$t not built"
	done
	for t in jq ping; do
		command -v "$t" >/dev/null || why="no $t"
	done
	if [ -z "$why" ] && netns_new ns; then
		ip -n "$ns" link add probe type vrf table 4242 2>/dev/null
		rc=$?
		ip -n "$ns" link del probe 2>/dev/null
		[ "$rc" = 0 ] &&
		    why="this kernel has VRF devices: srv6d would run in VRF mode"
	fi
	[ -z "$why" ] && return 0
	skip "$1" "$why"
	tap_done
	exit
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
	sctl "$name" -j "$@" | jqe "$f" >/dev/null
}
# srv6d_grep NAME REGEX SRV6CTL-ARGS...: the text answer matches REGEX
srv6d_grep() {
	local name=$1 re=$2; shift 2
	sctl "$name" "$@" | grep -Eq -- "$re"
}
# srv6d_has_route NAME PREFIX [NEIGHBOR]: PREFIX is in the Loc-RIB of
# instance NAME (learned from NEIGHBOR when given).
srv6d_has_route() {
	sctl "$1" -j show rib "$2" 2>/dev/null | jqe --arg p "$2" \
	    --arg n "${3:-}" '[.. | objects | select(.prefix? == $p and
	    ($n == "" or .neighbor? == $n))] | length > 0' >/dev/null
}
srv6d_no_route() { srv6d_has_route "$@"; [ $? -eq 1 ]; }
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
	    jqe --arg p "$2" '.[$p].bgpState == "Established"' >/dev/null
}
# frr_has_route NS ipv4|ipv6 PREFIX: PREFIX is in FRR's BGP table
frr_has_route() {
	vtysh_ns "$1" "show bgp $2 unicast json" |
	    jqe --arg p "$3" '.routes[$p] | length > 0' >/dev/null
}
frr_no_route() { frr_has_route "$@"; [ $? -eq 1 ]; }
# frr_jq NS COMMAND JQ-FILTER [JQ-ARGS...]: true if the filter is true on
# the JSON answer to one vtysh command
frr_jq() {
	local ns=$1 c=$2 f=$3; shift 3
	vtysh_ns "$ns" "$c" | jqe "$@" "$f" >/dev/null
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
	    jqe '.state.session_state == 6 or
	    .state.session_state == "established"' >/dev/null
}
gobgp_has_route() {	# gobgp_has_route NS ipv4|ipv6 PREFIX
	gobgp_ns "$1" global rib -a "$2" -j |
	    jqe --arg p "$3" 'has($p)' >/dev/null
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
	    jqe '.neighbors[0].state == "Established"' >/dev/null
}
openbgpd_has_route() {	# openbgpd_has_route NS PREFIX
	bgpctl_ns "$1" -j show rib "$2" |
	    jqe --arg p "$2" '[.rib[]? | select(.prefix == $p)] |
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

# ------------------------------------------------------------------------
# The SRv6 data plane in table mode (DESIGN.md "Kernel modes", SRV6.md
# "Without VRF devices"): per VRF an `ip rule iif MEMBER lookup TABLE',
# remote VPN routes in TABLE through seg6 encap nexthop objects, local
# SIDs as seg6local End.DT6 (table) and End.DX4 with counters.  The
# fib_hand_* helpers install by hand exactly what srv6d installs; the
# fib_* checks read the kernel's state and the packets on a link, so the
# same checks serve the hand-made and srv6d's state.  Everything srv6d
# installs carries its protocol number, RTPROT_SRV6D.

FIB_PROTO=201
FIB_NHID_BASE=$((0x5d600000))	# srv6d's nexthop object ids start here

# fib_ip NS ARGS...: ip -json in NS, protocols and tables as numbers
# (-N: a name from an installed rt_protos.d file would hide 201)
fib_ip() { local ns=$1; shift; ip -N -j -n "$ns" "$@"; }

# fib_hand_sysctls NS: what a table-mode PE needs (found by fib_design.sh:
# without IPv4 forwarding the IPv4 VPN fails at both PEs, without IPv6
# forwarding both VPNs do; seg6_enabled and rp_filter do not matter for
# seg6 encap and seg6local on this kernel)
fib_hand_sysctls() {
	ip netns exec "$1" sysctl -qw net.ipv4.ip_forward=1 \
	    net.ipv6.conf.all.forwarding=1
}
# fib_hand_rule NS MEMBER TABLE [PRIORITY]: both families' rule sending
# what arrives on MEMBER to TABLE (priority 2000, srv6d's default)
fib_hand_rule() {
	local af
	for af in -4 -6; do
		ip -n "$1" "$af" rule add iif "$2" lookup "$3" \
		    pref "${4:-2000}" proto "$FIB_PROTO" || return 1
	done
}
# fib_hand_nexthop NS ID -4|-6 SID DEV [MODE]: a seg6 encap nexthop
# object.  Its family must be the routes': an IPv6 route refuses a
# device-only nexthop of family AF_INET ("IPv6 routes can not use an IPv4
# nexthop"), and `ip nexthop add' without -6 makes AF_INET.
fib_hand_nexthop() {
	ip -n "$1" "$3" nexthop add id "$2" encap seg6 mode "${6:-encap}" \
	    segs "$4" dev "$5" proto "$FIB_PROTO"
}
# fib_hand_route NS TABLE PREFIX ID: a VPN route through nexthop object ID
fib_hand_route() {
	ip -n "$1" route add "$3" nhid "$4" table "$2" proto "$FIB_PROTO"
}
# fib_hand_sid NS SID DEV ACTION ARGS...: a local SID with counters,
# e.g. `End.DT6 table 10' or `End.DX4 nh4 10.200.0.0'
fib_hand_sid() {
	local ns=$1 sid=$2 dev=$3; shift 3
	ip -n "$ns" -6 route add "$sid/128" encap seg6local action "$@" \
	    count dev "$dev" proto "$FIB_PROTO"
}

# fib_rule_has NS -4|-6 MEMBER TABLE: srv6d's rule iif MEMBER lookup TABLE
fib_rule_has() {
	fib_ip "$1" "$2" rule show | jqe --arg i "$3" --arg t "$4" \
	    --arg p "$FIB_PROTO" 'any(.[]; .iif == $i and .table == $t and
	    .protocol == $p)' >/dev/null
}
# fib_route_json NS TABLE PREFIX: srv6d's route for PREFIX in TABLE, one
# JSON object, or failure
fib_route_json() {
	local af=-4 out
	case $3 in *:*) af=-6 ;; esac
	out=$(fib_ip "$1" "$af" route show table "$2" proto "$FIB_PROTO" \
	    exact "$3" | jq -c '.[]') || return 1
	[ -n "$out" ] && printf '%s\n' "$out"
}
# fib_route_sids NS TABLE PREFIX: the SIDs srv6d's route for PREFIX in
# TABLE encapsulates with, one a line, sorted, read from the nexthop
# object it points to (a group: every member's); fails when there is no
# such route or it carries its own encapsulation instead of a nexthop
# object of srv6d's
fib_route_sids() {
	local r id nh m
	r=$(fib_route_json "$@") || return 1
	id=$(jq -r '.nhid // empty' <<<"$r")
	[ -n "$id" ] || return 1
	nh=$(fib_ip "$1" nexthop show id "$id" | jq -c '.[0]') || return 1
	jq -e --arg p "$FIB_PROTO" '.protocol == $p' <<<"$nh" >/dev/null ||
	    return 1
	if jq -e 'has("group")' <<<"$nh" >/dev/null; then
		for m in $(jq -r '.group[].id' <<<"$nh"); do
			fib_ip "$1" nexthop show id "$m" | jq -r '.[0].segs[]'
		done | sort
	else
		jq -r '.segs[]' <<<"$nh"
	fi
}
# fib_route_sid_is NS TABLE PREFIX SID...: exactly these SIDs
fib_route_sid_is() {
	local ns=$1 t=$2 p=$3 got want; shift 3
	got=$(fib_route_sids "$ns" "$t" "$p") || return 1
	want=$(printf '%s\n' "$@" | sort)
	[ "$got" = "$want" ]
}
fib_no_route() {	# fib_no_route NS TABLE PREFIX
	local af=-4 out
	case $3 in *:*) af=-6 ;; esac
	out=$(fib_ip "$1" "$af" route show table "$2" exact "$3") &&
	    [ "$(jq length <<<"$out")" -eq 0 ]
}
# fib_sid_json NS SID: srv6d's seg6local route for SID with its counters
fib_sid_json() {
	local out
	out=$(fib_ip "$1" -6 -s route show table all proto "$FIB_PROTO" \
	    exact "$2/128" | jq -c '.[] | select(.encap == "seg6local")') ||
	    return 1
	[ -n "$out" ] && printf '%s\n' "$out"
}
# fib_sid_is NS SID JQ-FILTER: the SID exists and the filter holds, e.g.
# '.action == "End.DT6" and .table == "10"'
fib_sid_is() {
	local j
	j=$(fib_sid_json "$1" "$2") && jq -e "$3" <<<"$j" >/dev/null
}
# fib_sid_packets NS SID: its packet counter; fails without counters
fib_sid_packets() {
	local j
	j=$(fib_sid_json "$1" "$2") && jq -e '.stats64.packets' <<<"$j"
}
# fib_sids NS: every seg6local SID of srv6d's, "SID ACTION ARG" a line
fib_sids() {
	fib_ip "$1" -6 route show table all proto "$FIB_PROTO" | jq -r \
	    '.[] | select(.encap == "seg6local") | "\(.dst) \(.action) " +
	    (.table // .nh4 // .nh6 // "")'
}

# fib_ping NS ADDRESS COUNT: every one of COUNT echo requests answered
fib_ping() {
	local out
	out=$(ip netns exec "$1" ping -n -q -c "$3" -i 0.2 -W 2 "$2") &&
	    grep -q " $3 received" <<<"$out"
}
# fib_ping_counted NS ADDRESS COUNT PE_NS SID [PE_NS SID]: ping COUNT
# times, and each SID's packet counter grows by exactly COUNT (the echo
# requests decapsulated at the far PE, the replies at the near one)
fib_ping_counted() {
	local ns=$1 a=$2 n=$3 i before=() after; shift 3
	local pairs=("$@")
	for ((i = 0; i < ${#pairs[@]}; i += 2)); do
		before+=("$(fib_sid_packets "${pairs[i]}" "${pairs[i+1]}")") ||
		    return 1
	done
	fib_ping "$ns" "$a" "$n" || return 1
	for ((i = 0; i < ${#pairs[@]}; i += 2)); do
		after=$(fib_sid_packets "${pairs[i]}" "${pairs[i+1]}") ||
		    return 1
		if [ $((after - before[i / 2])) -ne "$n" ]; then
			diag "${pairs[i+1]}: $((after - before[i / 2])) packets counted, $n sent"
			return 1
		fi
	done
}

# fib_pcap_start NS IF NAME: capture the SRv6 packets (IPv6 whose next
# header is a routing header, IPv4 or IPv6) on IF into $TMP/NAME.pcap
fib_pcap_start() {
	ip netns exec "$1" tcpdump -i "$2" -U --immediate-mode -Z root \
	    -w "$TMP/$3.pcap" 'ip6[6] == 43 or ip6[6] == 4 or ip6[6] == 41' \
	    >"$TMP/$3.tcpdump" 2>&1 &
	track_pid $!
	wait_until 5 grep -q 'listening on' "$TMP/$3.tcpdump"
}
# fib_pcap_flows NAME: one line per captured SRv6 packet: outer source,
# outer destination, the SRH's segments (comma-separated, "-" without
# SRH), the inner source and destination
fib_pcap_flows() {
	python3 - "$TMP/$1.pcap" <<'PY'
import ipaddress, struct, sys
a6 = lambda b: str(ipaddress.IPv6Address(b))
a4 = lambda b: str(ipaddress.IPv4Address(b))
data = open(sys.argv[1], "rb").read()
if len(data) < 24:
    sys.exit(0)
end = "<" if data[:4] == b"\xd4\xc3\xb2\xa1" else ">"
link = struct.unpack(end + "I", data[20:24])[0]
off = 24
while off + 16 <= len(data):
    caplen = struct.unpack(end + "I", data[off + 8:off + 12])[0]
    p = data[off + 16:off + 16 + caplen]
    off += 16 + caplen
    if link == 1:			# Ethernet
        if p[12:14] != b"\x86\xdd":
            continue
        p = p[14:]
    elif link == 113:			# Linux cooked
        p = p[16:]
    if len(p) < 40 or p[0] >> 4 != 6:
        continue
    nh, osrc, odst, q, segs = p[6], a6(p[8:24]), a6(p[24:40]), p[40:], "-"
    if nh == 43 and len(q) >= 8 and q[2] == 4:	# SRH (RFC 8754)
        n = q[1] // 2
        segs = ",".join(a6(q[8 + 16 * i:24 + 16 * i]) for i in range(n))
        nh, q = q[0], q[8 * (q[1] + 1):]
    if nh == 4 and len(q) >= 20:
        inner = a4(q[12:16]), a4(q[16:20])
    elif nh == 41 and len(q) >= 40:
        inner = a6(q[8:24]), a6(q[24:40])
    else:
        continue
    print(osrc, odst, segs, *inner)
PY
}
# fib_pcap_count NAME OUTER_DST INNER_SRC INNER_DST: how many captured
# packets went to OUTER_DST (the remote SID, also the SRH's only segment
# when there is an SRH) carrying INNER_SRC > INNER_DST
fib_pcap_count() {
	fib_pcap_flows "$1" | awk -v d="$2" -v s="$3" -v t="$4" \
	    '$2 == d && ($3 == "-" || $3 == d) && $4 == s && $5 == t { n++ }
	    END { print n + 0 }'
}

# fib_state NS: everything of srv6d's in NS (rules, routes of every
# table, nexthop objects), one JSON object a line, sorted, without
# counters: equal before and after means nothing changed
fib_state() {
	local af
	{
		for af in -4 -6; do
			fib_ip "$1" "$af" rule show | jq -c --arg af "$af" \
			    --arg p "$FIB_PROTO" '.[] | select(.protocol == $p) |
			    {rule: $af} + .'
			fib_ip "$1" "$af" route show table all proto \
			    "$FIB_PROTO" | jq -c --arg af "$af" \
			    '.[] | {route: $af} + .'
		done
		fib_ip "$1" nexthop show | jq -c --arg p "$FIB_PROTO" \
		    '.[] | select(.protocol == $p) | {nexthop: .id} + .'
	} | sort
}
# fib_state_table NS TABLE: the part of fib_state that belongs to TABLE:
# its rules, its routes, the SIDs decapsulating into it
fib_state_table() {
	fib_state "$1" | jq -c --arg t "$2" 'select(.table == $t)'
}
# fib_orphan_nexthops NS: srv6d's nexthop objects no route of its uses
# (directly or through a group), one id a line
fib_orphan_nexthops() {
	local used
	used=$(fib_state "$1" | jq -r 'select(.route) | .nhid // empty'
	    fib_state "$1" | jq -r 'select(.nexthop) | .group[]?.id')
	fib_state "$1" | jq -r 'select(.nexthop) | .id' |
	    grep -vxF -f <(printf '%s\n' "$used" | grep .) || true
}

# fib_monitor_start NS NAME: `ip monitor' of routes, nexthops and rules in
# NS, timestamped, into $TMP/NAME.mon
fib_monitor_start() {
	ip -N -t -n "$1" monitor route nexthop rule >"$TMP/$2.mon" 2>&1 &
	track_pid $!
	sleep 0.3	# its subscription is made before this returns
}
# fib_monitor_deleted NAME [REGEX]: the deletions it saw (matching REGEX)
fib_monitor_deleted() {
	grep 'Deleted' "$TMP/$1.mon" | grep -E -- "${2:-.}" || true
}

# fib_topology: the two-PE table-mode topology of the fib_* tests, its
# namespaces' names in POD, PE1, R, PE2, CE:
#
#  POD pod-p1 --- p1-pod PE1 p1-r --- r-p1  R  r-p2 --- p2-r PE2 p2-ce --- ce-p2 CE
#   10.201.0.2/24      .1   fd00:1::1/64  ::2   fd00:2::2/64  ::1      .1    10.202.0.2/24
#   2001:db8:201::2/64 ::1  locator fc00:0:1::/48    fc00:0:2::/48  ::1   2001:db8:202::2/64
#      pod-x --- p1-x (10.221.0.0/24, 2001:db8:221::/64)    p2-x --- ce-x (10.222.0.0/24 ...)
#
# R forwards IPv6 and routes each locator to its PE (it is also where the
# route reflector runs); each PE routes fd00::/16 and fc00::/16 to R.
# POD and CE default to their PE.  The -x links are a second VRF's
# members.  CE also owns 10.212.0.1/32 on lo, a host behind it.
fib_topology() {
	local n
	netns_new POD && netns_new PE1 && netns_new R && netns_new PE2 &&
	    netns_new CE || return 1
	link_ns "$PE1" p1-r "fd00:1::1/64" "$R" r-p1 "fd00:1::2/64" &&
	    link_ns "$PE2" p2-r "fd00:2::1/64" "$R" r-p2 "fd00:2::2/64" &&
	    link_ns "$POD" pod-p1 "10.201.0.2/24 2001:db8:201::2/64" \
	    "$PE1" p1-pod "10.201.0.1/24 2001:db8:201::1/64" &&
	    link_ns "$CE" ce-p2 "10.202.0.2/24 2001:db8:202::2/64" \
	    "$PE2" p2-ce "10.202.0.1/24 2001:db8:202::1/64" &&
	    link_ns "$POD" pod-x "10.221.0.2/24 2001:db8:221::2/64" \
	    "$PE1" p1-x "10.221.0.1/24 2001:db8:221::1/64" &&
	    link_ns "$CE" ce-x "10.222.0.2/24 2001:db8:222::2/64" \
	    "$PE2" p2-x "10.222.0.1/24 2001:db8:222::1/64" || return 1
	ip netns exec "$R" sysctl -qw net.ipv6.conf.all.forwarding=1 &&
	    ip -n "$R" -6 route add fc00:0:1::/48 via fd00:1::1 &&
	    ip -n "$R" -6 route add fc00:0:2::/48 via fd00:2::1 || return 1
	for n in 1 2; do
		local pe=PE$n
		ip -n "${!pe}" -6 route add fd00::/16 via "fd00:$n::2" &&
		    ip -n "${!pe}" -6 route add fc00::/16 via "fd00:$n::2" ||
		    return 1
	done
	ip -n "$POD" route add default via 10.201.0.1 &&
	    ip -n "$POD" -6 route add default via 2001:db8:201::1 &&
	    ip -n "$CE" route add default via 10.202.0.1 &&
	    ip -n "$CE" -6 route add default via 2001:db8:202::1 &&
	    ip -n "$CE" addr add 10.212.0.1/32 dev lo
}

# fib_check_dataplane TABLE SID1_4 SID1_6 SID2_4 SID2_6 [COUNT]: the TAP
# checks of a working table-mode VPN in fib_topology, whoever installed
# it: each PE's member rule to TABLE, the other side's routes in TABLE
# through nexthop objects with the other PE's SIDs (SIDn_4 PE n's End.DX4
# for its attached IPv4 network, SIDn_6 its End.DT6), the SIDs with
# counters, pings both ways over both families counted by the SIDs, and
# on PE1's core link outer destination = remote SID around the pod's and
# the CE's own addresses.
fib_check_dataplane() {
	local t=$1 s14=$2 s16=$3 s24=$4 s26=$5 n=${6:-5} cap
	_fib_cap=$((${_fib_cap:-0} + 1)) cap=fibcap$_fib_cap
	check "PE1: rules iif p1-pod lookup $t (IPv4, IPv6, proto $FIB_PROTO)" \
	    eval 'fib_rule_has "$PE1" -4 p1-pod "$t" &&
	    fib_rule_has "$PE1" -6 p1-pod "$t"'
	check "PE2: rules iif p2-ce lookup $t (IPv4, IPv6, proto $FIB_PROTO)" \
	    eval 'fib_rule_has "$PE2" -4 p2-ce "$t" &&
	    fib_rule_has "$PE2" -6 p2-ce "$t"'
	check "PE1 table $t: 10.202.0.0/24 through a nexthop object, SID $s24" \
	    wait_until 10 fib_route_sid_is "$PE1" "$t" 10.202.0.0/24 "$s24"
	check "PE1 table $t: 2001:db8:202::/64 through a nexthop object, SID $s26" \
	    wait_until 10 fib_route_sid_is "$PE1" "$t" 2001:db8:202::/64 "$s26"
	check "PE2 table $t: 10.201.0.0/24 through a nexthop object, SID $s14" \
	    wait_until 10 fib_route_sid_is "$PE2" "$t" 10.201.0.0/24 "$s14"
	check "PE2 table $t: 2001:db8:201::/64 through a nexthop object, SID $s16" \
	    wait_until 10 fib_route_sid_is "$PE2" "$t" 2001:db8:201::/64 "$s16"
	check "PE1: $s14 End.DX4 nh4 10.201.0.0 (the attached network), counted" \
	    fib_sid_is "$PE1" "$s14" '.action == "End.DX4" and
	    .nh4 == "10.201.0.0" and (.stats64.packets | type == "number")'
	check "PE1: $s16 End.DT6 table $t, counted" fib_sid_is "$PE1" "$s16" \
	    ".action == \"End.DT6\" and .table == \"$t\" and
	    (.stats64.packets | type == \"number\")"
	check "PE2: $s24 End.DX4 nh4 10.202.0.0 (the attached network), counted" \
	    fib_sid_is "$PE2" "$s24" '.action == "End.DX4" and
	    .nh4 == "10.202.0.0" and (.stats64.packets | type == "number")'
	check "PE2: $s26 End.DT6 table $t, counted" fib_sid_is "$PE2" "$s26" \
	    ".action == \"End.DT6\" and .table == \"$t\" and
	    (.stats64.packets | type == \"number\")"
	check "tcpdump on PE1's core link (R r-p1)" fib_pcap_start "$R" r-p1 "$cap"
	check "pod pings CE over IPv4 $n times; $s24 and $s14 count $n each" \
	    fib_ping_counted "$POD" 10.202.0.2 "$n" "$PE2" "$s24" "$PE1" "$s14"
	check "pod pings CE over IPv6 $n times; $s26 and $s16 count $n each" \
	    fib_ping_counted "$POD" 2001:db8:202::2 "$n" "$PE2" "$s26" \
	    "$PE1" "$s16"
	check "core link: $n packets to $s24 carrying 10.201.0.2 > 10.202.0.2" \
	    wait_until 5 eval '[ "$(fib_pcap_count "$cap" "$s24" 10.201.0.2 10.202.0.2)" -eq "$n" ]'
	check "core link: $n packets to $s14 carrying 10.202.0.2 > 10.201.0.2" \
	    wait_until 5 eval '[ "$(fib_pcap_count "$cap" "$s14" 10.202.0.2 10.201.0.2)" -eq "$n" ]'
	check "core link: $n packets to $s26 carrying 2001:db8:201::2 > 2001:db8:202::2" \
	    wait_until 5 eval '[ "$(fib_pcap_count "$cap" "$s26" 2001:db8:201::2 2001:db8:202::2)" -eq "$n" ]'
	check "core link: $n packets to $s16 carrying 2001:db8:202::2 > 2001:db8:201::2" \
	    wait_until 5 eval '[ "$(fib_pcap_count "$cap" "$s16" 2001:db8:202::2 2001:db8:201::2)" -eq "$n" ]'
	fib_pcap_flows "$cap" | sort | uniq -c | sed 's/^/# core link: /'
	check "CE pings pod over IPv4 and IPv6 (the other way round)" \
	    eval 'fib_ping "$CE" 10.201.0.2 2 && fib_ping "$CE" 2001:db8:201::2 2'
}
