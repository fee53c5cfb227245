import re,sys,collections
# usage: [SKIP=n] win.py samples.txt  (jfr print --events jdk.ExecutionSample --stack-depth 200)
def events(path):
    ev=None
    for l in open(path, errors='replace'):
        s=l.strip()
        if s.startswith('jdk.ExecutionSample'):
            ev={'frames':[]}
        elif ev is None: continue
        elif s.startswith('startTime'):
            m=re.search(r'(\d+):(\d+):(\d+)\.(\d+)',s); ev['t']=int(m.group(1))*3600+int(m.group(2))*60+int(m.group(3))+float('0.'+m.group(4))
        elif s.startswith('sampledThread'):
            ev['thread']=re.sub(r'\d+','N',s.split('"')[1])
        elif s.endswith(')') or 'line:' in s:
            ev['frames'].append(s.split('(')[0].strip())
        elif s=='}' and 'thread' in ev and ev.get('t') is not None:
            if ev['frames']: yield ev
            ev=None
evs=list(events(sys.argv[1]))
commit=[e for e in evs if any('CommitService.commit' in f for f in e['frames'])]
commit.sort(key=lambda e:e['t'])
wins=[]
for e in commit:
    if wins and e['t']-wins[-1][1] < 0.5: wins[-1][1]=e['t']
    else: wins.append([e['t'],e['t']])
import os
wins=wins[int(os.environ.get('SKIP','0')):]  # SKIP=n: leave out the first n commits (session 49)
print(len(wins),'windows',[round(b-a,3) for a,b in wins])
inw=lambda t: any(a<=t<=b for a,b in wins)
w=[e for e in evs if inw(e['t'])]
print('threads', collections.Counter(e['thread'] for e in w).most_common(8))
cs=[e for e in w if any('CommitService.commit' in f for f in e['frames'])]
print('commit-thread samples', len(cs), 'per window', round(len(cs)/max(1,len(wins)),1))
top=collections.Counter()
for e in cs:
    f=next((f for f in e['frames'] if f.startswith('io.dataline')), e['frames'][0])
    top[f]+=1
for f,c in top.most_common(25): print(c, f)
print('--- inclusive')
keys=['TreePaths$Cursor.childRef','TreePaths.childRef','firstAtLeast','ChunkRepository.cached','ChunkRepository$Session.load','TreeMutator.readRunOns','TreeMutator.applyAtLevel','TreeMutator.parentEdits','TreePaths.prefetchPaths','Chunk.of','Hash.sha256','Chunk.records','TreeMutator$Run.merge','VersionTrees','ProllyTree.prefetch','ProllyTree.apply','ChunkRepository$Session.flush','ChunkRepository$Session.store']
for k in keys:
    n=sum(1 for e in cs if any(k in f for f in e['frames']))
    if n: print(n,k)
