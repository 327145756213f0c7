// Shared pieces of the views: links, loading, errors shown with their code, formats.
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from './api';
import { BASE, onLink } from './router';

export function Link(props: { to: string; children: ComponentChildren; current?: boolean }) {
  return (
    <a href={BASE + props.to} onClick={onLink} aria-current={props.current ? 'page' : undefined}>
      {props.children}
    </a>
  );
}

/** An error as the API said it: its code, then its message (and the field it concerns). */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const e = error instanceof ApiError ? error : new ApiError(0, 'CLIENT_ERROR', String(error));
  const problems = Array.isArray(e.details.problems) ? (e.details.problems as Record<string, unknown>[]) : [];
  return (
    <div class="error" role="alert">
      <strong class="code">{e.code}</strong> {e.message}
      {problems.length > 0 && (
        <ul>
          {problems.map((p, i) => (
            <li key={i}>
              {String(p.field ?? p.at ?? p.path ?? p.step ?? '')}: {String(p.message ?? p.msg ?? JSON.stringify(p))}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export type Loaded<T> = { data?: T; error?: unknown; loading: boolean; reload: () => void };

/** Loads `fn()` when `deps` change; `reload` loads it again. */
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    fn().then(
      (data) => live && setState({ data, loading: false }),
      (error) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

/** What a load shows until it has data: a status line, or its error. */
export function Pending({ loaded }: { loaded: Loaded<unknown> }) {
  if (loaded.error) return <ErrorNote error={loaded.error} />;
  return loaded.loading ? <p role="status">Loading…</p> : null;
}

/** Runs an action (a button's), keeping its busy state and its error. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = useCallback(async <T,>(fn: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      return await fn();
    } catch (exc) {
      setError(exc);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, setError };
}

export function Json({ value, label }: { value: unknown; label?: string }) {
  return (
    <pre class="json" tabIndex={0} aria-label={label}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

export const money = (n: unknown): string =>
  typeof n === 'number' ? n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : '—';
export const pct = (n: unknown): string =>
  typeof n === 'number' ? `${n >= 0 ? '+' : ''}${n.toFixed(2)} %` : '—';
export const ms = (n: unknown): string => (typeof n === 'number' ? `${n.toFixed(1)} ms` : '—');
export const when = (s: unknown): string =>
  typeof s === 'string' && s ? new Date(s).toISOString().replace('T', ' ').slice(0, 19) + 'Z' : '—';
export const today = (): string => new Date().toISOString().slice(0, 10);
