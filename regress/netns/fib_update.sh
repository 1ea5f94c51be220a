#!/bin/bash
# fib-update on the real kernel: the global table's best unicast routes go
# into the main table with protocol 201 (srv6d), per address family, and a
# reload adds or removes only the family whose setting changed.  srv6d S
# has an iBGP session over IPv4 with ExaBGP X negotiating IPv4 and IPv6
# unicast; X announces a locator and an IPv4 prefix.
#
#   S s-x 10.0.9.1/24 fd00:9::1/64 ---- x-s 10.0.9.2/24 fd00:9::2/64 X
#   X announces fc00:0:2::/48 next hop fd00:9::2, 192.0.2.0/24 next hop 10.0.9.2
#   S has a static 198.51.100.0/24 via 10.0.9.2 (proto static) throughout
#
# 1. fib-update ipv6-unicast yes: the locator in main via fd00:9::2 with
#    protocol 201, the IPv4 prefix not;
# 2. reload to fib-update yes: the IPv4 prefix comes, the locator stays and
#    is neither deleted nor re-added (ip monitor across the reload);
# 3. reload to fib-update ipv4-unicast no: the IPv4 prefix goes, the
#    locator stays;
# 4. X withdraws the locator: it leaves main;
# 5. a plain stop (fib-keep no, the default): nothing of protocol 201 left,
#    and the static route, not srv6d's, is still there.
. "$(dirname "$0")/lib.sh"

if ! command -v exabgp >/dev/null; then
	skip "fib-update on the kernel" "exabgp not installed"
	tap_done; exit
fi

V6=fc00:0:2::/48 V4=192.0.2.0/24 ST=198.51.100.0/24

netns_new S && netns_new X &&
    link_ns "$S" s-x "10.0.9.1/24 fd00:9::1/64" \
	"$X" x-s "10.0.9.2/24 fd00:9::2/64" &&
    ip -n "$S" route add "$ST" via 10.0.9.2 proto static ||
    { not_ok "create namespaces and links"; tap_done; exit; }

# routes -4|-6 [TABLE]: S's routes of protocol 201 in TABLE (main) as
# JSON lines
routes() {
	fib_ip "$S" "$1" route show table "${2:-main}" proto "$FIB_PROTO" |
	    jq -c '.[]'
}
# in_main PREFIX GATEWAY: exactly one route of srv6d's for PREFIX in S's
# main table, via GATEWAY, no other protocol's
in_main() {
	local af=-4
	case $1 in *:*) af=-6 ;; esac
	fib_ip "$S" "$af" route show table main exact "$1" | jq -e \
	    --arg p "$FIB_PROTO" --arg g "$2" 'length == 1 and
	    (.[0] | .protocol == $p and .gateway == $g and .dev == "s-x")' \
	    >/dev/null
}
not_in_main() {	# not_in_main PREFIX: no route for PREFIX in S's main
	local af=-4
	case $1 in *:*) af=-6 ;; esac
	fib_ip "$S" "$af" route show table main exact "$1" |
	    jq -e 'length == 0' >/dev/null
}
static_there() {	# the static route, protocol static (4) by name
	ip -j -n "$S" -4 route show table main exact "$ST" | jq -e \
	    'length == 1 and (.[0] | .protocol == "static" and
	    .gateway == "10.0.9.2")' >/dev/null
}

# conf LINE...: srv6d's configuration with these fib-update lines
conf() {
	{
		echo "as 65001"
		echo "router-id 10.0.9.1"
		printf '%s\n' "$@"
		cat <<EOF
neighbor 10.0.9.2 {
	remote-as 65001
	local-address 10.0.9.1
	address-family ipv4-unicast
	address-family ipv6-unicast
}
EOF
	} >"$TMP/s.conf"
}

exabgp_start "$X" "$(exabgp_recv_process "$X")
$(exabgp_cmd_process "$X")
neighbor 10.0.9.1 {
	router-id 10.0.9.2;
	local-address 10.0.9.2;
	local-as 65001;
	peer-as 65001;
	family { ipv4 unicast; ipv6 unicast; }
	api { processes [ recv, cmd ]; neighbor-changes; }
}"
check "ExaBGP X (AS 65001) starts" test $? -eq 0
exabgp_cmd "$X" "announce route $V6 next-hop fd00:9::2"
exabgp_cmd "$X" "announce route $V4 next-hop 10.0.9.2"

# --- 1. fib-update ipv6-unicast yes ---------------------------------------
conf "fib-update ipv6-unicast yes"
check "srv6d S starts with fib-update ipv6-unicast yes" \
    srv6d_start s "$S" "$TMP/s.conf"
check "session with X Established" wait_until 30 srv6d_established s 10.0.9.2
check "both IPv4 and IPv6 unicast negotiated" \
    srv6d_jq s '.neighbors[0].session.address_families |
    index("ipv4") != null and index("ipv6") != null' \
    show neighbor 10.0.9.2
check "srv6d has $V6 and $V4 from X" \
    wait_until 10 eval 'srv6d_has_route s "$V6" 10.0.9.2 &&
    srv6d_has_route s "$V4" 10.0.9.2'
check "1: $V6 in main via fd00:9::2, protocol $FIB_PROTO" \
    wait_until 10 in_main "$V6" fd00:9::2
check "1: $V4 not in main (IPv4 off)" not_in_main "$V4"
check "1: no IPv4 route of protocol $FIB_PROTO at all" \
    eval '[ -z "$(routes -4)" ]'

# --- 2. reload to fib-update yes --------------------------------------------
check "ip monitor on S" fib_monitor_start "$S" reload2
conf "fib-update yes"
check "2: reload to fib-update yes" quiet sctl s reload
check "2: $V4 comes, in main via 10.0.9.2, protocol $FIB_PROTO" \
    wait_until 10 in_main "$V4" 10.0.9.2
check "2: $V6 stays" in_main "$V6" fd00:9::2
sleep 1		# anything the reload would do to the IPv6 route is done
check "2: $V6 neither deleted nor re-added during the reload" \
    eval '! grep -F "$V6" "$TMP/reload2.mon" | grep -q .'
check "2: the monitor saw $V4 added" \
    eval 'grep -v Deleted "$TMP/reload2.mon" | grep -qF "$V4"'
grep -F -e "$V6" -e "$V4" "$TMP/reload2.mon" | sed 's/^/# monitor: /'

# --- 3. reload to fib-update yes + ipv4-unicast no ---------------------------
check "ip monitor on S" fib_monitor_start "$S" reload3
conf "fib-update yes" "fib-update ipv4-unicast no"
check "3: reload to fib-update ipv4-unicast no" quiet sctl s reload
check "3: $V4 goes" wait_until 10 not_in_main "$V4"
check "3: $V6 stays" in_main "$V6" fd00:9::2
sleep 1
check "3: $V6 neither deleted nor re-added during the reload" \
    eval '! grep -F "$V6" "$TMP/reload3.mon" | grep -q .'
check "3: the monitor saw $V4 deleted" \
    eval 'fib_monitor_deleted reload3 | grep -qF "$V4"'

# --- 4. X withdraws the locator ----------------------------------------------
check "ip monitor on S" fib_monitor_start "$S" withdraw
exabgp_cmd "$X" "withdraw route $V6 next-hop fd00:9::2"
check "4: srv6d drops $V6 from its RIB" \
    wait_until 10 srv6d_no_route s "$V6"
check "4: $V6 leaves main" wait_until 10 not_in_main "$V6"
check "4: no IPv6 route of protocol $FIB_PROTO left" \
    eval '[ -z "$(routes -6)" ]'
# the monitor does see IPv6 deletions: its silence in 2 and 3 means something
check "4: the monitor saw $V6 deleted" \
    wait_until 5 eval 'fib_monitor_deleted withdraw | grep -qF "$V6"'

# --- 5. a plain stop flushes -------------------------------------------------
# the IPv6 family is still on: give it a route to flush
exabgp_cmd "$X" "announce route $V6 next-hop fd00:9::2"
check "5: $V6 back in main once X announces it again" \
    wait_until 10 in_main "$V6" fd00:9::2
kill -TERM "$(srv6d_pid s)"; wait "$(srv6d_pid s)" 2>/dev/null
check "5: srv6d exits 0 on SIGTERM" test $? -eq 0
check "5: srv6d stopped: no route of protocol $FIB_PROTO left in S" \
    wait_until 5 eval '[ -z "$(routes -4 all)$(routes -6 all)" ]'
check "5: ... nor anything else of srv6d's (rules, nexthop objects)" \
    eval '[ -z "$(fib_state "$S")" ]'
check "the static $ST (not srv6d's) is still there" static_there
check "srv6d logged no fatal error" \
    eval '! grep -Eiq "fatal|assert" "$TMP/s.log"'

tap_done
