#!/bin/bash
# srv6d <-> srv6d in VRF mode (issue 6, regression), inside the srv6 test VM:
# two srv6d PEs, iBGP VPNv4 + VPNv6 over IPv6, vrf0 on each with `sid auto'
# (one End.DT46 SID for both families), configured from the start (the
# VRF devices made at start-up, not by a reload).
#
#  pod1 10.200.0.10 -- pe1 [vrf0 t10] == fc00:13::1 -- ::3 == pe3 [vrf0 t10] -- pod3 10.201.0.10
#  2001:db8:200::10    AS 65001, fc00:0:1::/48          fc00:0:3::/48          2001:db8:201::10
set -u
. "$(dirname "$0")/lib.sh"

cleanup() {
	for p in "${PCAP_PIDS[@]+"${PCAP_PIDS[@]}"}"; do kill "$p" 2>/dev/null; done
	srv6d_stop pe1
	srv6d_stop pe3
	netns_cleanup
}
trap cleanup EXIT

pe_conf() {	# pe_conf N: PE N's srv6d.conf
	local n=$1 o=3
	[ "$n" = 3 ] && o=1
	cat <<EOF
as 65001
router-id 10.255.0.$n
${KEEP:-}
srv6 {
	locator main prefix fc00:0:$n::/48
	encap-source fc00:13::$n
}
vrf vrf0 {
	table 10
	rd 65001:$n
	import-target 65000:10
	export-target 65000:10
	sid auto
	interface pod$n late$n
	network connected
}
neighbor fc00:13::$o {
	remote-as 65001
	local-address fc00:13::$n
	address-family vpnv4
	address-family vpnv6
}
EOF
}

section "srv6d <-> srv6d, VRF mode, End.DT46"
for ns in pe1 pe3 pod1 pod3; do
	netns_new "$ns"
	nsx "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
	    net.ipv6.conf.default.accept_dad=0
done
veth_ns pe1 eth0 pe3 eth0
for n in 1 3; do
	o=$((4 - n))
	p=$((n == 1 ? 200 : 201))
	nsx pe$n ip -6 addr add fc00:13::$n/64 dev eth0 nodad
	nsx pe$n ip -6 route add fc00:0:$o::/48 via fc00:13::$o
	veth_ns pe$n pod$n pod$n eth0
	nsx pe$n ip addr add 10.$p.0.1/24 dev pod$n
	nsx pe$n ip -6 addr add 2001:db8:$p::1/64 dev pod$n nodad
	nsx pod$n ip addr add 10.$p.0.10/24 dev eth0
	nsx pod$n ip -6 addr add 2001:db8:$p::10/64 dev eth0 nodad
	nsx pod$n ip route add default via 10.$p.0.1
	nsx pod$n ip -6 route add default via 2001:db8:$p::1
	pe_conf $n >"$RUN/pe$n.conf"
	check "srv6d starts on pe$n" srv6d_start pe$n pe$n "$RUN/pe$n.conf"
done
check "iBGP pe1 <-> pe3 Established" wait_until 30 srv6d_established pe1 fc00:13::3
S1='' S3=''
sids() { S1=$(srv6d_sid pe1 vrf0 End.DT46) && S3=$(srv6d_sid pe3 vrf0 End.DT46); }
wait_until 10 sids
check "End.DT46 SIDs for vrf0: pe1 ${S1:-none}, pe3 ${S3:-none}" test -n "$S1" -a -n "$S3"
check "pe1 and pe3: End.DT46 vrftable 10 in the kernel, VRF device vrf0 with pod enslaved" eval '
    nsx pe1 ip -6 route show "$S1" | grep -q "action End.DT46 vrftable 10 " &&
    nsx pe3 ip -6 route show "$S3" | grep -q "action End.DT46 vrftable 10 " &&
    nsx pe1 ip link show master vrf0 | grep -q " pod1@" &&
    nsx pe3 ip link show master vrf0 | grep -q " pod3@"'
check "pe1 vrf0: 10.201.0.0/24 and 2001:db8:201::/64 encapsulated to pe3's $S3" wait_until 10 eval '
    encap_to pe1 vrf0 10.201.0.0/24 "$S3" && encap_to pe1 vrf0 2001:db8:201::/64 "$S3"'
check "pe3 vrf0: 10.200.0.0/24 and 2001:db8:200::/64 encapsulated to pe1's $S1" wait_until 10 eval '
    encap_to pe3 vrf0 10.200.0.0/24 "$S1" && encap_to pe3 vrf0 2001:db8:200::/64 "$S1"'
show pe1 ip route show vrf vrf0
show pe1 ip nexthop show
pcap_start pe1 eth0 $RUN/core13.pcap ip6 and not icmp6 and not tcp
P=$LAST_PCAP_PID
check "pod1 -> pod3 over IPv4 (End.DT46 decapsulates IPv4)" test -n "$(ping_ttl pod1 10.201.0.10)"
check "pod1 -> pod3 over IPv6 (End.DT46 decapsulates IPv6)" test -n "$(ping_ttl pod1 -6 2001:db8:201::10)"
sleep 0.5
pcap_stop "$P"
nsx pe1 tcpdump -n -v -r $RUN/core13.pcap 2>/dev/null >$RUN/core13.txt
grep -m1 -A1 "> $S3:" $RUN/core13.txt | sed 's/^/     /'
check "core: IPv4 and IPv6 echo requests to pe3's End.DT46 SID, replies to pe1's" eval '
    grep -A2 "fc00:13::1 > $S3:" $RUN/core13.txt | grep -q "10.200.0.10 > 10.201.0.10: ICMP echo request" &&
    grep -A2 "fc00:13::3 > $S1:" $RUN/core13.txt | grep -q "10.201.0.10 > 10.200.0.10: ICMP echo reply" &&
    grep -A2 "fc00:13::1 > $S3:" $RUN/core13.txt | grep -q "2001:db8:200::10 > 2001:db8:201::10: .*echo request" &&
    grep -A2 "fc00:13::3 > $S1:" $RUN/core13.txt | grep -q "2001:db8:201::10 > 2001:db8:200::10: .*echo reply"'

# an interface of the VRF that appears while srv6d runs is enslaved then
late1_make() {	# late1 with its address, up; then enslaved, keeping it?
	nsx pe1 ip link add late1 type veth peer name late1p
	nsx pe1 ip -6 addr add 2001:db8:210::1/64 dev late1 nodad
	nsx pe1 ip link set late1 up
	nsx pe1 ip link set late1p up
}
late1_enslaved() {
	nsx pe1 ip link show master vrf0 | grep -q " late1@" &&
	    nsx pe1 ip -6 addr show dev late1 | grep -q "2001:db8:210::1/64"
}
late1_make
check "pe1: late1, made after the start, is enslaved to vrf0 and keeps its IPv6 address" \
    wait_until 10 late1_enslaved
check "pe3 vrf0: late1's network 2001:db8:210::/64 (network connected) to pe1's SID" \
    wait_until 10 encap_to pe3 vrf0 2001:db8:210::/64 "$S1"

# ... and when it disappears and comes back (a new ifindex, same name),
# its network is withdrawn and it is enslaved again
nsx pe1 ip link del late1
check "pe1: late1 deleted; pe3 vrf0 loses 2001:db8:210::/64" \
    wait_until 10 no_route pe3 vrf0 2001:db8:210::/64
late1_make
check "pe1: late1, made again, is enslaved to vrf0 again and keeps its IPv6 address" \
    wait_until 10 late1_enslaved
check "pe3 vrf0: 2001:db8:210::/64 again, to pe1's SID $S1" \
    wait_until 10 encap_to pe3 vrf0 2001:db8:210::/64 "$S1"

# a restart with fib-keep yes in VRF mode: nothing deleted, nothing lost
state() {	# state NS: srv6d's routes, SIDs, nexthops and the VRF device
	nsx "$1" ip route show table all proto 201
	nsx "$1" ip -6 route show table all proto 201
	nsx "$1" ip nexthop show proto 201 2>/dev/null
	nsx "$1" ip -d link show vrf0 | grep -o "vrf table [0-9]*"
}
KEEP="fib-keep yes" pe_conf 1 >"$RUN/pe1.conf"
check "pe1 reloads with fib-keep yes" eval 'sctl pe1 reload | grep -q "reload done"'
sleep 1
state pe1 >"$RUN/before"
nsx pe1 ip monitor route nexthop link >"$RUN/mon" 2>&1 &
MON=$!
srv6d_stop pe1
check "pe1 stopped (fib-keep yes): routes, SIDs, nexthops and vrf0 stay" eval \
    'state pe1 | cmp -s - "$RUN/before"'
# pe3 withdraws pe1's routes (a stop sends Cease, RFC 8538): the way back
# is gone, the way there stays
pcap_start pod3 eth0 "$RUN/down.pcap" icmp
P=$LAST_PCAP_PID
ping_ttl pod1 10.201.0.10 >/dev/null
sleep 0.3
pcap_stop "$P"
check "pe1 forwards pod1's packets to pod3 while srv6d is down" eval \
    'nsx pod3 tcpdump -n -r "$RUN/down.pcap" 2>/dev/null | grep -q "10.200.0.10 > 10.201.0.10: ICMP echo request"'
check "srv6d starts again on pe1" srv6d_start pe1 pe1 "$RUN/pe1.conf"
check "pe1 <-> pe3 Established again" wait_until 30 srv6d_established pe1 fc00:13::3
check "pe1: the same state after the restart and its reconciliation" \
    wait_until 15 eval 'sctl pe1 show fib | grep -q "Start-up: .* adopted" && state pe1 | cmp -s - "$RUN/before"'
sleep 2
kill "$MON" 2>/dev/null
wait "$MON" 2>/dev/null
# (but the start-up probes: a VRF device srv6d-pPID, nexthop 0x5d5fffff)
deleted() {
	grep '^Deleted' "$RUN/mon" | grep -v -e ' srv6d-p[0-9]*: ' -e '^Deleted id 1566572543 '
}
check "pe1: nothing of its state deleted during the restart (ip monitor)" \
    eval '[ -z "$(deleted)" ]'
deleted | head -n 10 | sed 's/^/     /'
sshow pe1 show fib
check "pe1: pod1 reaches pod3 after the restart, IPv4 and IPv6" eval \
    '[ -n "$(ping_ttl pod1 10.201.0.10)" ] && [ -n "$(ping_ttl pod1 -6 2001:db8:201::10)" ]'

srv6d_stop pe3
check "pe3 stopped: pe1 vrf0 drops its routes" wait_until 20 no_route pe1 vrf0 10.201.0.0/24
if [ "$NFAIL" != 0 ]; then
	srv6d_log_tail pe1 30
	srv6d_log_tail pe3 30
fi
summary
