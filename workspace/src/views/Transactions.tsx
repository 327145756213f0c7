// The organization's transactions, newest first: filtered by status, product, time and
// correlation id; each opens on its steps, errors and worksheet.
import { listTransactions } from '@insurratex/client';
import { useState } from 'preact/hooks';
import { call } from '../api';
import { ErrorNote, Link, ms, useLoad, when } from '../ui';

type Filters = { status: string; productCode: string; correlationId: string; from: string; to: string };
const NONE: Filters = { status: '', productCode: '', correlationId: '', from: '', to: '' };

export function Transactions() {
  const [form, setForm] = useState<Filters>(NONE);
  const [filters, setFilters] = useState<Filters>(NONE);
  const [page, setPage] = useState(1);
  const listed = useLoad(() => call(listTransactions({
    query: {
      page, pageSize: 50,
      status: (filters.status || null) as never,
      productCode: filters.productCode || null,
      correlationId: filters.correlationId || null,
      from: filters.from ? new Date(filters.from).toISOString() : null,
      to: filters.to ? new Date(filters.to).toISOString() : null,
    },
  })), [filters, page]);
  const field = (key: keyof Filters) => ({ value: form[key], onInput: (e: Event) => setForm({ ...form, [key]: (e.currentTarget as HTMLInputElement).value }) });
  const pages = listed.data ? Math.max(1, Math.ceil(listed.data.total / 50)) : 1;
  return (
    <>
      <h1>Transactions</h1>
      <form class="row filters" aria-label="Filter transactions" onSubmit={(e) => { e.preventDefault(); setPage(1); setFilters(form); }}>
        <label>Status <select value={form.status} onChange={(e) => setForm({ ...form, status: e.currentTarget.value })}>
          {['', 'completed', 'failed', 'timed_out', 'running'].map((s) => <option key={s} value={s}>{s || 'any'}</option>)}</select></label>
        <label>Product <input {...field('productCode')} size={8} /></label>
        <label>Correlation id <input {...field('correlationId')} /></label>
        <label>From <input type="datetime-local" {...field('from')} /></label>
        <label>To <input type="datetime-local" {...field('to')} /></label>
        <button type="submit">Filter</button>
      </form>
      <ErrorNote error={listed.error} />
      {listed.data && (
        <>
          <table class="grid">
            <caption>{listed.data.total} transaction(s), page {page} of {pages}</caption>
            <thead><tr><th scope="col">Transaction</th><th scope="col">Started</th><th scope="col">Product</th><th scope="col">Version</th><th scope="col">Mode</th><th scope="col">Status</th><th scope="col">Duration</th><th scope="col">Correlation id</th></tr></thead>
            <tbody>
              {listed.data.items.map((t) => (
                <tr key={t.transactionId} class={t.status === 'completed' ? '' : 'invalid'}>
                  <td><Link to={`/transactions/${t.transactionId}`}>{t.transactionId.slice(0, 8)}</Link></td>
                  <td>{when(t.startedAt)}</td><td>{t.productCode} /{t.endpoint}</td><td>v{t.flowVersion}</td><td>{t.mode}</td>
                  <td>{t.status}{t.errorCode ? ` (${t.errorCode})` : ''}</td><td class="num">{ms(t.durationMs)}</td><td><code>{t.correlationId}</code></td>
                </tr>
              ))}
            </tbody>
          </table>
          <div class="row">
            <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>Newer</button>
            <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>Older</button>
          </div>
        </>
      )}
    </>
  );
}
