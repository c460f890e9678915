"""Reads the RTP packets to and from one UDP port out of a pcap file (tcpdump -w), for the timing scripts here."""
import struct


def rtp_packets(path, port):
    """Yields (time, 'in' or 'out', peer port, ssrc, payload type, seq, timestamp, marker, length) per RTP packet
    whose destination ('in') or source ('out') is the port; RTCP and anything else is skipped."""
    with open(path, 'rb') as f:
        link = struct.unpack('<I', f.read(24)[20:24])[0]
        off = 14 if link == 1 else (4 if link == 0 else 16)
        while True:
            h = f.read(16)
            if len(h) < 16:
                return
            s, us, il, _ = struct.unpack('<IIII', h)
            d = f.read(il)
            ip = d[off:]
            if ip[0] >> 4 == 4:
                udp = ip[(ip[0] & 15) * 4:]
            elif ip[0] >> 4 == 6 and ip[6] == 17:
                udp = ip[40:]
            else:
                continue
            sp, dp = struct.unpack('>HH', udp[:4])
            pl = udp[8:]
            if len(pl) < 12 or not (128 <= pl[0] <= 191) or 192 <= pl[1] <= 223:
                continue
            if dp != port and sp != port:
                continue
            seq, ts, ssrc = struct.unpack('>HII', pl[2:12])
            yield (s + us / 1e6, 'in' if dp == port else 'out', sp if dp == port else dp, ssrc, pl[1] & 127, seq, ts,
                   pl[1] >> 7, len(pl))
