#!/usr/bin/env python3
"""Decode the BGP UPDATEs of a pcap file (tcpdump -w) to JSON lines, one
per VPN prefix announced or withdrawn, with the BGP Prefix-SID SRv6 L3
Service TLV as it was on the wire (RFC 9252), so that a scenario test can
check what a daemon sent, not what the receiver made of it.

    bgp_pcap.py FILE [SRC-ADDRESS]

Only TCP segments from SRC-ADDRESS (any when absent) are read; each TCP
connection's byte stream is rebuilt by sequence number.  Output fields:
  afi, safi, rd, prefix, label (20 bits), withdraw (bool), nexthop (the
  address after the RD, IPv4-mapped ones as ::ffff:a.b.c.d), nexthop_len,
  l3_service_tlvs, sid_infos, structures (counts), sid (the SID field as
  sent), behavior, flags, structure [LBL, LNL, FL, AL, TL, TO].
Ethernet or Linux cooked captures, IPv4 or IPv6 without extension headers.
"""
import ipaddress
import json
import struct
import sys


def packets(path):
    with open(path, 'rb') as f:
        data = f.read()
    magic = struct.unpack('<I', data[:4])[0]
    endian = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
    linktype = struct.unpack(endian + 'I', data[20:24])[0]
    off = 24
    while off + 16 <= len(data):
        _, _, caplen, _ = struct.unpack(endian + 'IIII', data[off:off + 16])
        off += 16
        yield linktype, data[off:off + caplen]
        off += caplen


def tcp_segment(linktype, frame):
    """(src, sport, dst, dport, seq, payload) or None."""
    if linktype == 1:
        etype, p = struct.unpack('!H', frame[12:14])[0], 14
    elif linktype == 113:
        etype, p = struct.unpack('!H', frame[14:16])[0], 16
    else:
        return None
    if etype == 0x86dd:
        if frame[p + 6] != 6:
            return None
        plen = struct.unpack('!H', frame[p + 4:p + 6])[0]
        src = str(ipaddress.IPv6Address(frame[p + 8:p + 24]))
        dst = str(ipaddress.IPv6Address(frame[p + 24:p + 40]))
        t, end = p + 40, p + 40 + plen
    elif etype == 0x0800:
        ihl = (frame[p] & 0x0f) * 4
        if frame[p + 9] != 6:
            return None
        tot = struct.unpack('!H', frame[p + 2:p + 4])[0]
        src = str(ipaddress.IPv4Address(frame[p + 12:p + 16]))
        dst = str(ipaddress.IPv4Address(frame[p + 16:p + 20]))
        t, end = p + ihl, p + tot
    else:
        return None
    sport, dport, seq = struct.unpack('!HHI', frame[t:t + 8])
    doff = (frame[t + 12] >> 4) * 4
    return src, sport, dst, dport, seq, frame[t + doff:end]


def streams(path, only_src):
    segs = {}
    for linktype, frame in packets(path):
        s = tcp_segment(linktype, frame)
        if s is None or not s[5] or (only_src and s[0] != only_src):
            continue
        segs.setdefault(s[:4], {}).setdefault(s[4], s[5])
    for key in sorted(segs):
        out, nxt = b'', None
        for seq in sorted(segs[key]):
            data = segs[key][seq]
            if nxt is not None and seq < nxt:	# retransmitted overlap
                data = data[nxt - seq:]
            out += data
            nxt = max(nxt or 0, seq + len(segs[key][seq]))
        yield out


def fmt_rd(b):
    t = struct.unpack('!H', b[:2])[0]
    if t == 0:
        return '%d:%d' % struct.unpack('!HI', b[2:])
    if t == 1:
        return '%s:%d' % (ipaddress.IPv4Address(b[2:6]),
                          struct.unpack('!H', b[6:])[0])
    if t == 2:
        return '%d:%d' % struct.unpack('!IH', b[2:])
    return 'type%d:%s' % (t, b[2:].hex())


def prefix_sid(v):
    """The SRv6 L3 Service TLV (type 5) of a Prefix-SID attribute."""
    r = {'l3_service_tlvs': 0, 'sid_infos': 0, 'structures': 0}
    off = 0
    while off + 3 <= len(v):
        t, ln = v[off], struct.unpack('!H', v[off + 1:off + 3])[0]
        body = v[off + 3:off + 3 + ln]
        off += 3 + ln
        if t != 5:
            continue
        r['l3_service_tlvs'] += 1
        so = 1					# reserved
        while so + 3 <= len(body):
            st, sl = body[so], struct.unpack('!H', body[so + 1:so + 3])[0]
            sub = body[so + 3:so + 3 + sl]
            so += 3 + sl
            if st != 1 or len(sub) < 21:
                continue
            r['sid_infos'] += 1
            r['sid'] = str(ipaddress.IPv6Address(sub[1:17]))
            r['flags'] = sub[17]
            r['behavior'] = struct.unpack('!H', sub[18:20])[0]
            xo = 21
            while xo + 3 <= len(sub):
                xt = sub[xo]
                xl = struct.unpack('!H', sub[xo + 1:xo + 3])[0]
                if xt == 1 and xl == 6:
                    r['structures'] += 1
                    r['structure'] = list(sub[xo + 3:xo + 9])
                xo += 3 + xl
    return r


def vpn_nlri(afi, b, withdraw, common):
    off, alen = 0, 4 if afi == 1 else 16
    while off < len(b):
        bits = b[off]
        n = (bits + 7) // 8
        body = b[off + 1:off + 1 + n]
        off += 1 + n
        label = int.from_bytes(body[:3], 'big') >> 4
        addr = body[11:] + bytes(alen - len(body[11:]))
        ip = ipaddress.ip_address(addr)
        r = dict(common)
        r.update(afi=afi, safi=128, withdraw=withdraw, label=label,
                 rd=fmt_rd(body[3:11]), prefix='%s/%d' % (ip, bits - 88))
        print(json.dumps(r))


def nexthop(nh):
    if len(nh) == 12:
        return str(ipaddress.IPv4Address(nh[8:]))
    if len(nh) in (24, 48):
        a = ipaddress.IPv6Address(nh[8:24])
        if a.ipv4_mapped:
            return '::ffff:%s' % a.ipv4_mapped
        return str(a)
    return nh.hex()


def update(m):
    wl = struct.unpack('!H', m[:2])[0]
    al = struct.unpack('!H', m[2 + wl:4 + wl])[0]
    attrs = m[4 + wl:4 + wl + al]
    off, reach, unreach, common = 0, None, None, {}
    while off < len(attrs):
        flags, t = attrs[off], attrs[off + 1]
        if flags & 0x10:
            ln, h = struct.unpack('!H', attrs[off + 2:off + 4])[0], 4
        else:
            ln, h = attrs[off + 2], 3
        v = attrs[off + h:off + h + ln]
        off += h + ln
        if t == 14:
            reach = v
        elif t == 15:
            unreach = v
        elif t == 40:
            common.update(prefix_sid(v))
    if reach is not None:
        afi, safi, nhl = struct.unpack('!HBB', reach[:4])
        if safi == 128:
            common['nexthop'] = nexthop(reach[4:4 + nhl])
            common['nexthop_len'] = nhl
            vpn_nlri(afi, reach[5 + nhl:], False, common)
    if unreach is not None:
        afi, safi = struct.unpack('!HB', unreach[:3])
        if safi == 128:
            vpn_nlri(afi, unreach[3:], True, {})


def main():
    for s in streams(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None):
        off = 0
        while off + 19 <= len(s):
            ln, t = struct.unpack('!HB', s[off + 16:off + 19])
            if ln < 19:
                break
            if t == 2:
                update(s[off + 19:off + ln])
            off += ln


if __name__ == '__main__':
    main()
