// Tries the draft: a sample request rated under X-Flow-Version: draft (a simulation:
// no event, no hash chain), or a past transaction re-rated, on the version it ran (the
// proof) or on the draft (what the draft would have answered it).
import { rate, rerateTransaction, type RateResponse, type RerateResult } from '@insurratex/client';
import { useState } from 'preact/hooks';
import { ApiError, call } from '../api';
import { keepSample, parseJson, sampleOf } from '../flow';
import { ErrorNote, Link, useAction } from '../ui';
import type { TabProps } from './Product';
import { RunResult } from './Run';

export function TestTab({ code, endpoint, flow }: TabProps) {
  const [sample, setSample] = useState(sampleOf(code));
  const [version, setVersion] = useState('draft');
  const [run, setRun] = useState<RateResponse>();
  const [pastId, setPastId] = useState('');
  const [pastVersion, setPastVersion] = useState('');
  const [rerated, setRerated] = useState<RerateResult>();
  const action = useAction();
  const rerate = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    return action.run(async () => {
      const parsed = parseJson(sample);
      if (parsed.error) throw new ApiError(0, 'SAMPLE_NOT_JSON', parsed.error);
      keepSample(code, sample);
      setRun(undefined);
      setRun(await call(rate({
        path: { product_code: code, endpoint }, body: parsed.value as Record<string, unknown>,
        headers: { 'X-Flow-Version': version },
      })) as RateResponse);
    });
  };
  return (
    <>
      <form onSubmit={submit} aria-label="Test on a sample">
        <label for="test-sample">Sample request (JSON)</label>
        <textarea id="test-sample" name="sample" rows={14} spellcheck={false} value={sample} onInput={(e) => setSample(e.currentTarget.value)} />
        <div class="row">
          <label>Version <select value={version} onChange={(e) => setVersion(e.currentTarget.value)}>
            <option value="draft">the draft{flow.data?.draft ? ` (v${flow.data.draft.version})` : ' (none yet)'}</option>
            {(flow.data?.versions ?? []).map((v) => <option key={v.version} value={String(v.version)}>v{v.version} ({v.status})</option>)}
          </select></label>
          <button type="submit" disabled={action.busy}>{action.busy ? 'Running…' : 'Run test'}</button>
        </div>
      </form>
      <ErrorNote error={action.error} />
      {run && <RunResult run={run} />}
      <form class="panel" aria-label="Re-rate a past transaction" onSubmit={(e) => {
        e.preventDefault();
        const asked = pastVersion === '' ? null : pastVersion === 'draft' ? 'draft' : Number(pastVersion);
        return rerate.run(async () => setRerated(await call(rerateTransaction({
          path: { transaction_id: pastId.trim() }, body: { version: asked },
        }))));
      }}>
        <h3>A past transaction</h3>
        <p class="hint">Re-rated from its kept request as a simulation: on the version it ran (identical, the proof), or on the draft (the differences are what the draft changes). To run the draft over past traffic, use Impact.</p>
        <div class="row">
          <label>Transaction id <input value={pastId} required onInput={(e) => setPastId(e.currentTarget.value)} /></label>
          <label>On <select value={pastVersion} onChange={(e) => setPastVersion(e.currentTarget.value)}>
            <option value="">the version it ran</option>
            <option value="draft">the draft</option>
            {(flow.data?.versions ?? []).map((v) => <option key={v.version} value={String(v.version)}>v{v.version} ({v.status})</option>)}
          </select></label>
          <button type="submit" disabled={rerate.busy}>Re-rate</button>
        </div>
        <ErrorNote error={rerate.error} />
        {rerated && (
          <div role="status">
            <p>{rerated.identical ? 'Identical' : `${rerated.differenceCount} difference(s)`} on v{rerated.flowVersion}: <Link to={`/transactions/${rerated.transactionId}`}>the re-rating</Link></p>
            {rerated.differences.length > 0 && (
              <table class="grid"><caption>Differences</caption>
                <thead><tr><th scope="col">Path</th><th scope="col">Before</th><th scope="col">After</th></tr></thead>
                <tbody>{rerated.differences.map((d, i) => <tr key={i}><td><code>{d.path}</code></td><td>{JSON.stringify(d.before)}</td><td>{JSON.stringify(d.after)}</td></tr>)}</tbody>
              </table>
            )}
          </div>
        )}
      </form>
    </>
  );
}
