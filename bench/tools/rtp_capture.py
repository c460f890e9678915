"""Reads RTP packets out of a pcap file (tcpdump -w), for the timing scripts here."""
import struct


def rtp_datagrams(path):
    """Yields (time, source port, destination port, ssrc, payload type, seq, timestamp, marker, length) per RTP packet
    of any UDP flow in the capture (IPv4 and IPv6); RTCP and anything else is skipped."""
    with open(path, 'rb') as f:
        head = f.read(24)
        nano = struct.unpack('<I', head[:4])[0] == 0xa1b23c4d
        link = struct.unpack('<I', head[20:24])[0]
        off = 14 if link == 1 else (4 if link == 0 else 16)
        while True:
            h = f.read(16)
            if len(h) < 16:
                return
            s, frac, il, _ = struct.unpack('<IIII', h)
            d = f.read(il)
            ip = d[off:]
            if ip[0] >> 4 == 4 and ip[9] == 17:
                udp = ip[(ip[0] & 15) * 4:]
            elif ip[0] >> 4 == 6 and ip[6] == 17:
                udp = ip[40:]
            else:
                continue
            sp, dp = struct.unpack('>HH', udp[:4])
            pl = udp[8:]
            if len(pl) < 12 or not (128 <= pl[0] <= 191) or 192 <= pl[1] <= 223:
                continue
            seq, ts, ssrc = struct.unpack('>HII', pl[2:12])
            yield s + frac / (1e9 if nano else 1e6), sp, dp, ssrc, pl[1] & 127, seq, ts, pl[1] >> 7, len(pl)


def rtp_packets(path, port):
    """Yields (time, 'in' or 'out', peer port, ssrc, payload type, seq, timestamp, marker, length) per RTP packet
    whose destination ('in') or source ('out') is the port; RTCP and anything else is skipped."""
    for t, sp, dp, ssrc, pt, seq, ts, marker, length in rtp_datagrams(path):
        if dp == port:
            yield t, 'in', sp, ssrc, pt, seq, ts, marker, length
        elif sp == port:
            yield t, 'out', dp, ssrc, pt, seq, ts, marker, length
