#!/bin/bash
# ECMP on the real kernel, table mode: PE1's vrf0 imports the same
# networks, 10.50.0.0/24 and 2001:db8:50::/64, from PE2 and PE3 with
# equal paths (they differ only in the tie-breakers: router-id, peer
# address, RD).  srv6d keeps both in its VRF RIB and installs ONE route
# per prefix in table 10, through a nexthop group of protocol 201 whose
# two members are the nexthop objects of PE2's and PE3's SIDs.  The pod
# reaches the anycast CE (whichever answers).  PE3's srv6d stops (a
# Cease): the routes go through PE2's SID's nexthop object alone and the
# group leaves the kernel; PE3 back: the group again.  Then PE1 without
# nexthop objects (SRV6D_NO_NEXTHOP_OBJECTS=1): the IPv4 route carries
# RTA_MULTIPATH, one seg6 encapsulation per path; the IPv6 route keeps
# one path (the kernel refuses device-only IPv6 multipath).  Last, a
# plain stop leaves nothing of protocol 201 on PE1.
#
#                                  c-p2 PE2 p2-ce --- ce2 CE2
#                     fd00:12::1/64  ::2  fc00:0:2::/48  10.50.0.2/24
#                    p1-c2 ==========/     .1 / ::1      2001:db8:50::2/64
#  POD pod --- p1-pod PE1
#                    p1-c3 ==========\     .1 / ::1      10.50.0.2/24
#                     fd00:13::1/64  ::3  fc00:0:3::/48  2001:db8:50::2/64
#                                  c-p3 PE3 p3-ce --- ce3 CE3
#   10.201.0.2/24 2001:db8:201::2/64 (.1 / ::1 on p1-pod), PE1 fc00:0:1::/48
#
#   vrf0: table 10, RT 65000:10, members p1-pod / p2-ce / p3-ce, sid auto,
#         network connected; PE1 peers iBGP (VPNv4 + VPNv6) with PE2
#         and PE3 directly
. "$(dirname "$0")/lib.sh"

T="ECMP through a nexthop group (table mode)"
need_table_mode "$T"

# nexthop groups of seg6 nexthop objects: the kernel must take them
nh_groups() {
	local ns
	netns_new ns || return 1
	ip -n "$ns" link add nhg0 type veth peer name nhg1 &&
	    ip -n "$ns" link set nhg1 up && ip -n "$ns" link set nhg0 up &&
	    ip -n "$ns" -6 nexthop add id 1 encap seg6 mode encap \
	    segs fc00::1 dev nhg0 &&
	    ip -n "$ns" -6 nexthop add id 2 encap seg6 mode encap \
	    segs fc00::2 dev nhg0 &&
	    ip -n "$ns" nexthop add id 3 group 1/2
} 2>/dev/null
if ! nh_groups; then
	skip "$T" "this kernel takes no group of seg6 nexthop objects"
	tap_done; exit
fi

topology() {
	local n
	netns_new POD && netns_new PE1 && netns_new PE2 && netns_new PE3 &&
	    netns_new CE2 && netns_new CE3 || return 1
	link_ns "$POD" pod "10.201.0.2/24 2001:db8:201::2/64" \
	    "$PE1" p1-pod "10.201.0.1/24 2001:db8:201::1/64" &&
	    ip -n "$POD" route add default via 10.201.0.1 &&
	    ip -n "$POD" -6 route add default via 2001:db8:201::1 || return 1
	for n in 2 3; do
		local pe=PE$n ce=CE$n
		link_ns "$PE1" "p1-c$n" "fd00:1$n::1/64" \
		    "${!pe}" "c-p$n" "fd00:1$n::$n/64" &&
		    link_ns "${!ce}" "ce$n" "10.50.0.2/24 2001:db8:50::2/64" \
		    "${!pe}" "p$n-ce" "10.50.0.1/24 2001:db8:50::1/64" &&
		    ip -n "$PE1" -6 route add "fc00:0:$n::/48" \
		    via "fd00:1$n::$n" &&
		    ip -n "${!pe}" -6 route add fc00:0:1::/48 \
		    via "fd00:1$n::1" &&
		    ip -n "${!ce}" route add default via 10.50.0.1 &&
		    ip -n "${!ce}" -6 route add default via 2001:db8:50::1 ||
		    return 1
	done
}
topology || { not_ok "create namespaces and links"; tap_done; exit; }

pe_conf() {	# pe_conf N: PE N's configuration (PE1 peers with both)
	if [ "$1" = 1 ]; then
		vpn_pe_conf 1 p1-pod fd00:12::2 fd00:12::1 fd00:13::3 fd00:13::1
	else
		vpn_pe_conf "$1" "p$1-ce" "fd00:1$1::1" "fd00:1$1::$1"
	fi
}
for n in 1 2 3; do
	pe_conf "$n" >"$TMP/p$n.conf"
done
for n in 1 2 3; do
	pe=PE$n
	check "srv6d PE$n starts" srv6d_start "p$n" "${!pe}" "$TMP/p$n.conf"
done
# both_up: PE1's sessions with PE2 and PE3 Established
both_up() {
	srv6d_established p1 fd00:12::2 && srv6d_established p1 fd00:13::3
}
check "PE1 <-> PE2 and PE1 <-> PE3 iBGP Established" wait_until 30 both_up
table_mode() {	# table_mode N...: srv6d PE N... run in table mode
	local n
	for n; do
		[ "$(sctl "p$n" -j show summary |
		    jq -r .summary.kernel_mode)" = table ] || return 1
	done
}
check "PE1, PE2, PE3: kernel mode table" table_mode 1 2 3

# sid_of N BEHAVIOUR [NEXTHOP]: PE N's SID of vrf0 from show sid
sid_of() {
	sctl "p$1" -j show sid | jq -er --arg b "$2" --arg nh "${3:-}" \
	    '[.sids[] | select(.vrf == "vrf0" and .behavior == $b and
	    ($nh == "" or .nexthop == $nh))][0].sid'
}
# S[N,4]: PE N's End.DX4 for 10.50.0.0, S[N,6] its End.DT6
declare -A S
for n in 2 3; do
	wait_until 10 quiet sid_of "$n" End.DX4 10.50.0.0
	S[$n,4]=$(sid_of "$n" End.DX4 10.50.0.0)
	S[$n,6]=$(sid_of "$n" End.DT6)
	check "PE$n vrf0: End.DX4 ${S[$n,4]:-?} for 10.50.0.0, End.DT6 ${S[$n,6]:-?}" \
	    eval '[[ ${S[$n,4]} == fc00:0:$n:* ]] &&
	    [[ ${S[$n,6]} == fc00:0:$n:* ]]'
done

# rib_paths PREFIX N...: PE1's vrf0 holds exactly the imported paths of
# PREFIX from PE N... (RD 6500N:10, PE N's SID), one of them best
rib_paths() {
	local p=$1 out n want; shift
	out=$(sctl p1 -j show rib vrf vrf0) || return 1
	want=$(for n; do
		if [[ $p == *:* ]]; then echo "6500$n:10 ${S[$n,6]}"
		else echo "6500$n:10 ${S[$n,4]}"; fi
	done | sort)
	[ "$(jq -r --arg p "$p" '.. | objects | select(.prefix? == $p and
	    .imported == true) | "\(.rd) \(.sid)"' <<<"$out" | sort)" = \
	    "$want" ] &&
	    jq -e --arg p "$p" '[.. | objects | select(.prefix? == $p and
	    .best == true)] | length == 1' <<<"$out" >/dev/null
}
# nh_json ID: PE1's nexthop object ID
nh_json() {
	local out
	out=$(fib_ip "$PE1" nexthop show id "$1" 2>/dev/null | jq -c '.[0]') &&
	    [ -n "$out" ] && [ "$out" != null ] && printf '%s\n' "$out"
}
# route_nh PREFIX: the nexthop object PE1's route for PREFIX in table 10
# points to (JSON)
route_nh() {
	local r id
	r=$(fib_route_json "$PE1" 10 "$1") || return 1
	id=$(jq -r '.nhid // empty' <<<"$r")
	[ -n "$id" ] && nh_json "$id"
}
# via_group PREFIX SID...: PE1's route for PREFIX in table 10 points to
# a nexthop group of protocol 201 with one member per SID, the members
# carrying exactly these SIDs
via_group() {
	local p=$1 nh; shift
	nh=$(route_nh "$p") &&
	    jq -e --arg pr "$FIB_PROTO" --argjson n $# '.protocol == $pr and
	    (.group | length) == $n' <<<"$nh" >/dev/null &&
	    fib_route_sid_is "$PE1" 10 "$p" "$@"
}
# via_one PREFIX SID: ... points to one nexthop object (no group) of
# protocol 201 carrying SID
via_one() {
	local nh
	nh=$(route_nh "$1") &&
	    jq -e --arg pr "$FIB_PROTO" --arg s "$2" '.protocol == $pr and
	    (has("group") | not) and .segs == [$s]' <<<"$nh" >/dev/null
}
# groups: PE1's nexthop groups of protocol 201, one id a line; fails
# when ip does
groups() {
	local out
	out=$(fib_ip "$PE1" nexthop show protocol "$FIB_PROTO") &&
	    [ -n "$out" ] && jq -r '.[] | select(has("group")) | .id' <<<"$out"
}
# ngroups: how many (nothing when ip fails)
ngroups() {
	local g
	g=$(groups) && grep -c . <<<"$g"
}
# state_dump: what PE1 has, for the diagnosis of a failure
state_dump() {
	diag "--- PE1"
	{
		ip -n "$PE1" route show table 10
		ip -n "$PE1" -6 route show table 10
		ip -n "$PE1" nexthop show
	} | sed 's/^/# /'
	diag "--- p1: the log's last lines, vrf0's RIB"
	tail -n 15 "$TMP/p1.log" | sed 's/^/# /'
	sctl p1 show rib vrf vrf0 2>&1 | sed 's/^/# /'
}
pings() {	# pings WHEN: the pod reaches the anycast CE, both families
	check "$1: the pod pings 10.50.0.2" fib_ping "$POD" 10.50.0.2 3
	check "$1: the pod pings 2001:db8:50::2" \
	    fib_ping "$POD" 2001:db8:50::2 3
}
# ecmp WHEN: the checks of both paths in PE1's RIB and kernel
ecmp() {
	check "$1: PE1 vrf0 RIB: 10.50.0.0/24 from PE2 (${S[2,4]}) and PE3 (${S[3,4]})" \
	    wait_until 10 rib_paths 10.50.0.0/24 2 3
	check "$1: PE1 vrf0 RIB: 2001:db8:50::/64 from PE2 (${S[2,6]}) and PE3 (${S[3,6]})" \
	    wait_until 10 rib_paths 2001:db8:50::/64 2 3
	check "$1: PE1 table 10: 10.50.0.0/24 through a nexthop group of ${S[2,4]}, ${S[3,4]}" \
	    wait_until 10 via_group 10.50.0.0/24 "${S[2,4]}" "${S[3,4]}"
	check "$1: PE1 table 10: 2001:db8:50::/64 through a nexthop group of ${S[2,6]}, ${S[3,6]}" \
	    wait_until 10 via_group 2001:db8:50::/64 "${S[2,6]}" "${S[3,6]}"
	check "$1: PE1: two nexthop groups of protocol $FIB_PROTO, no nexthop object unused" \
	    eval '[ "$(ngroups)" = 2 ] &&
	    [ -z "$(fib_orphan_nexthops "$PE1")" ]'
	pings "$1"
}

nfail=$_tap_failed
ecmp "at the start"
G_OLD=$(groups)
[ "$_tap_failed" -eq "$nfail" ] || state_dump

# --- PE3 stops: PE2's path alone -----------------------------------------------
nfail=$_tap_failed
kill -TERM "$(srv6d_pid p3)"; wait "$(srv6d_pid p3)" 2>/dev/null
check "PE3 stopped: PE1's session with PE3 goes down" \
    wait_until 10 srv6d_not_established p1 fd00:13::3
check "PE1 vrf0 RIB: 10.50.0.0/24 and 2001:db8:50::/64 from PE2 only" \
    wait_until 10 eval 'rib_paths 10.50.0.0/24 2 &&
    rib_paths 2001:db8:50::/64 2'
check "PE1 table 10: 10.50.0.0/24 through ${S[2,4]}'s nexthop object alone" \
    wait_until 10 via_one 10.50.0.0/24 "${S[2,4]}"
check "PE1 table 10: 2001:db8:50::/64 through ${S[2,6]}'s nexthop object alone" \
    wait_until 10 via_one 2001:db8:50::/64 "${S[2,6]}"
# groups_gone IDS: no group left, none of the ones IDS (earlier) either
groups_gone() {
	local g
	[ -n "$1" ] && [ "$(ngroups)" = 0 ] || return 1
	for g in $1; do
		nh_json "$g" >/dev/null && return 1
	done
	return 0
}
check "PE1: no nexthop group of protocol $FIB_PROTO left (were: $(echo $G_OLD))" \
    wait_until 5 groups_gone "$G_OLD"
check "PE1: no nexthop object unused (PE3's SIDs' gone)" \
    wait_until 5 eval '[ -z "$(fib_orphan_nexthops "$PE1")" ] &&
    ! fib_ip "$PE1" nexthop show protocol "$FIB_PROTO" |
    grep -q "fc00:0:3:"'
pings "PE3 stopped"
[ "$_tap_failed" -eq "$nfail" ] || state_dump

# --- PE3 back: the group again ---------------------------------------------------
nfail=$_tap_failed
check "srv6d PE3 starts again" srv6d_start p3 "$PE3" "$TMP/p3.conf"
check "PE1 <-> PE3 iBGP Established again" wait_until 30 both_up
ecmp "PE3 back"
[ "$_tap_failed" -eq "$nfail" ] || state_dump

# --- PE1 without nexthop objects: RTA_MULTIPATH for IPv4 ---------------------
# encap_paths PREFIX: PE1's route for PREFIX in table 10 carries its own
# seg6 encapsulations, no nexthop object; their SIDs, sorted, one a line
encap_paths() {
	local r
	r=$(fib_route_json "$PE1" 10 "$1") &&
	    jq -e '.nhid == null' <<<"$r" >/dev/null &&
	    jq -r '(.nexthops // [.])[] | if .encap == "seg6" and
	    (.segs | length) == 1 then .segs[0] else "no-seg6" end' \
	    <<<"$r" | sort
}
# encap_is PREFIX SID...: exactly these
encap_is() {
	local p=$1 got; shift
	got=$(encap_paths "$p") && [ "$got" = "$(printf '%s\n' "$@" | sort)" ]
}
nfail=$_tap_failed
kill -TERM "$(srv6d_pid p1)"; wait "$(srv6d_pid p1)" 2>/dev/null
nlog=$(wc -l <"$TMP/p1.log")
SRV6D_NO_NEXTHOP_OBJECTS=1 srv6d_start p1 "$PE1" "$TMP/p1.conf"
check "srv6d PE1 starts again without nexthop objects, both sessions up" \
    wait_until 30 both_up
check "per-route encapsulations: PE1 vrf0 RIB has both paths of both prefixes" \
    wait_until 10 eval 'rib_paths 10.50.0.0/24 2 3 &&
    rib_paths 2001:db8:50::/64 2 3'
check "per-route encapsulations: table 10 10.50.0.0/24 has two nexthops, seg6 to ${S[2,4]} and ${S[3,4]}" \
    wait_until 10 encap_is 10.50.0.0/24 "${S[2,4]}" "${S[3,4]}"
check "per-route encapsulations: table 10 2001:db8:50::/64 keeps one path, seg6 to ${S[2,6]} or ${S[3,6]}" \
    wait_until 10 eval 'encap_is 2001:db8:50::/64 "${S[2,6]}" ||
    encap_is 2001:db8:50::/64 "${S[3,6]}"'
check "per-route encapsulations: srv6d logged that IPv6 routes keep one path" \
    eval 'tail -n +$((nlog + 1)) "$TMP/p1.log" |
    grep -q "IPv6 routes keep one path"'
check "per-route encapsulations: no nexthop object of protocol $FIB_PROTO" \
    eval '[ "$(fib_ip "$PE1" nexthop show protocol "$FIB_PROTO" |
    jq length)" = 0 ]'
pings "per-route encapsulations"
[ "$_tap_failed" -eq "$nfail" ] || state_dump

# --- a plain stop leaves nothing ------------------------------------------------
kill -TERM "$(srv6d_pid p1)"; wait "$(srv6d_pid p1)" 2>/dev/null
check "PE1 stopped: no route, rule, SID or nexthop object of protocol $FIB_PROTO left" \
    wait_until 5 eval '[ -z "$(fib_state "$PE1")" ] &&
    [ "$(fib_ip "$PE1" nexthop show protocol "$FIB_PROTO" | jq length)" = 0 ]'

tap_done
