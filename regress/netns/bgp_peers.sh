#!/bin/bash
# srv6d <-> GoBGP, BIRD, ExaBGP and OpenBGPD (eBGP, with `allow from/to
# ebgp`): each session comes up, routes flow both ways and through srv6d
# from one peer to another, each side's own CLI shows them, and a
# withdrawal is passed on.
#
#   GoBGP "G" AS 65003   10.0.3.2 ---- 10.0.3.1
#   BIRD  "B" AS 65004   10.0.4.2 ---- 10.0.4.1   srv6d "S" AS 65001
#                        fd00:4::2 --- fd00:4::1  network 10.100.0.0/24
#   ExaBGP "X" AS 65005  10.0.5.2 ---- 10.0.5.1   network 2001:db8:100::/48
#   OpenBGPD "O" AS 65007 10.0.7.2 --- 10.0.7.1
. "$(dirname "$0")/lib.sh"

netns_new S && netns_new G && netns_new B && netns_new X && netns_new O &&
    link_ns "$S" s-g "10.0.3.1/24" "$G" g-s "10.0.3.2/24" &&
    link_ns "$S" s-b "10.0.4.1/24 fd00:4::1/64" \
	"$B" b-s "10.0.4.2/24 fd00:4::2/64" &&
    link_ns "$S" s-x "10.0.5.1/24" "$X" x-s "10.0.5.2/24" &&
    link_ns "$S" s-o "10.0.7.1/24" "$O" o-s "10.0.7.2/24" ||
    { not_ok "create namespaces and links"; tap_done; exit; }

cat >"$TMP/s.conf" <<EOF
as 65001
router-id 10.0.3.1
network 10.100.0.0/24
network 2001:db8:100::/48
neighbor 10.0.3.2 { remote-as 65003; description "gobgp" }
neighbor 10.0.4.2 { remote-as 65004; description "bird" }
neighbor fd00:4::2 { remote-as 65004; description "bird6" }
neighbor 10.0.5.2 { remote-as 65005; description "exabgp" }
neighbor 10.0.7.2 { remote-as 65007; description "openbgpd" }
allow from ebgp
allow to ebgp
EOF

gobgp_start "$G" '[global.config]
  as = 65003
  router-id = "10.0.3.2"
[[neighbors]]
  [neighbors.config]
    neighbor-address = "10.0.3.1"
    peer-as = 65001
  [neighbors.timers.config]
    connect-retry = 2
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"'
check "GoBGP (AS 65003) starts" test $? -eq 0
check "GoBGP: add 10.103.0.0/24 to its RIB" \
    gobgp_ns "$G" global rib add 10.103.0.0/24 -a ipv4

bird_start "$B" 'router id 10.0.4.2;
protocol device {}
protocol static s4 { ipv4; route 10.104.0.0/24 blackhole; }
protocol static s6 { ipv6; route 2001:db8:104::/48 blackhole; }
template bgp srv6d {
	connect delay time 1;
	connect retry time 2;
	error wait time 1, 5;
}
protocol bgp p4 from srv6d {
	local 10.0.4.2 as 65004;
	neighbor 10.0.4.1 as 65001;
	ipv4 { import all; export all; };
}
protocol bgp p6 from srv6d {
	local fd00:4::2 as 65004;
	neighbor fd00:4::1 as 65001;
	ipv6 { import all; export all; };
}'
check "BIRD (AS 65004) starts" test $? -eq 0

exabgp_start "$X" "$(exabgp_recv_process "$X")
neighbor 10.0.5.1 {
	router-id 10.0.5.2;
	local-address 10.0.5.2;
	local-as 65005;
	peer-as 65001;
	family { ipv4 unicast; }
	api { processes [ recv ]; neighbor-changes; receive { parsed; update; } }
	static {
		route 10.105.0.0/24 next-hop self community [ 65005:7 ];
	}
}"
check "ExaBGP (AS 65005) starts" test $? -eq 0

openbgpd_start "$O" 'AS 65007
router-id 10.0.7.2
listen on 10.0.7.2
network 10.107.0.0/24
neighbor 10.0.7.1 { remote-as 65001 }
allow from any
allow to any'
check "OpenBGPD (AS 65007) starts" test $? -eq 0

check "srv6d starts" srv6d_start s "$S" "$TMP/s.conf"

# --- sessions -------------------------------------------------------------
for a in 10.0.3.2 10.0.4.2 fd00:4::2 10.0.5.2 10.0.7.2; do
	check "session with $a Established in srv6d" \
	    wait_until 30 srv6d_established s "$a"
done
check "GoBGP shows the session Established" \
    wait_until 10 gobgp_established "$G" 10.0.3.1
check "BIRD shows the IPv4 session Established" \
    wait_until 10 bird_established "$B" p4
check "BIRD shows the IPv6 session Established" \
    wait_until 10 bird_established "$B" p6
check "ExaBGP reports the session up" wait_until 10 exabgp_established "$X"
check "OpenBGPD shows the session Established" \
    wait_until 10 openbgpd_established "$O" 10.0.7.1

# --- routes into srv6d ----------------------------------------------------
check "srv6d has GoBGP's 10.103.0.0/24" \
    wait_until 10 srv6d_has_route s 10.103.0.0/24 10.0.3.2
check "srv6d has BIRD's 10.104.0.0/24" \
    wait_until 10 srv6d_has_route s 10.104.0.0/24 10.0.4.2
check "srv6d has BIRD's 2001:db8:104::/48 over IPv6" \
    wait_until 10 srv6d_has_route s 2001:db8:104::/48 fd00:4::2
check "srv6d has ExaBGP's 10.105.0.0/24" \
    wait_until 10 srv6d_has_route s 10.105.0.0/24 10.0.5.2
check "srv6d has OpenBGPD's 10.107.0.0/24" \
    wait_until 10 srv6d_has_route s 10.107.0.0/24 10.0.7.2
check "srv6d shows ExaBGP's community 65005:7" \
    srv6d_jq s '[.. | objects | select(.prefix? == "10.105.0.0/24") |
    .communities[]? | tostring | select(test("65005:7"))] | length > 0' \
    show rib 10.105.0.0/24
check "srv6d shows AS path 65004 for BIRD's route (text)" \
    srv6d_grep s '10\.104\.0\.0/24.* 65004 ' show rib
check "show neighbor counts GoBGP's prefix as received and best" \
    srv6d_jq s '.neighbors[0].prefixes | .received == 1 and .best == 1' \
    show neighbor 10.0.3.2

# --- routes out of srv6d, its own and transit ------------------------------
check "GoBGP has srv6d's 10.100.0.0/24" \
    wait_until 10 gobgp_has_route "$G" ipv4 10.100.0.0/24
check "GoBGP has BIRD's 10.104.0.0/24 through srv6d, AS path 65001 65004" \
    wait_until 10 bash -c "ip netns exec $G gobgp -u 127.0.0.1 -p 50051 \
    global rib -a ipv4 10.104.0.0/24 | grep -q '65001 65004'"
check "BIRD has srv6d's 10.100.0.0/24" \
    wait_until 10 bird_has_route "$B" 10.100.0.0/24
check "BIRD has srv6d's 2001:db8:100::/48" \
    wait_until 10 bird_has_route "$B" 2001:db8:100::/48
check "BIRD has ExaBGP's 10.105.0.0/24 through srv6d" \
    wait_until 10 bird_has_route "$B" 10.105.0.0/24
check "OpenBGPD has srv6d's 10.100.0.0/24" \
    wait_until 10 openbgpd_has_route "$O" 10.100.0.0/24
check "OpenBGPD has GoBGP's 10.103.0.0/24 through srv6d" \
    wait_until 10 openbgpd_has_route "$O" 10.103.0.0/24
check "GoBGP has OpenBGPD's 10.107.0.0/24 through srv6d" \
    wait_until 10 gobgp_has_route "$G" ipv4 10.107.0.0/24
check "ExaBGP received srv6d's 10.100.0.0/24" \
    wait_until 10 exabgp_has_route "$X" 10.100.0.0/24
check "ExaBGP received GoBGP's 10.103.0.0/24 through srv6d" \
    wait_until 10 exabgp_has_route "$X" 10.103.0.0/24
check "srv6d does not send BIRD's route back to BIRD" \
    bash -c "! ip netns exec $B birdc -s '$TMP/bird-$B.ctl' \
    show route for 10.104.0.0/24 all | grep -q 'as_path: 65001'"

# --- withdrawal -----------------------------------------------------------
check "GoBGP: withdraw 10.103.0.0/24" \
    gobgp_ns "$G" global rib del 10.103.0.0/24 -a ipv4
check "srv6d drops the withdrawn 10.103.0.0/24" \
    wait_until 10 srv6d_no_route s 10.103.0.0/24
check "BIRD loses 10.103.0.0/24 too" \
    wait_until 10 bash -c "! ip netns exec $B birdc -s '$TMP/bird-$B.ctl' \
    show route for 10.103.0.0/24 | grep -q '^10.103'"
check "OpenBGPD loses 10.103.0.0/24 too" \
    wait_until 10 fails openbgpd_has_route "$O" 10.103.0.0/24
check "ExaBGP got the withdrawal of 10.103.0.0/24" \
    wait_until 10 grep -q '"withdraw".*10.103.0.0/24' "$TMP/exabgp-$X.recv"
check "all five sessions still Established" bash -c "
    for a in 10.0.3.2 10.0.4.2 fd00:4::2 10.0.5.2 10.0.7.2; do
	'$SRV6CTL' -s '$TMP/s.sock' -j show neighbor \$a |
	    jq -e '.neighbors[0].state == \"Established\"' >/dev/null || exit 1
    done"

tap_done
