// A product: its endpoint's flow, configuration, tests and analyses, one tab each.
import { export_, getProduct } from '@insurratex/client';
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api';
import { useFlow } from '../flow';
import { Link, Pending, useLoad } from '../ui';
import { FlowTab } from './Flow';
import { MappingsTab } from './Mappings';
import { RulesTab } from './Rules';
import { TestTab } from './Test';
import { DiffTab } from './Diff';
import { ImpactTab } from './Impact';
import { ChallengerTab } from './Challenger';
import { VersionsTab } from './Versions';
import { AuditTab } from './Audit';

const TABS = [
  ['flow', 'Flow'],
  ['mappings', 'Mappings'],
  ['rules', 'Rules'],
  ['test', 'Test'],
  ['diff', 'Diff'],
  ['impact', 'Impact'],
  ['challenger', 'Challenger'],
  ['versions', 'Versions'],
  ['audit', 'Audit'],
] as const;

export type TabProps = { code: string; endpoint: string; flow: ReturnType<typeof useFlow> };

export function Product({ code, tab }: { code: string; tab: string }) {
  const product = useLoad(() => call(getProduct({ path: { code } })), [code]);
  const endpoints = useLoad(async () => {
    const exported = await call(export_({ path: { code } }));
    const found = [...new Set((exported.flows ?? []).map((f) => f.endpoint))];
    return found.length ? found : ['rate'];
  }, [code]);
  const [endpoint, setEndpoint] = useState('rate');
  useEffect(() => {
    if (endpoints.data && !endpoints.data.includes(endpoint)) setEndpoint(endpoints.data[0]);
  }, [endpoints.data]);
  const flow = useFlow(code, endpoint);
  const props: TabProps = { code, endpoint, flow };
  const label = TABS.find(([id]) => id === tab)?.[1] ?? 'Flow';
  return (
    <>
      <h1>
        {code} <span class="hint">{product.data?.name}</span>
      </h1>
      <Pending loaded={product} />
      <div class="toolbar">
        <label>
          Endpoint{' '}
          <select value={endpoint} onChange={(e) => setEndpoint(e.currentTarget.value)}>
            {(endpoints.data ?? [endpoint]).map((e) => <option key={e} value={e}>/{e}</option>)}
          </select>
        </label>
        <span class="hint">
          {flow.data?.published ? `published v${flow.data.published.version}` : 'nothing published'}
          {flow.data?.draft ? ` · draft v${flow.data.draft.version}` : ' · no draft'}
        </span>
      </div>
      <nav class="tabs" aria-label={`${code} sections`}>
        {TABS.map(([id, name]) => (
          <Link key={id} to={`/products/${encodeURIComponent(code)}/${id}`} current={id === tab}>{name}</Link>
        ))}
      </nav>
      <section aria-label={label}>
        <h2>{label}</h2>
        {tab === 'mappings' ? <MappingsTab {...props} />
          : tab === 'rules' ? <RulesTab {...props} />
          : tab === 'test' ? <TestTab {...props} />
          : tab === 'diff' ? <DiffTab {...props} />
          : tab === 'impact' ? <ImpactTab {...props} />
          : tab === 'challenger' ? <ChallengerTab {...props} />
          : tab === 'versions' ? <VersionsTab {...props} />
          : tab === 'audit' ? <AuditTab {...props} />
          : <FlowTab {...props} />}
      </section>
    </>
  );
}
