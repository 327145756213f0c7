// A small router over the History API: the app's paths live under /workspace/ (the API
// answers every one of them with the app's page), a view is chosen by matching a path.
import { useEffect, useState } from 'preact/hooks';

export const BASE = '/workspace';

const current = (): string => location.pathname.replace(/^\/workspace/, '') || '/';

export function navigate(path: string): void {
  history.pushState(null, '', BASE + path);
  dispatchEvent(new PopStateEvent('popstate'));
}

/** The path under /workspace, re-rendering when it changes. */
export function usePath(): string {
  const [path, setPath] = useState(current());
  useEffect(() => {
    const changed = () => setPath(current());
    addEventListener('popstate', changed);
    return () => removeEventListener('popstate', changed);
  }, []);
  return path;
}

/** The named segments of `path` when it matches `pattern` ("/products/:code/:tab?"). */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean).map(decodeURIComponent);
  const params: Record<string, string> = {};
  for (let i = 0; i < Math.max(want.length, have.length); i++) {
    const part = want[i];
    if (part === undefined) return null;
    if (part.startsWith(':')) {
      const optional = part.endsWith('?');
      if (have[i] === undefined) {
        if (optional) continue;
        return null;
      }
      params[part.slice(1).replace(/\?$/, '')] = have[i];
    } else if (part !== have[i]) return null;
  }
  return params;
}

/** An in-app link: a real href (open in a new tab works), navigation without a reload. */
export function onLink(event: MouseEvent): void {
  const a = (event.currentTarget as HTMLAnchorElement);
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  navigate(a.pathname.replace(/^\/workspace/, '') + a.search);
}
