import json,sys,glob,statistics
for f in sys.argv[1:]:
    d=json.load(open(f))
    s=d['sizes']
    row=[f.split('/')[-1].replace('.json','')]
    for r in s:
        row.append("%dk: %.1f (fetch %.1f, ins %.1f, %d KiB, git %.1f)" % (r['records']//1000, r['datalineCommitMillis'], r['chunkFetchMillis'], r['chunkWriteMillis'], r['datalineNewKiB'], r['gitMillis']))
    row.append("growth %.2f" % (s[-1]['datalineCommitMillis']/s[0]['datalineCommitMillis']))
    print(" | ".join(row))
