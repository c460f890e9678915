#!/usr/bin/env python3
"""Frame timing through a node with many viewers, from a packet capture of its media port.

    tcpdump -i lo -n -s 96 -w node.pcap udp port PORT     # headers are enough: -s 96
    bench/tools/fanout-timing.py node.pcap PORT

frame-timing.py follows one publisher and one viewer; this one groups the node's output by the viewer's port and
prints, for the publisher's video coming in and for each group of viewers sharing a payload type (a browser and the
load tool negotiate different ones), the standard deviation of the frame delay variation: the spacing of frames'
last packets minus their RTP timestamp spacing, which is what a player's jitter estimator reads. Output equal to input
means the node passed the frames' timing on unchanged, however many viewers it served.
"""
import sys, statistics, collections
from rtp_capture import rtp_packets
port=int(sys.argv[2])
pk=[(t,(d,peer),ssrc,pt,ts,l) for t,d,peer,ssrc,pt,seq,ts,m,l in rtp_packets(sys.argv[1],port)]
flows=collections.defaultdict(list)
for p in pk: flows[p[1]].append(p)
def video_frames(ps):
    c=collections.Counter((p[2],p[3]) for p in ps)
    (ssrc,pt),n=c.most_common(1)[0]
    fr=collections.OrderedDict()
    for t,k,s,ptt,ts,l in ps:
        if s!=ssrc or ptt!=pt: continue
        e=fr.setdefault(ts,[t,t]); e[1]=t
    return pt,fr
def fdv(fr):
    items=list(fr.items())
    v=[]
    for (ts0,e0),(ts1,e1) in zip(items,items[1:]):
        v.append((e1[1]-e0[1])*1000-((ts1-ts0)&0xffffffff)/90.0)
    return statistics.pstdev(v) if len(v)>2 else float('nan'), len(v)
res=[]
for k,ps in flows.items():
    pt,fr=video_frames(ps)
    sd,n=fdv(fr)
    res.append((k,pt,sd,n,len(ps)))
ins=[r for r in res if r[0][0]=='in']
outs=[r for r in res if r[0][0]=='out']
print("in:",[(r[0],r[1],round(r[2],2),r[3]) for r in ins])
byPt=collections.defaultdict(list)
for r in outs: byPt[r[1]].append(r)
for pt,rs in byPt.items():
    sds=[r[2] for r in rs if r[3]>20]
    print("out pt",pt,"flows",len(rs),"fdv stdev ms median %.2f min %.2f max %.2f"%(statistics.median(sds),min(sds),max(sds)) if sds else "", "frames", statistics.median([r[3] for r in rs]))
