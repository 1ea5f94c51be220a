#!/bin/bash
# The reference scenario of DESIGN.md (issue 6): srv6d in VRF mode as PE1,
# FRR 8.4 with its own SRv6 L3VPN as PE0.  Runs in the srv6 test VM through
# regress/vm/run, or natively on a kernel with VRF devices (see lib.sh);
# make check: regress/netns/l3vpn_vm.sh; make demo: regress/netns/demo.
# Prints each step with a short explanation, PASS/FAIL lines and "N passed,
# N failed"; exits nonzero on failure.  DEMO=1 leaves out steps 7 and 8
# (regression only); STOP_AFTER=N ends after step N (with diagnostics).
#
#  pod1 10.200.0.10 --+                                        +-- ce1 10.1.0.2 (vrf0, ttl 64)
#  2001:db8:200::10   |  PE1 = srv6d   IPv6 core    PE0 = FRR  |   2001:db8:1::2
#                  pe1 [vrf0 t10] == fc00:12::1 -- ::2 == pe0 [vrf0 t10, vrf1 t11]
#  pod2 10.200.0.10 --+  AS 65001                   AS 65002   |
#   (the same address)   fc00:0:1:1::/64            fc00:0:2:2::/64
#                                                              +-- ce2 10.1.0.2 (vrf1, ttl 128)
#
# Steps: PE0's vrf0 knows no pod network; srv6ctl reload adds vrf0 to srv6d,
# which makes the VRF device, enslaves pod1, allocates and programs an
# End.DT46 SID and advertises 10.200.0.0/24 and 2001:db8:200::/64 with it;
# PE0's vrf0 then routes them encapsulated to that SID; srv6d's vrf0 holds
# CE1's network with FRR's End.DT4 and End.DT6 SIDs; pod1 pings CE1 over
# IPv4 and IPv6 (the core carries outer destination = the remote SID around
# the pod's and CE's addresses, CE1's link plain IP, CE2 sees nothing);
# vrf1 added reaches CE2 only; vrf1 removed withdraws its routes at PE0 and
# takes its SID and device away; srv6d stopped leaves nothing.
set -u
. "$(dirname "$0")/lib.sh"
STOP_AFTER=${STOP_AFTER:-99}

PE1_LOC=fc00:0:1:1::/64
PE0_LOC=fc00:0:2:2::/64

cleanup() {
	for p in "${PCAP_PIDS[@]+"${PCAP_PIDS[@]}"}"; do kill "$p" 2>/dev/null; done
	srv6d_stop pe1
	frr_stop pe0
	netns_cleanup
}
trap cleanup EXIT
diagnostics() {
	[ "$NFAIL" != 0 ] || return 0
	section "diagnostics"
	vtysh_ns pe0 "show bgp summary" "show bgp ipv4 vpn" "show bgp ipv6 vpn" \
	    "show bgp ipv4 vpn neighbors fc00:12::1 advertised-routes" \
	    "show bgp vrf vrf0 ipv4 unicast" 2>&1 | head -n 100
	for c in "show neighbor fc00:12::2" "show rib" "show rib neighbor fc00:12::2 in" \
	    "show rib out" "show fib"; do
		sshow pe1 $c
	done
	# decode on the host: tshark -r core-bgp.pcap -V -Y bgp.update
	pcap_stop "$BGP_PCAP"
	cp "$RUN/bgp.pcap" "$OUT/core-bgp.pcap" 2>/dev/null
	srv6d_log_tail pe1 60
	say "--- FRR bgpd log (tail)"
	frr_log pe0 bgpd | grep -v ensure_vrf_tovpn_sid | tail -n 20
}
# stage N: the scenario's step N starts; STOP_AFTER=N-1 ends it here
stage() {
	[ "$1" -gt "$STOP_AFTER" ] || return 0
	diagnostics
	summary
	exit
}

# pe1_conf VRFS: srv6d's configuration with the VRFs named (vrf0, vrf1)
pe1_conf() {
	cat <<EOF
as 65001
router-id 10.255.0.1
srv6 {
	locator main prefix $PE1_LOC block-length 40 node-length 24 function-length 16
	encap-source fc00:12::1
}
neighbor fc00:12::2 {
	remote-as 65002
	local-address fc00:12::1
	address-family vpnv4
	address-family vpnv6
}
# eBGP exchanges nothing without rules (RFC 8212)
allow from fc00:12::2
allow to fc00:12::2
EOF
	local v
	for v in "$@"; do
		local n=${v#vrf} pod=pod1
		[ "$v" = vrf1 ] && pod=pod2
		cat <<EOF
vrf $v {
	table 1$n
	rd 65001:1$n
	import-target 65000:1$n
	export-target 65000:1$n
	sid auto
	interface $pod
	network 10.200.0.0/24
	network 2001:db8:200::/64
}
EOF
	done
}

section "the kernel"
say "kernel $(uname -r), FRR $("$FRR_BIN/bgpd" -v | head -n1 | awk '{print $NF}')"
check "the kernel makes VRF devices" vrf_devices

section "topology"
for ns in pe1 pe0 pod1 pod2 ce1 ce2; do
	netns_new "$ns"
	# link-local addresses usable at once: FRR sends no VPN route over a
	# session whose interface has no link-local address yet
	nsx "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
	    net.ipv6.conf.default.accept_dad=0
done
# PE0 is FRR's: its VRF devices and sysctls are set by hand, as
# scenarios/frr-frr-l3vpn.sh does.  PE1 is srv6d's: it sets its own.
nsx pe0 sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
    net.ipv6.conf.all.seg6_enabled=1 net.ipv6.conf.default.seg6_enabled=1 \
    net.vrf.strict_mode=1
for v in 0 1; do
	nsx pe0 ip link add vrf$v type vrf table 1$v
	nsx pe0 ip link set vrf$v up
done
veth_ns pe1 eth0 pe0 eth0
nsx pe1 ip -6 addr add fc00:12::1/64 dev eth0 nodad
nsx pe0 ip -6 addr add fc00:12::2/64 dev eth0 nodad
# the way to FRR's locator: a static route (srv6d does not learn it here)
nsx pe1 ip -6 route add "$PE0_LOC" via fc00:12::2
# pods on PE1, not in any VRF yet: srv6d will enslave them
for p in pod1 pod2; do
	veth_ns pe1 "$p" "$p" eth0
	nsx pe1 ip addr add 10.200.0.1/24 dev "$p"
	nsx pe1 ip -6 addr add 2001:db8:200::1/64 dev "$p" nodad
	nsx "$p" ip addr add 10.200.0.10/24 dev eth0
	nsx "$p" ip -6 addr add 2001:db8:200::10/64 dev eth0 nodad
	nsx "$p" ip route add default via 10.200.0.1
	nsx "$p" ip -6 route add default via 2001:db8:200::1
done
# CEs on PE0, the same addresses in vrf0 and vrf1; told apart by the TTL
for c in ce1 ce2; do
	veth_ns pe0 "$c" "$c" eth0
	nsx pe0 ip link set "$c" master "vrf$((${c#ce} - 1))"
	nsx pe0 ip addr add 10.1.0.1/24 dev "$c"
	nsx pe0 ip -6 addr add 2001:db8:1::1/64 dev "$c" nodad
	nsx "$c" ip addr add 10.1.0.2/24 dev eth0
	nsx "$c" ip -6 addr add 2001:db8:1::2/64 dev eth0 nodad
	nsx "$c" ip route add default via 10.1.0.1
	nsx "$c" ip -6 route add default via 2001:db8:1::1
done
nsx ce1 sysctl -qw net.ipv4.ip_default_ttl=64 net.ipv6.conf.all.hop_limit=64 net.ipv6.conf.eth0.hop_limit=64
nsx ce2 sysctl -qw net.ipv4.ip_default_ttl=128 net.ipv6.conf.all.hop_limit=128 net.ipv6.conf.eth0.hop_limit=128
check "core link pe1 <-> pe0 (IPv6)" nsx pe1 ping -6 -c1 -W2 fc00:12::2 >/dev/null

section "start PE0 (FRR 8.4) and PE1 (srv6d, no VRF yet)"
# BGP on the core link, kept as $OUT/core-bgp.pcap (tshark -V -Y bgp.update)
pcap_start pe1 eth0 $RUN/bgp.pcap tcp port 179
BGP_PCAP=$LAST_PCAP_PID
frr_start pe0 "$HERE/frr-pe0"
check "FRR zebra, staticd, bgpd started on PE0" frr_running pe0
pe1_conf >"$RUN/pe1.conf"
check "srv6d starts on PE1" srv6d_start pe1 pe1 "$RUN/pe1.conf"
check "srv6d chose kernel mode vrf (VRF devices)" eval \
    '[ "$(sctl pe1 -j show summary | jq -r .summary.kernel_mode)" = vrf ]'
check "BGP session srv6d <-> FRR Established (VPNv4, VPNv6)" \
    wait_until 60 srv6d_established pe1 fc00:12::2
PE0_SID4=$(wait_until 30 test -n "$(local_sid pe0 10 End.DT4)" && local_sid pe0 10 End.DT4)
PE0_SID6=$(wait_until 30 test -n "$(local_sid pe0 10 End.DT6)" && local_sid pe0 10 End.DT6)
PE0_SID4_1=$(wait_until 30 test -n "$(local_sid pe0 11 End.DT4)" && local_sid pe0 11 End.DT4)
check "FRR's SIDs: vrf0 End.DT4 ${PE0_SID4:-?} End.DT6 ${PE0_SID6:-?}, vrf1 End.DT4 ${PE0_SID4_1:-?}" \
    test -n "$PE0_SID4" -a -n "$PE0_SID6" -a -n "$PE0_SID4_1"

stage 1; section "1. before: FRR's vrf0 has no route to the pod network"
explain "srv6d (PE1) and FRR (PE0) are in session, but srv6d has no VRF yet." \
    "PE0's vrf0 table (CE1's side) knows only CE1's own network:"
show pe0 ip route show vrf vrf0
check "PE0 vrf0: no route to 10.200.0.0/24" no_route pe0 vrf0 10.200.0.0/24
check "PE0 vrf0: no route to 2001:db8:200::/64" no_route pe0 vrf0 2001:db8:200::/64

stage 2; section "2. srv6ctl reload: VRF vrf0 added to srv6d"
pe1_conf vrf0 >"$RUN/pe1.conf"
explain "srv6d.conf gets a VRF for the pod's interface; srv6ctl reload applies it" \
    "without touching the BGP session:"
sed -n '/^vrf vrf0/,/^}/p' "$RUN/pe1.conf" | sed 's/^/     /'
sshow pe1 reload
check "srv6ctl reload succeeds" eval 'sctl pe1 show vrf | grep -q vrf0'
PE1_SID=
sid_ready() { PE1_SID=$(srv6d_sid pe1 vrf0 End.DT46) && [ -n "$PE1_SID" ]; }
check "srv6d allocated an End.DT46 SID for vrf0" wait_until 10 sid_ready
explain "the SID srv6d allocated for vrf0, from its locator $PE1_LOC:"
sshow pe1 show sid
explain "the VRF device srv6d made, and pod1 enslaved to it:"
show pe1 ip -d link show vrf0
show pe1 ip link show master vrf0
check "PE1: VRF device vrf0 with table 10" \
    eval 'nsx pe1 ip -d link show vrf0 | grep -q "vrf table 10 "'
check "PE1: pod1 enslaved to vrf0" wait_until 10 eval \
    'nsx pe1 ip link show master vrf0 | grep -q " pod1@"'
check "PE1: net.vrf.strict_mode=1 (End.DT4/DT46 need it)" \
    eval '[ "$(nsx pe1 sysctl -n net.vrf.strict_mode)" = 1 ]'
explain "the SID in the kernel: End.DT46 decapsulating into vrf0's table:"
show pe1 ip -6 route show "${PE1_SID:-::}"
check "PE1: ${PE1_SID:-SID} is seg6local End.DT46 vrftable 10 (proto 201)" eval \
    'nsx pe1 ip -6 route show "$PE1_SID" | grep -q "action End.DT46 vrftable 10 .*proto 201"'
check "PE1: pod1 keeps its IPv4 address 10.200.0.1 in vrf0" eval \
    'nsx pe1 ip -4 addr show dev pod1 | grep -q "inet 10.200.0.1/24"'
check "PE1: pod1 keeps its IPv6 address 2001:db8:200::1 in vrf0" wait_until 5 eval \
    'nsx pe1 ip -6 addr show dev pod1 | grep -q "inet6 2001:db8:200::1/64"'
show pe1 ip addr show dev pod1

stage 3; section "3. after: FRR's vrf0 routes the pod network to srv6d's SID"
check "PE0 vrf0: 10.200.0.0/24 encapsulated to srv6d's SID ${PE1_SID:-?}" \
    wait_until 10 encap_to pe0 vrf0 10.200.0.0/24 "$PE1_SID"
check "PE0 vrf0: 2001:db8:200::/64 encapsulated to srv6d's SID ${PE1_SID:-?}" \
    wait_until 10 encap_to pe0 vrf0 2001:db8:200::/64 "$PE1_SID"
check "PE0 vrf1: nothing of vrf0's pod network" no_route pe0 vrf1 10.200.0.0/24
explain "FRR received 10.200.0.0/24 and 2001:db8:200::/64 with srv6d's SID (sent" \
    "transposed: the function bits in the label) and installed them in vrf0" \
    "encapsulated towards that SID:"
vshow pe0 "show ip route vrf vrf0"
show pe0 ip route show vrf vrf0
show pe0 ip -6 route show vrf vrf0 2001:db8:200::/64

stage 4; section "4. srv6d's vrf0 holds CE1's network with FRR's SIDs"
explain "FRR 8.4 sends behaviour 0xFFFF (opaque), the locator as SID and the" \
    "function in the label (transposition 16 at 64); srv6d puts them together:"
sshow pe1 show rib vrf vrf0
check "srv6ctl show rib vrf vrf0: 10.1.0.0/24 with FRR's SID ${PE0_SID4:-?}" \
    wait_until 10 eval 'sctl pe1 show rib vrf vrf0 | grep -q "${PE0_SID4:-none}"'
check "PE1 vrf0 (table 10): 10.1.0.0/24 encapsulated to ${PE0_SID4:-?}" \
    wait_until 10 encap_to pe1 vrf0 10.1.0.0/24 "$PE0_SID4"
check "PE1 vrf0 (table 10): 2001:db8:1::/64 encapsulated to ${PE0_SID6:-?}" \
    wait_until 10 encap_to pe1 vrf0 2001:db8:1::/64 "$PE0_SID6"
check "PE1 vrf0 holds nothing of FRR's vrf1 (its SID ${PE0_SID4_1:-?})" eval \
    '! nsx pe1 ip route show vrf vrf0 | grep -q "${PE0_SID4_1:-none} "; ! nsx pe1 ip nexthop show | grep -q "\[ ${PE0_SID4_1:-none} \]"'
explain "PE1 (srv6d) vrf0 in the kernel (routes through nexthop objects):"
show pe1 ip route show vrf vrf0
show pe1 ip -6 route show vrf vrf0
show pe1 ip nexthop show

stage 5; section "5. pod1 pings CE1 (10.1.0.2) over the VPN, IPv4 and IPv6"
explain "CE1 and CE2 both have 10.1.0.2; CE1 answers with TTL 64 (63 after PE0)," \
    "CE2 with 128.  tcpdump runs on the core link, on CE1's and on CE2's."
pcap_start pe1 eth0 $RUN/core.pcap ip6 and not icmp6 and not tcp
CORE=$LAST_PCAP_PID
pcap_start pe0 ce1 $RUN/ce1.pcap icmp or icmp6 or ip6
CE1P=$LAST_PCAP_PID
pcap_start ce2 eth0 $RUN/ce2.pcap not arp and not icmp6
CE2P=$LAST_PCAP_PID
show pod1 ping -c 3 -i 0.3 -W 2 10.1.0.2
ttl=$(ping_ttl pod1 10.1.0.2)
check "pod1 reaches 10.1.0.2 and CE1 answers (ttl ${ttl:-none} <= 64)" \
    test -n "$ttl" -a "${ttl:-0}" -le 64
ttl6=$(ping_ttl pod1 -6 2001:db8:1::2)
check "pod1 reaches 2001:db8:1::2 over the IPv6 VPN, CE1 answers (hlim ${ttl6:-none} <= 64)" \
    test -n "$ttl6" -a "${ttl6:-0}" -le 64
sleep 0.5
pcap_stop "$CORE"; pcap_stop "$CE1P"; pcap_stop "$CE2P"

stage 6; section "6. the packets"
nsx pe1 tcpdump -n -v -r $RUN/core.pcap 2>/dev/null >$RUN/core.txt
cp $RUN/core.pcap "$OUT/core-pod1-ce1.pcap" 2>/dev/null
# first_packet REGEX: the first packet (its header line and the indented
# lines after it) whose header line matches REGEX
first_packet() {
	awk -v re="$1" '/^[0-9]/ { if (p) exit; if ($0 ~ re) p = 1 } p' $RUN/core.txt |
	    sed 's/^/     /'
}
explain "the core link (pe1 eth0), one echo request: outer IPv6 from PE1 (fc00:12::1)" \
    "to FRR's End.DT4 SID for vrf0 ($PE0_SID4), an SRH holding that one SID" \
    "(segleft 0), then the pod's IPv4 packet 10.200.0.10 > 10.1.0.2 unchanged:"
first_packet "fc00:12::1 > $PE0_SID4:"
explain "its reply: outer IPv6 from PE0 to srv6d's End.DT46 SID ($PE1_SID), around" \
    "CE1's 10.1.0.2 > 10.200.0.10; srv6d's End.DT46 decapsulates into vrf0:"
first_packet "> $PE1_SID: .*proto ICMP "
req_ok() { grep -A3 "fc00:12::1 > $PE0_SID4:" $RUN/core.txt | grep -q '10.200.0.10 > 10.1.0.2: ICMP echo request'; }
rep_ok() { grep -A3 "> $PE1_SID:" $RUN/core.txt | grep -q '10.1.0.2 > 10.200.0.10: ICMP echo reply'; }
req6_ok() { grep -A3 "fc00:12::1 > $PE0_SID6:" $RUN/core.txt | grep -q '2001:db8:200::10 > 2001:db8:1::2: .*ICMP6, echo request'; }
rep6_ok() { grep -A3 "> $PE1_SID:" $RUN/core.txt | grep -q '2001:db8:1::2 > 2001:db8:200::10: .*ICMP6, echo reply'; }
check "core: echo request = IPv6 fc00:12::1 > FRR's End.DT4 SID $PE0_SID4 around 10.200.0.10 > 10.1.0.2" req_ok
check "core: echo reply = IPv6 to srv6d's End.DT46 SID $PE1_SID around 10.1.0.2 > 10.200.0.10" rep_ok
check "core: IPv6 echo request to FRR's End.DT6 SID $PE0_SID6 around 2001:db8:200::10 > 2001:db8:1::2" req6_ok
check "core: IPv6 echo reply to srv6d's SID $PE1_SID around 2001:db8:1::2 > 2001:db8:200::10" rep6_ok
explain "CE1's link (pe0 ce1): the same request and reply as plain IPv4, no IPv6 left:"
nsx pe0 tcpdump -n -r $RUN/ce1.pcap 2>/dev/null >$RUN/ce1.txt
head -n 2 $RUN/ce1.txt | sed 's/^/     /'
check "CE1's link: 10.200.0.10 > 10.1.0.2 echo requests, nothing to an SRv6 SID" eval \
    'grep -q "10.200.0.10 > 10.1.0.2: ICMP echo request" $RUN/ce1.txt &&
    ! grep -q "fc00:0:" $RUN/ce1.txt'
n2=$(nsx ce2 tcpdump -n -r $RUN/ce2.pcap 2>/dev/null | wc -l)
explain "CE2 (the same 10.1.0.2, in vrf1): $n2 packets"
check "CE2 saw nothing" test "$n2" -eq 0

if [ -z "${DEMO:-}" ]; then	# the demo ends with the packets
stage 7; section "7. srv6ctl reload: vrf1 added (pod2, the same 10.200.0.10) reaches CE2 only"
pe1_conf vrf0 vrf1 >"$RUN/pe1.conf"
sshow pe1 reload
PE1_SID_1=
sid1_ready() { PE1_SID_1=$(srv6d_sid pe1 vrf1 End.DT46) && [ -n "$PE1_SID_1" ]; }
check "srv6d allocated vrf1's End.DT46 SID; vrf0's stays $PE1_SID" eval \
    'wait_until 10 sid1_ready && [ "$(srv6d_sid pe1 vrf0 End.DT46)" = "$PE1_SID" ] && [ "$PE1_SID_1" != "$PE1_SID" ]'
sshow pe1 show sid
check "PE1: vrf1 device (table 11), pod2 enslaved, End.DT46 vrftable 11" wait_until 10 eval \
    'nsx pe1 ip -d link show vrf1 | grep -q "vrf table 11 " &&
    nsx pe1 ip link show master vrf1 | grep -q " pod2@" &&
    nsx pe1 ip -6 route show "$PE1_SID_1" | grep -q "action End.DT46 vrftable 11 "'
check "PE0 vrf1: 10.200.0.0/24 encapsulated to ${PE1_SID_1:-?}" \
    wait_until 10 encap_to pe0 vrf1 10.200.0.0/24 "$PE1_SID_1"
check "PE0 vrf0: 10.200.0.0/24 still to $PE1_SID" encap_to pe0 vrf0 10.200.0.0/24 "$PE1_SID"
check "PE1 vrf1: 10.1.0.0/24 encapsulated to FRR's vrf1 SID $PE0_SID4_1" \
    wait_until 10 encap_to pe1 vrf1 10.1.0.0/24 "$PE0_SID4_1"
check "PE1 vrf1: no IPv6 route to 2001:db8:1::/64 (FRR's vrf1 exports IPv4 only)" \
    no_route pe1 vrf1 2001:db8:1::/64
ttl=$(ping_ttl pod2 10.1.0.2)
check "pod2 (vrf1) reaches 10.1.0.2 and CE2 answers (ttl ${ttl:-none} > 64)" \
    test -n "$ttl" -a "${ttl:-0}" -gt 64
ttl=$(ping_ttl pod1 10.1.0.2)
check "pod1 (vrf0) still reaches CE1 (ttl ${ttl:-none} <= 64)" \
    test -n "$ttl" -a "${ttl:-0}" -le 64

stage 8; section "8. srv6ctl reload: vrf1 removed"
pe1_conf vrf0 >"$RUN/pe1.conf"
sshow pe1 reload
check "PE0 vrf1 withdrew 10.200.0.0/24" wait_until 10 no_route pe0 vrf1 10.200.0.0/24
check "PE1: vrf1's SID ${PE1_SID_1:-?} gone (show sid, kernel)" wait_until 10 eval \
    '! sctl pe1 show sid | grep -q "${PE1_SID_1:-none}" &&
    [ -z "$(nsx pe1 ip -6 route show "${PE1_SID_1:-::}" proto 201)" ]'
check "PE1: VRF device vrf1 gone" wait_until 10 eval \
    '! nsx pe1 ip link show vrf1 >/dev/null 2>&1'
check "PE1: pod2 left the VRF (no master)" eval \
    '! nsx pe1 ip -d link show pod2 | grep -q "master "'
check "PE1: table 11 empty of srv6d's routes" eval \
    '[ -z "$(nsx pe1 ip route show table 11 proto 201; nsx pe1 ip -6 route show table 11 proto 201)" ]'
ttl=$(ping_ttl pod1 10.1.0.2)
check "pod1 (vrf0) still reaches CE1" test -n "$ttl" -a "${ttl:-0}" -le 64
show pe1 ip -br link

fi
stage 9; section "9. srv6d stops: what it made goes"
explain "a plain stop (fib-keep no) removes every route, SID, nexthop object and" \
    "VRF device srv6d made; BGP withdraws its routes at FRR"
srv6d_stop pe1
check "PE1: nothing of protocol 201 left (routes, SIDs, nexthop objects)" eval \
    '[ -z "$(nsx pe1 ip route show table all proto 201; nsx pe1 ip -6 route show table all proto 201; nsx pe1 ip nexthop show proto 201 2>/dev/null)" ]'
check "PE1: VRF device vrf0 gone" eval '! nsx pe1 ip link show vrf0 >/dev/null 2>&1'
check "PE0 vrf0 withdrew 10.200.0.0/24" wait_until 30 no_route pe0 vrf0 10.200.0.0/24

diagnostics
summary
