import re,sys,collections
exec(open(__import__('os').path.join(__import__('os').path.dirname(__file__),'win.py')).read().split("evs=list")[0])
evs=list(events(sys.argv[1]))
commit=sorted([e for e in evs if any('CommitService.commit' in f for f in e['frames'])],key=lambda e:e['t'])
wins=[]
for e in commit:
    if wins and e['t']-wins[-1][1] < 0.5: wins[-1][1]=e['t']
    else: wins.append([e['t'],e['t']])
cur=None; out=[]
for l in open(sys.argv[2]):
    s=l.strip()
    m=re.match(r'(jdk\.\w+) \{',s)
    if m: cur={'type':m.group(1),'frames':[]}; continue
    if cur is None: continue
    if s.startswith('startTime'):
        m=re.search(r'(\d+):(\d+):(\d+)\.(\d+)',s); cur['t']=int(m.group(1))*3600+int(m.group(2))*60+int(m.group(3))+float('0.'+m.group(4))
    elif s.startswith('duration'):
        m=re.search(r'([\d.]+) (ms|s|us|ns)',s); v=float(m.group(1)); cur['d']={'s':v*1000,'us':v/1000,'ns':v/1e6,'ms':v}[m.group(2)]
    elif s.startswith('eventThread'): cur['thread']=s.split('"')[1]
    elif 'line:' in s: cur['frames'].append(s.split('(')[0].strip())
    elif s=='}':
        out.append(cur); cur=None
agg=collections.defaultdict(float); cnt=collections.Counter()
for e in out:
    if 't' not in e or not any('CommitService' in f for f in e['frames']): continue
    end=e['t']+e.get('d',0)/1000
    for a,b in wins:
        if a-0.1<=e['t']<=b+0.05:
            tops=[f for f in e['frames'] if f.startswith('io.dataline')][:2]
            k=e['type']+' '+' < '.join(tops)
            agg[k]+=e.get('d',0); cnt[k]+=1
            break
n=len(wins)
print(n,'windows; per commit:')
for k,v in sorted(agg.items(),key=lambda x:-x[1]): print(f"{v/n:8.1f} ms {cnt[k]/n:5.1f}x {k}")
