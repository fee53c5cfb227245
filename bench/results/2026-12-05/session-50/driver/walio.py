# python3 walio.py <driver output with walio.sh as both hooks>: pg_stat_wal per commit and per cycle between commits
# (staging, deletes, the export), summed from the second commit on
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.startswith('walio')]
sums = {True: [0.0] * 6, False: [0.0] * 6}
counts = {True: 0, False: 0}
for i in range(3, len(rows)):
    commit = i % 2 == 1
    delta = [float(rows[i][k]) - float(rows[i - 1][k]) for k in range(3, 9)]
    sums[commit] = [s + d for s, d in zip(sums[commit], delta)]
    counts[commit] += 1
for commit, name in ((True, 'per commit'), (False, 'per cycle between commits')):
    s, n = sums[commit], counts[commit]
    print('%s (%d): WAL %.2f MB, %.1f writes, %.1f syncs, writing %.1f ms, syncing %.1f ms'
          % (name, n, s[1] / 1e6 / n, s[2] / n, s[3] / n, s[4] / n, s[5] / n))
