"""An independent reader of the IATI corpus for CI: computes, per currency, the committed
money of every activity (commitments, else incoming commitments, else budgets; an incoming
commitment that its provider activity in the corpus also reports is counted once) straight
from the XML with the standard library, and checks that Coopera's country and thematic-area
reports total the same in every currency.

    python3 .ci/report_totals.py CORPUS_DIR COOPERA_BINARY DATABASE

Coopera keeps converted and native money in units of 1/10 000, so each flow may differ by
half of that from the exact decimal sum; the check allows that and nothing more.
"""
import xml.etree.ElementTree as ET, glob, collections, decimal, datetime, sys, subprocess, json
D=decimal.Decimal
def date(s):
    try: return datetime.date.fromisoformat((s or '').strip()[:10])
    except Exception: return None
acts={}  # id -> dict
order=[]
for f in sorted(glob.glob(sys.argv[1] + '/*.xml')):
    for _, a in ET.iterparse(f):
        if a.tag!='iati-activity': continue
        idel=a.find('iati-identifier')
        aid='-'.join((idel.text or '').split()) if idel is not None else ''
        if not aid: a.clear(); continue
        dc=(a.get('default-currency') or '').strip()
        ro=a.find('reporting-org'); rref=(ro.get('ref') or '').strip() if ro is not None else ''
        txs=[]
        for t in a.findall('transaction'):
            tt=t.find('transaction-type'); v=t.find('value')
            if tt is None or v is None: continue
            code=(tt.get('code') or '').strip()
            code={'IF':'1','C':'2','D':'3','E':'4'}.get(code,code)
            try: val=D((v.text or '').strip())
            except Exception: continue
            cur=(v.get('currency') or dc or '').strip()
            td=t.find('transaction-date')
            d=date(td.get('iso-date') if td is not None else None) or date(v.get('value-date'))
            if not cur or d is None: continue
            p=t.find('provider-org'); r=t.find('receiver-org')
            txs.append(dict(kind=code,val=val,cur=cur,
                pact=(p.get('provider-activity-id') or '').strip() if p is not None else '',
                porg=(p.get('ref') or '').strip() if p is not None else '',
                ract=(r.get('receiver-activity-id') or '').strip() if r is not None else ''))
        buds=[]
        for b in a.findall('budget'):
            v=b.find('value')
            if v is None: continue
            try: val=D((v.text or '').strip())
            except Exception: continue
            cur=(v.get('currency') or dc or '').strip()
            s=b.find('period-start'); e=b.find('period-end')
            ds=date(s.get('iso-date') if s is not None else None); de=date(e.get('iso-date') if e is not None else None)
            if not cur or ds is None or de is None or de<ds: continue
            buds.append((val,cur))
        rel=[(r.get('ref') or '').strip() for r in a.findall('related-activity') if r.get('ref')]
        if aid not in acts: order.append(aid)
        acts[aid]=dict(rref=rref,txs=txs,buds=buds,rel=rel)
        a.clear()
# outgoing commitments per activity
out_unnamed=set(); out_named=set()
for aid,x in acts.items():
    kinds={t['kind'] for t in x['txs']}
    for t in x['txs']:
        if t['kind']=='2':
            if t['ract']: out_named.add((aid,t['ract']))
            else: out_unnamed.add(aid)
tot=collections.defaultdict(D); flows=collections.Counter(); merged=0
for aid,x in acts.items():
    kinds={t['kind'] for t in x['txs']}
    ck='2' if '2' in kinds else ('11' if '11' in kinds else None)
    if ck is None:
        for val,cur in x['buds']: tot[cur]+=val; flows[cur]+=1
        continue
    for t in x['txs']:
        if t['kind']!=ck: continue
        if ck=='11':
            prov=None
            if t['pact']: prov=t['pact'] if t['pact'] in acts else None
            elif t['porg'] and x['rel']:
                prov=next((r for r in x['rel'] if r in acts and acts[r]['rref']==t['porg']),None)
            if prov and prov!=aid and (prov in out_unnamed or (prov,aid) in out_named):
                merged+=1; continue
        tot[t['cur']]+=t['val']; flows[t['cur']]+=1

coopera, db = sys.argv[2], sys.argv[3]
failures = 0
for cur in sorted(tot):
    for report in ('countries', 'themes'):
        out = subprocess.run([coopera, '--db', db, 'report', report, '--measure', 'committed', '--native',
                              '--currency', cur, '--format', 'json'], capture_output=True, text=True, check=True)
        got = json.loads(out.stdout)
        diff = abs(D(str(got['total'])) - tot[cur])
        allowed = D('0.00005') * flows[cur]
        ok = diff <= allowed and got.get('merged_flows') == merged
        failures += not ok
        print(f"{'ok ' if ok else 'BAD'} {report:9} {cur}: coopera {got['total']} independent {tot[cur]} "
              f"(flows {flows[cur]}, merged {got.get('merged_flows')}/{merged})")
sys.exit(1 if failures else 0)
