// The draft against the published version: steps added, removed, moved, and every
// changed setting of a step, path by path.
import { diff } from '../diff';
import { Pending } from '../ui';
import type { TabProps } from './Product';

type Step = { name: string; type: string; [key: string]: unknown };

export function DiffTab({ flow }: TabProps) {
  if (!flow.data) return <Pending loaded={flow} />;
  const { draft, published } = flow.data;
  if (!draft) return <p>There is no draft: nothing differs from the published version.</p>;
  const before = (published?.steps ?? []) as Step[];
  const after = draft.steps as Step[];
  const byName = new Map(before.map((s, i) => [s.name, { step: s, index: i }]));
  const names = new Set(after.map((s) => s.name));
  const rows = [
    ...after.map((s, i) => {
      const old = byName.get(s.name);
      if (!old) return { name: s.name, what: 'added', changes: [] };
      const changes = diff(old.step, s);
      const moved = old.index !== i ? `moved from ${old.index + 1} to ${i + 1}` : '';
      return { name: s.name, what: [moved, changes.length ? `${changes.length} change(s)` : ''].filter(Boolean).join(', ') || 'unchanged', changes };
    }),
    ...before.filter((s) => !names.has(s.name)).map((s) => ({ name: s.name, what: 'removed', changes: [] })),
  ];
  return (
    <>
      <p>Draft v{draft.version} {draft.changeDescription ? `(“${draft.changeDescription}”)` : ''} against {published ? `published v${published.version}` : 'nothing published'}.
        Rules and mappings are edited in place: the draft runs the current ones, a published version the copies it pinned (test both in Test, or over past traffic in Impact).</p>
      <table class="grid">
        <caption>Steps</caption>
        <thead><tr><th scope="col">Step</th><th scope="col">Difference</th><th scope="col">Path</th><th scope="col">Published</th><th scope="col">Draft</th></tr></thead>
        <tbody>
          {rows.flatMap((r) => (r.changes.length ? r.changes : [null]).map((c, k) => (
            <tr key={`${r.name}-${k}`} class={r.what === 'unchanged' ? '' : 'changed'}>
              <td>{k === 0 ? r.name : ''}</td>
              <td>{k === 0 ? r.what : ''}</td>
              <td>{c && <code>{c.path}</code>}</td>
              <td>{c && c.kind !== 'added' && <code>{JSON.stringify(c.before)}</code>}</td>
              <td>{c && c.kind !== 'removed' && <code>{JSON.stringify(c.after)}</code>}</td>
            </tr>
          )))}
        </tbody>
      </table>
    </>
  );
}
