#!/bin/bash
# srv6d <-> FRR: eBGP and iBGP, over IPv4 and IPv6 transport, with routes
# both ways as each side's own CLI shows them; RFC 8212 (eBGP exchanges
# nothing without filters); next-hop-self toward iBGP; and a reload that
# adds filters and a neighbor and removes another, leaving the others
# Established.
#
#   FRR "E" (AS 65002)       srv6d "S" (AS 65001)       FRR "I" (AS 65001)
#   10.0.1.2 fd00:1::2 ----- 10.0.1.1 fd00:1::1
#                            10.0.2.1 fd00:2::1 ------- 10.0.2.2 fd00:2::2
#   network 10.102.0.0/24    network 10.100.0.0/24      redistribute static
#   network 2001:db8:102::/48 network 2001:db8:100::/48 10.103.0.0/24
#                                                       2001:db8:103::/48
. "$(dirname "$0")/lib.sh"

netns_new S && netns_new E && netns_new I &&
    link_ns "$S" s-e "10.0.1.1/24 fd00:1::1/64" \
	"$E" e-s "10.0.1.2/24 fd00:1::2/64" &&
    link_ns "$S" s-i "10.0.2.1/24 fd00:2::1/64" \
	"$I" i-s "10.0.2.2/24 fd00:2::2/64" ||
    { not_ok "create namespaces and links"; tap_done; exit; }

# srv6d_conf PHASE: 1 without filters, with a neighbor that never comes up;
# 2 with `allow from/to ebgp` and two `match ... set` rules, that neighbor
# removed and the IPv6 iBGP one added.
srv6d_conf() {
	{
		printf 'as 65001\nrouter-id 10.0.1.1\n'
		printf 'network 10.100.0.0/24\nnetwork 2001:db8:100::/48\n'
		printf 'neighbor 10.0.1.2 { remote-as 65002 }\n'
		printf 'neighbor fd00:1::2 { remote-as 65002 }\n'
		printf 'neighbor 10.0.2.2 {\n\tremote-as 65001\n\tnext-hop-self\n}\n'
		if [ "$1" = 1 ]; then
			printf 'neighbor 10.0.9.9 { remote-as 65009 }\n'
		else
			printf 'neighbor fd00:2::2 { remote-as 65001 }\n'
			printf 'allow from ebgp\nallow to ebgp\n'
			printf 'match from 10.0.1.2 set { localpref 200, '
			printf 'community 65001:2 }\n'
			printf 'match to ibgp prefix 10.100.0.0/24 '
			printf 'set community 65001:9\n'
		fi
	} >"$TMP/s.conf"
}

frr_start "$E" "router bgp 65002
 bgp router-id 10.0.1.2
 no bgp ebgp-requires-policy
 no bgp network import-check
 no bgp default ipv4-unicast
 neighbor 10.0.1.1 remote-as 65001
 neighbor 10.0.1.1 timers connect 2
 neighbor fd00:1::1 remote-as 65001
 neighbor fd00:1::1 timers connect 2
 address-family ipv4 unicast
  network 10.102.0.0/24
  neighbor 10.0.1.1 activate
 exit-address-family
 address-family ipv6 unicast
  network 2001:db8:102::/48
  neighbor fd00:1::1 activate
 exit-address-family"
check "FRR E (eBGP, AS 65002) starts" test $? -eq 0
frr_start "$I" "router bgp 65001
 bgp router-id 10.0.2.2
 no bgp default ipv4-unicast
 neighbor 10.0.2.1 remote-as 65001
 neighbor 10.0.2.1 timers connect 2
 neighbor fd00:2::1 remote-as 65001
 neighbor fd00:2::1 timers connect 2
 address-family ipv4 unicast
  redistribute static
  neighbor 10.0.2.1 activate
 exit-address-family
 address-family ipv6 unicast
  redistribute static
  neighbor fd00:2::1 activate
 exit-address-family" "ip route 10.103.0.0/24 blackhole
ipv6 route 2001:db8:103::/48 blackhole"
check "FRR I (iBGP, AS 65001, zebra+staticd) starts" test $? -eq 0

srv6d_conf 1
check "srv6d starts" srv6d_start s "$S" "$TMP/s.conf"

# --- sessions ------------------------------------------------------------
for p in 10.0.1.2:eBGP/IPv4 fd00:1::2:eBGP/IPv6 10.0.2.2:iBGP/IPv4; do
	a=${p%:*} what=${p##*:}
	check "$what session $a Established in srv6d" \
	    wait_until 30 srv6d_established s "$a"
done
check "eBGP/IPv4 Established in FRR E" \
    wait_until 10 frr_established "$E" 10.0.1.1
check "eBGP/IPv6 Established in FRR E" \
    wait_until 10 frr_established "$E" fd00:1::1
check "iBGP/IPv4 Established in FRR I" \
    wait_until 10 frr_established "$I" 10.0.2.1
check "unreachable neighbor 10.0.9.9 is not Established" \
    srv6d_not_established s 10.0.9.9

# --- iBGP routes, RFC 8212 without filters -------------------------------
check "iBGP in: srv6d has FRR I's static 10.103.0.0/24 from 10.0.2.2" \
    wait_until 10 srv6d_has_route s 10.103.0.0/24 10.0.2.2
check "iBGP out: FRR I has srv6d's network 10.100.0.0/24" \
    wait_until 10 frr_has_route "$I" ipv4 10.100.0.0/24
check "srv6ctl show rib (text) lists 10.103.0.0/24" \
    srv6d_grep s 10.103.0.0/24 show rib
check "FRR E advertised 10.102.0.0/24 to srv6d" \
    wait_until 10 frr_jq "$E" \
    "show bgp ipv4 unicast neighbors 10.0.1.1 advertised-routes json" \
    '.advertisedRoutes["10.102.0.0/24"]'
sleep 1		# give srv6d the time to (wrongly) install or send it
check "RFC 8212: no filter, eBGP route 10.102.0.0/24 not in srv6d's Loc-RIB" \
    srv6d_no_route s 10.102.0.0/24
check "RFC 8212: no filter, FRR E got nothing from srv6d (IPv4)" \
    frr_no_route "$E" ipv4 10.100.0.0/24
check "RFC 8212: no filter, FRR E got nothing from srv6d (IPv6)" \
    frr_no_route "$E" ipv6 2001:db8:100::/48

# --- reload: filters added, a neighbor added and one removed --------------
declare -A since
for a in 10.0.1.2 fd00:1::2 10.0.2.2; do
	since[$a]=$(srv6d_neighbor_field s "$a" state_since)
done
sleep 1.1	# a session reset would show in state_since
srv6d_conf 2
check "reload (allow from/to ebgp, + fd00:2::2, - 10.0.9.9)" \
    quiet sctl s reload
check "removed neighbor 10.0.9.9 is gone" \
    wait_until 5 bash -c "! '$SRV6CTL' -s '$TMP/s.sock' show neighbor |
    grep -q 10.0.9.9"
for a in 10.0.1.2 fd00:1::2 10.0.2.2; do
	check "reload left $a Established" srv6d_established s "$a"
	now=$(srv6d_neighbor_field s "$a" state_since)
	check "reload left $a's state_since unchanged (${since[$a]} = $now)" \
	    test -n "${since[$a]}" -a "${since[$a]}" = "$now"
done
check "FRR E saw no second connection on the IPv4 session" \
    frr_jq "$E" "show bgp neighbors 10.0.1.1 json" \
    '.["10.0.1.1"].connectionsEstablished == 1'
check "added iBGP/IPv6 neighbor fd00:2::2 Established in srv6d" \
    wait_until 30 srv6d_established s fd00:2::2
check "iBGP/IPv6 Established in FRR I" \
    wait_until 10 frr_established "$I" fd00:2::1

# --- routes both ways -----------------------------------------------------
# the new import filter applies to the routes already received
check "reload re-filters Adj-RIB-In: srv6d has 10.102.0.0/24 from 10.0.1.2" \
    wait_until 5 srv6d_has_route s 10.102.0.0/24 10.0.1.2
check "reload re-filters Adj-RIB-In: srv6d has 2001:db8:102::/48" \
    wait_until 5 srv6d_has_route s 2001:db8:102::/48 fd00:1::2
check "srv6ctl neighbor 10.0.1.2 refresh" \
    quiet sctl s neighbor 10.0.1.2 refresh
check "srv6ctl neighbor fd00:1::2 refresh" \
    quiet sctl s neighbor fd00:1::2 refresh
check "eBGP/IPv4 in: srv6d has 10.102.0.0/24 from 10.0.1.2" \
    wait_until 10 srv6d_has_route s 10.102.0.0/24 10.0.1.2
check "eBGP/IPv6 in: srv6d has 2001:db8:102::/48 from fd00:1::2" \
    wait_until 10 srv6d_has_route s 2001:db8:102::/48 fd00:1::2
check "eBGP/IPv4 out: FRR E has 10.100.0.0/24" \
    wait_until 10 frr_has_route "$E" ipv4 10.100.0.0/24
check "eBGP/IPv6 out: FRR E has 2001:db8:100::/48" \
    wait_until 10 frr_has_route "$E" ipv6 2001:db8:100::/48
check "iBGP/IPv6 in: srv6d has 2001:db8:103::/48 from fd00:2::2" \
    wait_until 10 srv6d_has_route s 2001:db8:103::/48 fd00:2::2
check "iBGP/IPv6 out: FRR I has 2001:db8:100::/48" \
    wait_until 10 frr_has_route "$I" ipv6 2001:db8:100::/48
# transit: FRR I's route to FRR E with srv6d's AS prepended
check "transit iBGP->eBGP: FRR E has 10.103.0.0/24 with AS path 65001" \
    wait_until 10 frr_jq "$E" "show bgp ipv4 unicast 10.103.0.0/24 json" \
    '.paths[0].aspath.string == "65001"'
# transit the other way with next-hop-self toward 10.0.2.2
check "transit eBGP->iBGP: FRR I has 10.102.0.0/24" \
    wait_until 10 frr_has_route "$I" ipv4 10.102.0.0/24
check "next-hop-self: FRR I sees 10.102.0.0/24 via 10.0.2.1, valid" \
    frr_jq "$I" "show bgp ipv4 unicast 10.102.0.0/24 json" \
    '.paths[0].nexthops[0].ip == "10.0.2.1" and .paths[0].valid'
check "srv6d's eBGP route carries AS path 65002 in show rib" \
    srv6d_grep s 65002 show rib 10.102.0.0/24
# --- filters that set attributes, route refresh ---------------------------
check "import filter set localpref 200 on 10.102.0.0/24" \
    srv6d_jq s '[.rib[]? | select(.prefix == "10.102.0.0/24") |
    .localpref == 200] | any' show rib 10.102.0.0/24
check "FRR I gets 10.102.0.0/24 with community 65001:2 over iBGP" \
    frr_jq "$I" "show bgp ipv4 unicast 10.102.0.0/24 json" \
    '.paths[0].community.list == ["65001:2"]'
check "... and with LOCAL_PREF 200 (set by the import filter)" \
    frr_jq "$I" "show bgp ipv4 unicast 10.102.0.0/24 json" \
    '.paths[0].locPrf == 200'
check "import filter added community 65001:2 to 10.102.0.0/24" \
    srv6d_jq s '[.rib[]? | select(.prefix == "10.102.0.0/24") |
    .communities | map(tostring) | index("65001:2")] | any' \
    show rib 10.102.0.0/24
check "export filter: FRR I sees community 65001:9 on 10.100.0.0/24" \
    wait_until 10 frr_jq "$I" "show bgp ipv4 unicast 10.100.0.0/24 json" \
    '.paths[0].community.string == "65001:9"'
check "export filter touched only 10.100.0.0/24 (FRR I: 10.102 without)" \
    frr_jq "$I" "show bgp ipv4 unicast 10.102.0.0/24 json" \
    '.paths[0] | (.community.list // []) | index("65001:9") == null'
check "FRR E asks for a route refresh (clear soft in)" \
    quiet vtysh_ns "$E" "clear bgp ipv4 unicast 10.0.1.1 soft in"
check "srv6d counts the ROUTE-REFRESH received" \
    wait_until 5 srv6d_jq s \
    '.neighbors[0].messages.received["route-refresh"] >= 1' \
    show neighbor 10.0.1.2
check "FRR E still has srv6d's routes after the refresh" \
    wait_until 5 frr_has_route "$E" ipv4 10.100.0.0/24
check "no session flapped during the test" \
    srv6d_jq s '[.neighbors[].flaps] | all(. == 0)' show neighbor
check "show summary: 4 neighbors Established" \
    srv6d_jq s '.summary.established == 4' show summary

tap_done
