// The thin layer over the generated client (@insurratex/client, from docs/openapi.json):
// the API key from session storage on every call, and every refusal turned into an
// ApiError carrying the API's code and message, which the views show as they are.
import { client } from '@insurratex/client';

const KEY = 'irx.apiKey';

export const apiKey = (): string | null => sessionStorage.getItem(KEY);
export const forgetKey = (): void => sessionStorage.removeItem(KEY);
export const keepKey = (key: string): void => sessionStorage.setItem(KEY, key);

client.setConfig({
  baseUrl: '',
  auth: (scheme) => (scheme.type === 'apiKey' ? (apiKey() ?? undefined) : undefined),
});

/** A refusal of the API (or of the network), as the user reads it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The problem's extension members: `problems`, `missing`, `target`, `step`... */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

type Answer<T> = { data?: T; error?: unknown; response?: Response };

/** The answer's body, or an ApiError. */
export async function call<T>(pending: Promise<Answer<T>>): Promise<T> {
  return (await answered(pending)).data;
}

/** The answer's body and its response (for an ETag or a Location), or an ApiError. */
export async function answered<T>(pending: Promise<Answer<T>>): Promise<{ data: T; response: Response }> {
  let answer: Answer<T>;
  try {
    answer = await pending;
  } catch (exc) {
    throw new ApiError(0, 'NETWORK_ERROR', `The API could not be reached: ${String(exc)}`);
  }
  const { data, error, response } = answer;
  if (error !== undefined || !response || !response.ok) {
    throw refusal(error, response);
  }
  return { data: data as T, response };
}

function refusal(error: unknown, response: Response | undefined): ApiError {
  const status = response?.status ?? 0;
  if (error && typeof error === 'object') {
    const body = error as Record<string, unknown>;
    if (typeof body.code === 'string') {
      // v2: RFC 9457 problem details, the catalog code and details as members.
      const { code, detail, title, type: _t, status: _s, instance: _i, ...details } = body;
      return new ApiError(status, code, String(detail ?? title ?? ''), details);
    }
    const envelope = body.error as Record<string, unknown> | undefined;
    if (envelope && typeof envelope.code === 'string') {
      return new ApiError(status, envelope.code, String(envelope.message ?? ''),
        (envelope.details as Record<string, unknown>) ?? {});
    }
  }
  return new ApiError(status, `HTTP_${status}`, typeof error === 'string' && error ? error : `HTTP ${status}`);
}

/** What the workspace needs to know beyond the API: where the Temporal Web UI is. */
export type WorkspaceConfig = { temporalUiUrl: string | null };
let config: Promise<WorkspaceConfig> | undefined;
export function workspaceConfig(): Promise<WorkspaceConfig> {
  config ??= fetch('/workspace/config.json')
    .then((r) => (r.ok ? r.json() : { temporalUiUrl: null }))
    .catch(() => ({ temporalUiUrl: null }));
  return config;
}

export const runLink = (ui: string | null, transactionId: string): string | null =>
  ui ? `${ui.replace(/\/$/, '')}/namespaces/default/workflows/rate-${transactionId}` : null;

/** Every item of a paged listing (`page(n)` answers page n of `size` items). */
export async function everyPage<T>(page: (n: number) => Promise<T[]>, size: number): Promise<T[]> {
  const all: T[] = [];
  for (let n = 1; ; n++) {
    const items = await page(n);
    all.push(...items);
    if (items.length < size || n >= 100) return all;
  }
}
