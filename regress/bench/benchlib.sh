# Helpers for regress/bench/run: one section per daemon under test.
#
# Each daemon NAME has these functions (prefixed, so that they never
# shadow the scenario helpers of regress/netns/lib.sh):
#   bench_NAME_check	 succeeds if the daemon is installed, else says why
#   bench_NAME_start DIR write its configuration and start it in the
#			 foreground in namespace $DNS (address $DADDR, AS
#			 $DAS), a passive neighbor of the generator ($GADDR,
#			 AS $GAS) that accepts every route
#   bench_NAME_ready DIR succeeds once its CLI answers
#   bench_NAME_count DIR prints the number of IPv4 prefixes from the
#			 generator in its Loc-RIB, asking its own CLI
#   bench_NAME_cleanup	 optional: what to remove after the run
# Source it after regress/netns/lib.sh.

GAS=65100 DAS=65001
GADDR=10.0.0.1 DADDR=10.0.0.2

# --- srv6d -----------------------------------------------------------

bench_srv6d_check() {
	[ -x "$SRV6D" ] && [ -x "$SRV6CTL" ] && return 0
	echo "$SRV6D or $SRV6CTL not built (make all)"; return 1
}

bench_srv6d_start() {
	cat >"$1/srv6d.conf" <<-EOC
	as $DAS
	router-id $DADDR
	neighbor $GADDR {
		remote-as $GAS
		passive
	}
	allow from any
	allow to any
	EOC
	ip netns exec "$DNS" "$SRV6D" -d -f "$1/srv6d.conf" \
	    -s "$1/srv6d.sock" -S "$1/srv6d.rsock" >"$1/daemon.log" 2>&1 &
}

bench_srv6d_ready() {
	"$SRV6CTL" -s "$1/srv6d.sock" show summary >/dev/null 2>&1
}

# The neighbor's best paths, which are its share of the Loc-RIB
# (struct ctl_show_neighbor's prefixes_best; accepted if not shown).
bench_srv6d_count() {
	"$SRV6CTL" -s "$1/srv6d.sock" -j show neighbor "$GADDR" 2>/dev/null |
	    jq -e '[.. | .prefixes? | objects | (.best // .accepted)
		| numbers] | first'
}


# --- OpenBGPD --------------------------------------------------------

bench_openbgpd_check() {
	command -v bgpctl >/dev/null && [ -x /usr/sbin/bgpd ] &&
	    /usr/sbin/bgpd -V 2>&1 | grep -qi openbgpd && return 0
	echo "OpenBGPD is not installed (apt-get install openbgpd)"; return 1
}

# fib-update no: like BIRD without a kernel protocol, the Loc-RIB only.
# bgpd chroots to its user's home, which systemd would create.
bench_openbgpd_start() {
	if [ ! -d /run/openbgpd ]; then
		mkdir -p /run/openbgpd && openbgpd_made_run=1
	fi
	cat >"$1/bgpd.conf" <<-EOC
	AS $DAS
	router-id $DADDR
	listen on $DADDR
	fib-update no
	socket "$1/bgpd.sock"
	socket "$1/bgpd.rsock" restricted
	neighbor $GADDR {
		remote-as $GAS
		passive
	}
	allow from any
	allow to any
	EOC
	# bgpd refuses a configuration others may read
	chmod 0600 "$1/bgpd.conf"
	ip netns exec "$DNS" /usr/sbin/bgpd -d -f "$1/bgpd.conf" \
	    >"$1/daemon.log" 2>&1 &
}

bench_openbgpd_ready() {
	bgpctl -s "$1/bgpd.sock" show >/dev/null 2>&1
}

# The summary's PrfRcvd column, which the RDE counts as it takes each
# prefix into the Adj-RIB-In and runs the decision process on it.
bench_openbgpd_count() {
	bgpctl -s "$1/bgpd.sock" show summary 2>/dev/null |
	    awk -v a="$GADDR" '$1 == a { print $NF; exit }'
}


openbgpd_made_run=
bench_openbgpd_cleanup() {
	[ -n "$openbgpd_made_run" ] && rmdir /run/openbgpd 2>/dev/null
	openbgpd_made_run=
}

# --- BIRD 2 ----------------------------------------------------------

bench_bird_check() {
	command -v bird >/dev/null && command -v birdc >/dev/null && return 0
	echo "BIRD 2 is not installed (apt-get install bird2)"; return 1
}

# No kernel protocol: routes stay in BIRD's table (its Loc-RIB).  The
# device protocol is what lets BIRD resolve the directly connected next
# hop.
bench_bird_start() {
	cat >"$1/bird.conf" <<-EOC
	router id $DADDR;
	protocol device { }
	protocol bgp gen {
		local $DADDR as $DAS;
		neighbor $GADDR as $GAS;
		passive on;
		ipv4 { import all; export none; };
	}
	EOC
	ip netns exec "$DNS" bird -f -c "$1/bird.conf" -s "$1/bird.sock" \
	    >"$1/daemon.log" 2>&1 &
}

bench_bird_ready() {
	birdc -s "$1/bird.sock" show status >/dev/null 2>&1
}

# "N of M routes for K networks in table master4"
bench_bird_count() {
	birdc -s "$1/bird.sock" show route count 2>/dev/null |
	    awk '/routes for/ { print $1; exit }'
}


# --- FRR 8 -----------------------------------------------------------

bench_frr_check() {
	[ -x /usr/lib/frr/bgpd ] && [ -x /usr/lib/frr/zebra ] &&
	    command -v vtysh >/dev/null && return 0
	echo "FRR is not installed (apt-get install frr)"; return 1
}

# zebra and bgpd under their own pathspace (-N), the namespace's name.
# bgpd -n: no kernel routes, like the others; zebra still runs, as FRR's
# bgpd needs it for next-hop tracking.  The daemons drop to the frr user,
# so their configuration goes in their run directory, which it owns.
bench_frr_start() {
	local run=/var/run/frr/$DNS
	mkdir -p "$run"
	cat >"$run/zebra.conf" <<-EOC
	hostname bench-zebra
	EOC
	cat >"$run/bgpd.conf" <<-EOC
	frr defaults traditional
	hostname bench-bgpd
	router bgp $DAS
	 bgp router-id $DADDR
	 no bgp ebgp-requires-policy
	 no bgp network import-check
	 neighbor $GADDR remote-as $GAS
	 neighbor $GADDR passive
	 address-family ipv4 unicast
	  neighbor $GADDR activate
	 exit-address-family
	EOC
	chown -R frr:frr "$run"
	ip netns exec "$DNS" /usr/lib/frr/zebra -N "$DNS" -f "$run/zebra.conf" \
	    >"$1/zebra.log" 2>&1 &
	wait_until 10 test -S "$run/zserv.api"
	ip netns exec "$DNS" /usr/lib/frr/bgpd -N "$DNS" -n \
	    -f "$run/bgpd.conf" >"$1/daemon.log" 2>&1 &
}

bench_frr_ready() {
	vtysh -N "$DNS" -d bgpd -c 'show bgp ipv4 unicast summary json' \
	    2>/dev/null | grep -q '"peers"'
}

# pfxRcd: what the peer's Adj-RIB-In holds after import policy.
bench_frr_count() {
	vtysh -N "$DNS" -d bgpd -c 'show bgp ipv4 unicast summary json' \
	    2>/dev/null | jq -e ".peers[\"$GADDR\"].pfxRcd"
}


bench_frr_cleanup() { rm -rf "/var/run/frr/$DNS"; }

# --- common ----------------------------------------------------------

# rss_peak NS: the sum of VmHWM (kB) over every process in NS.  Only the
# daemon runs there (its CLI is used from outside, over its unix socket),
# and matching names would miss re-executed children, which Linux names
# "exe".
rss_peak() {
	local p sum=0 kb
	for p in $(ip netns pids "$1" 2>/dev/null); do
		kb=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$p/status" \
		    2>/dev/null)
		sum=$((sum + ${kb:-0}))
	done
	echo "$sum"
}

# netns_stop NS: end every process in NS (TERM, then KILL after 5 s).
netns_stop() {
	local p i
	for p in $(ip netns pids "$1" 2>/dev/null); do
		kill -TERM "$p" 2>/dev/null
	done
	for ((i = 0; i < 50; i++)); do
		[ -z "$(ip netns pids "$1" 2>/dev/null)" ] && return 0
		sleep 0.1
	done
	for p in $(ip netns pids "$1" 2>/dev/null); do
		kill -KILL "$p" 2>/dev/null
	done
}
