// One transaction: its outcome, steps, errors and worksheet, its run in the Temporal Web
// UI, and a re-rating of it (a simulation on the version it ran, compared field by field).
import { getTransaction, rerateTransaction, type RerateResult } from '@insurratex/client';
import { useState } from 'preact/hooks';
import { call } from '../api';
import { ErrorNote, Link, Pending, useAction, useLoad, when } from '../ui';
import { RunResult } from './Run';

export function TransactionView({ id }: { id: string }) {
  const loaded = useLoad(() => call(getTransaction({ path: { transaction_id: id } })), [id]);
  const action = useAction();
  const [rerated, setRerated] = useState<RerateResult>();
  const t = loaded.data;
  return (
    <>
      <p><Link to="/transactions">← Transactions</Link></p>
      <h1>Transaction <code>{id}</code></h1>
      <Pending loaded={loaded} />
      {t && (
        <>
          <p>{t.productCode} /{t.endpoint} · started {when(t.startedAt)} · correlation id <code>{t.correlationId}</code>
            {t.replayOf && <> · re-rating of <Link to={`/transactions/${t.replayOf}`}>{t.replayOf.slice(0, 8)}</Link></>}</p>
          <RunResult run={t} linkTransaction={false} />
          <div class="row">
            <button type="button" disabled={action.busy || t.status === 'running'}
              onClick={() => action.run(async () => setRerated(await call(rerateTransaction({ path: { transaction_id: id } }))))}>Re-rate</button>
          </div>
          <ErrorNote error={action.error} />
          {rerated && (
            <p role="status">{rerated.identical ? 'Identical' : `${rerated.differenceCount} difference(s)`} on v{rerated.flowVersion}:{' '}
              <Link to={`/transactions/${rerated.transactionId}`}>the re-rating</Link></p>
          )}
        </>
      )}
    </>
  );
}
