#!/bin/bash
# A peer that sends malformed UPDATEs gets RFC 7606 treatment, while another
# session on the same srv6d stays Established and keeps its routes:
#  - bad ORIGIN value: treat-as-withdraw, the session stays up
#  - ATOMIC_AGGREGATE of the wrong length: attribute discard, route kept
#  - an attribute running past the attribute section: treat-as-withdraw
#  - Total Path Attribute Length past the message, or an NLRI of length
#    33: NOTIFICATION 3/1 or 3/10, the session resets, its routes go away,
#    and it can come back.
#
#   sender "M" AS 65006 10.0.10.2 ---- 10.0.10.1  srv6d "S" AS 65001
#   GoBGP  "G" AS 65003 10.0.11.2 ---- 10.0.11.1  network 10.100.0.0/24
. "$(dirname "$0")/lib.sh"

PYTHON=$(command -v python3) ||
    { skip "malformed UPDATEs" "python3 not installed"; tap_done; exit; }
SENDER=$(cd "$(dirname "$0")" && pwd)/bgp_sender.py

netns_new S && netns_new M && netns_new G &&
    link_ns "$S" s-m "10.0.10.1/24" "$M" m-s "10.0.10.2/24" &&
    link_ns "$S" s-g "10.0.11.1/24" "$G" g-s "10.0.11.2/24" ||
    { not_ok "create namespaces and links"; tap_done; exit; }

cat >"$TMP/s.conf" <<EOF
as 65001
router-id 10.0.10.1
network 10.100.0.0/24
neighbor 10.0.10.2 {
	remote-as 65006; passive; max-prefix 5; description "sender"
}
neighbor 10.0.11.2 { remote-as 65003; description "gobgp" }
allow from ebgp
allow to ebgp
EOF

# sender_start: the test speaker in M, commands through $TMP/m.fifo
sender_start() {
	: >"$TMP/m.out"
	ip netns exec "$M" "$PYTHON" "$SENDER" 10.0.10.2 10.0.10.1 65006 \
	    10.0.10.2 "$TMP/m.fifo" >>"$TMP/m.out" 2>&1 &
	track_pid $!
	wait_until 5 grep -Eq '^(established|closed)' "$TMP/m.out"
	grep -q '^established' "$TMP/m.out"
}
# send COMMAND: to the sender; a timeout, as a dead sender never reads
send() { timeout 5 bash -c 'echo "$1" >"$2"' _ "$*" "$TMP/m.fifo"; }
sender_says() { grep -q "$1" "$TMP/m.out"; }
gobgp_no_route() { ! gobgp_has_route "$@"; }
g_since() { srv6d_neighbor_field s 10.0.11.2 state_since; }
mkfifo "$TMP/m.fifo"

gobgp_start "$G" '[global.config]
  as = 65003
  router-id = "10.0.11.2"
[[neighbors]]
  [neighbors.config]
    neighbor-address = "10.0.11.1"
    peer-as = 65001
  [neighbors.timers.config]
    connect-retry = 2
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"'
check "GoBGP starts" test $? -eq 0
quiet gobgp_ns "$G" global rib add 10.110.0.0/24 -a ipv4
check "srv6d starts" srv6d_start s "$S" "$TMP/s.conf"

# --- the well-behaved session ---------------------------------------------
check "GoBGP session Established" wait_until 30 srv6d_established s 10.0.11.2
check "srv6d has GoBGP's 10.110.0.0/24" \
    wait_until 10 srv6d_has_route s 10.110.0.0/24 10.0.11.2
check "GoBGP has srv6d's 10.100.0.0/24" \
    wait_until 10 gobgp_has_route "$G" ipv4 10.100.0.0/24
since=$(g_since)

# --- the sender -----------------------------------------------------------
check "test sender reaches Established" sender_start
check "srv6d shows the sender Established" \
    wait_until 10 srv6d_established s 10.0.10.2
send announce 10.120.0.0/24
check "valid UPDATE: srv6d has 10.120.0.0/24" \
    wait_until 10 srv6d_has_route s 10.120.0.0/24 10.0.10.2
check "... and passes it to GoBGP" \
    wait_until 10 gobgp_has_route "$G" ipv4 10.120.0.0/24

# bad ORIGIN on a prefix we had: treat-as-withdraw removes it
send announce 10.122.0.0/24
check "srv6d has 10.122.0.0/24" \
    wait_until 10 srv6d_has_route s 10.122.0.0/24 10.0.10.2
send bad-origin 10.122.0.0/24
check "bad ORIGIN on 10.122.0.0/24: treated as withdraw (gone from srv6d)" \
    wait_until 10 srv6d_no_route s 10.122.0.0/24
check "bad ORIGIN: GoBGP got the withdrawal of 10.122.0.0/24" \
    wait_until 10 gobgp_no_route "$G" ipv4 10.122.0.0/24
# bad ORIGIN on a new prefix: never installed (a valid UPDATE after it
# shows srv6d has read it)
send bad-origin 10.121.0.0/24
send announce 10.125.0.0/24
check "UPDATE after the bad one is installed (10.125.0.0/24)" \
    wait_until 10 srv6d_has_route s 10.125.0.0/24 10.0.10.2
check "bad ORIGIN on new 10.121.0.0/24: not installed" \
    srv6d_no_route s 10.121.0.0/24
check "bad ORIGIN: the session stays Established" \
    srv6d_established s 10.0.10.2
check "bad ORIGIN: no NOTIFICATION sent" \
    bash -c "! grep -q notification '$TMP/m.out'"
check "bad ORIGIN: srv6d logs the peer and the reason" \
    grep -Eiq '10\.0\.10\.2.*origin' "$TMP/s.log"

# wrong-length ATOMIC_AGGREGATE: the attribute is discarded, not the route
send bad-atomic 10.123.0.0/24
check "bad ATOMIC_AGGREGATE length: route 10.123.0.0/24 installed" \
    wait_until 10 srv6d_has_route s 10.123.0.0/24 10.0.10.2
check "... without ATOMIC_AGGREGATE" \
    srv6d_jq s '[.rib[]? | select(.prefix == "10.123.0.0/24") |
    .atomic_aggregate == false] | any' show rib 10.123.0.0/24
check "bad ATOMIC_AGGREGATE: the session stays Established" \
    srv6d_established s 10.0.10.2

# an attribute overrunning the attribute section (RFC 7606 s4): the
# Total Path Attribute Length still finds the NLRI: treat-as-withdraw
send overrun 10.124.0.0/24
send announce 10.127.0.0/24
check "attribute overrunning the attributes: next UPDATE still read" \
    wait_until 10 srv6d_has_route s 10.127.0.0/24 10.0.10.2
check "... 10.124.0.0/24 treated as withdrawn, not installed" \
    srv6d_no_route s 10.124.0.0/24
check "... and the session stays Established" srv6d_established s 10.0.10.2

# Total Path Attribute Length past the end of the message: the NLRI
# cannot be found, session reset (RFC 7606 s4)
send bad-attr-len 10.128.0.0/24
check "attribute length past the message: sender gets NOTIFICATION 3/1" \
    wait_until 10 sender_says '^notification 3/1$'
check "... and its connection is closed" wait_until 10 sender_says '^closed'
check "srv6d: the session is no longer Established" \
    wait_until 10 srv6d_not_established s 10.0.10.2
check "srv6d shows last NOTIFICATION sent 3/1" \
    srv6d_jq s '.neighbors[0].last_notification_sent |
    .code == 3 and .subcode == 1' show neighbor 10.0.10.2
check "srv6d logs the reset with the peer" \
    grep -Eq '10\.0\.10\.2.*NOTIFICATION 3/1' "$TMP/s.log"
check "10.128.0.0/24 was never installed" srv6d_no_route s 10.128.0.0/24
check "the reset session's routes are gone (10.120.0.0/24)" \
    wait_until 10 srv6d_no_route s 10.120.0.0/24
check "the reset session's routes are gone (all of 10.12x)" \
    bash -c "! '$SRV6CTL' -s '$TMP/s.sock' show rib | grep -q '10\.12'"
check "GoBGP got the withdrawal of 10.120.0.0/24" \
    wait_until 10 gobgp_no_route "$G" ipv4 10.120.0.0/24

# --- the other session was not touched --------------------------------------
check "GoBGP session still Established" srv6d_established s 10.0.11.2
check "GoBGP session's state_since unchanged" \
    test -n "$since" -a "$since" = "$(g_since)"
check "GoBGP's 10.110.0.0/24 still in srv6d" \
    srv6d_has_route s 10.110.0.0/24 10.0.11.2
check "GoBGP still has srv6d's 10.100.0.0/24" \
    gobgp_has_route "$G" ipv4 10.100.0.0/24

# --- the reset session comes back, and resets again on a bad NLRI ---------
# srv6d may hold the neighbor idle for a while after the error
reconnect() {	# reconnect [TRIES]
	local i
	for ((i = 0; i < ${1:-25}; i++)); do
		sender_start && return 0
		sleep 1
	done
	return 1
}
check "the sender can open a new session after the reset" reconnect
send announce 10.126.0.0/24
check "srv6d has 10.126.0.0/24 from the new session" \
    wait_until 10 srv6d_has_route s 10.126.0.0/24 10.0.10.2
send bad-nlri 10.129.0.0/24
check "NLRI prefix length 33: sender gets NOTIFICATION 3/10" \
    wait_until 10 sender_says '^notification 3/10$'
check "... the session's routes are gone (10.126.0.0/24)" \
    wait_until 10 srv6d_no_route s 10.126.0.0/24
check "GoBGP session still Established after both resets" \
    srv6d_established s 10.0.11.2
check "... with its state_since unchanged" \
    test -n "$since" -a "$since" = "$(g_since)"

# --- max-prefix 5 (no restart): the 6th prefix ends the session -----------
check "the sender opens a third session" reconnect
for i in 1 2 3 4 5; do send announce 10.13$i.0.0/24; done
check "5 prefixes (the limit) are accepted" \
    wait_until 10 srv6d_has_route s 10.135.0.0/24 10.0.10.2
check "... and the session stays up" srv6d_established s 10.0.10.2
send announce 10.136.0.0/24
check "the 6th prefix: sender gets NOTIFICATION 6/1 (max prefixes)" \
    wait_until 10 sender_says '^notification 6/1$'
check "srv6d shows last NOTIFICATION sent 6/1" \
    wait_until 5 srv6d_jq s '.neighbors[0].last_notification_sent |
    .code == 6 and .subcode == 1' show neighbor 10.0.10.2
check "the session's routes are gone" \
    wait_until 10 srv6d_no_route s 10.131.0.0/24
check "without restart, the neighbor stays down: a new session is refused" \
    fails sender_start
check "srv6ctl neighbor 10.0.10.2 clear" quiet sctl s neighbor 10.0.10.2 clear
check "after clear, the sender can open a session again" reconnect 5
check "GoBGP session untouched by all of it" \
    test -n "$since" -a "$since" = "$(g_since)"

tap_done
