#!/usr/bin/env python3
"""cpugroup.py <result.json> <snapshot prefix>: CPU ms per commit (warm-up and window) by process group, from /proc snapshots."""
import json, sys, collections
names = {'training-orchestrator/': 'training-orchestrator', 'dataset-service/': 'dataset-service', 'deploy-service/': 'deploy-service',
         'validation-service/': 'validation-service', 'console/': 'console', 'io.dataline.local.Dataline': 'Kafka (launcher JVM)',
         'io.dataline.bench': 'bench client', 'dataline bench': 'bench client', 'run-one.sh': 'bench client', 'postgres': 'PostgreSQL'}
PIDS = {'4655': 'training-orchestrator', '4645': 'dataset-service', '4659': 'deploy-service', '4647': 'validation-service', '4664': 'console', '4482': 'Kafka (launcher JVM)'}  # this stack's JVMs (their command lines are cut before the jar)
def name(cmd, pid=None):
    if pid in PIDS:
        return PIDS[pid]
    for k, v in names.items():
        if k in cmd:
            return v
    return 'other'
def load(f):
    d = {}; tot = 0
    for l in open(f):
        if l.startswith('cpu '):
            tot = sum(int(x) for x in l.split()[1:8]); continue
        p = l.split(' ', 3)
        if len(p) == 4:
            d[p[0]] = (int(p[1]), int(p[2]), p[3].strip())
    return d, tot
r = json.load(open(sys.argv[1])); n = r['warmUpCommits'] + r['throughput'][0]['commits']
(a, ta), (b, tb) = load(sys.argv[2] + '-w.txt'), load(sys.argv[2] + '-end.txt')
g = collections.defaultdict(lambda: [0, 0])
for pid, (u, s, c) in b.items():
    u0, s0, _ = a.get(pid, (0, 0, c))
    g[name(c, pid)][0] += u - u0; g[name(c, pid)][1] += s - s0
print(f"# {sys.argv[1]}: {n} commits (warm-up and window), {r['throughput'][0]['commitsPerSecond']:.2f} commits/s measured; ms of CPU per commit (user+sys, 10 ms ticks)")
for k, (u, s) in sorted(g.items(), key=lambda x: -sum(x[1])):
    print(f"{k:22s} {(u+s)*10/n:6.1f}  (sys {s*10/n:4.1f})")
print(f"{'all processes':22s} {sum(u+s for u,s in g.values())*10/n:6.1f}  (sys {sum(s for u,s in g.values())*10/n:4.1f})")
