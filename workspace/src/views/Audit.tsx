// The product's audit trail: its flow versions (created, published, rolled back), its own
// settings, its rules and mappings, newest first.
import { listAuditLog, listMappings, listRules } from '@insurratex/client';
import { useState } from 'preact/hooks';
import { call, everyPage } from '../api';
import { Json, Pending, useLoad, when } from '../ui';
import type { TabProps } from './Product';

export function AuditTab({ code }: TabProps) {
  const [action, setAction] = useState('');
  const entries = useLoad(async () => {
    const [log, rules, mappings] = await Promise.all([
      call(listAuditLog({ query: { pageSize: 200, action: action || null } })),
      everyPage((page) => call(listRules({ path: { code }, query: { page, pageSize: 500 } })), 500),
      call(listMappings({ path: { code }, query: { pageSize: 200 } })),
    ]);
    const names = new Set([...rules.map((r) => r.name), ...mappings.map((m) => m.name)]);
    return log.items.filter((e) =>
      e.entityName === code || e.entityName?.startsWith(`${code}/`) ||
      ((e.entityType === 'rule' || e.entityType === 'mapping') && names.has(e.entityName ?? '')));
  }, [code, action]);
  return (
    <>
      <label>Action{' '}
        <select value={action} onChange={(e) => setAction(e.currentTarget.value)}>
          {['', 'CREATE', 'UPDATE', 'DELETE', 'PUBLISH', 'ROLLBACK', 'IMPACT', 'CANCEL', 'RERATE'].map((a) => <option key={a} value={a}>{a || 'any'}</option>)}
        </select>
      </label>
      <Pending loaded={entries} />
      <table class="grid audit">
        <caption>Audit trail of {code} (the organization's latest 200 entries)</caption>
        <thead><tr><th scope="col">When</th><th scope="col">Action</th><th scope="col">What</th><th scope="col">Who</th><th scope="col">Changes</th></tr></thead>
        <tbody>
          {entries.data?.map((e) => (
            <tr key={e.id} data-action={e.action}>
              <td>{when(e.createdAt)}</td><td><strong>{e.action}</strong></td><td>{e.entityType} {e.entityName}</td><td>{e.actor ?? '—'}</td>
              <td>{e.changes && <details><summary>{summaryOf(e.changes)}</summary><Json value={e.changes} label="Changes" /></details>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function summaryOf(changes: Record<string, unknown>): string {
  const after = changes.after as Record<string, unknown> | undefined;
  if (after && typeof after.reason === 'string') return `v${after.version}: ${after.reason}${after.effectiveFrom ? ` (effective ${after.effectiveFrom})` : ''}`;
  return 'changes';
}
