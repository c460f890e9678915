#!/usr/bin/env python3
"""Frame timing through a node, from a packet capture of its media port.

    tcpdump -i lo -n -w node.pcap udp port PORT     # PORT: the node's media port ("media worker 0 on udp ...")
    bench/tools/frame-timing.py node.pcap PORT

SRTP leaves RTP headers in the clear, so the capture shows each video frame (packets sharing an RTP timestamp) as it
came in from the publisher and as it went out to a viewer. Frames are matched in order (by packet count); printed:
how long after a frame's last packet arrived its last packet left (the node's delay to frame completion), the frame
delay variation (arrival spacing minus timestamp spacing, what a player's jitter estimator reads) in and out, and how
spread out frames were. Assumes one publisher and one viewer on the port (the busiest SSRC each way is the video).
"""
import sys, statistics, collections
from rtp_capture import rtp_packets
port=int(sys.argv[2])
pk=[(t,d,ssrc,pt,seq,ts,m,l) for t,d,peer,ssrc,pt,seq,ts,m,l in rtp_packets(sys.argv[1],port)]
vol=collections.Counter((p[1],p[2]) for p in pk)
print(vol.most_common(6))
def frames(direction):
    ssrc=max((c,k[1]) for k,c in vol.items() if k[0]==direction)[1]
    fr=collections.OrderedDict()
    for t,d,s,pt,seq,ts,m,l in pk:
        if d!=direction or s!=ssrc: continue
        e=fr.setdefault(ts,[t,t,0,0,0]); e[1]=t; e[2]+=1; e[3]+=l; e[4]|=m
    return ssrc,fr
si,fi=frames('in'); so,fo=frames('out')
print('in ssrc',hex(si),len(fi),'frames; out ssrc',hex(so),len(fo))
ki=list(fi.items()); ko=list(fo.items())
# align by order of frame sizes: match by packet count and byte sizes sequence; assume same order, find offset
def sig(lst): return [v[3] for _,v in lst]
a=sig(ki); b=sig(ko)
best=None
for off in range(0,min(400,len(a))):
    n=min(50,len(b),len(a)-off)
    if n<10: break
    # out payload sizes may differ by header extension rewrite; compare packet counts
    mism=sum(1 for i in range(n) if ki[off+i][1][2]!=ko[i][1][2])
    if best is None or mism<best[0]: best=(mism,off)
print('alignment mismatches',best)
off=best[1]
delays=[];jin=[];jout=[];mk=[0,0];spread_in=[];spread_out=[]
for i in range(1,min(len(ko),len(ki)-off)):
    (tsi,vi),(tso,vo)=ki[off+i],ko[i]
    (tsi0,vi0),(tso0,vo0)=ki[off+i-1],ko[i-1]
    delays.append((vo[1]-vi[1])*1000)
    jin.append((vi[1]-vi0[1])*1000-((tsi-tsi0)&0xffffffff)/90)
    jout.append((vo[1]-vo0[1])*1000-((tso-tso0)&0xffffffff)/90)
    mk[0]+=vi[4]; mk[1]+=vo[4]
    spread_in.append((vi[1]-vi[0])*1000); spread_out.append((vo[1]-vo[0])*1000)
q=lambda x,p: sorted(x)[int(p*(len(x)-1))]
print('frames compared',len(delays),'markers in/out',mk)
print('node delay last pkt in->out ms p50 %.2f p95 %.2f p99 %.2f max %.2f'%(q(delays,.5),q(delays,.95),q(delays,.99),max(delays)))
print('frame delay variation std in %.2f out %.2f ms; |d| p95 in %.2f out %.2f'%(statistics.pstdev(jin),statistics.pstdev(jout),q([abs(x) for x in jin],.95),q([abs(x) for x in jout],.95)))
print('frame spread first->last ms p50 in %.2f out %.2f p95 in %.2f out %.2f'%(q(spread_in,.5),q(spread_out,.5),q(spread_in,.95),q(spread_out,.95)))
