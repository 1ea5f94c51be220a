#!/bin/bash
# srv6ctl show sid / show fib on what srv6d really programmed (issue 5):
# srv6d PE (table mode) with VRF vrf0 (table 10, member p-pod) and two
# network statements, so that it has an End.DX4 and an End.DT6 SID, and
# an iBGP session with a second srv6d PEB whose vrf0 routes PE installs
# (routes through nexthop objects).  A "core" namespace C sends SRv6
# packets to PE's End.DT6 SID (a seg6 encap route towards the pod) and
# the SID's counter in `show sid -j' must grow by exactly the packets
# sent, as the kernel's own does; `show fib -j' must show the routes and
# SIDs installed and no failure.  Then two refusals on PE, provoked on
# any kernel: its nexthop objects are removed behind its back, so the
# route to an IPv6 network PEB then adds (End.DT6: PEB's one SID of
# vrf0, so the same nexthop object) points at a nexthop id the kernel no
# longer has, and the route of the network PEB then withdraws is already
# gone; `show fib' and `show fib -j' must list both, newest first, with
# the errno and the kernel's extended ACK text, as the log does.  Then a
# third srv6d forced into VRF mode (SRV6D_KERNEL_MODE=vrf) on a kernel
# without VRF devices: the kernel refuses the VRF device (an extended
# ACK) and the End.DT46 SID (none), and `show fib' must list both.
#
#   POD pod-pe 10.201.0.2 2001:db8:201::2 --- p-pod  PE  pe-c fd00:9::1 --- c-pe fd00:9::2 C
#                                                    pe-b fd00:8::1 --- b-pe fd00:8::2 PEB
#   PE  locator fc00:0:1::/48, vrf0 10.201.0.0/24 2001:db8:201::/64
#   PEB locator fc00:0:2::/48, vrf0 10.202.0.0/24 2001:db8:202::/64
. "$(dirname "$0")/lib.sh"

N=5	# packets sent to the SID

topology() {
	netns_new POD && netns_new PE && netns_new C && netns_new PEB &&
	    netns_new PE2 || return 1
	link_ns "$POD" pod-pe "10.201.0.2/24 2001:db8:201::2/64" \
	    "$PE" p-pod "10.201.0.1/24 2001:db8:201::1/64" &&
	    link_ns "$C" c-pe "fd00:9::2/64" "$PE" pe-c "fd00:9::1/64" &&
	    link_ns "$PE" pe-b "fd00:8::1/64" "$PEB" b-pe "fd00:8::2/64" &&
	    ip link add name b-ce netns "$PEB" type veth peer name ce-b \
	    netns "$PEB" && _addr_up "$PEB" b-ce 10.202.0.1/24 &&
	    _addr_up "$PEB" ce-b 10.202.0.2/24 &&
	    ip -n "$C" -6 route add fc00:0:1::/48 via fd00:9::1 &&
	    ip -n "$PE" -6 route add fc00:0:2::/48 via fd00:8::2 &&
	    ip -n "$PEB" -6 route add fc00:0:1::/48 via fd00:8::1 &&
	    ip -n "$POD" -6 route add default via 2001:db8:201::1 &&
	    ip -n "$POD" route add default via 10.201.0.1
}
topology || { not_ok "create namespaces and links"; tap_done; exit; }

conf() {	# conf N MEMBER [NEIGHBOR LOCAL]
	cat <<EOF
as 65001
router-id 10.0.0.$1
srv6 {
	locator main prefix fc00:0:$1::/48 block-length 32 node-length 16 function-length 16
}
vrf vrf0 {
	table 10
	rd 6500$1:10
	import-target 65000:10
	export-target 65000:10
	sid auto
	interface $2
	network 10.20$1.0.0/24
	network 2001:db8:20$1::/64
}
EOF
	[ $# -lt 4 ] && return
	cat <<EOF
neighbor $3 {
	remote-as 65001
	local-address $4
	address-family vpnv4
	address-family vpnv6
}
EOF
}
conf 1 p-pod fd00:8::2 fd00:8::1 >"$TMP/pe.conf"
conf 2 b-ce fd00:8::1 fd00:8::2 >"$TMP/peb.conf"
check "srv6d PEB starts" srv6d_start peb "$PEB" "$TMP/peb.conf"
check "srv6d starts (table mode, vrf0 with two networks)" \
    srv6d_start pe "$PE" "$TMP/pe.conf"

# sid_json BEHAVIOUR: the first local SID of vrf0 with it, from show sid -j
sid_json() {
	sctl pe -j show sid | jq -ec --arg b "$1" \
	    '[.sids[] | select(.vrf == "vrf0" and .behavior == $b)][0]'
}
# sid_packets SID: its packet counter in show sid -j (fails without)
sid_packets() {
	sctl pe -j show sid | jq -e --arg s "$1" \
	    '.sids[] | select(.sid == $s) | .counters.packets'
}
fib_json() { sctl pe -j show fib; }
# in_table10 PREFIX: srv6d installed PREFIX in PE's table 10, through a
# nexthop object
in_table10() {
	local f=-4
	case $1 in *:*) f=-6 ;; esac
	ip -N -j -n "$PE" "$f" route show table 10 | jq -e --arg p "$1" \
	    '[.[] | select(.dst == $p and .protocol == "201" and
	    .nhid != null)] | length == 1' >/dev/null
}

check "PE: session with PEB Established" \
    wait_until 30 srv6d_established pe fd00:8::2
check "show sid -j: an End.DT6 and an End.DX4 SID of vrf0" \
    wait_until 15 eval 'sid_json End.DT6 >/dev/null &&
    sid_json End.DX4 >/dev/null'
DT6=$(sid_json End.DT6 | jq -r .sid)
DX4=$(sid_json End.DX4 | jq -r .sid)
diag "End.DT6 $DT6, End.DX4 $DX4"
check "show sid -j: the kernel's counters of both SIDs, at 0" \
    wait_until 10 eval '[ "$(sid_packets "$DT6")" = 0 ] &&
    [ "$(sid_packets "$DX4")" = 0 ] &&
    sctl pe -j show sid | jq -e "[.sids[].counters |
    .bytes == 0 and .errors == 0] | all" >/dev/null'
check "show sid (text): the counters line" \
    srv6d_grep pe '^  counters: 0 packets, 0 bytes, 0 errors$' show sid

# C sends N echo requests to the pod through the End.DT6 SID; they are
# counted at decapsulation whatever becomes of the replies.
ip -n "$C" -6 route add 2001:db8:201::2/128 encap seg6 mode encap \
    segs "$DT6" dev c-pe
check "C: a seg6 encap route to the pod through $DT6" test $? -eq 0
ip netns exec "$C" ping -n -q -c "$N" -i 0.2 -W 1 2001:db8:201::2 \
    >/dev/null 2>&1
kern=$(ip -N -j -s -n "$PE" -6 route show table all exact "$DT6/128" |
    jq -r '.[0].stats64.packets // empty')
diag "the kernel counts $kern packets on $DT6"
check "show sid -j: $DT6 counted the $N packets sent (the kernel: ${kern:-?})" \
    eval '[ "$(sid_packets "$DT6")" = "$N" ] && [ "$kern" = "$N" ]'
check "show sid -j: its bytes grew, no errors, End.DX4 still at 0" \
    eval 'sctl pe -j show sid | jq -e --arg s "$DT6" --arg x "$DX4" "
    (.sids[] | select(.sid == \$s) | .counters.bytes > 0 and
    .counters.errors == 0) and
    (.sids[] | select(.sid == \$x) | .counters.packets == 0)" >/dev/null'

# show fib: what srv6d did to the kernel
check "PE: PEB's two vrf0 routes installed in table 10" \
    wait_until 20 eval 'in_table10 10.202.0.0/24 && in_table10 2001:db8:202::/64'
check "show fib -j: kernel mode table, routes, SIDs, nexthop objects" \
    wait_until 10 eval 'fib_json | jq -e ".fib.kernel_mode == \"table\" and
    .fib.routes >= 2 and .fib.sids >= 2 and .fib.nexthops >= 1" >/dev/null'
check "show fib -j: every request acknowledged, none failed or pending" \
    eval 'fib_json | jq -e ".fib.requests | .sent > 0 and
    .acked == .sent and .failed == 0 and .pending == 0" >/dev/null'
check "show fib -j: no recent errors" \
    eval 'fib_json | jq -e ".fib.errors == []" >/dev/null'
check "show fib (text): no recent errors" \
    srv6d_grep pe '^Recent errors: +none$' show fib
check "show fib (text): the requests line" \
    srv6d_grep pe '^Requests: +[0-9]+ sent, [0-9]+ acknowledged, 0 failed, 0 pending$' \
    show fib
check "show fib on the restricted socket" \
    eval '"$SRV6CTL" -s "$TMP/pe.rsock" -j show fib |
    jq -e ".fib.sids >= 2" >/dev/null'

# Two refusals with extended ACKs on PE.  Its nexthop objects go (the
# kernel takes their routes along); srv6d does not watch its own
# objects, so the route to 2001:db8:222::/64, new from PEB through the
# same End.DT6 SID, names a nexthop id the kernel no longer has, and
# then the withdrawn 2001:db8:202::/64 has no route left to delete.
# fib_err N: the Nth recent error of PE in show fib -j, compact
fib_err() { fib_json | jq -ec --argjson n "$1" '.fib.errors[$n]'; }
peb_reload() {	# peb_reload SED-SCRIPT: edit PEB's config and reload it
	sed -i "$1" "$TMP/peb.conf" && sctl peb reload >/dev/null
}
ip -n "$PEB" addr add 2001:db8:222::1/64 dev b-ce nodad
ip -n "$PE" nexthop flush protocol 201 >/dev/null
check "PE: its nexthop objects removed behind its back" \
    eval '[ -z "$(ip -n "$PE" nexthop show protocol 201)" ]'
peb_reload 's|^\tnetwork 2001:db8:202::/64$|&\n\tnetwork 2001:db8:222::/64|'
check "PEB adds 2001:db8:222::/64: PE's route to it refused" \
    wait_until 20 eval 'fib_err 0 | jq -e "(.object |
    test(\"^add route 2001:db8:222::/64 table [0-9]+$\")) and
    .errno_name == \"EINVAL\" and .message == \"Invalid argument\" and
    .extack == \"Nexthop id does not exist\" and .age >= 0" >/dev/null'
peb_reload '/^\tnetwork 2001:db8:202::\/64$/d'
check "PEB withdraws 2001:db8:202::/64: PE's delete refused, listed first" \
    wait_until 20 eval 'fib_err 1 | jq -e ".extack ==
    \"Nexthop id does not exist\"" >/dev/null'
first=$(fib_err 0)
diag "newest error: $first"
check "show fib -j: the delete's own errno and text, not the add's" \
    eval 'jq -e "(.object |
    test(\"^delete route 2001:db8:202::/64 table [0-9]+$\")) and
    .errno > 0 and .errno_name == \"ESRCH\" and .extack == null" \
    <<<"$first" >/dev/null'
check "show fib -j: two errors, newest first, as many as failed" \
    eval 'fib_json | jq -e ".fib | (.errors | length) == 2 and
    .requests.failed == 2 and .errors[0].time >= .errors[1].time and
    .errors[0].age <= .errors[1].age" >/dev/null'
check "srv6d logged the refused route, named, with the extended ACK" \
    grep -Eq "fib: add route 2001:db8:222::/64 table [0-9]+: Invalid argument: Nexthop id does not exist" \
    "$TMP/pe.log"
sctl pe show fib | sed -n '/^Recent errors/,$p' | sed 's/^/# /'
check "show fib (text): Recent errors, two, newest first" \
    srv6d_grep pe '^Recent errors: +2, newest first$' show fib
check "show fib (text): the refused add with errno and extended ACK" \
    srv6d_grep pe '^  [0-9:dwh]+ ago: add route 2001:db8:222::/64 table [0-9]+: EINVAL \(Invalid argument\): Nexthop id does not exist$' \
    show fib
check "show fib (text): the refused delete listed before the add" \
    eval 'sctl pe show fib | grep -A1 "^Recent errors" | tail -1 |
    grep -Eq "^  [0-9:dwh]+ ago: delete route 2001:db8:202::/64 table [0-9]+: E[A-Z0-9]+ \(" &&
    sctl pe show fib | grep -A2 "^Recent errors" | tail -1 |
    grep -q "Nexthop id does not exist$"'

# A kernel refusal: VRF mode forced on a kernel without VRF devices.
if ip -n "$PE2" link add h5vrf type vrf table 5 2>/dev/null; then
	skip "show fib reports a kernel refusal" \
	    "this kernel has VRF devices: forcing VRF mode fails nothing"
else
	ip link add name p2-pod netns "$PE2" type veth peer name p2-x \
	    netns "$PE2" && _addr_up "$PE2" p2-pod 10.203.0.1/24 &&
	    _addr_up "$PE2" p2-x 10.203.0.2/24
	conf 3 p2-pod >"$TMP/pe2.conf"
	SRV6D_KERNEL_MODE=vrf srv6d_start pe2 "$PE2" "$TMP/pe2.conf"
	check "srv6d forced into VRF mode starts" test $? -eq 0
	check "show fib -j: kernel mode vrf, failed requests, errors" \
	    wait_until 10 eval 'sctl pe2 -j show fib | jq -e ".fib |
	    .kernel_mode == \"vrf\" and .requests.failed > 0 and
	    (.errors | length) == .requests.failed" >/dev/null'
	sctl pe2 show fib | sed -n '/^Recent errors/,$p' | sed 's/^/# /'
	check "show fib -j: the VRF device refused, with the extended ACK" \
	    eval 'sctl pe2 -j show fib | jq -e "[.fib.errors[] |
	    select(.object == \"VRF device vrf0 table 10\" and
	    .errno_name == \"EOPNOTSUPP\" and
	    .extack == \"Unknown device type\")] | length >= 1" >/dev/null'
	check "show fib -j: the End.DT46 SID refused, newest, no extended ACK" \
	    eval 'sctl pe2 -j show fib | jq -e ".fib.errors[0] |
	    (.object | test(\"^SID fc00:0:3:[0-9a-f]+:: End.DT46$\")) and
	    .errno_name == \"EINVAL\" and .extack == null" >/dev/null'
	check "srv6d logged the VRF device refused with the extended ACK" \
	    grep -q "fib: VRF device vrf0 table 10: .*: Unknown device type" \
	    "$TMP/pe2.log"
	check "show fib (text): both refusals" \
	    eval 'srv6d_grep pe2 "^  [0-9:dwh]+ ago: VRF device vrf0 table 10: EOPNOTSUPP \(Operation not supported\): Unknown device type$" show fib &&
	    srv6d_grep pe2 "^  [0-9:dwh]+ ago: SID fc00:0:3:[0-9a-f]+:: End.DT46: EINVAL \(Invalid argument\)$" show fib'
fi
tap_done
