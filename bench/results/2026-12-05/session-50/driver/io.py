# python3 io.py <driver output>: the deltas between consecutive iohook.sh snapshots (with both hooks, odd lines are commits)
import sys
snaps=[]; cur=None
for line in open(sys.argv[1]):
    p=line.split()
    if not p: continue
    if p[0]=='io':
        if cur is None or 'wal' in cur: 
            cur={}; snaps.append(cur)
        # io backend_type(words) object context reads writes extends hits evictions
        rest=line.strip().split(' ')
        key=' '.join(rest[1:-6]) if False else None
        toks=p[1:]
        j=len(toks)
        while j>0 and toks[j-1].isdigit(): j-=1
        name=' '.join(toks[:j]); vals=[int(v) for v in toks[j:]]
        cur[name]=vals if len(vals)==5 else None
    elif p[0]=='wal':
        cur['wal']=[int(p[1]),int(p[2]),int(p[3])]
    elif p[0]=='ckpt':
        cur['ckpt']=[int(x) for x in p[1:]]
keys=['client backend relation normal','client backend relation bulkwrite','client backend relation bulkread','autovacuum worker relation vacuum','autovacuum worker relation normal']
for i in range(1,len(snaps)):
    a,b=snaps[i-1],snaps[i]
    out=[]
    for k in keys:
        if k in b and b[k]:
            av=a.get(k) or [0]*5
            d=[x-y for x,y in zip(b[k],av)]
            out.append(k.replace('client backend relation ','cb-').replace('autovacuum worker relation ','av-')+' r/w/ext/hit/ev='+'/'.join(map(str,d)))
    w=[x-y for x,y in zip(b['wal'],a['wal'])]
    c=[x-y for x,y in zip(b['ckpt'],a['ckpt'])]
    print(i, ' | '.join(out), '| wal rec/fpi/MB', w[0], w[1], round(w[2]/1e6,1), '| ckpt', c)
