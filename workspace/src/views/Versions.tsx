// The flow's versions and timeline (which version rates which dates); an archived version
// is rolled back to by publishing it again.
import { getFlowTimeline, publishFlowVersion } from '@insurratex/client';
import { useState } from 'preact/hooks';
import { call } from '../api';
import { ErrorNote, Pending, useAction, useLoad, when } from '../ui';
import type { TabProps } from './Product';

export function VersionsTab({ code, endpoint, flow }: TabProps) {
  const timeline = useLoad(() => call(getFlowTimeline({ path: { code, endpoint } })), [code, endpoint, flow.data]);
  const [reason, setReason] = useState('');
  const action = useAction();
  const rollBack = (version: number) => action.run(async () => {
    await call(publishFlowVersion({ path: { code, endpoint, number: version }, body: { reason: reason || `roll back to v${version}` } }));
    flow.reload();
  });
  if (!flow.data) return <Pending loaded={flow} />;
  return (
    <>
      <h3>Timeline</h3>
      <Pending loaded={timeline} />
      <ul>
        {timeline.data?.timeline.map((t) => <li key={t.version}>v{t.version} rates from {t.effectiveFrom ?? 'always'}{t.effectiveUntil ? ` until ${t.effectiveUntil}` : ' on'}</li>)}
        {timeline.data?.warnings?.map((w, i) => <li key={`w${i}`} class="field-error">{JSON.stringify(w)}</li>)}
      </ul>
      <label>Reason for a rollback <input value={reason} onInput={(e) => setReason(e.currentTarget.value)} /></label>
      <ErrorNote error={action.error} />
      <table class="grid">
        <caption>Versions</caption>
        <thead><tr><th scope="col">Version</th><th scope="col">Status</th><th scope="col">Change</th><th scope="col">Created</th><th scope="col">Published</th><th scope="col">Effective from</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
        <tbody>
          {[...flow.data.versions].sort((a, b) => b.version - a.version).map((v) => (
            <tr key={v.version}>
              <td>v{v.version}</td><td>{v.status}</td><td>{v.changeDescription}</td><td>{when(v.createdAt)}</td><td>{when(v.publishedAt)}</td><td>{v.effectiveFrom ?? '—'}</td>
              <td>{v.status === 'archived' && <button type="button" disabled={action.busy} onClick={() => rollBack(v.version)}>Roll back to v{v.version}</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
