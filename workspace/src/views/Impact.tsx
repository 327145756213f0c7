// An impact analysis of the draft over the last N days of live traffic: started, followed
// while it runs, then its summary, the premium changes per band (an inline SVG chart),
// the groups and the largest changes.
import { cancelImpactRun, getImpactRun, startImpact, type Band, type ImpactRunPublic, type ImpactSummary } from '@insurratex/client';
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api';
import { ErrorNote, Link, money, pct, useAction } from '../ui';
import type { TabProps } from './Product';

export function ImpactTab({ code, endpoint }: TabProps) {
  const [days, setDays] = useState(1);
  const [limit, setLimit] = useState(1000);
  const [groupBy, setGroupBy] = useState('');
  const [run, setRun] = useState<ImpactRunPublic>();
  const action = useAction();
  const running = run?.status === 'running';
  useEffect(() => {
    if (!running) return;
    const timer = setTimeout(() => {
      call(getImpactRun({ path: { impact_id: run!.id } })).then(setRun, action.setError);
    }, 700);
    return () => clearTimeout(timer);
  }, [run]);
  const submit = (event: Event) => {
    event.preventDefault();
    return action.run(async () => {
      const paths = groupBy.split(',').map((s) => s.trim()).filter(Boolean);
      setRun(await call(startImpact({ path: { product_code: code, endpoint }, body: { candidate: 'draft', days, limit, groupBy: paths } })));
    });
  };
  return (
    <>
      <form onSubmit={submit} class="row" aria-label="Start an impact analysis">
        <label>Last days <input type="number" min={1} max={365} value={days} onInput={(e) => setDays(Number(e.currentTarget.value))} /></label>
        <label>At most <input type="number" min={1} value={limit} onInput={(e) => setLimit(Number(e.currentTarget.value))} /> transactions</label>
        <label>Group by (request paths, comma-separated) <input value={groupBy} placeholder="insured.address.state" onInput={(e) => setGroupBy(e.currentTarget.value)} /></label>
        <button type="submit" disabled={action.busy || running}>Analyse the draft</button>
      </form>
      <ErrorNote error={action.error} />
      {run && (
        <section aria-live="polite" aria-label="Impact analysis">
          <p>
            Analysis <code>{run.id}</code> of v{run.candidateVersion}: <strong data-testid="impact-status">{run.status}</strong>
            {' '}({run.progress.done ?? 0}{run.progress.total != null ? ` of ${run.progress.total}` : ''} re-rated)
            {running && <button type="button" onClick={() => action.run(async () => setRun(await call(cancelImpactRun({ path: { impact_id: run.id } }))))}>Stop</button>}
          </p>
          {running && <progress max={run.progress.total ?? 1} value={run.progress.done ?? 0} aria-label="Progress" />}
          {run.error && <p class="field-error">{run.error}</p>}
          {run.summary && <Summary summary={run.summary} />}
          {run.summary?.bands && <BandsChart bands={run.summary.bands} />}
          {run.groups && run.groups.length > 0 && (
            <table class="grid"><caption>Groups</caption>
              <thead><tr><th scope="col">Group</th><th scope="col">Re-rated</th><th scope="col">Changed</th><th scope="col">Premium before</th><th scope="col">after</th><th scope="col">p95 change</th></tr></thead>
              <tbody>{run.groups.map((g, i) => (
                <tr key={i}><td>{Object.entries(g.key).map(([k, v]) => `${k}=${String(v)}`).join(', ')}</td><td class="num">{g.rerated}</td><td class="num">{g.changed}</td>
                  <td class="num">{money(g.premiumBefore)}</td><td class="num">{money(g.premiumAfter)}</td><td class="num">{pct(g.deltaPct?.p95)}</td></tr>
              ))}</tbody>
            </table>
          )}
          {run.largest && run.largest.length > 0 && (
            <table class="grid"><caption>Largest changes</caption>
              <thead><tr><th scope="col">Transaction</th><th scope="col">Premium before</th><th scope="col">after</th><th scope="col">Change</th><th scope="col">Re-rating</th></tr></thead>
              <tbody>{run.largest.map((l) => (
                <tr key={l.transactionId}><td><Link to={`/transactions/${l.transactionId}`}>{l.transactionId.slice(0, 8)}</Link></td>
                  <td class="num">{money(l.premiumBefore)}</td><td class="num">{money(l.premiumAfter)}</td><td class="num">{pct(l.deltaPct)}</td>
                  <td>{l.rerateTransactionId && <Link to={`/transactions/${l.rerateTransactionId}`}>{l.rerateTransactionId.slice(0, 8)}</Link>}</td></tr>
              ))}</tbody>
            </table>
          )}
        </section>
      )}
    </>
  );
}

function Summary({ summary: s }: { summary: ImpactSummary }) {
  const total = s.premiumBefore ? (100 * ((s.premiumAfter ?? 0) - s.premiumBefore)) / s.premiumBefore : undefined;
  return (
    <dl class="facts" data-testid="impact-summary">
      <div><dt>Re-rated</dt><dd>{s.rerated ?? 0}</dd></div>
      <div><dt>Changed</dt><dd>{s.changed ?? 0}</dd></div>
      <div><dt>Unchanged</dt><dd>{s.unchanged ?? 0}</dd></div>
      <div><dt>Newly failed</dt><dd>{s.newlyFailed ?? 0}</dd></div>
      <div><dt>Premium</dt><dd>{money(s.premiumBefore)} → {money(s.premiumAfter)} ({pct(total)})</dd></div>
      <div><dt>Change p50 / p95</dt><dd>{pct(s.deltaPct?.p50)} / {pct(s.deltaPct?.p95)}</dd></div>
      <div><dt>min / max</dt><dd>{pct(s.deltaPct?.min)} / {pct(s.deltaPct?.max)}</dd></div>
    </dl>
  );
}

const bandName = (b: Band): string =>
  b.from === 0 && b.to === 0 ? 'no change' : b.from == null ? `below ${b.to} %` : b.to == null ? `above ${b.from} %` : `${b.from} to ${b.to} %`;

/** Transactions per band of premium change, as horizontal bars. */
export function BandsChart({ bands }: { bands: Band[] }) {
  const max = Math.max(1, ...bands.map((b) => b.count ?? 0));
  const row = 26;
  const width = 520;
  const labels = 110;
  const height = bands.length * row + 10;
  return (
    <figure>
      <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-labelledby="bands-title">
        <title id="bands-title">Transactions per band of premium change: {bands.map((b) => `${bandName(b)} ${b.count ?? 0}`).join(', ')}</title>
        {bands.map((b, i) => {
          const w = ((width - labels - 60) * (b.count ?? 0)) / max;
          const y = i * row + 5;
          const kind = b.from === 0 && b.to === 0 ? 'same' : (b.to ?? 1) <= 0 ? 'down' : 'up';
          return (
            <g key={i}>
              <text x={labels - 8} y={y + 16} text-anchor="end" class="chart-label">{bandName(b)}</text>
              <rect x={labels} y={y + 3} width={Math.max(w, 1)} height={row - 8} class={`bar ${kind}`} />
              <text x={labels + w + 6} y={y + 16} class="chart-label">{b.count ?? 0}</text>
            </g>
          );
        })}
      </svg>
      <figcaption>Premium change per band (decreases left of no change, increases right).</figcaption>
    </figure>
  );
}
