#!/usr/bin/env python3
"""A minimal BGP speaker for srv6d's scenario tests that sends the UPDATEs
it is told to, well-formed or not, byte for byte.

    bgp_sender.py LOCAL PEER MY_AS MY_ID FIFO

It connects from LOCAL to PEER port 179, opens a session (4-octet AS,
IPv4 unicast, route refresh), keeps it alive, and reads commands, one a
line, from FIFO:

    announce PREFIX         a valid UPDATE: ORIGIN IGP, AS_PATH MY_AS,
                            NEXT_HOP LOCAL
    withdraw PREFIX
    bad-origin PREFIX       ORIGIN value 5 (RFC 7606 s7.1: treat-as-withdraw)
    bad-atomic PREFIX       ATOMIC_AGGREGATE of length 1 (s7.6: discard it)
    overrun PREFIX          the last attribute's length runs past the
                            path attributes (s4: treat-as-withdraw)
    bad-attr-len PREFIX     Total Path Attribute Length runs past the
                            message (s4: session reset, NOTIFICATION 3/1)
    bad-nlri PREFIX         the NLRI prefix length is 33 (s5.3: session
                            reset, NOTIFICATION 3/10)
    raw HEX                 this UPDATE body (after the 19-byte header)
    quit

Events go to stdout, one a line: "established", "update", "notification
CODE/SUBCODE", "closed".  Python is used (not a C program) because the
test needs exact control of broken bytes, which ExaBGP normalises away,
and python3 is installed with ExaBGP anyway (see etc/install-deps).
"""
import ipaddress
import os
import select
import socket
import struct
import sys
import time

MARKER = b"\xff" * 16
OPEN, UPDATE, NOTIFICATION, KEEPALIVE = 1, 2, 3, 4


def message(mtype, body):
    return MARKER + struct.pack("!HB", 19 + len(body), mtype) + body


def open_msg(my_as, my_id):
    caps = (struct.pack("!BBHBB", 1, 4, 1, 0, 1)      # MP IPv4 unicast
            + struct.pack("!BBI", 65, 4, my_as)       # 4-octet AS
            + struct.pack("!BB", 2, 0))               # route refresh
    params = struct.pack("!BB", 2, len(caps)) + caps
    as2 = my_as if my_as < 65536 else 23456
    return message(OPEN, struct.pack("!BHH4sB", 4, as2, 90,
                                     socket.inet_aton(my_id), len(params))
                   + params)


def attr(flags, code, value):
    if len(value) > 255:
        return struct.pack("!BBH", flags | 0x10, code, len(value)) + value
    return struct.pack("!BBB", flags, code, len(value)) + value


def nlri(prefix):
    net = ipaddress.ip_network(prefix)
    n = (net.prefixlen + 7) // 8
    return bytes([net.prefixlen]) + net.network_address.packed[:n]


def update(withdrawn=b"", attrs=b"", reach=b""):
    return message(UPDATE, struct.pack("!H", len(withdrawn)) + withdrawn
                   + struct.pack("!H", len(attrs)) + attrs + reach)


class Speaker:
    def __init__(self, local, peer, my_as, my_id):
        self.local, self.my_as = local, my_as
        self.sock = socket.create_connection((peer, 179), timeout=10,
                                             source_address=(local, 0))
        self.sock.setblocking(True)
        self.buf = b""
        self.sock.sendall(open_msg(my_as, my_id))
        self.established = False

    def attrs(self, origin=0, extra=b""):
        aspath = struct.pack("!BBI", 2, 1, self.my_as)   # AS_SEQUENCE
        return (attr(0x40, 1, bytes([origin])) + attr(0x40, 2, aspath)
                + attr(0x40, 3, socket.inet_aton(self.local)) + extra)

    def command(self, words):
        cmd, arg = words[0], words[1] if len(words) > 1 else ""
        if cmd == "announce":
            msg = update(attrs=self.attrs(), reach=nlri(arg))
        elif cmd == "withdraw":
            msg = update(withdrawn=nlri(arg))
        elif cmd == "bad-origin":
            msg = update(attrs=self.attrs(origin=5), reach=nlri(arg))
        elif cmd == "bad-atomic":
            msg = update(attrs=self.attrs(extra=attr(0x40, 6, b"\x00")),
                         reach=nlri(arg))
        elif cmd == "overrun":
            # MED claims 4 bytes, 1 is left in the attribute section
            a = self.attrs() + struct.pack("!BBB", 0x80, 4, 4) + b"\x00"
            msg = update(attrs=a, reach=nlri(arg))
        elif cmd == "bad-attr-len":
            a = self.attrs()
            body = (struct.pack("!HH", 0, len(a) + len(nlri(arg)) + 8)
                    + a + nlri(arg))
            msg = message(UPDATE, body)
        elif cmd == "bad-nlri":
            net = ipaddress.ip_network(arg)
            msg = update(attrs=self.attrs(),
                         reach=bytes([33]) + net.network_address.packed
                         + b"\x00")
        elif cmd == "raw":
            msg = message(UPDATE, bytes.fromhex(arg))
        elif cmd == "quit":
            return False
        else:
            print("unknown command", cmd, flush=True)
            return True
        self.sock.sendall(msg)
        print("sent", cmd, arg, flush=True)
        return True

    def receive(self):
        data = self.sock.recv(65535)
        if not data:
            return False
        self.buf += data
        while len(self.buf) >= 19:
            length, mtype = struct.unpack("!HB", self.buf[16:19])
            if len(self.buf) < length:
                break
            body, self.buf = self.buf[19:length], self.buf[length:]
            if mtype == OPEN:
                self.sock.sendall(message(KEEPALIVE, b""))
            elif mtype == KEEPALIVE and not self.established:
                self.established = True
                print("established", flush=True)
            elif mtype == UPDATE:
                print("update", body.hex(), flush=True)
            elif mtype == NOTIFICATION:
                print("notification %d/%d" % (body[0], body[1]), flush=True)
        return True


def main():
    local, peer, my_as, my_id, fifo = sys.argv[1:6]
    sp = Speaker(local, peer, int(my_as), my_id)
    ctl = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)   # RDWR: never EOF
    pending, last_ka = b"", time.monotonic()
    running = True
    while running:
        ready, _, _ = select.select([sp.sock, ctl], [], [], 1.0)
        try:
            if sp.sock in ready and not sp.receive():
                break
            if ctl in ready:
                pending += os.read(ctl, 4096)
                while b"\n" in pending and running:
                    line, pending = pending.split(b"\n", 1)
                    words = line.decode().split()
                    if words:
                        running = sp.command(words)
            if sp.established and time.monotonic() - last_ka > 10:
                sp.sock.sendall(message(KEEPALIVE, b""))
                last_ka = time.monotonic()
        except OSError as e:
            print("error", e, flush=True)
            break
    print("closed", flush=True)


if __name__ == "__main__":
    main()
