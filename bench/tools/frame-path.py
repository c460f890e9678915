#!/usr/bin/env python3
"""Where a video frame's time went, node path against page-to-page, from a packet capture and the viewers' frame log.

    tcpdump -i lo -n -s 96 -w run.pcap udp &
    FRAME_LOG=run.frames bench/run PublisherStallBenchmark --rounds=3
    bench/tools/frame-path.py run.pcap run.frames PORT      # PORT: the node's media port (ss -ulpn | grep java)

The benchmark's FRAME_LOG lists each frame the viewer page read: its RTP timestamp, when Chromium says the frame's
last packet arrived (requestVideoFrameCallback's receiveTime, as epoch ms) and the clock's age then ("at arrival").
SRTP leaves RTP headers in the clear, so the capture shows when each frame's last packet left the publisher and, on
the node path, when it left the node (tcpdump stamps loopback packets as they are sent). Per round this prints the
median split of "at arrival" into the publisher's share (capture, encode, pacer, until its last packet is sent), the
node's hop (last packet in to last packet out) and the viewer's receive path (sent to Chromium's receive time), with
the 90th percentiles of the last two, and how long a frame's packets took to pass (first to last) at the viewer.
Both clocks are this host's wall clock, so the receive path is exact to what Chromium's stamp is.
"""
import collections, statistics, sys
from rtp_capture import rtp_datagrams

cap, frames_file, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
by_ts = collections.defaultdict(list)     # video RTP timestamp -> [(time, src port, dst port, ssrc, seq)]
ins, outs = collections.defaultdict(list), collections.defaultdict(list)
for t, sp, dp, ssrc, pt, seq, ts, _, _ in rtp_datagrams(cap):
    if pt == 111:  # Opus: the frame log is video's
        continue
    by_ts[ts].append((t, sp, dp, ssrc, seq))
    if dp == port:
        ins[ssrc].append((t, seq, ts))
    elif sp == port:
        outs[ssrc].append((t, seq, ts))

# The node may offset a viewer's RTP timestamps: learn each outgoing stream's offset from packets near in time.
offset = {}
for so, out in outs.items():
    votes = collections.Counter()
    for si, inn in ins.items():
        j = 0
        for t, seq, ts in out[:300]:
            while j < len(inn) and inn[j][0] < t - 0.02:
                j += 1
            k = j
            while k < len(inn) and inn[k][0] <= t:
                votes[(si, (seq - inn[k][1]) & 0xffff, (ts - inn[k][2]) & 0xffffffff)] += 1
                k += 1
    if votes:
        (_, _, ts_offset), n = votes.most_common(1)[0]
        if n > 100:
            offset[so] = ts_offset

rounds, last = [], None
for line in open(frames_file):
    path, rtp, received, at_arrival = line.split()
    rtp, received, at_arrival = int(rtp), float(received) / 1000, float(at_arrival)
    if path != last:
        rounds.append((path, [], []))
        last = path
    near = [p for p in by_ts.get(rtp, []) if received - 2 < p[0] < received + 0.05]
    if path == 'node':
        out = [p for p in near if p[1] == port]
        if not out or out[0][3] not in offset:
            continue
        ts_in = (rtp - offset[out[0][3]]) & 0xffffffff
        inn = [p for p in by_ts.get(ts_in, []) if p[2] == port and received - 2 < p[0] < received]
        if not inn:
            continue
        sent, hop = max(p[0] for p in out), (max(p[0] for p in out) - max(p[0] for p in inn)) * 1000
    else:
        out = near
        if not out:
            continue
        sent, hop = max(p[0] for p in out), 0.0
    receive = (received - sent) * 1000
    rounds[-1][1].append((at_arrival, at_arrival - receive - hop, hop, receive))
    rounds[-1][2].append((sent - min(p[0] for p in out)) * 1000)


def p90(xs):
    return sorted(xs)[int(len(xs) * 0.9)]


for path, rows, spans in rounds:
    if not rows:
        print(f'{path:5s} no frames matched')
        continue
    a, pub, hop, rec = zip(*rows)
    print(f'{path:5s} {len(rows):4d} frames: at arrival {statistics.median(a):5.1f} ms = publisher {statistics.median(pub):5.1f}'
          f' + node hop {statistics.median(hop):4.2f} (p90 {p90(hop):4.2f}) + viewer receive {statistics.median(rec):4.2f}'
          f' (p90 {p90(rec):4.2f}); frame passes the viewer in {statistics.median(spans):4.2f} ms (p90 {p90(spans):4.2f})')
