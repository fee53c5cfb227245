import re,sys,statistics as st,collections
# per-thread CPU of dataset-service per commit (driver's ds-threads lines), commits 3..N: mean and median per thread name
for f in sys.argv[1:]:
    per=[]; 
    for l in open(f):
        m=re.match(r'\s+ds-threads \{(.*)\}',l)
        if m:
            d={}
            for part in re.findall(r'([^,=]+)=(\d+)',m.group(1)):
                d[part[0].strip()]=int(part[1])
            per.append(d)
    per=per[2:]
    names=collections.Counter()
    for d in per:
        for k,v in d.items(): names[k]+=v
    n=len(per)
    print(f, n, 'commits; ds total mean', sum(names.values())/n)
    for k,v in names.most_common():
        vals=[d.get(k,0) for d in per]
        print(f"  {k:40s} mean {v/n:7.1f}  median {st.median(vals):6.1f}  max {max(vals)}")
