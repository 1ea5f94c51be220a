#!/bin/bash
# The table-mode SRv6 VPN data plane that srv6d installs (DESIGN.md
# "Kernel modes", SRV6.md "Without VRF devices"), installed here by hand
# with the same objects srv6d makes, all of protocol 201: per VRF an `ip
# rule iif MEMBER lookup TABLE', remote VPN routes in TABLE through seg6
# encap nexthop objects, End.DT6 `table' for IPv6 and End.DX4 for IPv4
# with counters.  fib_check_dataplane (lib.sh) proves it works; the same
# checks run on srv6d's own state in fib_srv6d.sh.  Then the design's
# choices, each shown by what breaks without it:
#  - End.DX4 nh4 = the attached network's address (what srv6d's RDE
#    allocates for `network 10.201.0.0/24') rather than 0.0.0.0: both
#    reach hosts on the member link, but 0.0.0.0 routes the inner
#    destination through the main table, so a VPN packet reaches the PE's
#    own global addresses;
#  - End.DX4 toward a CE gateway needs `GW/32 via GW dev IF onlink' in the
#    main table, or the kernel resolves the inner destination on the link;
#  - End.DT6 looks only in TABLE: the member's IPv6 network must be there;
#  - rp_filter must be 0 on member interfaces (and in `all'): the reverse
#    path check ignores iif rules and looks in the main table;
#  - IPv4 and IPv6 forwarding are needed, seg6_enabled is not.
#
# Topology: fib_topology in lib.sh (pod - PE1 - R - PE2 - CE).
. "$(dirname "$0")/lib.sh"

fib_topology || { not_ok "create namespaces and links"; tap_done; exit; }

# PE N's SIDs: End.DX4 fc00:0:N:4:: for its attached 10.20N.0.0/24,
# End.DT6 fc00:0:N:6:: for table 10
sid() { echo "fc00:0:$1:$2::"; }
NH4=$FIB_NHID_BASE NH6=$((FIB_NHID_BASE + 1))

# pe_by_hand N M NS MEMBER: what srv6d installs on PE N (remote PE M)
pe_by_hand() {
	local n=$1 m=$2 ns=$3 mif=$4
	fib_hand_sysctls "$ns" &&
	    fib_hand_rule "$ns" "$mif" 10 &&
	    fib_hand_nexthop "$ns" "$NH4" -4 "$(sid "$m" 4)" "p$n-r" &&
	    fib_hand_nexthop "$ns" "$NH6" -6 "$(sid "$m" 6)" "p$n-r" &&
	    fib_hand_route "$ns" 10 "10.20$m.0.0/24" "$NH4" &&
	    fib_hand_route "$ns" 10 "2001:db8:20$m::/64" "$NH6" &&
	    ip -n "$ns" -6 route add "2001:db8:20$n::/64" dev "$mif" \
	    table 10 proto "$FIB_PROTO" &&
	    fib_hand_sid "$ns" "$(sid "$n" 4)" "$mif" End.DX4 \
	    nh4 "10.20$n.0.0" &&
	    fib_hand_sid "$ns" "$(sid "$n" 6)" "$mif" End.DT6 table 10
}
check "PE1 by hand: rules, nexthop objects, routes in table 10, SIDs" \
    pe_by_hand 1 2 "$PE1" p1-pod
check "PE2 by hand: the same" pe_by_hand 2 1 "$PE2" p2-ce
check "an IPv6 route cannot use an AF_INET device-only nexthop object" \
    fails eval 'ip -n "$PE1" -6 route add 2001:db8:299::/64 nhid "$NH4" \
    table 10 2>/dev/null'

fib_check_dataplane 10 "$(sid 1 4)" "$(sid 1 6)" "$(sid 2 4)" "$(sid 2 6)"

# --- End.DT6 looks in its table only ---------------------------------------
ip -n "$PE2" -6 route del 2001:db8:202::/64 dev p2-ce table 10
check "End.DT6 table 10 without the member's network in table 10: no IPv6" \
    fails fib_ping "$POD" 2001:db8:202::2 1
ip -n "$PE2" -6 route add 2001:db8:202::/64 dev p2-ce table 10 \
    proto "$FIB_PROTO"
check "... with 2001:db8:202::/64 dev p2-ce table 10: IPv6 again" \
    fib_ping "$POD" 2001:db8:202::2 2

# --- End.DX4 nh4: the network address or 0.0.0.0 ----------------------------
# A VPN route in PE1's table 10 toward PE2's DX4 SID for an address that is
# not on PE2's member link but PE2's own, in its global table.
icmp_in() {	# icmp_in NS: echo requests the namespace took in
	ip netns exec "$1" awk '/^Icmp:/ { if (!h) { for (i = 2; i <= NF; i++)
	    k[i] = $i; h = 1; next } for (i = 2; i <= NF; i++)
	    if (k[i] == "InEchos") print $i }' /proc/net/snmp
}
# leak_count N: send N pings to PE2's 10.99.0.1 over the VPN; print how
# many PE2 received itself
leak_count() {
	local a b
	a=$(icmp_in "$PE2")
	ip netns exec "$POD" ping -n -q -c "$1" -i 0.2 -W 1 10.99.0.1 \
	    >/dev/null
	b=$(icmp_in "$PE2")
	echo $((b - a))
}
dx4() {		# dx4 NH4: PE2's DX4 SID with this nh4
	ip -n "$PE2" -6 route replace "$(sid 2 4)/128" encap seg6local \
	    action End.DX4 nh4 "$1" count dev p2-ce proto "$FIB_PROTO"
}
ip -n "$PE2" addr add 10.99.0.1/32 dev lo &&
    fib_hand_route "$PE1" 10 10.99.0.0/24 "$NH4" ||
    not_ok "a VPN route to PE2's global 10.99.0.1"
check "nh4 10.202.0.0: VPN packets for PE2's own 10.99.0.1 do not reach it" \
    eval '[ "$(leak_count 3)" -eq 0 ]'
check "End.DX4 nh4 0.0.0.0 (the inner destination) is accepted" dx4 0.0.0.0
check "nh4 0.0.0.0: pod pings CE over IPv4 too, counted by the SID" \
    fib_ping_counted "$POD" 10.202.0.2 3 "$PE2" "$(sid 2 4)"
check "nh4 0.0.0.0: but the VPN packets for 10.99.0.1 reach PE2 itself" \
    eval '[ "$(leak_count 3)" -eq 3 ]'
check "back to nh4 10.202.0.0" dx4 10.202.0.0
ip -n "$PE1" route del 10.99.0.0/24 table 10

# --- End.DX4 toward a CE gateway --------------------------------------------
# 10.212.0.0/24 lies behind the CE (a kernel route of table 10, per-CE SID
# with nh4 = the gateway).  arp_ignore 1: the CE, like a router, does not
# answer ARP on ce-p2 for an address of its lo.
GW_SID=$(sid 2 7) NHGW=$((FIB_NHID_BASE + 2))
ip netns exec "$CE" sysctl -qw net.ipv4.conf.all.arp_ignore=1 &&
    ip -n "$PE2" route add 10.212.0.0/24 via 10.202.0.2 dev p2-ce table 10 &&
    fib_hand_sid "$PE2" "$GW_SID" p2-ce End.DX4 nh4 10.202.0.2 &&
    fib_hand_nexthop "$PE1" "$NHGW" -4 "$GW_SID" p1-r &&
    fib_hand_route "$PE1" 10 10.212.0.0/24 "$NHGW" ||
    not_ok "a per-CE SID for 10.212.0.0/24 via 10.202.0.2"
check "End.DX4 nh4 10.202.0.2, a connected route only: the kernel ARPs for the inner destination, nothing arrives" \
    fails fib_ping "$POD" 10.212.0.1 2
check "... the SID counted the packets all the same" \
    eval '[ "$(fib_sid_packets "$PE2" "$GW_SID")" -eq 2 ]'
ip -n "$PE2" route add 10.202.0.2/32 via 10.202.0.2 dev p2-ce onlink \
    proto "$FIB_PROTO"
check "with 10.202.0.2/32 via 10.202.0.2 dev p2-ce onlink (main table): pod reaches 10.212.0.1" \
    fib_ping_counted "$POD" 10.212.0.1 3 "$PE2" "$GW_SID"

# --- sysctls ----------------------------------------------------------------
# with_sysctl NS KEY VALUE COMMAND...: COMMAND's status with KEY = VALUE
with_sysctl() {
	local ns=$1 k=$2 v=$3 old rc; shift 3
	old=$(ip netns exec "$ns" sysctl -n "$k") || return 2
	ip netns exec "$ns" sysctl -qw "$k=$v"
	"$@"; rc=$?
	ip netns exec "$ns" sysctl -qw "$k=$old"
	return $rc
}
for v in 1 2; do
	check "rp_filter $v on PE2's member p2-ce: the reply from 10.212.0.1 (only in table 10) is dropped" \
	    fails with_sysctl "$PE2" net.ipv4.conf.p2-ce.rp_filter "$v" \
	    fib_ping "$POD" 10.212.0.1 1
done
check "rp_filter 2 in PE2's all (as systemd sets it): dropped too" \
    fails with_sysctl "$PE2" net.ipv4.conf.all.rp_filter 2 \
    fib_ping "$POD" 10.212.0.1 1
check "rp_filter 1 on PE2's core p2-r: no effect on End.DX4" \
    with_sysctl "$PE2" net.ipv4.conf.p2-r.rp_filter 1 \
    fib_ping "$POD" 10.212.0.1 1
for pe in PE1 PE2; do
	check "$pe without net.ipv4.ip_forward: no IPv4 VPN" \
	    fails with_sysctl "${!pe}" net.ipv4.ip_forward 0 \
	    fib_ping "$POD" 10.202.0.2 1
	check "$pe without net.ipv6.conf.all.forwarding: no IPv6 VPN" \
	    fails with_sysctl "${!pe}" net.ipv6.conf.all.forwarding 0 \
	    fib_ping "$POD" 2001:db8:202::2 1
	check "$pe without net.ipv6.conf.all.forwarding: no IPv4 VPN either" \
	    fails with_sysctl "${!pe}" net.ipv6.conf.all.forwarding 0 \
	    fib_ping "$POD" 10.202.0.2 1
	n=${pe#PE}
	check "$pe with seg6_enabled 0 (all and p$n-r): both VPNs work" \
	    with_sysctl "${!pe}" net.ipv6.conf.all.seg6_enabled 0 \
	    with_sysctl "${!pe}" "net.ipv6.conf.p$n-r.seg6_enabled" 0 \
	    eval 'fib_ping "$POD" 10.202.0.2 1 && fib_ping "$POD" 2001:db8:202::2 1'
done

# --- everything of protocol 201 goes with one flush --------------------------
# what a `fib-keep no' stop leaves: nothing of srv6d's.  Nexthop objects
# first: deleting one deletes the routes through it, and iproute2 6.1's
# `ip route flush' fails on those with EINVAL ("Failed to send flush
# request"), where `ip route del' of the same route works.
flush_201() {
	local ns=$1 af
	ip -n "$ns" nexthop flush proto "$FIB_PROTO" >/dev/null &&
	    for af in -4 -6; do
		ip -n "$ns" "$af" rule flush proto "$FIB_PROTO" &&
		    ip -n "$ns" "$af" route flush table all proto "$FIB_PROTO" ||
		    return 1
	    done
}
before=$(fib_state "$PE1" | wc -l)
diag "PE1 has $before objects of protocol $FIB_PROTO"
check "PE1: nexthop objects, rules, routes of protocol $FIB_PROTO flushed" \
    flush_201 "$PE1"
check "PE1 flushed: no rule, route, nexthop or SID of protocol $FIB_PROTO" \
    eval '[ -z "$(fib_state "$PE1")" ]'
check "... its kernel routes stay (connected 10.201.0.0/24, fc00::/16)" \
    eval 'ip -n "$PE1" route show 10.201.0.0/24 | grep -q p1-pod &&
    ip -n "$PE1" -6 route show fc00::/16 | grep -q fd00:1::2'
check "... and the VPN is gone" fails fib_ping "$POD" 10.202.0.2 1

tap_done
