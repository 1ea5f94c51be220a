#!/bin/bash
# Two srv6d PEs exchange their VRF routes and SIDs through FRR 8.4, a
# VPNv4/VPNv6 route reflector without VRFs (all in AS 65001): each PE's
# VRF imports the other PE's routes of its route targets only, with the
# other PE's SID (PE1 sends SIDs transposed, PE3 whole; FRR 8.4 re-encodes
# the attribute on the way), each PE's locator reaches the other as an
# IPv6 unicast route, and a route removed on one PE leaves the other.
#
#   srv6d "P1" fd00:1::1 --- fd00:1::2  FRR "R"  10.0.3.2 --- 10.0.3.1 srv6d "P3"
#   locator fc00:0:1::/48                RR                locator fc00:0:3::/48
#   vrf0 rd 65001:10 RT 65000:10 both ways         vrf0 rd 65003:10 RT 65000:10
#        10.201.0.0/24 2001:db8:201::/48                10.203.0.0/24 2001:db8:203::/48
#   vrf1 rd 65001:11 RT 65000:11 both ways         vrf1 rd 65003:11 RT 65000:11
#        10.100.0.0/24                                  10.100.0.0/24 (overlapping),
#                                                       10.213.0.0/24
#   srv6 transposition yes (default)               srv6 transposition no
#   session over IPv6: VPNv4 with                  session over IPv4: VPNv4 with
#   RFC 8950 next hops                             12-byte next hops, VPNv6 with
#                                                  ::ffff:10.0.3.1
. "$(dirname "$0")/lib.sh"

netns_new P1 && netns_new R && netns_new P3 &&
    link_ns "$P1" p1-r "fd00:1::1/64" "$R" r-p1 "fd00:1::2/64" &&
    link_ns "$P3" p3-r "10.0.3.1/24 fd00:3::1/64" \
	"$R" r-p3 "10.0.3.2/24 fd00:3::2/64" &&
    ip netns exec "$R" sysctl -qw net.ipv6.conf.all.forwarding=1 &&
    ip netns exec "$R" sysctl -qw net.ipv4.ip_forward=1 &&
    ip -n "$P1" -6 route add fd00::/16 via fd00:1::2 &&
    ip -n "$P3" -6 route add fd00::/16 via fd00:3::2 ||
    { not_ok "create namespaces and links"; tap_done; exit; }

frr_conf="router bgp 65001
 bgp router-id 10.0.0.2
 no bgp default ipv4-unicast"
for a in fd00:1::1 10.0.3.1; do
	frr_conf+="
 neighbor $a remote-as 65001
 neighbor $a timers connect 2
 neighbor $a capability extended-nexthop"
done
for af in "ipv4 vpn" "ipv6 vpn" "ipv6 unicast"; do
	frr_conf+="
 address-family $af"
	for a in fd00:1::1 10.0.3.1; do
		frr_conf+="
  neighbor $a activate
  neighbor $a route-reflector-client"
	done
	frr_conf+="
 exit-address-family"
done
frr_start "$R" "$frr_conf"
check "FRR R (VPNv4/VPNv6 route reflector, AS 65001) starts" test $? -eq 0

# pe_conf N LOCATOR PHASE: PE N's configuration; PE 3 sends whole SIDs
# (srv6 transposition no); phase 2 drops one network of vrf1 from PE 3
# and makes PE1's vrf1 import 65000:10 too
declare -A pe=([1]=fd00:1::1 [3]=10.0.3.1) rr=([1]=fd00:1::2 [3]=10.0.3.2)
pe_conf() {
	local n=$1 loc=$2 ph=${3:-1}
	cat <<EOF
as 65001
router-id 10.0.0.$n
srv6 {
	locator main prefix $loc block-length 32 node-length 16 function-length 16
}
vrf vrf0 {
	table 10
	rd 6500$n:10
	import-target 65000:10
	export-target 65000:10
	network 10.20$n.0.0/24
	network 2001:db8:20$n::/48
}
vrf vrf1 {
	table 11
	rd 6500$n:11
	import-target 65000:11
	export-target 65000:11
	network 10.100.0.0/24
EOF
	[ "$n" = 1 ] && [ "$ph" = 2 ] && echo "	import-target 65000:10"
	[ "$n" = 3 ] && [ "$ph" = 1 ] && echo "	network 10.213.0.0/24"
	cat <<EOF
}
neighbor ${rr[$n]} {
	remote-as 65001
	local-address ${pe[$n]}
	address-family vpnv4
	address-family vpnv6
	address-family ipv6-unicast
EOF
	[ "$n" = 3 ] && printf '\tsrv6 transposition no\n'
	echo "}"
}
pe_conf 1 fc00:0:1::/48 >"$TMP/p1.conf"
pe_conf 3 fc00:0:3::/48 >"$TMP/p3.conf"
check "tcpdump captures BGP on PE1's link" pcap_start "$P1" p1-r p1
check "srv6d PE1 starts" srv6d_start p1 "$P1" "$TMP/p1.conf"
check "tcpdump captures BGP on PE3's link" pcap_start "$P3" p3-r p3
check "srv6d PE3 starts" srv6d_start p3 "$P3" "$TMP/p3.conf"

check "PE1: session with the reflector Established" \
    wait_until 30 srv6d_established p1 fd00:1::2
check "PE3: session with the reflector Established" \
    wait_until 30 srv6d_established p3 10.0.3.2
for a in fd00:1::1 10.0.3.1; do
	check "FRR: session with $a Established" \
	    wait_until 10 frr_established "$R" "$a"
done

# --- the SIDs as the reflector passes them on -------------------------------
# FRR 8.4 shows the SID field and the label, not the structure: both PEs'
# locators are 32/16/16, so a transposed function is 16 bits at 48.
declare -A fsid
for r in 1:ipv4:10.201.0.0/24:65001:10 1:ipv6:2001:db8:201::/48:65001:10 \
    1:ipv4:10.100.0.0/24:65001:11 3:ipv4:10.203.0.0/24:65003:10 \
    3:ipv6:2001:db8:203::/48:65003:10 3:ipv4:10.100.0.0/24:65003:11 \
    3:ipv4:10.213.0.0/24:65003:11; do
	IFS=: read -r n af rest <<<"$r"
	rd=${r#*/*:} p=${rest%:*:*}
	check "FRR has PE$n's $rd:$p" \
	    wait_until 10 frr_vpn_jq "$R" "$af" "$p" "$rd" \
	    ".peer.peerId == \"${pe[$n]}\""
	fsid[$rd:$p]=$(frr_vpn_sid "$R" "$af" "$p" "$rd" 16 48)
	check "... with a SID of PE$n's locator: ${fsid[$rd:$p]}" \
	    eval '[[ ${fsid[$rd:$p]} == fc00:0:$n:* ]]'
done
check "PE1 sends transposed: SID field fc00:0:1::, the function in the label" \
    frr_vpn_jq "$R" ipv4 10.201.0.0/24 65001:10 \
    '.remoteSid == "fc00:0:1::" and .remoteLabel != 3'
check "PE3 (transposition no) sends the whole SID with label 3" \
    frr_vpn_jq "$R" ipv4 10.203.0.0/24 65003:10 \
    ".remoteSid == \"${fsid[65003:10:10.203.0.0/24]}\" and .remoteLabel == 3"

# wire_whole RD PREFIX: PE3's UPDATE for RD:PREFIX carries the whole SID,
# TL and TO 0, label 3 (srv6 transposition no)
wire_whole() {
	pcap_last p3 10.0.3.1 "$1" "$2" | jq -e --arg s "${fsid[$1:$2]}" \
	    '(.withdraw | not) and .sid == $s and .label == 3 and
	    .structure == [32, 16, 16, 0, 0, 0] and .sid_infos == 1 and
	    .structures == 1' >/dev/null
}
check "wire: PE3 sent 65003:10:10.203.0.0/24 with its whole SID, TL 0, label 3" \
    wire_whole 65003:10 10.203.0.0/24
check "wire: PE3 sent 65003:10:2001:db8:203::/48 with its whole SID, TL 0, label 3" \
    wire_whole 65003:10 2001:db8:203::/48
check "wire: over IPv4, PE3's VPNv4 next hop is 12 bytes (RD 0, 10.0.3.1)" \
    eval 'pcap_last p3 10.0.3.1 65003:10 10.203.0.0/24 | jq -e ".nexthop_len ==
    12 and .nexthop == \"10.0.3.1\"" >/dev/null'
check "wire: ... and VPNv6's is ::ffff:10.0.3.1 (RFC 4659 §3.2.1.2)" \
    eval 'pcap_last p3 10.0.3.1 65003:10 2001:db8:203::/48 | jq -e ".nexthop ==
    \"::ffff:10.0.3.1\"" >/dev/null'

# own_sid N RD:PREFIX: PE N's `show sid` lists the SID the reflector
# has for RD:PREFIX as a SID of the VRF of that RD
own_sid() {
	local as num rest
	IFS=: read -r as num rest <<<"$2"
	srv6d_jq "p$1" ".sids | any(.sid == \"${fsid[$2]}\" and
	    .vrf == \"vrf$((num - 10))\" and .locator == \"main\")" show sid
}
for k in "${!fsid[@]}"; do
	n=${k:4:1}
	check "PE$n's show sid lists ${fsid[$k]} (FRR's for $k)" own_sid "$n" "$k"
done

# --- locators, announced as IPv6 unicast routes ----------------------------
check "FRR has PE1's locator fc00:0:1::/48 (IPv6 unicast)" \
    wait_until 10 frr_has_route "$R" ipv6 fc00:0:1::/48
check "FRR has PE3's locator fc00:0:3::/48 (IPv6 unicast)" \
    wait_until 10 frr_has_route "$R" ipv6 fc00:0:3::/48
check "PE1 learns PE3's locator from the reflector" \
    wait_until 10 srv6d_has_route p1 fc00:0:3::/48 fd00:1::2
check "PE3 learns PE1's locator from the reflector" \
    wait_until 10 srv6d_has_route p3 fc00:0:1::/48 10.0.3.2

# --- each PE's VRFs import the other's routes with the other's SIDs -------
f() { rib_filter "$@"; }
# imports N VRF AF PREFIX RD: PE N's VRF holds RD:PREFIX with the SID that
# the reflector has for it
imports() {
	srv6d_rib_has "p$1" "$(f "$4" "$5" "${fsid[$5:$4]}") and
	    .imported" vrf "$2"
}
check "PE1 vrf0 imports PE3's 10.203.0.0/24 with SID ${fsid[65003:10:10.203.0.0/24]}" \
    wait_until 10 imports 1 vrf0 ipv4 10.203.0.0/24 65003:10
check "PE1 vrf0 imports PE3's 2001:db8:203::/48 with SID ${fsid[65003:10:2001:db8:203::/48]}" \
    wait_until 10 imports 1 vrf0 ipv6 2001:db8:203::/48 65003:10
check "PE3 vrf0 imports PE1's 10.201.0.0/24 with SID ${fsid[65001:10:10.201.0.0/24]}" \
    wait_until 10 imports 3 vrf0 ipv4 10.201.0.0/24 65001:10
check "PE3 vrf0 imports PE1's 2001:db8:201::/48 with SID ${fsid[65001:10:2001:db8:201::/48]}" \
    wait_until 10 imports 3 vrf0 ipv6 2001:db8:201::/48 65001:10
# nh_as_sent PREFIX: PE1's vrf0 shows the next hop FRR sent for
# 65003:10:PREFIX.  (FRR 8.4 makes PE3's IPv4 next hop its own fd00:1::2
# toward an RFC 8950 peer; VPNv6's ::ffff:10.0.3.1 it passes on.)
nh_as_sent() {
	local nh
	nh=$(pcap_last p1 fd00:1::2 65003:10 "$1" | jq -r .nexthop)
	[ -n "$nh" ] && srv6d_rib_has p1 "$(f "$1" 65003:10) and
	    .nexthop == \"$nh\"" vrf vrf0
}
check "PE1 vrf0: 10.203.0.0/24 with the next hop FRR sent (24 bytes)" \
    nh_as_sent 10.203.0.0/24
check "PE1 vrf0: 2001:db8:203::/48 with the next hop FRR sent" \
    nh_as_sent 2001:db8:203::/48
check "PE1 vrf1 imports PE3's 10.213.0.0/24 with SID ${fsid[65003:11:10.213.0.0/24]}" \
    wait_until 10 imports 1 vrf1 ipv4 10.213.0.0/24 65003:11
check "PE1 vrf1: 10.100.0.0/24 its own (best) and PE3's, apart by RD" \
    eval 'srv6d_rib_has p1 "$(f 10.100.0.0/24) and .local" vrf vrf1 &&
    srv6d_rib_has p1 "$(f 10.100.0.0/24 65003:11 "${fsid[65003:11:10.100.0.0/24]}")" vrf vrf1'
check "PE1 vrf0 holds no route of vrf1 (RT 65000:11)" \
    eval 'srv6d_rib_lacks p1 "$(f 10.213.0.0/24)" vrf vrf0 &&
    srv6d_rib_lacks p1 "$(f 10.100.0.0/24)" vrf vrf0'
check "PE3 vrf0 holds no route of vrf1 (RT 65000:11)" \
    srv6d_rib_lacks p3 "$(f 10.100.0.0/24)" vrf vrf0
check "PE1 vrf1 holds none of vrf0's (RT 65000:10)" \
    eval 'srv6d_rib_lacks p1 "$(f 10.203.0.0/24)" vrf vrf1 &&
    srv6d_rib_lacks p1 "$(f 2001:db8:203::/48)" vrf vrf1'
check "PE3 has PE1's SID structure 32/16/16/0, transposed 16 bits at 48" \
    srv6d_rib_has p3 "$(f 10.201.0.0/24 65001:10) and .structure ==
    {block_length: 32, node_length: 16, function_length: 16,
    argument_length: 0, transposition_length: 16,
    transposition_offset: 48}" vrf vrf0
check "PE1 has PE3's whole SID: no transposition, label 3" \
    srv6d_rib_has p1 "$(f 10.203.0.0/24 65003:10) and
    .structure.transposition_length == 0 and .label == 3" vrf vrf0
# vrf_counts N VRF IMPORTED EXPORTED: show vrf's route counts on PE N
vrf_counts() {
	srv6d_jq "p$1" ".vrfs[] | select(.name == \"$2\") |
	    .imported == $3 and .exported == $4" show vrf "$2"
}
check "PE1 show vrf: vrf0 imported 2, exported 2" vrf_counts 1 vrf0 2 2
check "PE1 show vrf: vrf1 imported 2, exported 1" vrf_counts 1 vrf1 2 1
check "FRR reflected PE1's 65001:10:10.201.0.0/24 back to PE1" \
    wait_until 10 frr_jq "$R" "show bgp ipv4 vpn 10.201.0.0/24 json" \
    '.["65001:10"].advertisedTo | has("fd00:1::1")'
sleep 1
check "PE1 ignores its own routes reflected back (ORIGINATOR_ID, RFC 4456 §8)" \
    srv6d_rib_lacks p1 "$(f 10.201.0.0/24 65001:10) and (.local | not)" vpnv4
check "PE1 VPN RIB: PE3's 65003:11:10.100.0.0/24 next to its own 65001:11" \
    eval 'srv6d_rib_has p1 "$(f 10.100.0.0/24 65003:11)" vpnv4 &&
    srv6d_rib_has p1 "$(f 10.100.0.0/24 65001:11)" vpnv4'

# --- a network removed on PE3 leaves PE1 -----------------------------------
pe_conf 3 fc00:0:3::/48 2 >"$TMP/p3.conf"
check "PE3 reloads without 10.213.0.0/24" quiet sctl p3 reload
check "FRR drops 65003:11:10.213.0.0/24" \
    wait_until 10 frr_jq "$R" "show bgp ipv4 vpn 10.213.0.0/24 json" \
    'has("65003:11") | not'
check "wire: PE3 withdrew 65003:11:10.213.0.0/24" \
    wait_until 5 eval 'pcap_last p3 10.0.3.1 65003:11 10.213.0.0/24 |
    jq -e .withdraw >/dev/null'
check "PE1 vrf1 drops 10.213.0.0/24" \
    wait_until 10 srv6d_rib_lacks p1 "$(f 10.213.0.0/24)" vrf vrf1
check "PE1 vrf1 keeps PE3's 10.100.0.0/24" \
    srv6d_rib_has p1 "$(f 10.100.0.0/24 65003:11)" vrf vrf1
check "PE1 show vrf: vrf1 imported 1 now" \
    wait_until 5 vrf_counts 1 vrf1 1 1

# --- a reload that adds an import target ------------------------------------
pe_conf 1 fc00:0:1::/48 2 >"$TMP/p1.conf"
check "PE1 reloads, vrf1 now also importing 65000:10" quiet sctl p1 reload
check "PE1 vrf1 imports PE3's 10.203.0.0/24 with PE3's vrf0 SID" \
    wait_until 10 imports 1 vrf1 ipv4 10.203.0.0/24 65003:10
check "PE1 vrf1 imports PE3's 2001:db8:203::/48" \
    wait_until 10 imports 1 vrf1 ipv6 2001:db8:203::/48 65003:10
check "... and still PE3's 10.100.0.0/24 of vrf1" \
    srv6d_rib_has p1 "$(f 10.100.0.0/24 65003:11)" vrf vrf1
check "sessions stayed up" \
    eval 'srv6d_established p1 fd00:1::2 && srv6d_established p3 10.0.3.2'

# --- PE3 restarts: its routes leave and come back with the same SIDs -------
kill -TERM "$(srv6d_pid p3)"
check "PE3 stopped: FRR drops 65003:10:10.203.0.0/24" \
    wait_until 10 frr_jq "$R" "show bgp ipv4 vpn 10.203.0.0/24 json" \
    'has("65003:10") | not'
check "... PE1 vrf0 drops 10.203.0.0/24" \
    wait_until 10 srv6d_rib_lacks p1 "$(f 10.203.0.0/24)" vrf vrf0
check "PE3 starts again" srv6d_start p3 "$P3" "$TMP/p3.conf"
check "PE3: session with the reflector Established again" \
    wait_until 30 srv6d_established p3 10.0.3.2
# same_sid AF PREFIX RD: FRR has the SID for RD:PREFIX it had before
same_sid() {
	wait_until 10 frr_vpn_jq "$R" "$1" "$2" "$3" true &&
	    [ "$(frr_vpn_sid "$R" "$1" "$2" "$3" 16 48)" = "${fsid[$3:$2]}" ]
}
for r in ipv4:10.203.0.0/24:65003:10 ipv6:2001:db8:203::/48:65003:10 \
    ipv4:10.100.0.0/24:65003:11; do
	af=${r%%:*} rest=${r#*:} rd=${r#*/*:} p=${rest%:*:*}
	check "after the restart FRR has $rd:$p with the same SID ${fsid[$rd:$p]}" \
	    same_sid "$af" "$p" "$rd"
done
check "PE1 vrf0 imports 10.203.0.0/24 again, same SID" \
    wait_until 10 imports 1 vrf0 ipv4 10.203.0.0/24 65003:10

tap_done
