import json,glob,statistics,sys
# usage: pooled.py <glob> ...: per glob, the median of every commit of all its commit-scaling JSONs, by size, with the
# median of the runs' waits on chunk inserts and fetches, and the growth from the smallest size to the largest
for pat in sys.argv[1:]:
    pooled={}; ins={}; fet={}
    fs=sorted(glob.glob(pat))
    for f in fs:
        for r in json.load(open(f))['sizes']:
            pooled.setdefault(r['records'],[]).extend(r['datalineCommitMillisAll'])
            ins.setdefault(r['records'],[]).append(r['chunkWriteMillis']); fet.setdefault(r['records'],[]).append(r['chunkFetchMillis'])
    m={k:statistics.median(v) for k,v in pooled.items()}; ks=sorted(m)
    print(pat, len(fs), ' | '.join('%dk %.1f (ins %.1f, fetch %.1f)'%(k//1000,m[k],statistics.median(ins[k]),statistics.median(fet[k])) for k in ks), '| growth %.2f'%(m[ks[-1]]/m[ks[0]]))
