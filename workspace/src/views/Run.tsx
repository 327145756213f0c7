// One run (a rating's answer or a transaction): outcome, premium, a link to it in the
// Temporal Web UI, then every step with its timing, error and detail, and the rating
// worksheet of the rules steps (which rules fired and why).
import type { StepRecord } from '@insurratex/client';
import { runLink, workspaceConfig } from '../api';
import { ErrorNote, Json, Link, money, ms, useLoad } from '../ui';
import { ApiError } from '../api';

export type Run = {
  transactionId: string;
  status: string;
  mode?: string;
  flowVersion: number;
  durationMs?: number | null;
  result?: unknown;
  error?: { code: string; message: string; step?: string | null; details?: Record<string, unknown> } | null;
  steps?: StepRecord[];
};

export function premiumOf(result: unknown): number | undefined {
  const p = (result as Record<string, unknown> | null)?.premium;
  return typeof p === 'number' ? p : undefined;
}

export function RunResult({ run, linkTransaction = true }: { run: Run; linkTransaction?: boolean }) {
  const config = useLoad(workspaceConfig, []);
  const ui = runLink(config.data?.temporalUiUrl ?? null, run.transactionId);
  return (
    <div class="run">
      <dl class="facts">
        <div><dt>Transaction</dt><dd>{linkTransaction ? <Link to={`/transactions/${run.transactionId}`}>{run.transactionId}</Link> : <code>{run.transactionId}</code>}</dd></div>
        <div><dt>Mode</dt><dd data-testid="mode">{run.mode ?? 'live'}</dd></div>
        <div><dt>Status</dt><dd>{run.status}</dd></div>
        <div><dt>Version</dt><dd>v{run.flowVersion}</dd></div>
        <div><dt>Duration</dt><dd>{ms(run.durationMs)}</dd></div>
        <div><dt>Premium</dt><dd data-testid="premium">{money(premiumOf(run.result))}</dd></div>
        <div><dt>Temporal</dt><dd>{ui ? <a href={ui} target="_blank" rel="noreferrer">Open the run in the Web UI</a> : <span class="hint">no Web UI configured</span>}</dd></div>
      </dl>
      {run.error && <ErrorNote error={new ApiError(0, run.error.code, `${run.error.step ? `${run.error.step}: ` : ''}${run.error.message}`, run.error.details ?? {})} />}
      <Steps steps={run.steps ?? []} />
      {run.result !== undefined && run.result !== null && (
        <details><summary>Result</summary><Json value={run.result} label="The rating's result" /></details>
      )}
    </div>
  );
}

function Steps({ steps }: { steps: StepRecord[] }) {
  if (!steps.length) return null;
  return (
    <table class="grid">
      <caption>Steps</caption>
      <thead><tr><th scope="col">#</th><th scope="col">Step</th><th scope="col">Type</th><th scope="col">Status</th><th scope="col">Time</th><th scope="col">Detail</th></tr></thead>
      <tbody>
        {steps.map((s, i) => (
          <tr key={i} class={s.status === 'failed' ? 'invalid' : ''}>
            <th scope="row">{i + 1}</th>
            <td>{s.name}</td>
            <td>{s.type}</td>
            <td>{s.status}{s.attempts && s.attempts > 1 ? ` (${s.attempts} attempts)` : ''}</td>
            <td class="num">{ms(s.durationMs)}</td>
            <td>
              {s.error && <p class="field-error"><strong>{s.error.code}</strong> {s.error.message}</p>}
              {Array.isArray(s.detail?.worksheet) ? <Worksheet entries={s.detail!.worksheet as Entry[]} step={s.name} />
                : s.detail && Object.keys(s.detail).length > 0 && <details><summary>Detail</summary><Json value={s.detail} label={`${s.name} detail`} /></details>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type Entry = { rule: string; matched?: boolean; fired?: boolean; reason?: string; changes?: { path: string; before: unknown; after: unknown }[]; [k: string]: unknown };

function Worksheet({ entries, step }: { entries: Entry[]; step: string }) {
  const fired = entries.filter((e) => e.fired).length;
  return (
    <details open={fired > 0}>
      <summary>Worksheet: {fired} of {entries.length} rules fired</summary>
      <table class="grid worksheet">
        <caption class="sr-only">{step}: the rating worksheet</caption>
        <thead><tr><th scope="col">Rule</th><th scope="col">Fired</th><th scope="col">Why</th><th scope="col">Changes</th></tr></thead>
        <tbody>
          {entries.map((e, i) => (
            <tr key={i} class={e.fired ? 'fired' : ''}>
              <td>{e.rule}</td>
              <td>{e.fired ? 'yes' : 'no'}</td>
              <td>{e.reason ?? (e.fired ? 'conditions held' : '')}</td>
              <td>{(e.changes ?? []).map((c, k) => <div key={k}><code>{c.path}</code>: {JSON.stringify(c.before)} → {JSON.stringify(c.after)}</div>)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
