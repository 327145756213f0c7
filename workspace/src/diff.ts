// Differences between two JSON values, path by path (as the API's re-rating reports them).
export type Change = { path: string; kind: 'added' | 'removed' | 'changed'; before?: unknown; after?: unknown };

export function diff(before: unknown, after: unknown, path = '', out: Change[] = []): Change[] {
  if (before === after) return out;
  const isObj = (v: unknown) => typeof v === 'object' && v !== null;
  if (isObj(before) && isObj(after) && Array.isArray(before) === Array.isArray(after)) {
    const a = before as Record<string, unknown>;
    const b = after as Record<string, unknown>;
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const at = Array.isArray(before) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (!(key in b)) out.push({ path: at, kind: 'removed', before: a[key] });
      else if (!(key in a)) out.push({ path: at, kind: 'added', after: b[key] });
      else diff(a[key], b[key], at, out);
    }
    return out;
  }
  out.push({ path: path || '(whole)', kind: 'changed', before, after });
  return out;
}
