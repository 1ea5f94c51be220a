#!/bin/bash
# srv6d as an SRv6 L3VPN PE behind FRR 8.4, a VPNv4/VPNv6 route reflector
# without VRFs; ExaBGP, another client of the same reflector, injects VPN
# routes with RFC 9252 SIDs (as a generic attribute: ExaBGP 4.2's own
# keyword is pre-RFC).  All in AS 65001.
#
#   srv6d "S" PE1 fd00:1::1 ---- fd00:1::2  FRR "R"  fd00:2::1 ---- fd00:2::2 ExaBGP "X"
#   locator fc00:0:1::/48 (32/16/16)        RR, both VPN families       (a "PE" with
#   vrf0 rd 65001:10 rt in 65000:10 out 65001:10                       fc00:0:2::/48)
#   vrf1 rd 65001:11 rt in 65000:11 out 65001:11
#   both VRFs announce 10.200.0.0/24 (overlapping); 2001:db8:200::/48, :201::/48
#   vrf2 rd 65001:12 rt in 65001:10 out 65001:12, network 10.220.0.0/24
#
# ExaBGP's routes (next hop fd00:2::2):
#   10.1.0.0/24     rd 65000:10 RT 65000:10 End.DT4, transposed (40/24/16/0/16/64,
#                   label 4096): SID fc00:0:2:2:100::          -> vrf0 only
#   10.1.0.0/24     rd 65000:11 RT 65000:11 End.DT4, whole SID fc00:0:2:e011::,
#                   TL 0, label 3                                -> vrf1 only
#   10.2.0.0/24     rd 65000:10 RT 65000:10 behaviour 0xffff, transposed
#                   (label 8192): fc00:0:2:2:200::, later withdrawn -> vrf0
#   10.9.0.0/24     rd 65000:99 RT 65000:99, nobody imports it  -> VPN RIB only
#   2001:db8:1::/48 rd 65000:10 RT 65000:10 End.DT6, transposed (label 12288):
#                   fc00:0:2:2:300::                             -> vrf0 only
#   2001:db8:1::/48 rd 65000:11 RT 65000:11 End.DT6, whole SID fc00:0:2:e016::
#                                                                -> vrf1 only
#   10.3.0.0/24     rd 65000:10 RT 65000:10 without a Prefix-SID -> no usable SID
#   10.4.0.0/24     rd 10.0.2.2:11 (type 1) RT 10.0.2.2:11 (type 0x01)  -> vrf1
#   10.5.0.0/24     rd 4200000000:11 (type 2) RT 4200000000:11 (0x02)  -> vrf1
# vrf2 (rd 65001:12) imports vrf0's export target 65001:10: local VRFs
# leak into each other by RT, and vrf2 exports only its own 10.220.0.0/24.
# FRR 8.4 reflects every SID with behaviour 0xffff (SRV6.md), keeping the
# SID field, structure and label.
. "$(dirname "$0")/lib.sh"

netns_new S && netns_new R && netns_new X &&
    link_ns "$S" s-r "fd00:1::1/64" "$R" r-s "fd00:1::2/64" &&
    link_ns "$R" r-x "fd00:2::1/64" "$X" x-r "fd00:2::2/64" &&
    ip netns exec "$R" sysctl -qw net.ipv6.conf.all.forwarding=1 &&
    ip -n "$S" -6 route add fd00::/16 via fd00:1::2 &&
    ip -n "$X" -6 route add fd00::/16 via fd00:2::1 ||
    { not_ok "create namespaces and links"; tap_done; exit; }

# --- FRR: the reflector ----------------------------------------------------
# ExaBGP 4.2 cannot parse RFC 9252 attributes (it would send a
# NOTIFICATION): it gets nothing back (SRV6.md, "What real peers send").
frr_conf="router bgp 65001
 bgp router-id 10.0.0.2
 no bgp default ipv4-unicast
 neighbor fd00:1::1 remote-as 65001
 neighbor fd00:1::1 timers connect 2
 neighbor fd00:1::1 capability extended-nexthop
 neighbor fd00:2::2 remote-as 65001
 neighbor fd00:2::2 timers connect 2
 neighbor fd00:2::2 capability extended-nexthop"
for af in ipv4 ipv6; do
	frr_conf+="
 address-family $af vpn
  neighbor fd00:1::1 activate
  neighbor fd00:1::1 route-reflector-client
  neighbor fd00:2::2 activate
  neighbor fd00:2::2 route-reflector-client
  neighbor fd00:2::2 route-map SENDNOTHING out
 exit-address-family"
done
frr_start "$R" "$frr_conf
!
route-map SENDNOTHING deny 10"
check "FRR R (VPNv4/VPNv6 route reflector, AS 65001) starts" test $? -eq 0

# --- ExaBGP: a PE with locator fc00:0:2::/48 -------------------------------
T40=(40 24 16 0 16 64)		# FRR 8.4's structure: function transposed
W32=(32 16 16 0 0 0)		# not transposed
A_DT4_T=$(srv6_attr fc00:0:2:2:: 19 "${T40[@]}")
A_DT4_W=$(srv6_attr fc00:0:2:e011:: 19 "${W32[@]}")
A_FFFF_T=$(srv6_attr fc00:0:2:2:: 0xffff "${T40[@]}")
A_DT4_99=$(srv6_attr fc00:0:2:e099:: 19 "${W32[@]}")
A_DT6_T=$(srv6_attr fc00:0:2:2:: 18 "${T40[@]}")
A_DT6_W=$(srv6_attr fc00:0:2:e016:: 18 "${W32[@]}")
A_DT4_14=$(srv6_attr fc00:0:2:e014:: 19 "${W32[@]}")
A_DT4_15=$(srv6_attr fc00:0:2:e015:: 19 "${W32[@]}")
NH="next-hop fd00:2::2"
rt() { echo "extended-community [ target:$1 ]"; }
# ExaBGP 4.2 encodes target:10.0.2.2:11 with type 0x00: give it raw
RT_IP=0x0102$(printf '%02x' 10 0 2 2)000b
R_10_2="route 10.2.0.0/24 rd 65000:10 label 8192 $NH $(rt 65000:10) attribute [ $A_FFFF_T ]"
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
		route 10.1.0.0/24 rd 65000:10 label 4096 $NH $(rt 65000:10) attribute [ $A_DT4_T ];
		route 10.1.0.0/24 rd 65000:11 label 3 $NH $(rt 65000:11) attribute [ $A_DT4_W ];
		route 10.9.0.0/24 rd 65000:99 label 3 $NH $(rt 65000:99) attribute [ $A_DT4_99 ];
		route 2001:db8:1::/48 rd 65000:10 label 12288 $NH $(rt 65000:10) attribute [ $A_DT6_T ];
		route 2001:db8:1::/48 rd 65000:11 label 3 $NH $(rt 65000:11) attribute [ $A_DT6_W ];
		route 10.3.0.0/24 rd 65000:10 label 16 $NH $(rt 65000:10);
		route 10.4.0.0/24 rd 10.0.2.2:11 label 3 $NH extended-community [ $RT_IP ] attribute [ $A_DT4_14 ];
		route 10.5.0.0/24 rd 4200000000:11 label 3 $NH $(rt 4200000000:11) attribute [ $A_DT4_15 ];
	}
}"
check "ExaBGP X (AS 65001, RR client) starts" test $? -eq 0
exabgp_cmd "$X" "announce $R_10_2"

# --- srv6d ------------------------------------------------------------------
cat >"$TMP/s.conf" <<EOF
as 65001
router-id 10.0.0.1
srv6 {
	locator main prefix fc00:0:1::/48 block-length 32 node-length 16 function-length 16
}
vrf vrf0 {
	table 10
	rd 65001:10
	import-target 65000:10
	export-target 65001:10
	network 10.200.0.0/24
	network 2001:db8:200::/48
}
vrf vrf1 {
	table 11
	rd 65001:11
	import-target 65000:11 10.0.2.2:11
	import-target 4200000000:11
	export-target 65001:11
	network 10.200.0.0/24
	network 2001:db8:201::/48
}
vrf vrf2 {
	table 12
	rd 65001:12
	import-target 65001:10
	export-target 65001:12
	network 10.220.0.0/24
}
neighbor fd00:1::2 {
	remote-as 65001
	local-address fd00:1::1
	address-family vpnv4
	address-family vpnv6
}
EOF
check "tcpdump captures BGP on srv6d's link" pcap_start "$S" s-r s
check "srv6d PE1 starts" srv6d_start s "$S" "$TMP/s.conf"

# --- sessions ---------------------------------------------------------------
check "srv6d: session with the reflector Established" \
    wait_until 30 srv6d_established s fd00:1::2
check "FRR: session with srv6d Established" \
    wait_until 10 frr_established "$R" fd00:1::1
check "FRR: session with ExaBGP Established" \
    wait_until 10 frr_established "$R" fd00:2::2
check "FRR negotiated VPNv4 and VPNv6 with srv6d" \
    frr_jq "$R" "show bgp neighbors fd00:1::1 json" \
    '.["fd00:1::1"].afiSafi? // .["fd00:1::1"].addressFamilyInfo |
    has("ipv4Vpn") and has("ipv6Vpn")'

# --- ExaBGP's routes as the reflector holds them ---------------------------
# (the injection itself, so that a failure below is srv6d's)
check "FRR holds ExaBGP's 65000:10:10.1.0.0/24, SID field fc00:0:2:2::, label 4096" \
    wait_until 10 frr_vpn_jq "$R" ipv4 10.1.0.0/24 65000:10 \
    '.remoteSid == "fc00:0:2:2::" and .remoteLabel == 4096'
check "FRR holds ExaBGP's 65000:10:10.2.0.0/24 (API-announced)" \
    wait_until 10 frr_vpn_jq "$R" ipv4 10.2.0.0/24 65000:10 \
    '.remoteLabel == 8192'
check "FRR holds ExaBGP's 65000:11:2001:db8:1::/48, SID fc00:0:2:e016::" \
    wait_until 10 frr_vpn_jq "$R" ipv6 2001:db8:1::/48 65000:11 \
    '.remoteSid == "fc00:0:2:e016::" and .remoteLabel == 3'
check "FRR holds ExaBGP's 10.0.2.2:11:10.4.0.0/24 (RD and RT of type 1)" \
    wait_until 10 frr_vpn_jq "$R" ipv4 10.4.0.0/24 10.0.2.2:11 \
    '.extendedCommunity.string == "RT:10.0.2.2:11"'
check "FRR holds ExaBGP's 4200000000:11:10.5.0.0/24 (RD and RT of type 2)" \
    wait_until 10 frr_vpn_jq "$R" ipv4 10.5.0.0/24 4200000000:11 \
    '.extendedCommunity.string == "RT:4200000000:11"'

# --- srv6d's routes as the reflector holds them ----------------------------
# whole_sid AF PREFIX RD: the SID FRR has for srv6d's route, transposition
# (function, 16 bits at 48 in srv6d's 32/16/16 locator) undone
whole_sid() { frr_vpn_sid "$R" "$1" "$2" "$3" 16 48; }
in_loc1() { [[ $1 == fc00:0:1:* ]]; }
declare -A fsid
for r in ipv4:10.200.0.0/24:65001:10 ipv4:10.200.0.0/24:65001:11 \
    ipv6:2001:db8:200::/48:65001:10 ipv6:2001:db8:201::/48:65001:11; do
	af=${r%%:*} rest=${r#*:} rd=${r#*/*:} p=${rest%:*:*}
	rtv=${rd#*:} vrf=vrf$((rtv - 10))
	check "FRR has srv6d's $rd:$p with RT 65001:$rtv" \
	    wait_until 10 frr_vpn_jq "$R" "$af" "$p" "$rd" \
	    ".extendedCommunity.string == \"RT:65001:$rtv\" and
	    .peer.peerId == \"fd00:1::1\""
	fsid[$rd:$p]=$(whole_sid "$af" "$p" "$rd")
	check "... whose SID ${fsid[$rd:$p]} lies in srv6d's locator fc00:0:1::/48" \
	    in_loc1 "${fsid[$rd:$p]}"
	check "... and is $vrf's $af SID of locator main in srv6ctl show sid" \
	    srv6d_jq s ".sids | any(.sid == \"${fsid[$rd:$p]}\" and
	    .vrf == \"$vrf\" and .family == \"$af\" and .locator == \"main\")" \
	    show sid
done
check "FRR: vrf0 and vrf1 export 10.200.0.0/24 with different SIDs" \
    test "${fsid[65001:10:10.200.0.0/24]}" != "${fsid[65001:11:10.200.0.0/24]}"
check "FRR: srv6d's VPNv6 route has next hop fd00:1::1" \
    frr_jq "$R" "show bgp ipv6 vpn json" \
    '.routes.routeDistinguishers["65001:10"]["2001:db8:200::/48"][0].nexthops |
    map(.ip) | index("fd00:1::1") != null'

# --- srv6d's UPDATEs on the wire (RFC 9252) -----------------------------------
# wire_ok RD PREFIX: srv6d's last UPDATE for RD:PREFIX has one L3 Service
# TLV with one SID Information sub-TLV and one SID Structure (all FRR 8.4
# parses), the locator's structure with the function transposed (16 bits
# at 48, into the label), the behaviour show sid gives, flags 0
wire_ok() {
	local m sid=${fsid[$1:$2]} code
	m=$(pcap_last s fd00:1::1 "$1" "$2")
	code=$(sctl s -j show sid | jq -r --arg s "$sid" \
	    '.sids[] | select(.sid == $s) | .behavior_code')
	[ -n "$m" ] && [ -n "$code" ] && [ "$code" != 65535 ] &&
	    jq -e --argjson b "$code" '(.withdraw | not) and
	    .l3_service_tlvs == 1 and .sid_infos == 1 and .structures == 1 and
	    .structure == [32, 16, 16, 0, 16, 48] and .sid == "fc00:0:1::" and
	    .behavior == $b and .flags == 0 and .nexthop == "fd00:1::1"' \
	    <<<"$m" >/dev/null &&
	    [ "$(sid_join fc00:0:1:: "$(jq .label <<<"$m")" 16 48)" = "$sid" ]
}
for k in 65001:10/10.200.0.0/24 65001:11/10.200.0.0/24 \
    65001:10/2001:db8:200::/48 65001:11/2001:db8:201::/48; do
	rd=${k%%/*} p=${k#*/}
	check "wire: srv6d sent $rd:$p with one SID Information and Structure, 32/16/16/0 TL 16 at 48, its behaviour" \
	    wire_ok "$rd" "$p"
done
check "wire: srv6d sent only its own VRFs' routes (RD 65001:*)" \
    eval 'pcap_vpn s fd00:1::1 | jq -se "length > 0 and
    all(.rd | startswith(\"65001:\"))" >/dev/null'

# --- ExaBGP's routes in srv6d: the VPN RIBs --------------------------------
f() { rib_filter "$@"; }
# FRR 8.4 reflects every SID with behaviour 0xffff (opaque), keeping the
# structure and the label: srv6d infers End.DT4/End.DT6 from the family
T16_64='.structure.transposition_length == 16 and
    .structure.transposition_offset == 64'
W0='.structure.transposition_length == 0 and .label == 3'
check "VPN RIB: 65000:10:10.1.0.0/24, label 4096 and TL 16 at 64 undone: fc00:0:2:2:100::" \
    wait_until 10 srv6d_rib_has s "$(f 10.1.0.0/24 65000:10 fc00:0:2:2:100::) and
    .label == 4096 and $T16_64" vpnv4
check "VPN RIB: 65000:11:10.1.0.0/24, not transposed: fc00:0:2:e011::" \
    wait_until 10 srv6d_rib_has s "$(f 10.1.0.0/24 65000:11 fc00:0:2:e011::) and $W0" vpnv4
check "VPN RIB: 65000:10:10.2.0.0/24, label 8192: fc00:0:2:2:200::" \
    wait_until 10 srv6d_rib_has s "$(f 10.2.0.0/24 65000:10 fc00:0:2:2:200::) and
    .label == 8192 and $T16_64" vpnv4
check "VPN RIB: behaviour 0xffff as received, End.DT4 inferred for VPNv4" \
    srv6d_rib_has s "$(f 10.2.0.0/24 65000:10) and .behavior_code == 65535 and
    .behavior_inferred == \"End.DT4\"" vpnv4
check "VPN RIB: 65000:99:10.9.0.0/24 (a target nobody imports) is kept" \
    wait_until 10 srv6d_rib_has s "$(f 10.9.0.0/24 65000:99 fc00:0:2:e099::)" vpnv4
check "VPN RIB: 65000:10:2001:db8:1::/48, label 12288: fc00:0:2:2:300::" \
    wait_until 10 srv6d_rib_has s "$(f 2001:db8:1::/48 65000:10 fc00:0:2:2:300::) and
    .label == 12288 and $T16_64" vpnv6
check "VPN RIB: ... End.DT6 inferred for VPNv6" \
    srv6d_rib_has s "$(f 2001:db8:1::/48 65000:10) and
    .behavior_inferred == \"End.DT6\"" vpnv6
check "VPN RIB: 65000:11:2001:db8:1::/48: fc00:0:2:e016::" \
    wait_until 10 srv6d_rib_has s "$(f 2001:db8:1::/48 65000:11 fc00:0:2:e016::) and $W0" vpnv6
check "VPN RIB: 65000:10:10.3.0.0/24 without a SID is kept, marked no_sid" \
    wait_until 10 srv6d_rib_has s "$(f 10.3.0.0/24 65000:10) and .no_sid and
    .sid == null" vpnv4
check "VPN RIB: srv6d's own 65001:10:10.200.0.0/24, with its SID" \
    srv6d_rib_has s "$(f 10.200.0.0/24 65001:10 "${fsid[65001:10:10.200.0.0/24]}")" vpnv4
# FRR reflects srv6d's routes back to it, with ORIGINATOR_ID 10.0.0.1
check "FRR reflected srv6d's 65001:10:10.200.0.0/24 back to srv6d" \
    wait_until 10 frr_jq "$R" "show bgp ipv4 vpn 10.200.0.0/24 json" \
    '.["65001:10"].advertisedTo | has("fd00:1::1")'
sleep 1
check "srv6d ignores its own routes reflected back (RFC 4456 §8)" \
    eval 'srv6d_rib_lacks s ".neighbor == \"fd00:1::2\" and
    (.rd // \"\" | startswith(\"65001:\"))" vpnv4 &&
    srv6d_rib_lacks s ".neighbor == \"fd00:1::2\" and
    (.rd // \"\" | startswith(\"65001:\"))" vpnv6'

# --- ... and in the VRFs -----------------------------------------------------
check "vrf0 imported 10.1.0.0/24 of 65000:10 with SID fc00:0:2:2:100::" \
    wait_until 10 srv6d_rib_has s "$(f 10.1.0.0/24 65000:10 fc00:0:2:2:100::) and
    .imported and .vrf == \"vrf0\"" vrf vrf0
check "vrf0 has one path for 10.1.0.0/24 (not vrf1's 65000:11 one)" \
    test "$(srv6d_rib_count s "$(f 10.1.0.0/24)" vrf vrf0)" = 1
check "vrf0 imported 10.2.0.0/24 (behaviour 0xffff) with fc00:0:2:2:200::" \
    srv6d_rib_has s "$(f 10.2.0.0/24 65000:10 fc00:0:2:2:200::)" vrf vrf0
check "vrf0 imported 2001:db8:1::/48 with fc00:0:2:2:300::" \
    srv6d_rib_has s "$(f 2001:db8:1::/48 65000:10 fc00:0:2:2:300::)" vrf vrf0
check "vrf0 has one path for 2001:db8:1::/48" \
    test "$(srv6d_rib_count s "$(f 2001:db8:1::/48)" vrf vrf0)" = 1
check "vrf0 keeps its own 10.200.0.0/24 and 2001:db8:200::/48" \
    eval 'srv6d_rib_has s "$(f 10.200.0.0/24) and .local" vrf vrf0 &&
    srv6d_rib_has s "$(f 2001:db8:200::/48) and .local" vrf vrf0'
check "vrf1 imported 10.1.0.0/24 of 65000:11 with whole SID fc00:0:2:e011::" \
    srv6d_rib_has s "$(f 10.1.0.0/24 65000:11 fc00:0:2:e011::)" vrf vrf1
check "vrf1 has one path for 10.1.0.0/24 (not vrf0's)" \
    test "$(srv6d_rib_count s "$(f 10.1.0.0/24)" vrf vrf1)" = 1
check "vrf1 imported 2001:db8:1::/48 of 65000:11 with fc00:0:2:e016::" \
    srv6d_rib_has s "$(f 2001:db8:1::/48 65000:11 fc00:0:2:e016::)" vrf vrf1
check "vrf1 imported 10.0.2.2:11:10.4.0.0/24 (RT 10.0.2.2:11, type 1)" \
    wait_until 10 srv6d_rib_has s "$(f 10.4.0.0/24 10.0.2.2:11 fc00:0:2:e014::) and
    .imported" vrf vrf1
check "vrf1 imported 4200000000:11:10.5.0.0/24 (RT 4200000000:11, type 2)" \
    wait_until 10 srv6d_rib_has s "$(f 10.5.0.0/24 4200000000:11 fc00:0:2:e015::) and
    .imported" vrf vrf1
check "vrf0 imported neither" \
    eval 'srv6d_rib_lacks s "$(f 10.4.0.0/24)" vrf vrf0 &&
    srv6d_rib_lacks s "$(f 10.5.0.0/24)" vrf vrf0'
check "vrf1 did not import 10.2.0.0/24 (RT 65000:10)" \
    srv6d_rib_lacks s "$(f 10.2.0.0/24)" vrf vrf1
check "vrf1 keeps its own 10.200.0.0/24 and 2001:db8:201::/48 only" \
    eval 'srv6d_rib_has s "$(f 10.200.0.0/24) and .local" vrf vrf1 &&
    srv6d_rib_has s "$(f 2001:db8:201::/48) and .local" vrf vrf1 &&
    srv6d_rib_lacks s "$(f 2001:db8:200::/48)" vrf vrf1'
check "no VRF imported 10.9.0.0/24 (RT 65000:99)" \
    eval 'srv6d_rib_lacks s "$(f 10.9.0.0/24)" vrf vrf0 &&
    srv6d_rib_lacks s "$(f 10.9.0.0/24)" vrf vrf1'
check "vrf0 shows 10.3.0.0/24 (no SID) as imported but not eligible nor best" \
    eval 'test "$(srv6d_rib_count s "$(f 10.3.0.0/24)" vrf vrf0)" = 1 &&
    srv6d_rib_has s "$(f 10.3.0.0/24 65000:10) and .imported and .no_sid and
    (.eligible | not) and (.best | not)" vrf vrf0'
# vrf_counts VRF IMPORTED EXPORTED: show vrf's counts
vrf_counts() {
	srv6d_jq s ".vrfs[] | select(.name == \"$1\") |
	    .imported == $2 and .exported == $3" show vrf "$1"
}
check "show vrf: vrf0 imported 4 paths, exported 2 routes" vrf_counts vrf0 4 2
check "show vrf: vrf1 imported 4 paths, exported 2 routes" vrf_counts vrf1 4 2

# --- local leaking: vrf2 imports vrf0's export target --------------------------
check "vrf2 imports vrf0's 10.200.0.0/24 (rd 65001:10) with vrf0's SID" \
    wait_until 10 srv6d_rib_has s "$(f 10.200.0.0/24 65001:10 \
    "${fsid[65001:10:10.200.0.0/24]}") and .imported" vrf vrf2
check "vrf2 imports vrf0's 2001:db8:200::/48 with vrf0's SID" \
    srv6d_rib_has s "$(f 2001:db8:200::/48 65001:10 \
    "${fsid[65001:10:2001:db8:200::/48]}") and .imported" vrf vrf2
check "vrf2 has no path of vrf1 (rd 65001:11) nor ExaBGP's routes" \
    eval 'test "$(srv6d_rib_count s "$(f 10.200.0.0/24)" vrf vrf2)" = 1 &&
    srv6d_rib_lacks s "(.rd // \"\") | startswith(\"65000:\")" vrf vrf2'
check "vrf2 keeps its own 10.220.0.0/24" \
    srv6d_rib_has s "$(f 10.220.0.0/24) and .local" vrf vrf2
check "FRR gets vrf2's 65001:12:10.220.0.0/24 with RT 65001:12" \
    wait_until 10 frr_vpn_jq "$R" ipv4 10.220.0.0/24 65001:12 \
    '.extendedCommunity.string == "RT:65001:12"'
check "vrf2 exports only its own route: no 65001:12:10.200.0.0/24 in FRR" \
    frr_jq "$R" "show bgp ipv4 vpn 10.200.0.0/24 json" 'has("65001:12") | not'
check "show vrf: vrf2 imported 2 paths, exported 1 route" vrf_counts vrf2 2 1
check "text: show rib vrf vrf1 shows fc00:0:2:e011::" \
    srv6d_grep s 'fc00:0:2:e011::' show rib vrf vrf1
check "text: show rib vpnv4 shows 65000:99" \
    srv6d_grep s '65000:99' show rib vpnv4

# --- withdrawal ---------------------------------------------------------------
exabgp_cmd "$X" "withdraw $R_10_2"
check "ExaBGP withdraws 10.2.0.0/24: FRR drops it" \
    wait_until 10 frr_jq "$R" "show bgp ipv4 vpn 10.2.0.0/24 json" \
    'has("65000:10") | not'
check "... vrf0 drops it" \
    wait_until 10 srv6d_rib_lacks s "$(f 10.2.0.0/24)" vrf vrf0
check "... the VPN RIB drops it" \
    srv6d_rib_lacks s "$(f 10.2.0.0/24)" vpnv4
check "... vrf0 keeps 10.1.0.0/24" \
    srv6d_rib_has s "$(f 10.1.0.0/24 65000:10 fc00:0:2:2:100::)" vrf vrf0
check "... show vrf: vrf0 imported 3" vrf_counts vrf0 3 2
check "FRR: neighbor fd00:2::2 shutdown (ExaBGP's session down)" \
    quiet vtysh_ns "$R" "configure terminal" "router bgp 65001" \
    "neighbor fd00:2::2 shutdown"
check "ExaBGP's session down: vrf0 and vrf1 hold no imported route" \
    wait_until 15 eval 'srv6d_rib_lacks s "$(f 10.1.0.0/24)" vrf vrf0 &&
    srv6d_rib_lacks s "$(f 10.1.0.0/24)" vrf vrf1 &&
    srv6d_rib_lacks s "$(f 2001:db8:1::/48)" vrf vrf0 &&
    srv6d_rib_lacks s "$(f 2001:db8:1::/48)" vrf vrf1'
check "... show vrf: imported 0 in vrf0 and vrf1" \
    eval 'vrf_counts vrf0 0 2 && vrf_counts vrf1 0 2'
check "... vrf2 keeps what it imported from vrf0" vrf_counts vrf2 2 1
check "... nor does the VPN RIB keep any of ExaBGP's routes" \
    eval 'srv6d_rib_lacks s "(.rd // \"\") | startswith(\"65000:\")" vpnv4 &&
    srv6d_rib_lacks s "(.rd // \"\") | startswith(\"65000:\")" vpnv6'
check "... srv6d's own routes stay with FRR" \
    frr_vpn_jq "$R" ipv4 10.200.0.0/24 65001:11 true
check "srv6d still Established with the reflector" \
    srv6d_established s fd00:1::2

tap_done
