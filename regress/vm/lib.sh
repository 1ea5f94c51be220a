# shellcheck shell=bash
# Helpers for the srv6d scenarios that run inside the srv6 test VM (started
# by regress/vm/run, which shares our build at /opt/srv6).  On top of the
# harness's own lib.sh (check/pass/fail, wait_until, netns, FRR per netns,
# pcap): srv6d instances, explanations for `make demo', addresses.
. /opt/vmlib/lib.sh

export LD_LIBRARY_PATH=/opt/srv6lib/lib
export PATH=/opt/srv6lib/bin:$PATH
SRV6D=/opt/srv6/srv6d
SRV6CTL=/opt/srv6/srv6ctl
HERE=${SRV6VM_SCRIPT_DIR:-$(cd "$(dirname "$0")" && pwd)}
RUN=/tmp/srv6d
mkdir -p "$RUN"

# the unprivileged user and the empty chroot of srv6d's children
# (etc/setup-user on a real host)
if ! grep -q '^_srv6d:' /etc/passwd; then
	echo '_srv6d:x:990:990::/var/lib/srv6d:/usr/sbin/nologin' >>/etc/passwd
	echo '_srv6d:x:990:' >>/etc/group
fi
mkdir -p /var/lib/srv6d/empty

# explain TEXT...: what the next step shows, for a person watching
explain() { printf '   # %s\n' "$@"; }
# show NS CMD...: print a command as typed on NS, then its output, indented
show() {
	local ns=$1
	shift
	printf '   %s# %s\n' "$ns" "$*"
	nsx "$ns" "$@" 2>&1 | sed 's/^/     /'
}
# sshow NAME ARGS...: the same for srv6ctl of instance NAME
sshow() {
	local name=$1
	shift
	printf '   %s# srv6ctl %s\n' "$name" "$*"
	sctl "$name" "$@" 2>&1 | sed 's/^/     /'
}
# vshow NS CMD: the same for FRR's vtysh
vshow() {
	printf '   %s# vtysh -c "%s"\n' "$1" "$2"
	vtysh_ns "$1" "$2" 2>&1 | sed 's/^/     /'
}

# --- srv6d ------------------------------------------------------------------
# srv6d_start NAME NS CONF: start srv6d -d -v in NS (log $OUT/srv6d-NAME.log),
# wait until srv6ctl answers
srv6d_start() {
	local name=$1 ns=$2 conf=$3
	ip netns exec "$ns" "$SRV6D" -d -v -f "$conf" -s "$RUN/$name.sock" \
	    -S "$RUN/$name.rsock" >>"$OUT/srv6d-$name.log" 2>&1 &
	printf -v "_srv6d_pid_$name" %s "$!"
	wait_until 20 sctl "$name" show summary >/dev/null 2>&1
}
srv6d_pid() { local v=_srv6d_pid_$1; echo "${!v:-}"; }
# srv6d_stop NAME: SIGTERM, wait up to 10 s, then SIGKILL
srv6d_stop() {
	local p
	p=$(srv6d_pid "$1")
	[ -n "$p" ] || return 0
	kill -TERM "$p" 2>/dev/null
	wait_until 10 sh -c "! kill -0 $p 2>/dev/null" || kill -KILL "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	printf -v "_srv6d_pid_$1" %s ""
}
sctl() { local name=$1; shift; "$SRV6CTL" -s "$RUN/$name.sock" "$@"; }
srv6d_established() {	# srv6d_established NAME ADDR
	sctl "$1" -j show neighbor 2>/dev/null | jq -e --arg a "$2" \
	    '[.. | objects | select(.address? == $a and .state? == "Established")] | length > 0' >/dev/null
}
# srv6d_sid NAME VRF BEHAVIOUR: the SID srv6d allocated (show sid)
srv6d_sid() {
	sctl "$1" -j show sid 2>/dev/null | jq -er --arg v "$2" --arg b "$3" \
	    '[.sids[] | select(.vrf == $v and .behavior == $b)][0].sid'
}
srv6d_log_tail() {	# srv6d_log_tail NAME [N]
	say "--- srv6d $1 log (last ${2:-40} lines)"
	grep -v 'control: client' "$OUT/srv6d-$1.log" | tail -n "${2:-40}"
}

# --- kernel state -----------------------------------------------------------
# local_sid NS TABLE BEHAVIOUR: the seg6local SID with that action and
# vrftable (or legacy table) TABLE in NS's main table
local_sid() {
	nsx "$1" ip -6 route show 2>/dev/null | awk -v t="$2" -v b="$3" '
	    /seg6local/ && $0 ~ ("action " b " ") &&
	    $0 ~ ("(vrftable|table) " t "( |$)") {print $1; exit}'
}
# encap_to NS VRF PREFIX SID: PREFIX in VRF's table goes encapsulated to SID
# (the route's own encap, or the nexthop object's it points to)
encap_to() {
	local r id
	r=$(nsx "$1" ip route show vrf "$2" "$3" 2>/dev/null)
	case $3 in *:*) r=$(nsx "$1" ip -6 route show vrf "$2" "$3" 2>/dev/null) ;; esac
	[ -n "$r" ] || return 1
	if printf '%s\n' "$r" | grep -q "encap seg6 mode encap.* segs 1 \[ $4 \]"; then
		return 0
	fi
	id=$(printf '%s\n' "$r" | sed -n 's/.*nhid \([0-9]*\).*/\1/p' | head -n1)
	[ -n "$id" ] && nsx "$1" ip nexthop show id "$id" 2>/dev/null |
	    grep -q "encap seg6 mode encap.* segs 1 \[ $4 \]"
}
no_route() {	# no_route NS VRF PREFIX
	local f=
	case $3 in *:*) f=-6 ;; esac
	[ -z "$(nsx "$1" ip $f route show vrf "$2" "$3" 2>/dev/null)" ]
}
# ping_ttl NS [-6] DST: the TTL / hop limit of the first echo reply
ping_ttl() {
	local ns=$1
	shift
	nsx "$ns" ping -c 3 -i 0.3 -W 2 "$@" 2>/dev/null |
	    sed -n 's/.* \(ttl\|hlim\)=\([0-9]*\) .*/\2/p' | head -n1
}
