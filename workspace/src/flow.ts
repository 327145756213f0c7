// A product endpoint's flow versions, and which of them is the draft and which is published.
import { listFlowVersions, type FlowVersionPublic } from '@insurratex/client';
import { call } from './api';
import { useLoad } from './ui';

export type Flow = { versions: FlowVersionPublic[]; draft?: FlowVersionPublic; published?: FlowVersionPublic };

export function useFlow(code: string, endpoint: string) {
  return useLoad(async (): Promise<Flow> => {
    const versions = await call(listFlowVersions({ path: { code, endpoint }, query: { pageSize: 100 } }));
    const newest = (status: string) =>
      versions.filter((v) => v.status === status).sort((a, b) => b.version - a.version)[0];
    return { versions, draft: newest('draft'), published: newest('published') };
  }, [code, endpoint]);
}

/** Remembered per product for this tab: the sample request the views try things on. */
export const sampleOf = (code: string): string => sessionStorage.getItem(`irx.sample.${code}`) ?? '{}';
export const keepSample = (code: string, text: string): void => sessionStorage.setItem(`irx.sample.${code}`, text);

/** `text` as JSON, or the reason it is not. */
export function parseJson(text: string): { value?: unknown; error?: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (exc) {
    return { error: (exc as Error).message };
  }
}

/** A debounced effect: `fn` runs `wait` ms after the last change of `deps`. */
export function debounce(fn: () => void, wait: number): () => void {
  const timer = setTimeout(fn, wait);
  return () => clearTimeout(timer);
}
