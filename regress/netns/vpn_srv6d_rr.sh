#!/bin/bash
# srv6d as a VPNv4/VPNv6 route reflector without VRFs (issue 4: "a route
# reflector without VRFs keeps and reflects all VPN routes, no route-target
# filtering"): ExaBGP, a client, sends VPN routes with RFC 9252 SIDs; FRR
# 8.4, another client, gets every one of them with the SID, behaviour,
# structure and label as ExaBGP sent them (transposed or not), compared on
# the wire.  ExaBGP 4.2 cannot parse RFC 9252 attributes, so srv6d must not
# send ExaBGP's routes back to it.  All in AS 65001.
#
#   ExaBGP "X" fd00:2::2 --- fd00:2::1 srv6d "S" fd00:1::1 --- fd00:1::2 FRR "F"
#                                      RR, no VRFs, no locator
. "$(dirname "$0")/lib.sh"

netns_new X && netns_new S && netns_new F &&
    link_ns "$X" x-s "fd00:2::2/64" "$S" s-x "fd00:2::1/64" &&
    link_ns "$S" s-f "fd00:1::1/64" "$F" f-s "fd00:1::2/64" &&
    ip netns exec "$S" sysctl -qw net.ipv6.conf.all.forwarding=1 &&
    ip -n "$F" -6 route add fd00::/16 via fd00:1::1 ||
    { not_ok "create namespaces and links"; tap_done; exit; }

# FRR resolves the reflected next hop fd00:2::2 through the kernel route
frr_start "$F" "router bgp 65001
 bgp router-id 10.0.0.3
 no bgp default ipv4-unicast
 neighbor fd00:1::1 remote-as 65001
 neighbor fd00:1::1 timers connect 2
 neighbor fd00:1::1 capability extended-nexthop
 address-family ipv4 vpn
  neighbor fd00:1::1 activate
 exit-address-family
 address-family ipv6 vpn
  neighbor fd00:1::1 activate
 exit-address-family"
check "FRR F (AS 65001, client of srv6d) starts" test $? -eq 0

# ExaBGP's routes: real behaviour codes (FRR 8.4 as a reflector would
# have made them 0xffff; srv6d must not); 10.8.0.0/24's structure cannot
# be (TO + TL > 128: RFC 9252 §7, treat-as-withdraw)
T40=(40 24 16 0 16 64)
W32=(32 16 16 0 0 0)
NH="next-hop fd00:2::2"
rt() { echo "extended-community [ target:$1 ]"; }
R_10_2="route 10.2.0.0/24 rd 65000:10 label 8192 $NH $(rt 65000:10) attribute [ $(srv6_attr fc00:0:2:2:: 0xffff "${T40[@]}") ]"
exabgp_start "$X" "$(exabgp_recv_process "$X")
$(exabgp_cmd_process "$X")
neighbor fd00:2::1 {
	router-id 10.0.2.2;
	local-address fd00:2::2;
	local-as 65001;
	peer-as 65001;
	capability { nexthop true; }
	family { ipv4 mpls-vpn; ipv6 mpls-vpn; }
	nexthop { ipv4 mpls-vpn ipv6; }
	api { processes [ recv, cmd ]; neighbor-changes; }
	static {
		route 10.1.0.0/24 rd 65000:10 label 4096 $NH $(rt 65000:10) attribute [ $(srv6_attr fc00:0:2:2:: 19 "${T40[@]}") ];
		route 10.1.0.0/24 rd 65000:11 label 3 $NH $(rt 65000:11) attribute [ $(srv6_attr fc00:0:2:e011:: 19 "${W32[@]}") ];
		route 10.9.0.0/24 rd 65000:99 label 3 $NH $(rt 65000:99) attribute [ $(srv6_attr fc00:0:2:e099:: 17 "${W32[@]}") ];
		route 2001:db8:1::/48 rd 65000:10 label 12288 $NH $(rt 65000:10) attribute [ $(srv6_attr fc00:0:2:2:: 18 "${T40[@]}") ];
		route 2001:db8:1::/48 rd 65000:11 label 3 $NH $(rt 65000:11) attribute [ $(srv6_attr fc00:0:2:e016:: 20 "${W32[@]}") ];
		route 10.3.0.0/24 rd 65000:10 label 16 $NH $(rt 65000:10);
		route 10.8.0.0/24 rd 65000:10 label 4096 $NH $(rt 65000:10) attribute [ $(srv6_attr fc00:0:2:8:: 19 32 16 16 0 16 120) ];
	}
}"
check "ExaBGP X (AS 65001, client of srv6d) starts" test $? -eq 0
exabgp_cmd "$X" "announce $R_10_2"

cat >"$TMP/s.conf" <<EOF
as 65001
router-id 10.0.0.1
neighbor fd00:2::2 {
	remote-as 65001
	local-address fd00:2::1
	route-reflector-client
	address-family vpnv4
	address-family vpnv6
}
neighbor fd00:1::2 {
	remote-as 65001
	local-address fd00:1::1
	route-reflector-client
	address-family vpnv4
	address-family vpnv6
}
EOF
check "tcpdump captures BGP toward ExaBGP" pcap_start "$S" s-x x
check "tcpdump captures BGP toward FRR" pcap_start "$S" s-f f
check "srv6d (route reflector, no VRFs) starts" srv6d_start s "$S" "$TMP/s.conf"

check "srv6d: ExaBGP's session Established" \
    wait_until 30 srv6d_established s fd00:2::2
check "srv6d: FRR's session Established" \
    wait_until 30 srv6d_established s fd00:1::2
check "FRR: session with srv6d Established" \
    wait_until 10 frr_established "$F" fd00:1::1

# --- srv6d keeps every VPN route, whatever its targets --------------------
f() { rib_filter "$@"; }
for k in 65000:10/10.1.0.0/24/fc00:0:2:2:100:: \
    65000:11/10.1.0.0/24/fc00:0:2:e011:: 65000:10/10.2.0.0/24/fc00:0:2:2:200:: \
    65000:99/10.9.0.0/24/fc00:0:2:e099::; do
	IFS=/ read -r rd a l sid <<<"$k"
	check "VPN RIB: $rd:$a/$l with SID $sid" \
	    wait_until 10 srv6d_rib_has s "$(f "$a/$l" "$rd" "$sid")" vpnv4
done
check "VPN RIB: 65000:10:2001:db8:1::/48 with SID fc00:0:2:2:300::" \
    wait_until 10 srv6d_rib_has s "$(f 2001:db8:1::/48 65000:10 fc00:0:2:2:300::)" vpnv6
check "VPN RIB: 65000:11:2001:db8:1::/48 with SID fc00:0:2:e016::" \
    wait_until 10 srv6d_rib_has s "$(f 2001:db8:1::/48 65000:11 fc00:0:2:e016::)" vpnv6
check "VPN RIB: 65000:10:10.3.0.0/24 without a SID" \
    wait_until 10 srv6d_rib_has s "$(f 10.3.0.0/24 65000:10) and .no_sid" vpnv4
check "wire: ExaBGP sent 65000:10:10.8.0.0/24 with TL 16 at 120" \
    wait_until 5 eval 'pcap_last x fd00:2::2 65000:10 10.8.0.0/24 |
    jq -e ".structure[4:] == [16, 120]" >/dev/null'
check "VPN RIB: not 10.8.0.0/24 (TO 120 + TL 16 > 128: treated as withdrawn)" \
    srv6d_rib_lacks s "$(f 10.8.0.0/24)" vpnv4

# --- ... and reflects them to FRR ---------------------------------------------
check "FRR has 65000:99:10.9.0.0/24 (RT 65000:99), whole SID, label 3" \
    wait_until 10 frr_vpn_jq "$F" ipv4 10.9.0.0/24 65000:99 \
    '.remoteSid == "fc00:0:2:e099::" and .remoteLabel == 3 and
    .extendedCommunity.string == "RT:65000:99"'
check "FRR has 65000:10:10.1.0.0/24, SID field fc00:0:2:2::, label 4096" \
    wait_until 10 frr_vpn_jq "$F" ipv4 10.1.0.0/24 65000:10 \
    '.remoteSid == "fc00:0:2:2::" and .remoteLabel == 4096'
check "FRR has 65000:11:2001:db8:1::/48, SID fc00:0:2:e016::" \
    wait_until 10 frr_vpn_jq "$F" ipv6 2001:db8:1::/48 65000:11 \
    '.remoteSid == "fc00:0:2:e016::" and .remoteLabel == 3'
check "FRR has 65000:10:10.3.0.0/24 without a SID" \
    wait_until 10 frr_vpn_jq "$F" ipv4 10.3.0.0/24 65000:10 \
    '.remoteSid == null and .remoteLabel == 16'
check "FRR: ORIGINATOR_ID 10.0.2.2 and cluster list 10.0.0.1, next hop fd00:2::2" \
    frr_jq "$F" "show bgp ipv6 vpn 2001:db8:1::/48 json" \
    '.["65000:10"].paths[0] | .originatorId == "10.0.2.2" and
    .clusterList.list == ["10.0.0.1"] and
    (.nexthops | map(.ip) | index("fd00:2::2") != null)'

# --- on the wire: what srv6d sent FRR is what ExaBGP sent srv6d -------------
# same_on_wire RD PREFIX: the SRv6 service of srv6d's last UPDATE to FRR
# for RD:PREFIX equals that of ExaBGP's to srv6d (SID field, behaviour,
# flags, structure, label: a reflected route keeps its transposition)
same_on_wire() {
	local a b k='{sid, behavior, flags, structure, l3_service_tlvs,
	    sid_infos, structures, lbl: .label, nexthop, withdraw}'
	a=$(pcap_last x fd00:2::2 "$1" "$2" | jq -cS "$k")
	b=$(pcap_last f fd00:1::1 "$1" "$2" | jq -cS "$k")
	[ -n "$a" ] && [ "$a" = "$b" ] || { diag "ExaBGP: $a"; diag "srv6d: $b"; return 1; }
}
for k in 65000:10/10.1.0.0/24 65000:11/10.1.0.0/24 65000:10/10.2.0.0/24 \
    65000:99/10.9.0.0/24 65000:10/2001:db8:1::/48 65000:11/2001:db8:1::/48 \
    65000:10/10.3.0.0/24; do
	check "wire: srv6d reflected ${k%%/*}:${k#*/} unchanged" \
	    same_on_wire "${k%%/*}" "${k#*/}"
done
check "wire: srv6d sent ExaBGP no VPN route (its own are not sent back)" \
    eval 'test "$(pcap_vpn x fd00:2::1 | grep -c .)" = 0'
check "wire: srv6d sent FRR nothing of 10.8.0.0/24" \
    eval 'test -z "$(pcap_last f fd00:1::1 65000:10 10.8.0.0/24)"'
check "ExaBGP's session still Established" srv6d_established s fd00:2::2

# --- a withdrawal passes through ---------------------------------------------
exabgp_cmd "$X" "withdraw $R_10_2"
check "ExaBGP withdraws 10.2.0.0/24: srv6d drops it" \
    wait_until 10 srv6d_rib_lacks s "$(f 10.2.0.0/24)" vpnv4
check "... FRR drops it" \
    wait_until 10 frr_jq "$F" "show bgp ipv4 vpn 10.2.0.0/24 json" \
    'has("65000:10") | not'
check "... FRR keeps 65000:10:10.1.0.0/24" \
    frr_vpn_jq "$F" ipv4 10.1.0.0/24 65000:10 true
check "show sid: a reflector without locators has no SID" \
    srv6d_jq s '.sids | length == 0' show sid

# --- FRR's neighbor turned to `srv6 transposition no' by a reload ----------
sed -i '/local-address fd00:1::1/a\	srv6 transposition no' "$TMP/s.conf"
check "reload: srv6 transposition no toward FRR" quiet sctl s reload
check "FRR now has 65000:10:10.1.0.0/24 with the whole SID fc00:0:2:2:100::, label 3" \
    wait_until 10 frr_vpn_jq "$F" ipv4 10.1.0.0/24 65000:10 \
    '.remoteSid == "fc00:0:2:2:100::" and .remoteLabel == 3'
check "wire: ... TL and TO 0, the rest of the structure and End.DT4 kept" \
    eval 'pcap_last f fd00:1::1 65000:10 10.1.0.0/24 | jq -e ".sid ==
    \"fc00:0:2:2:100::\" and .label == 3 and .behavior == 19 and
    .structure == [40, 24, 16, 0, 0, 0]" >/dev/null'
check "FRR: the session stayed up" \
    frr_jq "$F" "show bgp neighbors fd00:1::1 json" \
    '.["fd00:1::1"].connectionsEstablished == 1'

tap_done
