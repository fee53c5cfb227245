import sys, glob, os, statistics
from datetime import datetime
# usage: runlogs.py DATALINE_HOME [N, default 100]
# Step medians of the last N training runs (by their first log line) from the runs' own logs
# ($DATALINE_HOME/runs/<id>/attempt-<n>/run.log, a timestamp on every line): "version read" = the attempt's first line
# to its "records:" line (the version read and split into files), "trainer" = "training ..." to "trained" (what the
# pipeline-latency suite reports as the trainer's compute), "stored+registered" = the staged baseline's line (or the
# held-out metrics') to "registered", "attempt->registered" = first line to "registered".
home=sys.argv[1]; n=int(sys.argv[2]) if len(sys.argv)>2 else 100
def ts(s):
    d,f=s[:-1].split('.'); return datetime.fromisoformat(d).timestamp()+float('0.'+f)
runs=[]
for p in glob.glob(home+'/runs/*/attempt-*/run.log'):
    L=[l.rstrip('\n').split(' ',1) for l in open(p)]
    if len(L)<7: continue
    t=[ts(x[0]) for x in L]; txt=[x[1] for x in L]
    def at(prefix):
        for i,s in enumerate(txt):
            if s.startswith(prefix): return t[i]
    a=at('attempt'); r=at('records:'); tr=at('training'); td=at('trained'); h=at('held-out'); b=at('staged baseline'); g=at('registered')
    if None in (a,r,tr,td,h,g): continue
    runs.append((a,[r-a,tr-r,td-tr,h-td,(b or h)-h,g-(b or h),g-a]))
runs.sort(); runs=runs[-n:]
if not runs:
    sys.exit('no finished training run logs under '+home)
names=['version read','to trainer','trainer','candidate measured','baseline joined','stored+registered','attempt->registered']
for i,nm in enumerate(names):
    v=sorted(x[1][i]*1000 for x in runs)
    print(f"{nm:22s} p50 {statistics.median(v):7.2f}  p90 {v[int(len(v)*0.9)]:7.2f}  mean {statistics.mean(v):7.2f}")
print(len(runs),'runs')
