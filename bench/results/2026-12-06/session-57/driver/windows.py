import re,sys,statistics as st
# usage: windows.py driver-output.txt a-b [c-d ...]: per window of commits, the server's time (median), chunk rows
# written (median), and dataset-service's CPU per commit by its JIT compiler threads and its commit (executor) thread
# (means; /proc ticks of 10 ms read around each commit), and PostgreSQL's (mean)
rows=[]
for l in open(sys.argv[1]):
    m=re.match(r'c(\d+) [\d.]+ commit;dur=([\d.]+).*chunk-writes;desc="(\d+)"',l)
    if m: rows.append({'c':int(m.group(1)),'ms':float(m.group(2)),'rows':int(m.group(3))})
    m=re.match(r'\s+cpu-ms busy=(\d+) ds=(\d+) pg=(\d+)',l)
    if m: rows[-1]['pg']=int(m.group(3))
    m=re.match(r'\s+ds-threads \{(.*)\}',l)
    if m:
        parts=re.findall(r'([^,=]+)=(\d+)',m.group(1))
        rows[-1]['jit']=sum(int(v) for k,v in parts if 'Compiler' in k)
        rows[-1]['thread']=sum(int(v) for k,v in parts if 'executor' in k)
for w in sys.argv[2:]:
    a,b=map(int,w.split('-'))
    x=[r for r in rows if a<=r['c']<=b]
    if not x: continue
    print(f"commits {a}-{b} ({len(x)}): server median {st.median(r['ms'] for r in x):.1f} ms, rows {st.median(r['rows'] for r in x):.0f}, "
          f"JIT {st.mean(r.get('jit',0) for r in x):.0f} ms, commit thread {st.mean(r.get('thread',0) for r in x):.0f} ms, PostgreSQL {st.mean(r.get('pg',0) for r in x):.0f} ms")
