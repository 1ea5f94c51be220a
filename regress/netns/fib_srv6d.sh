#!/bin/bash
# srv6d programs the kernel in table mode (issue 5): two srv6d PEs and
# FRR 8.4 as VPNv4/VPNv6 route reflector (no VRF devices), the pod and the
# CE in their own namespaces (fib_topology in lib.sh).  The same data
# plane checks as fib_design.sh (which installs this state by hand), now
# on what srv6d installed: rules, routes in table 10 through nexthop
# objects with the other PE's SIDs, End.DT6 and End.DX4 SIDs with
# counters (also in `srv6ctl show sid'), pings over both VPNs counted by
# the SIDs and seen on the core link with outer destination = remote SID.
# Then: a network removed on one PE leaves the other's table; a restart
# (fib-keep yes) deletes and re-adds nothing unchanged (`ip monitor');
# kill -9, changes while it is down, and a start reconcile the stale
# state and leave other protocols' routes alone; a VRF removed by reload
# leaves nothing of it; a plain stop flushes everything of protocol 201.
#
#   vrf0: table 10, RT 65000:10, members p1-pod / p2-ce, sid auto
#         PE1 10.201.0.0/24 2001:db8:201::/64
#         PE2 10.202.0.0/24 2001:db8:202::/64 (and 10.232.0.0/24 at first),
#             network kernel: 10.212.0.0/24 via the CE 10.202.0.2
#   vrf1: table 11, RT 65000:11, members p1-x / p2-x (PE1's removed later)
#         PE1 10.221.0.0/24 2001:db8:221::/64, PE2 10.222.0.0/24 ...
. "$(dirname "$0")/lib.sh"

fib_topology || { not_ok "create namespaces and links"; tap_done; exit; }
# 10.212.0.0/24 behind the CE, a kernel route of PE2's table 10 that its
# vrf0 announces (network kernel) with a per-CE End.DX4 SID, nh4 = the
# CE.  arp_ignore 1: the CE, like a router, does not answer ARP on ce-p2
# for an address of its lo, so only the onlink host route makes it work.
ip -n "$PE2" route add 10.212.0.0/24 via 10.202.0.2 dev p2-ce table 10 \
    proto static &&
    ip netns exec "$CE" sysctl -qw net.ipv4.conf.all.arp_ignore=1 ||
    not_ok "PE2: a static route to 10.212.0.0/24 via the CE in table 10"

frr_conf="router bgp 65001
 bgp router-id 10.0.0.9
 no bgp default ipv4-unicast"
for a in fd00:1::1 fd00:2::1; do
	frr_conf+="
 neighbor $a remote-as 65001
 neighbor $a timers connect 2
 neighbor $a capability extended-nexthop"
done
for af in "ipv4 vpn" "ipv6 vpn"; do
	frr_conf+="
 address-family $af"
	for a in fd00:1::1 fd00:2::1; do
		frr_conf+="
  neighbor $a activate
  neighbor $a route-reflector-client"
	done
	frr_conf+="
 exit-address-family"
done
frr_start "$R" "$frr_conf"
check "FRR R (VPNv4/VPNv6 route reflector, AS 65001) starts" test $? -eq 0

# pe_conf N PHASE: PE N's configuration.  Phase 1: everything; 2: PE2
# without 10.232.0.0/24; 3: PE1 without vrf1.  KEEP: `fib-keep yes'.
KEEP="fib-keep yes"
pe_conf() {
	local n=$1 ph=$2 mif=p1-pod
	[ "$n" = 2 ] && mif=p2-ce
	cat <<EOF
as 65001
router-id 10.0.0.$n
$KEEP
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
	network 10.20$n.0.0/24
	network 2001:db8:20$n::/64
EOF
	[ "$n" = 2 ] && [ "$ph" = 1 ] && echo "	network 10.232.0.0/24"
	[ "$n" = 2 ] && echo "	network kernel"
	echo "}"
	if [ "$n" = 2 ] || [ "$ph" -lt 3 ]; then
		cat <<EOF
vrf vrf1 {
	table 11
	rd 6500$n:11
	import-target 65000:11
	export-target 65000:11
	sid auto
	interface p$n-x
	network 10.22$n.0.0/24
	network 2001:db8:22$n::/64
}
EOF
	fi
	cat <<EOF
neighbor fd00:$n::2 {
	remote-as 65001
	local-address fd00:$n::1
	address-family vpnv4
	address-family vpnv6
}
EOF
}
pe_conf 1 1 >"$TMP/p1.conf"
if ! "$SRV6D" -n -f "$TMP/p1.conf" >/dev/null 2>&1; then
	not_ok "srv6d takes 'fib-keep yes' (issue 5: fib-keep yes|no)"
	KEEP=""
	pe_conf 1 1 >"$TMP/p1.conf"
fi
pe_conf 2 1 >"$TMP/p2.conf"
check "srv6d PE1 starts" srv6d_start p1 "$PE1" "$TMP/p1.conf"
check "srv6d PE2 starts" srv6d_start p2 "$PE2" "$TMP/p2.conf"
check "PE1: session with the reflector Established" \
    wait_until 30 srv6d_established p1 fd00:1::2
check "PE2: session with the reflector Established" \
    wait_until 30 srv6d_established p2 fd00:2::2
# nothing below can run if srv6d installs nothing
if ! wait_until 20 eval '[ -n "$(fib_state "$PE1")" ]'; then
	not_ok "srv6d PE1 installs anything of protocol $FIB_PROTO"
	tap_done; exit
fi
check "PE1, PE2: kernel mode table" eval '
    [ "$(sctl p1 -j show summary | jq -r .summary.kernel_mode)" = table ] &&
    [ "$(sctl p2 -j show summary | jq -r .summary.kernel_mode)" = table ]'

# sid_of N VRF BEHAVIOUR [NEXTHOP]: PE N's SID from show sid
sid_of() {
	sctl "p$1" -j show sid | jq -er --arg v "$2" --arg b "$3" \
	    --arg nh "${4:-}" '[.sids[] | select(.vrf == $v and
	    .behavior == $b and ($nh == "" or .nexthop == $nh))][0].sid'
}
declare -A S
for n in 1 2; do
	for v in 0 1; do
		t=$((v == 0 ? 0 : 2))
		wait_until 10 quiet sid_of "$n" "vrf$v" End.DX4 "10.2$t$n.0.0"
		S[$n,$v,4]=$(sid_of "$n" "vrf$v" End.DX4 "10.2$t$n.0.0")
		S[$n,$v,6]=$(sid_of "$n" "vrf$v" End.DT6)
		check "PE$n vrf$v: End.DX4 ${S[$n,$v,4]:-?} for 10.2$t$n.0.0, End.DT6 ${S[$n,$v,6]:-?}" \
		    eval '[ -n "${S[$n,$v,4]}" ] && [ -n "${S[$n,$v,6]}" ]'
	done
done
for n in 1 2; do
	pe=PE$n
	check "PE$n: srv6d set net.ipv4.ip_forward and net.ipv6.conf.all.forwarding" \
	    eval '[ "$(ip netns exec "${!pe}" sysctl -n net.ipv4.ip_forward)" = 1 ] &&
	    [ "$(ip netns exec "${!pe}" sysctl -n net.ipv6.conf.all.forwarding)" = 1 ]'
done

# --- the data plane, as fib_design.sh checks it by hand ------------------------
fib_check_dataplane 10 "${S[1,0,4]}" "${S[1,0,6]}" "${S[2,0,4]}" "${S[2,0,6]}"
check "PE1 table 11 (vrf1): 10.222.0.0/24 with PE2's vrf1 SID ${S[2,1,4]}" \
    wait_until 10 fib_route_sid_is "$PE1" 11 10.222.0.0/24 "${S[2,1,4]}"
check "PE1 table 10: 10.232.0.0/24 (PE2's extra network) with a SID of PE2's" \
    wait_until 10 eval 'fib_route_sids "$PE1" 10 10.232.0.0/24 | grep -q "^fc00:0:2:"'
SG=$(sid_of 2 vrf0 End.DX4 10.202.0.2)
check "PE2 vrf0: End.DX4 ${SG:-?} for the CE 10.202.0.2 (network kernel)" \
    test -n "$SG"
check "PE2: 10.202.0.2/32 via 10.202.0.2 dev p2-ce onlink, proto $FIB_PROTO, main table" \
    eval 'fib_ip "$PE2" route show table main exact 10.202.0.2/32 |
    jq -e "any(.[]; .gateway == \"10.202.0.2\" and .dev == \"p2-ce\" and
    (.flags | index(\"onlink\")) and .protocol == \"$FIB_PROTO\")" >/dev/null'
check "PE1 table 10: 10.212.0.0/24 with SID $SG" \
    wait_until 10 fib_route_sid_is "$PE1" 10 10.212.0.0/24 "$SG"
check "pod pings 10.212.0.1 behind the CE 3 times; $SG counts 3" \
    fib_ping_counted "$POD" 10.212.0.1 3 "$PE2" "$SG"
# network kernel takes the table's other routes, not srv6d's own
check "the reflector has none of srv6d's own table 10 routes from PE2 (network kernel)" \
    eval 'frr_jq "$R" "show bgp ipv4 vpn 10.201.0.0/24 json" "has(\"65002:10\") | not" &&
    frr_jq "$R" "show bgp ipv6 vpn 2001:db8:201::/64 json" "has(\"65002:10\") | not" &&
    frr_jq "$R" "show bgp ipv4 vpn 10.212.0.0/24 json" "has(\"65002:10\")"'
check "PE1 table 10 holds nothing of vrf1, table 11 nothing of vrf0" \
    eval 'fib_no_route "$PE1" 10 10.222.0.0/24 &&
    fib_no_route "$PE1" 11 10.202.0.0/24'
# show_sid_packets N SID: the packet counter srv6ctl shows
show_sid_packets() {
	sctl "p$1" -j show sid | jq -e --arg s "$2" \
	    '[.sids[] | select(.sid == $s)][0].counters.packets'
}
check "PE2 show sid: ${S[2,0,4]}'s packets are the kernel's" \
    eval '[ "$(show_sid_packets 2 "${S[2,0,4]}")" = "$(fib_sid_packets "$PE2" "${S[2,0,4]}")" ] &&
    [ "$(show_sid_packets 2 "${S[2,0,4]}")" -gt 0 ]'
check "PE1: every SID of srv6d has counters" \
    eval '[ "$(fib_ip "$PE1" -6 -s route show table all proto "$FIB_PROTO" |
    jq "[.[] | select(.encap == \"seg6local\" and (.stats64 | not))] | length")" = 0 ]'
check "PE1: no nexthop object of srv6d unused" \
    eval '[ -z "$(fib_orphan_nexthops "$PE1")" ]'
check "PE1: nexthop object ids from 0x5d600000" \
    eval '[ "$(fib_state "$PE1" | jq -s "map(select(.nexthop and
    .id < $FIB_NHID_BASE)) | length")" = 0 ]'

# --- a network removed on PE2 leaves PE1's table ------------------------------
pe_conf 2 2 >"$TMP/p2.conf"
check "PE2 reloads without 10.232.0.0/24" quiet sctl p2 reload
check "PE1 table 10 drops 10.232.0.0/24" \
    wait_until 10 fib_no_route "$PE1" 10 10.232.0.0/24
check "PE1 table 10 keeps 10.202.0.0/24" \
    fib_route_sid_is "$PE1" 10 10.202.0.0/24 "${S[2,0,4]}"
check "PE2 drops the End.DX4 SID of 10.232.0.0 (no route uses it)" \
    wait_until 10 eval '! fib_sids "$PE2" | grep -q " End.DX4 10.232.0.0$"'

# --- a restart deletes and re-adds nothing unchanged ---------------------------
# settled NS NAME: NS's state of protocol 201 stays the same for 3 s; kept
# in $TMP/NAME.state
settled() {
	local a b
	a=$(fib_state "$1"); sleep 3; b=$(fib_state "$1")
	[ "$a" = "$b" ] && [ -n "$a" ] && printf '%s\n' "$a" >"$TMP/$2.state"
}
check "PE1's kernel state settled" wait_until 30 settled "$PE1" before
check "ip monitor on PE1" fib_monitor_start "$PE1" restart
kill -TERM "$(srv6d_pid p1)"; wait "$(srv6d_pid p1)" 2>/dev/null
check "PE1 stopped with fib-keep yes: its state stays" \
    eval '[ "$(fib_state "$PE1")" = "$(cat "$TMP/before.state")" ]'
# reconciled NAME N: NAME's log says "fib: reconciled" more than N times
reconciled() { [ "$(grep -c 'fib: reconciled' "$TMP/$1.log")" -gt "$2" ]; }
nrec=$(grep -c 'fib: reconciled' "$TMP/p1.log")
check "srv6d PE1 starts again" srv6d_start p1 "$PE1" "$TMP/p1.conf"
check "PE1: session Established again" \
    wait_until 30 srv6d_established p1 fd00:1::2
check "PE1 reconciles once the reflector's End-of-RIB is in" \
    wait_until 30 reconciled p1 "$nrec"
grep -E 'fib: (found|reconciled)' "$TMP/p1.log" | tail -n 2 | sed 's/^/# p1: /'
check "PE1's state after the restart is the state before" \
    eval '[ "$(fib_state "$PE1")" = "$(cat "$TMP/before.state")" ]'
# deleted_known NAME STATE: the deletions the monitor NAME saw of
# nexthop objects (by id), rules (by interface and table) and routes (by
# destination) in the fib_state
# file $TMP/STATE.state
deleted_known() {
	local l w
	fib_monitor_deleted "$1" | while IFS= read -r l; do
		read -r -a w <<<"$l"
		if [ "${w[1]}" = id ]; then
			jq -e --argjson id "${w[2]}" 'select(.nexthop == $id)' \
			    "$TMP/$2.state" >/dev/null && echo "$l"
		elif [[ ${w[1]} == *: ]]; then	# a rule: "PRIO: from ..."
			[[ $l =~ iif\ ([^ ]+).*lookup\ ([^ ]+) ]] &&
			    jq -e --arg i "${BASH_REMATCH[1]}" \
			    --arg t "${BASH_REMATCH[2]}" 'select(.rule and
			    .iif == $i and .table == $t)' "$TMP/$2.state" \
			    >/dev/null && echo "$l"
		else
			jq -e --arg d "${w[1]}" 'select(.route and
			    (.dst == $d or .dst == ($d + "/128")))' \
			    "$TMP/$2.state" >/dev/null && echo "$l"
		fi
	done
	return 0
}
check "no rule, route or nexthop object of srv6d's deleted during the restart" \
    eval '[ -z "$(deleted_known restart before)" ]'
fib_monitor_deleted restart | head -n 20 | sed 's/^/# deleted: /'
diag "notifications during the restart: $(grep -c . "$TMP/restart.mon")"
check "the VPN works after the restart" \
    eval 'fib_ping "$POD" 10.202.0.2 2 && fib_ping "$POD" 2001:db8:202::2 2'

# --- kill -9, changes while down, start: stale state reconciled ----------------
STALE_NH=$((FIB_NHID_BASE + 0xfffff))
kill -KILL "$(srv6d_pid p1)"; wait "$(srv6d_pid p1)" 2>/dev/null
pe_conf 2 1 >"$TMP/p2.conf"
check "while PE1 is dead, PE2 adds 10.232.0.0/24 back and PE1 gets a stale route and nexthop of srv6d's and a static route in table 10" \
    eval 'quiet sctl p2 reload &&
    fib_hand_nexthop "$PE1" "$STALE_NH" -4 fc00:0:2:dead:: p1-r &&
    fib_hand_route "$PE1" 10 10.250.0.0/24 "$STALE_NH" &&
    fib_hand_sid "$PE1" fc00:0:1:dead:: p1-pod End.DT6 table 10 &&
    ip -n "$PE1" route add 10.251.0.0/24 dev p1-pod table 10 proto static'
check "PE1's routes survived kill -9" \
    fib_route_sid_is "$PE1" 10 10.202.0.0/24 "${S[2,0,4]}"
nrec=$(grep -c 'fib: reconciled' "$TMP/p1.log")
check "srv6d PE1 starts after kill -9" srv6d_start p1 "$PE1" "$TMP/p1.conf"
check "PE1: session Established again" \
    wait_until 30 srv6d_established p1 fd00:1::2
check "PE1 reconciles after kill -9" wait_until 30 reconciled p1 "$nrec"
grep -E 'fib: (found|reconciled)' "$TMP/p1.log" | tail -n 2 | sed 's/^/# p1: /'
check "PE1 table 10: the stale 10.250.0.0/24 goes" \
    wait_until 30 fib_no_route "$PE1" 10 10.250.0.0/24
check "PE1: the stale nexthop object goes" \
    wait_until 10 eval '! fib_state "$PE1" | jq -e "select(.nexthop == $STALE_NH)" >/dev/null'
check "PE1: the stale SID fc00:0:1:dead:: goes" \
    wait_until 10 eval '! fib_sid_json "$PE1" fc00:0:1:dead:: >/dev/null'
check "PE1 table 10: 10.232.0.0/24, added while it was dead, comes" \
    wait_until 10 eval 'fib_route_sids "$PE1" 10 10.232.0.0/24 | grep -q "^fc00:0:2:"'
check "PE1 table 10: the static 10.251.0.0/24 (not srv6d's) stays" \
    eval 'ip -n "$PE1" route show table 10 10.251.0.0/24 | grep -q "proto static"'
check "PE1: no nexthop object of srv6d unused" \
    eval '[ -z "$(fib_orphan_nexthops "$PE1")" ]'
fib_check_dataplane 10 "${S[1,0,4]}" "${S[1,0,6]}" "${S[2,0,4]}" "${S[2,0,6]}" 3

# --- a VRF removed by reload leaves nothing -------------------------------------
check "PE1 has vrf1 (table 11) state before" \
    eval '[ -n "$(fib_state_table "$PE1" 11)" ]'
pe_conf 1 3 >"$TMP/p1.conf"
check "PE1 reloads without vrf1" quiet sctl p1 reload
check "PE1: no rule, route or SID of table 11 left" \
    wait_until 10 eval '[ -z "$(fib_state_table "$PE1" 11)" ]'
check "PE1: no SID of vrf1 left (End.DX4 for 10.221.0.0, End.DT6 ${S[1,1,6]})" \
    eval '! fib_sid_json "$PE1" "${S[1,1,4]}" >/dev/null &&
    ! fib_sid_json "$PE1" "${S[1,1,6]}" >/dev/null'
check "PE1: no nexthop object of srv6d unused (PE2's vrf1 SIDs)" \
    wait_until 10 eval '[ -z "$(fib_orphan_nexthops "$PE1")" ]'
check "PE2 table 11 drops PE1's 10.221.0.0/24" \
    wait_until 10 fib_no_route "$PE2" 11 10.221.0.0/24
check "PE1 vrf0 untouched: the VPN works" \
    eval 'fib_ping "$POD" 10.202.0.2 2 && fib_ping "$POD" 2001:db8:202::2 2'

# --- a plain stop flushes ------------------------------------------------------
KEEP="" pe_conf 2 1 >"$TMP/p2.conf"
check "PE2 reloads without fib-keep" quiet sctl p2 reload
sleep 1
kill -TERM "$(srv6d_pid p2)"; wait "$(srv6d_pid p2)" 2>/dev/null
check "PE2 stopped (fib-keep no): nothing of protocol $FIB_PROTO left" \
    wait_until 5 eval '[ -z "$(fib_state "$PE2")" ]'
check "... its static 10.212.0.0/24 in table 10 stays" \
    eval 'ip -n "$PE2" route show table 10 10.212.0.0/24 | grep -q "proto static"'

tap_done
