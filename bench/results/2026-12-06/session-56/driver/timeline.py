import sys, collections
# timeline.py samples [from_t to_t]: per 0.5 s bucket, CPU (cores) by process group and top dataset-service threads
fr = float(sys.argv[2]) if len(sys.argv) > 2 else 0; to = float(sys.argv[3]) if len(sys.argv) > 3 else 1e20
snaps = []; cur = None
for l in open(sys.argv[1]):
    p = l.rstrip('\n').split(' ', 3)
    if p[0] == 'T': cur = {'t': float(p[1]), 'P': {}, 'D': {}}; snaps.append(cur)
    elif p[0] in ('P', 'D'): cur[p[0]][p[1]] = (int(p[2]), p[3])
def grp(n):
    for k in ('postgres', 'java', 'python'):
        if n.startswith(k): return k
    return 'other'
step = int(sys.argv[4]) if len(sys.argv) > 4 else 5
sel = [s for s in snaps if fr <= s['t'] <= to]
for a, b in zip(sel[::step], sel[step::step]):
    dt = b['t'] - a['t']; g = collections.Counter(); th = collections.Counter()
    for pid, (v, n) in b['P'].items():
        g[grp(n) if n != 'java' else 'java:' + pid] += (v - a['P'].get(pid, (0, n))[0]) / 100 / dt
    for tid, (v, n) in b['D'].items():
        th[n] += (v - a['D'].get(tid, (0, n))[0]) / 100 / dt
    print(f"{a['t']-sel[0]['t']:6.1f} " + ' '.join(f"{k}={v:.2f}" for k, v in g.most_common(6) if v > 0.04) + ' | ' + ' '.join(f"{k}={v:.2f}" for k, v in th.most_common(5) if v > 0.04))
