import sys, collections, statistics
svc={'20113':'ds','20115':'val','20123':'orch','20128':'dep'}
ev=collections.defaultdict(dict)  # version -> point -> time(us) (last occurrence... use first)
for pid,name in svc.items():
    try: lines=open('/tmp/s40/trace/%s.log'%pid).read().split('\n')
    except FileNotFoundError: continue
    for l in lines:
        if not l: continue
        p=l.split(' ')
        t=int(p[0]); pt=name+'.'+p[1]; v=p[2]
        if v in ('-','?'): continue
        d=ev[v]
        if pt not in d: d[pt]=t
# measured: last N versions that have orch acked registered
N=int(sys.argv[1]) if len(sys.argv)>1 else 100
vs=[v for v,d in ev.items() if 'orch.acked:model.registered' in d and 'val.acked:dataset.validated' in d]
vs.sort(key=lambda v: ev[v]['val.acked:dataset.validated'])
vs=vs[-N:]
seq=[('val.ts:dataset.committed',None),('val.acked:dataset.validated','validation acked (event on topic)'),
 ('orch.ts:dataset.validated','  (CreateTime of validated, ms)'),
 ('orch.recv:dataset.validated','orch consumer handed to worker'),
 ('orch.queued','run queued (inbox tx committed)'),
 ('orch.claimed','claimed (worker woke, claim tx)'),
 ('orch.load','load starts'),('orch.loaded','version read'),('orch.train','baseline beside started, trainer starts'),
 ('orch.trained','trainer done'),('orch.evaluated','evaluated'),('orch.register','artifact stored'),('orch.registered','registered tx committed'),
 ('orch.read:model.registered','relay read the row'),('orch.acked:model.registered','broker acked'),
 ('dep.recv:model.registered','deploy consumer handed to worker'),('dep.read:model.promoted','deploy relay read'),('dep.acked:model.promoted','deploy acked')]
base='val.acked:dataset.validated'
prev=None
print('%-32s %8s %8s   %s'%('point','p50 step','p50 cum','what'))
for pt,what in seq:
    if pt==base or prev is None:
        prev=pt; continue
    steps=[(ev[v][pt]-ev[v][prev])/1000 for v in vs if pt in ev[v] and prev in ev[v]]
    cum=[(ev[v][pt]-ev[v][base])/1000 for v in vs if pt in ev[v]]
    if steps:
        print('%-32s %8.2f %8.2f   %s (n=%d, p90 step %.2f)'%(pt,statistics.median(steps),statistics.median(cum),what or '',len(steps),sorted(steps)[int(len(steps)*.9)]))
    if not pt.startswith('orch.ts'): prev=pt
