#!/bin/bash
# BGP sessions between two srv6d: IPv4 and IPv6 transport, hold time
# negotiation, neighbor down (RFC 9003 text) / up / clear / refresh,
# TCP-MD5 with the right and a wrong password, GTSM, and a reload that
# adds a neighbor without touching the Established ones.
. "$(dirname "$0")/lib.sh"

netns_new nsa || { not_ok "create namespace"; tap_done; exit; }
netns_new nsb || { not_ok "create namespace"; tap_done; exit; }
ip link add va netns "$nsa" type veth peer name vb netns "$nsb"
ip -n "$nsa" addr add 10.0.0.1/24 dev va
ip -n "$nsa" addr add fd00::1/64 dev va nodad
ip -n "$nsb" addr add 10.0.0.2/24 dev vb
ip -n "$nsb" addr add fd00::2/64 dev vb nodad
ip -n "$nsa" link set va up
ip -n "$nsb" link set vb up

# conf NAME: write $TMP/NAME.conf from the variables below
#   as id peer4 peer6 peeras hold4 pw6 gtsm4 extra
conf() {
	{
		printf 'as %s\nrouter-id %s\n' "$as" "$id"
		printf 'neighbor %s {\n\tremote-as %s\n' "$peer4" "$peeras"
		[ -n "$hold4" ] && printf '\tholdtime %s\n' "$hold4"
		[ -n "$gtsm4" ] && printf '\tttl-security yes\n'
		printf '}\n'
		printf 'neighbor %s {\n\tremote-as %s\n' "$peer6" "$peeras"
		[ -n "$pw6" ] && printf '\tpassword "%s"\n' "$pw6"
		printf '}\n'
		[ -n "$extra" ] && printf 'neighbor %s {\n\tremote-as 65009\n\tpassive\n}\n' "$extra"
	} >"$TMP/$1.conf"
}
conf_a() {
	as=65001 id=192.0.2.1 peer4=10.0.0.2 peer6=fd00::2 peeras=65002 \
	    hold4=30 pw6=${1:-} gtsm4=${2:-} extra=${3:-} conf a
}
conf_b() {
	as=65002 id=192.0.2.2 peer4=10.0.0.1 peer6=fd00::1 peeras=65001 \
	    hold4= pw6=${1:-} gtsm4=${2:-} extra= conf b
}

start() {	# start NAME NS
	ip netns exec "$2" "$SRV6D" -d -v -f "$TMP/$1.conf" \
	    -s "$TMP/$1.sock" -S "$TMP/$1.rsock" >>"$TMP/$1.log" 2>&1 &
	track_pid $!
	wait_until 10 "$SRV6CTL" -s "$TMP/$1.sock" show summary >/dev/null
}
ctl() { local n=$1; shift; "$SRV6CTL" -s "$TMP/$n.sock" "$@"; }
# nb NAME ADDR JQ-FILTER: evaluate on the neighbor's JSON object
nb() {
	ctl "$1" -j show neighbor "$2" |
	    jq -e ".neighbors[0] | $3" >/dev/null 2>&1
}
state_is() { nb "$1" "$2" ".state == \"$3\""; }
established() { state_is "$1" "$2" Established; }
reload() {	# reload NAME: srv6ctl reload, then wait for the parent
	ctl "$1" reload >/dev/null
}

conf_a; conf_b
check "srv6d A starts" start a "$nsa"
check "srv6d B starts" start b "$nsb"

check "IPv4 session Established on A" wait_until 30 established a 10.0.0.2
check "IPv4 session Established on B" wait_until 10 established b 10.0.0.1
check "IPv6 session Established on A" wait_until 30 established a fd00::2
check "IPv6 session Established on B" wait_until 10 established b fd00::1
check "summary counts 2 established on A" bash -c \
    "'$SRV6CTL' -s '$TMP/a.sock' -j show summary | jq -e '.. | objects | select(has(\"established\")) | .established == 2' >/dev/null"

# --- negotiation --------------------------------------------------------
check "A: hold time 30 negotiated (ours), keepalive 10" \
    nb a 10.0.0.2 '.session.holdtime == 30 and .session.keepalive == 10'
check "B: hold time 30 negotiated (the peer's)" \
    nb b 10.0.0.1 '.session.holdtime == 30'
check "IPv6 session: hold time 90" nb a fd00::2 '.session.holdtime == 90'
check "A sees B's BGP identifier" \
    nb a 10.0.0.2 '.session.remote_id == "192.0.2.2"'
check "capabilities: route refresh and 4-octet AS negotiated" \
    nb a 10.0.0.2 '(.session.capabilities | length) >= 2'
check "IPv6 session carries IPv6 unicast" \
    nb a fd00::2 '(.session.address_families | tostring | test("ipv6"))'
check "messages counted (OPEN and KEEPALIVE both ways)" \
    nb a 10.0.0.2 '.messages.sent.open >= 1 and .messages.received.keepalive >= 1'

# --- down / up / clear / refresh ------------------------------------------
v4since=$(ctl a -j show neighbor 10.0.0.2 | jq '.neighbors[0].state_since')
check "neighbor down with a reason" ctl a neighbor 10.0.0.2 down maintenance
check "A: the neighbor is Idle and admin down" \
    wait_until 5 nb a 10.0.0.2 '.state == "Idle" and .admin_down'
check "B: received Cease/2 with the reason \"maintenance\"" \
    wait_until 5 nb b 10.0.0.1 '.last_notification_received.code == 6 and .last_notification_received.subcode == 2 and .last_notification_received.reason == "maintenance"'
check "A: last sent notification is Cease/2" \
    nb a 10.0.0.2 '.last_notification_sent.subcode == 2'
sleep 7
check "the session stays down while admin down" state_is a 10.0.0.2 Idle
check "the other session stays Established" established a fd00::2
check "neighbor up" ctl a neighbor 10.0.0.2 up
check "the session comes back" wait_until 40 established a 10.0.0.2
check "B counts a flap" nb b 10.0.0.1 '.flaps >= 1'

check "neighbor refresh" ctl a neighbor 10.0.0.2 refresh
check "B received a ROUTE-REFRESH" \
    wait_until 5 nb b 10.0.0.1 '.messages.received."route-refresh" >= 1'
check "neighbor clear" ctl a neighbor 10.0.0.2 clear
check "B: received Cease/4 (administrative reset)" \
    wait_until 5 nb b 10.0.0.1 '.last_notification_received.subcode == 4'
check "the session comes back after clear" \
    wait_until 40 established a 10.0.0.2
check "neighbor down for an unknown neighbor fails" \
    bash -c "! '$SRV6CTL' -s '$TMP/a.sock' neighbor 10.0.0.99 down >/dev/null 2>&1"
check "the restricted socket refuses neighbor down" \
    bash -c "! '$SRV6CTL' -s '$TMP/a.rsock' neighbor 10.0.0.2 down >/dev/null 2>&1"

# --- reload that adds a neighbor -----------------------------------------
v4since=$(ctl a -j show neighbor 10.0.0.2 | jq '.neighbors[0].state_since')
v6since=$(ctl a -j show neighbor fd00::2 | jq '.neighbors[0].state_since')
conf_a "" "" 10.0.0.3
check "reload adding a neighbor" reload a
check "the new neighbor is there" nb a 10.0.0.3 '.state == "Active"'
check "the IPv4 session is untouched (state_since)" \
    nb a 10.0.0.2 ".state == \"Established\" and .state_since == $v4since"
check "the IPv6 session is untouched (state_since)" \
    nb a fd00::2 ".state == \"Established\" and .state_since == $v6since"

# --- TCP-MD5 ---------------------------------------------------------------
conf_a s3cret-pw; conf_b s3cret-pw
reload a; reload b
check "TCP-MD5: the same password on both ends establishes" \
    wait_until 60 established a fd00::2
check "TCP-MD5: show neighbor says a password is set" \
    nb a fd00::2 '.tcp_md5'
conf_b wrong-pw
reload b
sleep 12
check "TCP-MD5: a wrong password does not establish" \
    bash -c "! ( '$SRV6CTL' -s '$TMP/a.sock' -j show neighbor fd00::2 | jq -e '.neighbors[0].state == \"Established\"' >/dev/null )"
check "the IPv4 session is not affected" established a 10.0.0.2

# --- GTSM -----------------------------------------------------------------
conf_a "" yes; conf_b "" yes
reload a; reload b
check "GTSM on both ends establishes" wait_until 60 established a 10.0.0.2
check "GTSM: show neighbor says ttl-security" nb a 10.0.0.2 '.ttl_security'
conf_b
reload b
sleep 12
check "GTSM: a peer that sends with TTL 64 does not establish" \
    bash -c "! ( '$SRV6CTL' -s '$TMP/a.sock' -j show neighbor 10.0.0.2 | jq -e '.neighbors[0].state == \"Established\"' >/dev/null )"

# --- a peer that restarts (RFC 4724 §4.2) ---------------------------------
conf_a; reload a
check "both sessions Established again" wait_until 60 bash -c \
    "'$SRV6CTL' -s '$TMP/a.sock' -j show summary | jq -e '.. | objects | select(has(\"established\")) | .established == 2' >/dev/null"
v6since=$(ctl a -j show neighbor fd00::2 | jq '.neighbors[0].state_since')
# B freezes (its connections stay open: no FIN reaches A) and another B
# starts; it cannot bind 179 (the frozen one holds it) but connects out.
oldb=$(ip netns pids "$nsb")
for p in $oldb; do kill -STOP "$p"; done
cp "$TMP/b.conf" "$TMP/b2.conf"
check "a new B starts" start b2 "$nsb"
check "A takes the new B's connection at once (hold time 90 not waited for)" \
    wait_until 25 nb a fd00::2 ".state == \"Established\" and .state_since != $v6since"
for p in $oldb; do kill -KILL "$p"; done
grep -q "new connection, the peer restarted" "$TMP/a.log" &&
    ok "A logs that the peer restarted" || not_ok "A logs that the peer restarted"

grep -q "sent NOTIFICATION 6/2 (administrative shutdown): \"maintenance\"" \
    "$TMP/a.log" && ok "A logs the shutdown communication" ||
    not_ok "A logs the shutdown communication"
grep -q "received NOTIFICATION 6/2 (administrative shutdown): \"maintenance\"" \
    "$TMP/b.log" && ok "B logs the shutdown communication" ||
    not_ok "B logs the shutdown communication"

# keep the daemons' logs next to the runner's
mkdir -p "$BUILD/regress/logs"
for n in a b; do cp "$TMP/$n.log" "$BUILD/regress/logs/bgp_session-$n.log"; done
if [ "$_tap_failed" -ne 0 ]; then
	for n in a b; do
		diag "--- $n's log"
		grep -v 'control: client' "$TMP/$n.log" | tail -n 60 |
		    sed 's/^/# /'
	done
fi
tap_done
