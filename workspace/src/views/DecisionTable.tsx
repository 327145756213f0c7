// A lookup's decision tables (JDM, GoRules' format, as the rules engine runs them),
// edited as plain accessible tables: a row per rule, a cell per input and output
// expression, paged so a table of thousands of rows stays responsive.
import { useState } from 'preact/hooks';

type Column = { id: string; name?: string; field?: string };
type Row = Record<string, string> & { _id: string };
type Content = { hitPolicy?: string; inputs: Column[]; outputs: Column[]; rules: Row[] };
type Node = { id: string; type: string; name?: string; content?: Content };
type Graph = { nodes?: Node[]; [key: string]: unknown };

const PAGE = 100;

export function DecisionTable(props: { graph: Record<string, unknown>; onChange: (graph: Record<string, unknown>) => void; error?: string }) {
  const graph = props.graph as Graph;
  const tables = (graph.nodes ?? []).filter((n) => n.type === 'decisionTableNode' && n.content);
  const setContent = (id: string, content: Content) =>
    props.onChange({ ...graph, nodes: graph.nodes!.map((n) => (n.id === id ? { ...n, content } : n)) });
  return (
    <div class={props.error ? 'invalid' : ''}>
      {props.error && <p class="field-error" role="alert">{props.error}</p>}
      {tables.map((node) => <Table key={node.id} node={node} onChange={(c) => setContent(node.id, c)} />)}
    </div>
  );
}

function Table({ node, onChange }: { node: Node; onChange: (content: Content) => void }) {
  const content = node.content!;
  const [page, setPage] = useState(0);
  const columns = [...content.inputs.map((c) => ({ ...c, kind: 'input' })), ...content.outputs.map((c) => ({ ...c, kind: 'output' }))];
  const pages = Math.max(1, Math.ceil(content.rules.length / PAGE));
  const first = Math.min(page, pages - 1) * PAGE;
  const rows = content.rules.slice(first, first + PAGE);
  const setCell = (index: number, column: string, value: string) =>
    onChange({ ...content, rules: content.rules.map((r, i) => (i === index ? { ...r, [column]: value } : r)) });
  const title = node.name ?? 'Decision table';
  return (
    <div class="dtable">
      <table class="grid">
        <caption>{title} <span class="hint">(hit policy: {content.hitPolicy ?? 'first'}; an empty input matches anything)</span></caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            {columns.map((c) => <th scope="col" key={c.id} class={c.kind}>{c.kind === 'input' ? 'If ' : 'Then '}{c.name ?? c.id}<div class="hint">{c.field}</div></th>)}
            <th scope="col"><span class="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, k) => {
            const index = first + k;
            return (
              <tr key={r._id ?? index}>
                <th scope="row">{index + 1}</th>
                {columns.map((c) => (
                  <td key={c.id}>
                    <input class="expr" value={r[c.id] ?? ''} spellcheck={false} aria-label={`Row ${index + 1} ${c.name ?? c.id}`}
                      onInput={(e) => setCell(index, c.id, e.currentTarget.value)} />
                  </td>
                ))}
                <td><button type="button" aria-label={`Remove row ${index + 1}`} onClick={() => onChange({ ...content, rules: content.rules.filter((_, i) => i !== index) })}>Remove</button></td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div class="row">
        <button type="button" onClick={() => {
          const row = { _id: `row-${Date.now().toString(36)}` } as Row;
          onChange({ ...content, rules: [...content.rules, row] });
          setPage(Math.floor(content.rules.length / PAGE));
        }}>Add row</button>
        {pages > 1 && (
          <>
            <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>Previous rows</button>
            <span>rows {first + 1}–{first + rows.length} of {content.rules.length}</span>
            <button type="button" disabled={page >= pages - 1} onClick={() => setPage(page + 1)}>Next rows</button>
          </>
        )}
      </div>
    </div>
  );
}
