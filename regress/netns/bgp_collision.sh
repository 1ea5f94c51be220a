#!/bin/bash
# Connection collision (RFC 4271 §6.8) made deterministic: a scripted peer
# accepts srv6d's connection, opens a second one to srv6d while srv6d is
# in OpenSent, and sends its OPEN on both.  srv6d must keep the connection
# initiated by the higher BGP identifier and close the other with Cease/7.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || {
	skip "connection collision" "python3 not installed"; tap_done; exit; }
netns_new nsa || { not_ok "create namespace"; tap_done; exit; }
netns_new nsb || { not_ok "create namespace"; tap_done; exit; }
ip link add va netns "$nsa" type veth peer name vb netns "$nsb"
ip -n "$nsa" addr add 10.0.0.1/24 dev va
ip -n "$nsb" addr add 10.0.0.2/24 dev vb
ip -n "$nsa" link set va up
ip -n "$nsb" link set vb up

cat >"$TMP/a.conf" <<EOF
as 65001
router-id 192.0.2.5
neighbor 10.0.0.2 {
	remote-as 65002
}
EOF

# The peer: prints which connection srv6d kept ("ours" = the one the
# peer initiated, "srv6d's" = the one srv6d initiated), then idles.
cat >"$TMP/peer.py" <<'EOF'
import socket, struct, sys, time

def msg(t, body=b""):
    return b"\xff" * 16 + struct.pack("!HB", 19 + len(body), t) + body

def open_msg(asn, bgpid):
    caps = bytes([65, 4]) + struct.pack("!I", asn) + bytes([1, 4, 0, 1, 0, 1])
    opt = bytes([2, len(caps)]) + caps
    return msg(1, struct.pack("!BHH4sB", 4, asn, 90, socket.inet_aton(bgpid),
        len(opt)) + opt)

def recvall(s, n):
    b = b""
    while len(b) < n:
        d = s.recv(n - len(b))
        if not d:
            raise EOFError
        b += d
    return b

def read_msg(s):
    h = recvall(s, 19)
    length, t = struct.unpack("!HB", h[16:19])
    return t, recvall(s, length - 19)

def got_cease7(s):
    s.settimeout(2)
    try:
        while True:
            t, body = read_msg(s)
            if t == 3:
                return body[:2] == bytes([6, 7])
    except (socket.timeout, EOFError, ConnectionError):
        return False

local, remote, bgpid = sys.argv[1:4]
lst = socket.socket()
lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
lst.bind((local, 179))
lst.listen(4)
lst.settimeout(30)
c1, _ = lst.accept()
assert read_msg(c1)[0] == 1                 # srv6d's OPEN: it is in OpenSent
c2 = socket.create_connection((remote, 179), 5, (local, 0))
assert read_msg(c2)[0] == 1                 # its OPEN on our connection
c1.sendall(open_msg(65002, bgpid))
time.sleep(0.2)
c2.sendall(open_msg(65002, bgpid))
lost1, lost2 = got_cease7(c1), got_cease7(c2)
if lost1 and not lost2:
    print("ours", flush=True)
    kept = c2
elif lost2 and not lost1:
    print("srv6d's", flush=True)
    kept = c1
else:
    print("both" if lost1 else "neither", flush=True)
    sys.exit(1)
kept.sendall(msg(4))
while True:
    kept.settimeout(None)
    t, _ = read_msg(kept)
    if t == 4:
        kept.sendall(msg(4))
EOF

ip netns exec "$nsa" "$SRV6D" -d -v -f "$TMP/a.conf" -s "$TMP/a.sock" \
    -S "$TMP/a.rsock" >>"$TMP/a.log" 2>&1 &
track_pid $!
summary() { "$SRV6CTL" -s "$TMP/a.sock" show summary >/dev/null; }
check "srv6d starts" wait_until 10 summary
nb() {
	"$SRV6CTL" -s "$TMP/a.sock" -j show neighbor 10.0.0.2 |
	    jq -e ".neighbors[0] | $1" >/dev/null 2>&1
}

# run_peer BGPID: the scripted peer, until srv6d is Established with it
run_peer() {
	: >"$TMP/peer.out"
	ip netns exec "$nsb" python3 "$TMP/peer.py" 10.0.0.2 10.0.0.1 "$1" \
	    >"$TMP/peer.out" 2>>"$TMP/peer.err" &
	peer=$!
	track_pid "$peer"
	wait_until 40 nb '.state == "Established"'
}

check "higher peer identifier: session established" run_peer 192.0.2.9
check "srv6d kept the peer's connection and sent Cease/7 on its own" \
    grep -qx ours "$TMP/peer.out"
check "the kept connection is the one the peer initiated (local port 179)" \
    nb '.session.local_port == 179 and .session.remote_port != 179'
kill "$peer" 2>/dev/null; wait "$peer" 2>/dev/null
check "the session goes down with the peer" \
    wait_until 10 nb '.state != "Established"'

check "lower peer identifier: session established" run_peer 192.0.2.1
check "srv6d kept its own connection and sent Cease/7 on the peer's" \
    grep -qx "srv6d's" "$TMP/peer.out"
check "the kept connection is the one srv6d initiated (remote port 179)" \
    nb '.session.remote_port == 179'

grep -q "connection collision" "$TMP/a.log" &&
    ok "srv6d logs the collisions" || not_ok "srv6d logs the collisions"
if [ "$_tap_failed" -ne 0 ]; then
	diag "--- peer"; sed 's/^/# /' "$TMP/peer.err" "$TMP/peer.out"
	diag "--- srv6d"
	grep -v 'control: client' "$TMP/a.log" | tail -n 40 | sed 's/^/# /'
fi
tap_done
