// Challenger traffic: a sample of live ratings re-rated in the background under the draft
// (or a version), compared with what production answered.
import { challengerResults, getChallenger, putChallenger, stopChallenger } from '@insurratex/client';
import { useState } from 'preact/hooks';
import { ApiError, call } from '../api';
import { ErrorNote, Link, money, pct, useAction, useLoad, when } from '../ui';
import type { TabProps } from './Product';

export function ChallengerTab({ code, endpoint }: TabProps) {
  const path = { product_code: code, endpoint };
  const current = useLoad(() => call(getChallenger({ path })).catch((e) => {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }), [code, endpoint]);
  const results = useLoad(() => call(challengerResults({ path, query: { limit: 20 } })), [code, endpoint, current.data]);
  const [sample, setSample] = useState(10);
  const action = useAction();
  const start = (event: Event) => {
    event.preventDefault();
    return action.run(async () => {
      await call(putChallenger({ path, body: { version: 'draft', sample: sample / 100 } }));
      current.reload();
    });
  };
  const c = current.data;
  return (
    <>
      {c ? (
        <p>v{c.version} challenges {Math.round(c.sample * 100)} % of live traffic since {when(c.createdAt)}.{' '}
          <button type="button" onClick={() => action.run(async () => { await call(stopChallenger({ path })); current.reload(); })}>Stop the challenger</button></p>
      ) : (
        <form class="row" onSubmit={start} aria-label="Start challenger traffic">
          <label>Share of live traffic (%) <input type="number" min={0} max={100} value={sample} onInput={(e) => setSample(Number(e.currentTarget.value))} /></label>
          <button type="submit" disabled={action.busy}>Challenge with the draft</button>
        </form>
      )}
      <ErrorNote error={action.error ?? current.error ?? results.error} />
      {results.data && (
        <>
          <p>Re-rated {results.data.summary.rerated ?? 0}, changed {results.data.summary.changed ?? 0}; change p50 {pct(results.data.summary.deltaPct?.p50)}, p95 {pct(results.data.summary.deltaPct?.p95)}.</p>
          <table class="grid"><caption>Latest comparisons</caption>
            <thead><tr><th scope="col">Live transaction</th><th scope="col">Before</th><th scope="col">Challenger</th><th scope="col">Change</th><th scope="col">When</th></tr></thead>
            <tbody>{results.data.items.map((r) => (
              <tr key={r.challengerTransactionId}><td><Link to={`/transactions/${r.transactionId}`}>{r.transactionId.slice(0, 8)}</Link></td>
                <td class="num">{money(r.premiumBefore)}</td><td class="num">{money(r.premiumAfter)}</td><td class="num">{pct(r.deltaPct)}</td><td>{when(r.createdAt)}</td></tr>
            ))}</tbody>
          </table>
        </>
      )}
    </>
  );
}
