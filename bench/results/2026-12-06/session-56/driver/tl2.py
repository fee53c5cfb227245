import sys, collections
snaps = []; cur = None
for l in open(sys.argv[1]):
    p = l.rstrip('\n').split(' ', 3)
    if p[0] == 'T': cur = {'t': float(p[1]), 'P': {}, 'D': {}, 'S': None}; snaps.append(cur)
    elif p[0] == 'S': cur['S'] = [int(x) for x in l.split()[2:]]
    elif p[0] in ('P', 'D'): cur[p[0]][p[1]] = (int(p[2]), p[3])
step = 5
for a, b in zip(snaps[::step], snaps[step::step]):
    dt = b['t'] - a['t']; g = collections.Counter(); th = collections.Counter()
    for pid, (v, n) in b['P'].items():
        k = ('pg' + pid if 'dataset_service' in n else 'pgwal' if 'walwriter' in n else 'pgckpt' if 'checkpointer' in n or 'background' in n else 'pgother') if n.startswith('pg:') else n + pid if n == 'java' else n
        g[k] += (v - a['P'].get(pid, (0, n))[0]) / 100 / dt
    for tid, (v, n) in b['D'].items():
        th[n] += (v - a['D'].get(tid, (0, n))[0]) / 100 / dt
    s = [y - x for x, y in zip(a['S'], b['S'])]; tot = sum(s)
    print(f"{a['t']-snaps[0]['t']:6.1f} idle={s[3]/tot*2:.2f} iow={s[4]/tot*2:.2f} | " + ' '.join(f"{k}={v:.2f}" for k, v in g.most_common(7) if v > 0.04) + ' | ' + ' '.join(f"{k}={v:.2f}" for k, v in th.most_common(4) if v > 0.04))
