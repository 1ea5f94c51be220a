#!/bin/bash
# Foundation scenario: srv6d's three processes and their privilege drop,
# the control sockets, reload (good, broken, by SIGHUP), and shutdown.
. "$(dirname "$0")/lib.sh"

CHROOTDIR=${CHROOTDIR:-/var/lib/srv6d/empty}
netns_new ns || { not_ok "create namespace"; tap_done; exit; }
sock=$TMP/srv6d.sock rsock=$TMP/srv6d.rsock conf=$TMP/srv6d.conf

write_conf() {	# write_conf [extra neighbor address]
	cat >"$conf" <<-EOC
	as 65001
	router-id 192.0.2.1
	srv6 {
		locator main prefix fc00:0:1::/48 block-length 32 node-length 16 function-length 16
		encap-source fc00:0:1::1
	}
	vrf vrf0 {
		table 10
		rd 65001:10
		import-target 65000:10
		export-target 65001:10
		sid auto
		interface veth-pod1
		network 10.200.0.0/24
	}
	neighbor 2001:db8::2 {
		remote-as 65000
		description "pe0"
		address-family vpnv4
		address-family vpnv6
	}
	EOC
	if [ -n "${1:-}" ]; then
		printf 'neighbor %s {\n\tremote-as 65002\n}\n' "$1" >>"$conf"
	fi
}

ctl() { "$SRV6CTL" -s "$sock" "$@"; }
json() { "$SRV6CTL" -s "$sock" -j "$@"; }

# start_daemon: srv6d in the foreground (-d) inside the namespace; sets $pid.
start_daemon() {
	ip netns exec "$ns" "$SRV6D" -d -f "$conf" -s "$sock" -S "$rsock" \
	    >>"$TMP/srv6d.log" 2>&1 &
	pid=$!
	track_pid "$pid"
	wait_until 10 ctl show summary >/dev/null
}

# child_pid TITLE: pid of the parent's child whose title is TITLE.
child_pid() {
	local c
	for c in $(children_of "$pid"); do
		if [ "$(ps -o args= -p "$c")" = "srv6d: $1" ]; then
			echo "$c"; return 0
		fi
	done
	return 1
}

# status_field PID FIELD: the values of a /proc/PID/status line, space-separated
status_field() { awk -v f="$2:" '$1 == f { $1 = ""; print substr($0, 2) }' \
    "/proc/$1/status"; }

write_conf
check "srv6d -n accepts the configuration" "$SRV6D" -n -f "$conf"
check "srv6d starts and answers on its control socket" start_daemon

# --- processes and privileges ------------------------------------------
check "parent is titled 'srv6d: parent'" \
    test "$(ps -o args= -p "$pid")" = "srv6d: parent"
se=$(child_pid "session engine") && ok "session engine is running" ||
    not_ok "session engine is running"
rde=$(child_pid "route decision engine") &&
    ok "route decision engine is running" ||
    not_ok "route decision engine is running"
check "parent has exactly two children" test "$(children_of "$pid" | wc -l)" -eq 2
check "parent keeps root" test "$(status_field "$pid" Uid)" = "0 0 0 0"

uid=$(id -u _srv6d) gid=$(id -g _srv6d)
for c in "${se:-0}:session engine" "${rde:-0}:route decision engine"; do
	p=${c%%:*} t=${c#*:}
	[ "$p" = 0 ] && { not_ok "$t: privileges (not running)"; continue; }
	check "$t runs as _srv6d (uid)" \
	    test "$(status_field "$p" Uid)" = "$uid $uid $uid $uid"
	check "$t runs as _srv6d (gid)" \
	    test "$(status_field "$p" Gid)" = "$gid $gid $gid $gid"
	check "$t has no supplementary groups but its own" \
	    test "$(status_field "$p" Groups | tr -d ' ')" = "$gid"
	check "$t is chrooted into $CHROOTDIR" \
	    test "$(readlink "/proc/$p/root")" = "$CHROOTDIR"
	check "$t has no_new_privs" test "$(status_field "$p" NoNewPrivs)" = 1
	check "$t has no capabilities" \
	    test "$(status_field "$p" CapEff)" = 0000000000000000
done

check "control socket is mode 0660" test "$(stat -c %a "$sock")" = 660
check "restricted socket is mode 0666" test "$(stat -c %a "$rsock")" = 666

# --- control -------------------------------------------------------------
check "show summary (text) names the AS" bash -c "'$SRV6CTL' -s '$sock' show summary | grep -q 65001"
check "show summary -j is valid JSON with as 65001" \
    bash -c "'$SRV6CTL' -s '$sock' -j show summary | jq -e '.summary.as == 65001' >/dev/null"
check "show summary lists the neighbors too" \
    bash -c "'$SRV6CTL' -s '$sock' show summary | grep -q '^2001:db8::2 '"
check "show summary -j has the neighbor list" \
    bash -c "'$SRV6CTL' -s '$sock' -j show summary | jq -e '.neighbors[0].address == \"2001:db8::2\"' >/dev/null"
check "show neighbor lists 2001:db8::2" \
    bash -c "'$SRV6CTL' -s '$sock' show neighbor | grep -q 2001:db8::2"
check "show neighbor -j is valid JSON" \
    bash -c "'$SRV6CTL' -s '$sock' -j show neighbor | jq -e . >/dev/null"
check "show neighbor ADDR shows the description" \
    bash -c "'$SRV6CTL' -s '$sock' show neighbor 2001:db8::2 | grep -q pe0"
check "show neighbor for an unknown address fails" \
    bash -c "! '$SRV6CTL' -s '$sock' show neighbor 2001:db8::99 >/dev/null 2>&1"
check "show vrf -j shows vrf0 with table 10 and rd 65001:10" \
    bash -c "'$SRV6CTL' -s '$sock' -j show vrf | jq -e '[.. | objects | select(.name? == \"vrf0\" and .table == 10 and .rd == \"65001:10\")] | length == 1' >/dev/null"
check "show vrf (text) shows the import target" \
    bash -c "'$SRV6CTL' -s '$sock' show vrf | grep -q 65000:10"
"$SRV6CTL" -s "$sock" show bogus >/dev/null 2>&1
check "bad srv6ctl arguments exit 2" test $? -eq 2
"$SRV6CTL" -s "$TMP/none.sock" show summary >/dev/null 2>"$TMP/err"
check "no daemon: exit 1 with a clear error" \
    bash -c "[ $? -eq 1 ] && grep -q none.sock '$TMP/err'"

# restricted socket: shows yes, changes no
check "restricted socket serves show summary" \
    "$SRV6CTL" -s "$rsock" show summary
"$SRV6CTL" -s "$rsock" reload >"$TMP/out" 2>&1
check "restricted socket refuses reload" \
    bash -c "[ $? -eq 1 ] && grep -qi 'permission denied' '$TMP/out'"
"$SRV6CTL" -s "$rsock" log verbose >/dev/null 2>&1
check "restricted socket refuses log verbose" test $? -eq 1

check "log verbose" ctl log verbose
check "summary shows verbose logging" \
    bash -c "'$SRV6CTL' -s '$sock' -j show summary | jq -e '.summary.log_verbose == true' >/dev/null"
check "log brief" ctl log brief

# a client that connects and never reads or writes does not stall srv6d
if command -v nc >/dev/null; then
	(sleep 30 | nc -U "$sock" >/dev/null 2>&1) & track_pid $!
	(head -c 4096 /dev/urandom | nc -U -N "$sock" >/dev/null 2>&1) &
	track_pid $!
	sleep 0.3
	check "a silent and a garbage client do not stall the daemon" \
	    ctl show summary
else
	skip "silent and garbage clients" "nc (netcat-openbsd) not installed"
fi
fails=0 cpids=()
for i in $(seq 20); do ctl -j show neighbor >"$TMP/par.$i" & cpids+=($!); done
wait "${cpids[@]}"
for i in $(seq 20); do jq -e . "$TMP/par.$i" >/dev/null 2>&1 || fails=$((fails+1)); done
check "20 concurrent clients all answered" test "$fails" -eq 0

# --- reload ------------------------------------------------------------
since=$(json show neighbor 2001:db8::2 | jq -r '.. | objects | select(has("state_since")) | .state_since' | head -1)
sleep 1.1
cp "$conf" "$TMP/good.conf"
printf 'neighbor 2001:db8::9 {\n\tremote-as 65009\n\tbogus-keyword\n}\n' >>"$conf"
ctl reload >"$TMP/out" 2>&1
rc=$?
check "reload of a broken file exits 1" test "$rc" -eq 1
check "reload prints FILE:LINE of the error" grep -q "srv6d.conf:[0-9]*:" "$TMP/out"
check "daemon still runs after the broken reload" kill -0 "$pid"
check "broken reload changed nothing" \
    bash -c "! '$SRV6CTL' -s '$sock' show neighbor | grep -q 2001:db8::9"

write_conf 2001:db8::3
check "reload adding a neighbor succeeds" ctl reload
check "the added neighbor is shown" \
    bash -c "'$SRV6CTL' -s '$sock' show neighbor | grep -q 2001:db8::3"
since2=$(json show neighbor 2001:db8::2 | jq -r '.. | objects | select(has("state_since")) | .state_since' | head -1)
check "an unchanged neighbor was not touched by reload" \
    test -n "$since" -a "$since" = "$since2"

write_conf
kill -HUP "$pid"
check "SIGHUP reloads (the added neighbor is removed)" \
    wait_until 5 bash -c "! '$SRV6CTL' -s '$sock' show neighbor | grep -q 2001:db8::3"

# a second instance on the same socket refuses to start
ip netns exec "$ns" "$SRV6D" -d -f "$conf" -s "$sock" -S "$rsock" \
    >"$TMP/second.log" 2>&1 &
p2=$!; track_pid "$p2"
wait_until 5 bash -c "! kill -0 $p2"
check "a second srv6d on the same socket refuses to start" \
    bash -c "! kill -0 $p2 2>/dev/null"
check "the first srv6d still answers" ctl show summary

# --- shutdown ----------------------------------------------------------
kids=$(children_of "$pid")
kill -TERM "$pid"
wait "$pid"; rc=$?
check "SIGTERM: parent exits 0" test "$rc" -eq 0
left=0
for c in $kids; do kill -0 "$c" 2>/dev/null && left=1; done
check "SIGTERM: no process left" test "$left" -eq 0
check "SIGTERM: control sockets removed" test ! -e "$sock" -a ! -e "$rsock"

for victim in "session engine" "route decision engine"; do
	start_daemon || { not_ok "restart for killing the $victim"; continue; }
	kids=$(children_of "$pid")
	v=$(child_pid "$victim")
	kill -KILL "$v"
	wait "$pid"; rc=$?
	check "killing the $victim makes the parent exit non-zero" \
	    test "$rc" -ne 0
	left=0
	for c in $kids; do kill -0 "$c" 2>/dev/null && left=1; done
	check "killing the $victim leaves no process" test "$left" -eq 0
done
grep -Eqi "(session engine|route decision engine).*(signal|exit|died|terminated)" "$TMP/srv6d.log" &&
    ok "the log names the dead child" || not_ok "the log names the dead child"

tap_done
