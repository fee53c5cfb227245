import re,sys,statistics as st
for f in sys.argv[1:]:
    rows=[]; cur=None
    for l in open(f):
        m=re.match(r'c(\d+) ([\d.]+) commit;dur=([\d.]+).*chunk-reads;desc="(\d+)".*chunk-inserts;dur=([\d.]+)',l)
        if m: cur=[float(m.group(2)),float(m.group(3)),int(m.group(4)),float(m.group(5))]; continue
        m=re.match(r'\s+cpu-ms busy=(\d+) ds=(\d+) pg=(\d+)',l)
        if m and cur: rows.append(cur+[int(x) for x in m.groups()]); cur=None
    rows=rows[2:]  # skip first two (warm-up)
    cols=list(zip(*rows))
    names=['client','server','reads','inserts','busy','ds','pg']
    print(f, len(rows), ' '.join(f"{n}={st.median(c):.1f}" for n,c in zip(names,cols)))
