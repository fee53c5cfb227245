#!/usr/bin/env python3
"""cpusample.py <out> <interval s>: every interval, user+sys ticks of every process (and dataset-service's threads when DS_PID set)."""
import os, sys, time
out = open(sys.argv[1], 'w'); iv = float(sys.argv[2]); ds = os.environ.get('DS_PID')
def ticks(path):
    try:
        s = open(path).read(); r = s.rsplit(')', 1)[1].split()
        return int(r[11]) + int(r[12]), s[s.index('(')+1:s.rindex(')')]
    except Exception:
        return None
while True:
    t = time.time(); line = [f"T {t:.3f}"]
    for p in os.listdir('/proc'):
        if p.isdigit():
            v = ticks(f'/proc/{p}/stat')
            if v and v[0] > 0:
                n = v[1]
                if n == 'postgres':
                    try: n = 'pg:' + open(f'/proc/{p}/cmdline').read().replace('\0', ' ').strip().replace(' ', '_')[:60]
                    except Exception: pass
                line.append(f"P {p} {v[0]} {n}")
    line.append('S ' + open('/proc/stat').readline().strip())
    if ds:
        for tid in os.listdir(f'/proc/{ds}/task'):
            v = ticks(f'/proc/{ds}/task/{tid}/stat')
            if v:
                line.append(f"D {tid} {v[0]} {v[1]}")
    out.write('\n'.join(line) + '\n'); out.flush()
    time.sleep(max(0, iv - (time.time() - t)))
