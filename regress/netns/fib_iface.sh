#!/bin/bash
# A member interface that disappears and comes back, in table mode (issue
# 5: "an interface that disappears and returns is enslaved or ruled
# again").  Two srv6d PEs peer directly over iBGP (VPNv4 + VPNv6), vrf0
# with `network connected' on each; the pod and the CE in their own
# namespaces.  The pod's link on PE1 is deleted: PE2 loses PE1's
# connected networks and PE1's connected copies leave table 10.  The same
# link is made again, with the same name and addresses (a new ifindex):
# srv6d's rules `iif p1-pod lookup 10' are attached again, rp_filter of
# p1-pod is 0 again, the connected copies are back in table 10, PE2 has
# PE1's networks again with PE1's SIDs, and the pod reaches the CE over
# both families.  srv6d logs the interface coming back.  Then, after a
# restart of PE1's srv6d (so as to start from a whole state again), the
# same checks after p1-pod merely goes down and up; last the core link
# goes down and up (its peer on PE2 loses its carrier), taking srv6d's
# nexthop objects and the routes through them along on both PEs, which
# srv6d puts back; and the same flap with every route carrying its own
# encapsulation (no nexthop objects).  The VRF mode's
# counterpart (a member enslaved again) is in regress/vm/l3vpn-srv6d.sh.
#
#  POD pod-p1 --- p1-pod PE1 p1-c ====== c-p2 PE2 p2-ce --- ce-p2 CE
#   10.201.0.2/24       .1   fd00:12::1/64  ::2   .1    10.202.0.2/24
#   2001:db8:201::2/64  ::1  fc00:0:1::/48  fc00:0:2::/48  2001:db8:202::2/64
#
#   vrf0: table 10, RT 65000:10, members p1-pod / p2-ce, sid auto,
#         network connected
. "$(dirname "$0")/lib.sh"

need_table_mode "member interface gone and back (table mode)"

# pod_link: the pod's link to PE1, with its addresses and the pod's
# default routes (at the start, and again after it was deleted)
pod_link() {
	link_ns "$POD" pod-p1 "10.201.0.2/24 2001:db8:201::2/64" \
	    "$PE1" p1-pod "10.201.0.1/24 2001:db8:201::1/64" &&
	    ip -n "$POD" route add default via 10.201.0.1 &&
	    ip -n "$POD" -6 route add default via 2001:db8:201::1
}
topology() {
	netns_new POD && netns_new PE1 && netns_new PE2 && netns_new CE ||
	    return 1
	# a new interface of PE1 starts with strict reverse-path filtering:
	# srv6d must turn it off on the member, each time it appears
	ip netns exec "$PE1" sysctl -qw net.ipv4.conf.default.rp_filter=1 &&
	    link_ns "$PE1" p1-c "fd00:12::1/64" "$PE2" c-p2 "fd00:12::2/64" &&
	    pod_link &&
	    link_ns "$CE" ce-p2 "10.202.0.2/24 2001:db8:202::2/64" \
	    "$PE2" p2-ce "10.202.0.1/24 2001:db8:202::1/64" &&
	    ip -n "$PE1" -6 route add fc00:0:2::/48 via fd00:12::2 &&
	    ip -n "$PE2" -6 route add fc00:0:1::/48 via fd00:12::1 &&
	    ip -n "$CE" route add default via 10.202.0.1 &&
	    ip -n "$CE" -6 route add default via 2001:db8:202::1
}
topology || { not_ok "create namespaces and links"; tap_done; exit; }

pe_conf() {	# pe_conf N: PE N's configuration
	local n=$1 o=$((3 - $1)) mif=p1-pod
	[ "$n" = 2 ] && mif=p2-ce
	vpn_pe_conf "$n" "$mif" "fd00:12::$o" "fd00:12::$n"
}
pe_conf 1 >"$TMP/p1.conf"
pe_conf 2 >"$TMP/p2.conf"
check "srv6d PE1 starts" srv6d_start p1 "$PE1" "$TMP/p1.conf"
check "srv6d PE2 starts" srv6d_start p2 "$PE2" "$TMP/p2.conf"
check "PE1 <-> PE2 iBGP Established" \
    wait_until 30 srv6d_established p1 fd00:12::2
check "PE1, PE2: kernel mode table" eval '
    [ "$(sctl p1 -j show summary | jq -r .summary.kernel_mode)" = table ] &&
    [ "$(sctl p2 -j show summary | jq -r .summary.kernel_mode)" = table ]'

# sid_of N BEHAVIOUR [NEXTHOP]: PE N's SID of vrf0 from show sid
sid_of() {
	sctl "p$1" -j show sid | jq -er --arg b "$2" --arg nh "${3:-}" \
	    '[.sids[] | select(.vrf == "vrf0" and .behavior == $b and
	    ($nh == "" or .nexthop == $nh))][0].sid'
}
# sids: PE1's End.DX4 for 10.201.0.0 and End.DT6 into S4 and S6
sids() {
	S4=$(sid_of 1 End.DX4 10.201.0.0) && S6=$(sid_of 1 End.DT6)
}
# (jq 1.6 -e exits 0 on no input at all: every JSON below is read first
# and must not be empty)
# sid_installed SID JQ-FILTER: PE1's kernel has SID (srv6d's seg6local
# route) and the filter holds
sid_installed() {
	local out
	out=$(fib_sid_json "$PE1" "$1") && jq -e "$2" <<<"$out" >/dev/null
}
# conn_copy PREFIX: srv6d's connected copy of PREFIX in PE1's table 10,
# `dev p1-pod scope link'
conn_copy() {
	local out
	out=$(fib_route_json "$PE1" 10 "$1") && jq -e '.dev == "p1-pod" and
	    (.gateway | not) and (.scope // "253") == "253"' <<<"$out" \
	    >/dev/null
}
# rule_attached -4|-6: srv6d's rule iif p1-pod lookup 10 on PE1, not
# [detached] (what the kernel marks a rule whose iif does not exist)
rule_attached() {
	local out
	out=$(fib_ip "$PE1" "$1" rule show) && jq -e --arg p "$FIB_PROTO" \
	    'any(.[]; .iif == "p1-pod" and .table == "10" and
	    .protocol == $p and (has("iif_detached") | not))' <<<"$out" \
	    >/dev/null
}
rp_filter() {	# rp_filter: net.ipv4.conf.p1-pod.rp_filter of PE1
	ip netns exec "$PE1" sysctl -n net.ipv4.conf.p1-pod.rp_filter
}
# pe2_has: PE2's table 10 has PE1's networks with PE1's SIDs S4, S6
pe2_has() {
	fib_route_sid_is "$PE2" 10 10.201.0.0/24 "$S4" &&
	    fib_route_sid_is "$PE2" 10 2001:db8:201::/64 "$S6"
}
retry() {	# retry N COMMAND...: up to N tries, a second apart
	local i
	for ((i = 0; i < $1; i++)); do
		"${@:2}" && return 0
		sleep 1
	done
	return 1
}

# member_ok WHEN: the checks of a working member p1-pod on PE1 (WHEN
# says at which point): srv6d's rules attached, rp_filter 0, the
# connected copies in table 10, PE1's SIDs for vrf0 in its kernel, PE2
# routing PE1's networks to them, the pod reaching the CE
member_ok() {
	local w=$1
	check "PE1 $w: rules iif p1-pod lookup 10 (IPv4, IPv6, proto $FIB_PROTO) attached" \
	    wait_until 3 eval 'rule_attached -4 && rule_attached -6'
	check "PE1 $w: rp_filter of p1-pod 0 (the default is 1)" \
	    wait_until 3 eval '[ "$(rp_filter)" = 0 ]'
	check "PE1 $w: table 10 has connected copies of 10.201.0.0/24 and 2001:db8:201::/64 on p1-pod" \
	    wait_until 3 eval 'conn_copy 10.201.0.0/24 &&
	    conn_copy 2001:db8:201::/64'
	S4='' S6=''
	wait_until 5 sids
	check "PE1 $w: vrf0's End.DX4 ${S4:-?} for 10.201.0.0 and End.DT6 ${S6:-?} in the kernel" \
	    wait_until 3 eval '[ -n "$S4" ] && [ -n "$S6" ] &&
	    sid_installed "$S4" ".action == \"End.DX4\" and .nh4 == \"10.201.0.0\"" &&
	    sid_installed "$S6" ".action == \"End.DT6\" and .table == \"10\""'
	check "PE2 $w: srv6d has 10.201.0.0/24, 2001:db8:201::/64; table 10 to ${S4:-?}, ${S6:-?}" \
	    wait_until 10 eval 'srv6d_has_route p2 10.201.0.0/24 &&
	    srv6d_has_route p2 2001:db8:201::/64 && pe2_has'
	check "$w: the pod pings the CE over IPv4" \
	    retry 2 fib_ping "$POD" 10.202.0.2 2
	check "$w: the pod pings the CE over IPv6" \
	    retry 2 fib_ping "$POD" 2001:db8:202::2 2
}
# state_dump: what PE1 and PE2 have, for the diagnosis of a failure
state_dump() {
	local ns
	for ns in "$PE1" "$PE2"; do
		diag "--- $ns"
		{
			ip -n "$ns" rule show
			ip -n "$ns" route show table 10
			ip -n "$ns" -6 route show table 10
			ip -n "$ns" -6 route show table main proto "$FIB_PROTO"
		} | sed 's/^/# /'
	done
	for ns in p1 p2; do
		diag "--- $ns: the log's last lines, vrf0's RIB"
		tail -n 15 "$TMP/$ns.log" | sed 's/^/# /'
		sctl "$ns" show rib vrf vrf0 2>&1 | sed 's/^/# /'
	done
}

member_ok "at the start"

# --- the member interface disappears ------------------------------------------
ip -n "$PE1" link del p1-pod	# (its peer pod-p1 goes with it)
check "p1-pod deleted: PE2's srv6d loses PE1's 10.201.0.0/24 and 2001:db8:201::/64" \
    wait_until 10 eval 'srv6d_no_route p2 10.201.0.0/24 &&
    srv6d_no_route p2 2001:db8:201::/64'
check "... and PE2's table 10 loses them" \
    wait_until 10 eval 'fib_no_route "$PE2" 10 10.201.0.0/24 &&
    fib_no_route "$PE2" 10 2001:db8:201::/64'
check "PE1 table 10: the connected copies of p1-pod's networks are gone" \
    wait_until 10 eval 'fib_no_route "$PE1" 10 10.201.0.0/24 &&
    fib_no_route "$PE1" 10 2001:db8:201::/64'
check "PE1: the rules iif p1-pod lookup 10 stay, detached" \
    eval 'fib_rule_has "$PE1" -4 p1-pod 10 &&
    fib_rule_has "$PE1" -6 p1-pod 10 && ! rule_attached -4 &&
    ! rule_attached -6'
check "PE1 table 10 keeps PE2's 10.202.0.0/24" \
    eval 'fib_route_sids "$PE1" 10 10.202.0.0/24 | grep -q "^fc00:0:2:"'

# --- ... and comes back: same name, same addresses, a new ifindex --------------
nlog=$(wc -l <"$TMP/p1.log")
# as one makes a link: the addresses first, then up
check "p1-pod made again with 10.201.0.1/24 and 2001:db8:201::1/64" pod_link
member_ok "after p1-pod came back"
# (a line naming p1-pod that is not a failure's)
check "srv6d PE1 logged p1-pod coming back" \
    eval 'tail -n +$((nlog + 1)) "$TMP/p1.log" | grep "p1-pod" |
    grep -qvE ": (Network is down|No such (process|device)|File exists|Invalid argument)"'
tail -n +$((nlog + 1)) "$TMP/p1.log" | sed 's/^/# p1 since: /'
[ "$_tap_failed" -eq 0 ] || state_dump

# --- a member that goes down and up --------------------------------------------
# PE1's srv6d restarts first (fib-keep no: it removes everything and
# installs it again), so this part does not inherit what went wrong above
kill -TERM "$(srv6d_pid p1)"; wait "$(srv6d_pid p1)" 2>/dev/null
check "srv6d PE1 starts again" srv6d_start p1 "$PE1" "$TMP/p1.conf"
check "PE1 <-> PE2 iBGP Established again" \
    wait_until 30 srv6d_established p1 fd00:12::2
member_ok "after the restart"
nfail=$_tap_failed
# the kernel drops IPv6 addresses of a link that goes down unless told
# not to (the operator's part; srv6d sets it itself only on the members
# it enslaves, VRF mode)
ip netns exec "$PE1" sysctl -qw net.ipv6.conf.p1-pod.keep_addr_on_down=1
ip -n "$PE1" link set p1-pod down
sleep 1
ip -n "$PE1" link set p1-pod up
member_ok "after p1-pod went down and up"
[ "$_tap_failed" -eq "$nfail" ] || state_dump

# --- the core link goes down and up -------------------------------------------
# The kernel removes with p1-c the nexthop objects on it (towards PE2's
# SIDs) and every route through them, without a notification per route:
# srv6d puts them back.  The operator's route to PE2's locator goes with
# the link and is put back by hand, as a routing daemon would.
# core_flap: p1-c down for a second and up again (its IPv6 address kept),
# the route to PE2's locator put back
core_flap() {
	ip netns exec "$PE1" sysctl -qw net.ipv6.conf.p1-c.keep_addr_on_down=1
	ip -n "$PE1" link set p1-c down
	sleep 1
	ip -n "$PE1" link set p1-c up
	ip -n "$PE1" -6 route replace fc00:0:2::/48 via fd00:12::2
}
# put_back NAME LINE ERE: srv6d NAME logged, after line LINE of its log,
# what it put back, the counts matching ERE ("N nexthop objects, M routes")
put_back() {
	tail -n +$(($2 + 1)) "$TMP/$1.log" | grep -Eq \
	    "fib: after link changes, put back what the kernel removed: $3"
}
nfail=$_tap_failed
nlog=$(wc -l <"$TMP/p1.log")
nlog2=$(wc -l <"$TMP/p2.log")
core_flap
check "p1-c down: srv6d logged what it put back, nexthop objects among it" \
    wait_until 5 put_back p1 "$nlog" "[1-9][0-9]* nexthop objects, [1-9][0-9]* routes"
# c-p2 only lost its carrier, which the kernel treats the same for
# nexthop objects
check "c-p2 lost its carrier: PE2's srv6d put back its nexthop objects and routes" \
    wait_until 5 put_back p2 "$nlog2" "[1-9][0-9]* nexthop objects, [1-9][0-9]* routes"
check "p1-c up: PE1's table 10 routes PE2's networks to PE2's SIDs again" \
    wait_until 5 eval 'fib_route_sids "$PE1" 10 10.202.0.0/24 |
    grep -q "^fc00:0:2:" && fib_route_sids "$PE1" 10 2001:db8:202::/64 |
    grep -q "^fc00:0:2:"'
check "PE1 <-> PE2 iBGP still Established" \
    wait_until 30 srv6d_established p1 fd00:12::2
member_ok "after p1-c went down and up"
tail -n +$((nlog + 1)) "$TMP/p1.log" | grep "fib:" | sed 's/^/# p1 since: /'
[ "$_tap_failed" -eq "$nfail" ] || state_dump

# --- the same without nexthop objects ----------------------------------------
# Where the kernel has no seg6 nexthop objects each route carries its own
# encapsulation and device (SRV6D_NO_NEXTHOP_OBJECTS forces it here): the
# kernel removes those routes with the device too, and srv6d sends them
# all again.
# encap_route ROUTE-PREFIX: PE1's table 10 holds it with its own seg6
# encapsulation to one of PE2's SIDs, no nexthop object
encap_route() {
	local af=-4
	case $1 in *:*) af=-6 ;; esac
	ip -n "$PE1" -j "$af" route show table 10 "$1" proto "$FIB_PROTO" |
	    jq -e '.[0] | .encap == "seg6" and (.nhid == null) and
	    (.segs[0] | startswith("fc00:0:2:"))' >/dev/null
}
nfail=$_tap_failed
kill -TERM "$(srv6d_pid p1)"; wait "$(srv6d_pid p1)" 2>/dev/null
SRV6D_NO_NEXTHOP_OBJECTS=1 srv6d_start p1 "$PE1" "$TMP/p1.conf"
check "srv6d PE1 starts again, each route with its own encapsulation" \
    wait_until 30 eval 'srv6d_established p1 fd00:12::2 &&
    encap_route 10.202.0.0/24 && encap_route 2001:db8:202::/64'
nlog=$(wc -l <"$TMP/p1.log")
core_flap
check "p1-c down and up: srv6d sent its routes again" \
    wait_until 5 put_back p1 "$nlog" "0 nexthop objects, [1-9][0-9]* routes"
check "p1-c up: PE1's table 10 has PE2's networks, each with its encapsulation" \
    wait_until 5 eval 'encap_route 10.202.0.0/24 &&
    encap_route 2001:db8:202::/64'
check "PE1 <-> PE2 iBGP still Established (per-route encapsulations)" \
    wait_until 30 srv6d_established p1 fd00:12::2
check "per-route encapsulations: the pod pings the CE over IPv4" \
    retry 3 fib_ping "$POD" 10.202.0.2 2
check "per-route encapsulations: the pod pings the CE over IPv6" \
    retry 3 fib_ping "$POD" 2001:db8:202::2 2
[ "$_tap_failed" -eq "$nfail" ] || state_dump

tap_done
