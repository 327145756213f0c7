// The product's rules: a filterable list, and an editor that validates as you type (the
// API's own checks, nothing saved) and saves into the draft. A lookup's decision table is
// edited in a plain table (DecisionTable).
import {
  createFlowVersion, listRules, putRule, validateRule, type Rule, type RuleAction, type RulePublic,
} from '@insurratex/client';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, answered, call, everyPage } from '../api';
import { debounce } from '../flow';
import { JsonField } from '../SchemaForm';
import { ErrorNote, Pending, useAction, useLoad } from '../ui';
import { DecisionTable } from './DecisionTable';
import type { TabProps } from './Product';

const ACTIONS = ['set', 'add', 'multiply', 'surcharge', 'discount', 'reject', 'lookup'] as const;

export function RulesTab({ code, endpoint, flow }: TabProps) {
  const rules = useLoad(() => everyPage((page) => call(listRules({ path: { code }, query: { page, pageSize: 500 } })), 500), [code]);
  const [filter, setFilter] = useState('');
  const [selected, setSelected] = useState<string>();
  const shown = useMemo(() => {
    const f = filter.toLowerCase();
    return (rules.data ?? []).filter((r) => r.name.toLowerCase().includes(f));
  }, [rules.data, filter]);
  const rule = rules.data?.find((r) => r.name === selected);
  return (
    <div class="split">
      <div class="list-pane">
        <label>Filter rules <input type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} /></label>
        <Pending loaded={rules} />
        <ul class="pick" aria-label="Rules">
          {shown.map((r) => (
            <li key={r.name}>
              <button type="button" class="link" aria-pressed={r.name === selected} onClick={() => setSelected(r.name)}>
                {r.name}
              </button>
              <span class="hint"> {r.phase === 'pre_rating' ? 'pre' : 'post'} · {r.priority ?? 100}{r.active === false ? ' · off' : ''}</span>
            </li>
          ))}
        </ul>
        <p class="hint">{shown.length} of {rules.data?.length ?? 0} rules</p>
      </div>
      <div class="edit-pane">
        {rule ? <RuleEditor key={rule.name} code={code} endpoint={endpoint} saved={rule} flow={flow}
          onSaved={rules.reload} /> : <p>Choose a rule to edit it.</p>}
      </div>
    </div>
  );
}

const parseValue = (text: string): string | number | boolean =>
  /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text === 'true' ? true : text === 'false' ? false : text;

function RuleEditor(props: { code: string; endpoint: string; saved: RulePublic; flow: TabProps['flow']; onSaved: () => void }) {
  const { code, endpoint, saved, flow } = props;
  const [rule, setRule] = useState<Rule>(() => {
    const { revision: _r, updatedAt: _u, ...content } = saved;
    return content;
  });
  const [check, setCheck] = useState<{ ok?: string; error?: unknown }>({});
  const save = useAction();
  const [done, setDone] = useState<string>();
  useEffect(() => debounce(() => {
    call(validateRule({ path: { code }, body: rule })).then(
      (r) => setCheck({ ok: `Valid: ${r.expressions} expression(s) checked.` }),
      (error) => setCheck({ error }),
    );
  }, 300), [JSON.stringify(rule)]);
  const problems = check.error instanceof ApiError && Array.isArray(check.error.details.problems)
    ? (check.error.details.problems as { at?: string; message?: string; loc?: unknown[]; msg?: string }[]) : [];
  const errorAt = (at: string) => problems.filter((p) => p.at === at || (Array.isArray(p.loc) && p.loc.join('.').endsWith(at.replace(/\[(\d+)\]/g, '.$1')))).map((p) => p.message ?? p.msg).join('; ') || undefined;
  const setAction = (i: number, patch: Partial<RuleAction>) =>
    setRule({ ...rule, actions: rule.actions.map((a, j) => (j === i ? { ...a, ...patch } : a)) });
  const submit = (event: Event) => {
    event.preventDefault();
    return save.run(async () => {
      const { name: _n, ...content } = rule;
      await answered(putRule({ path: { code, name: saved.name }, body: content, headers: { 'If-Match': `"r${saved.revision}"` } }));
      let note = `Saved "${saved.name}".`;
      if (!flow.data?.draft) {
        const published = flow.data?.published;
        if (published) {
          const draft = await call(createFlowVersion({ path: { code, endpoint }, body: { steps: published.steps as never, changeDescription: `${saved.name} edited` } }));
          note += ` Draft v${draft.version} created from v${published.version}.`;
        }
      } else note += ` Draft v${flow.data.draft.version} picks it up.`;
      setDone(note);
      flow.reload();
      props.onSaved();
    });
  };
  return (
    <form onSubmit={submit} aria-label={`Rule ${saved.name}`}>
      <h3>{saved.name} <span class="hint">revision {saved.revision}</span></h3>
      <div class="row">
        <label>Phase <select value={rule.phase} onChange={(e) => setRule({ ...rule, phase: e.currentTarget.value as Rule['phase'] })}>
          <option value="pre_rating">pre-rating</option><option value="post_rating">post-rating</option></select></label>
        <label>Priority <input type="number" value={rule.priority ?? 100} onInput={(e) => setRule({ ...rule, priority: Number(e.currentTarget.value) })} /></label>
        <label><input type="checkbox" checked={rule.active !== false} onChange={(e) => setRule({ ...rule, active: e.currentTarget.checked })} /> Active</label>
        <label>Effective from <input type="date" value={rule.effectiveFrom ?? ''} onInput={(e) => setRule({ ...rule, effectiveFrom: e.currentTarget.value || null })} /></label>
        <label>to <input type="date" value={rule.effectiveTo ?? ''} onInput={(e) => setRule({ ...rule, effectiveTo: e.currentTarget.value || null })} /></label>
      </div>
      <div class="row">
        <label>For each <input value={rule.forEach ?? ''} placeholder="(the document)" onInput={(e) => setRule({ ...rule, forEach: e.currentTarget.value || null })} /></label>
      </div>
      <JsonField id="rule-scope" label="Scope (JSON: tags the run must match)" value={rule.scope ?? {}} onChange={(v) => setRule({ ...rule, scope: (v ?? {}) as Rule['scope'] })} rows={2} />
      <fieldset>
        <legend>Conditions (all must hold; none: always)</legend>
        {(rule.conditions ?? []).map((c, i) => {
          const error = errorAt(`conditions[${i}]`);
          return (
            <div class={error ? 'field invalid' : 'field'} key={i}>
              <label for={`rule-condition-${i}`}>Condition {i + 1}</label>
              <div class="row">
                <input id={`rule-condition-${i}`} class="expr" value={c} spellcheck={false} aria-invalid={error ? true : undefined}
                  aria-describedby={error ? `rule-condition-${i}-error` : undefined}
                  onInput={(e) => setRule({ ...rule, conditions: rule.conditions!.map((x, j) => (j === i ? e.currentTarget.value : x)) })} />
                <button type="button" aria-label={`Remove condition ${i + 1}`} onClick={() => setRule({ ...rule, conditions: rule.conditions!.filter((_, j) => j !== i) })}>Remove</button>
              </div>
              {error && <small class="field-error" id={`rule-condition-${i}-error`}>{error}</small>}
            </div>
          );
        })}
        <button type="button" onClick={() => setRule({ ...rule, conditions: [...(rule.conditions ?? []), ''] })}>Add condition</button>
      </fieldset>
      {rule.actions.map((a, i) => {
        const valueError = errorAt(`actions[${i}].value`);
        return (
          <fieldset key={i}>
            <legend>Action {i + 1}</legend>
            <div class="row">
              <label>Type <select value={a.type} onChange={(e) => setAction(i, { type: e.currentTarget.value as RuleAction['type'] })}>
                {ACTIONS.map((t) => <option key={t} value={t}>{t}</option>)}</select></label>
              <label>Target <input class="expr" value={a.target ?? ''} onInput={(e) => setAction(i, { target: e.currentTarget.value || null })} /></label>
              {a.type !== 'lookup' && a.type !== 'reject' && (
                <div class={valueError ? 'field invalid' : 'field'}>
                  <label for={`rule-action-${i}-value`}>Value (number or expression)</label>
                  <input id={`rule-action-${i}-value`} class="expr" value={a.value == null ? '' : String(a.value)} spellcheck={false}
                    aria-invalid={valueError ? true : undefined} aria-describedby={valueError ? `rule-action-${i}-value-error` : undefined}
                    onInput={(e) => setAction(i, { value: parseValue(e.currentTarget.value) })} />
                  {valueError && <small class="field-error" id={`rule-action-${i}-value-error`}>{valueError}</small>}
                </div>
              )}
              {a.type === 'reject' && <label>Reason <input value={a.reason ?? ''} onInput={(e) => setAction(i, { reason: e.currentTarget.value || null })} /></label>}
              {a.type === 'lookup' && <label>Output <input value={a.output ?? ''} onInput={(e) => setAction(i, { output: e.currentTarget.value || null })} /></label>}
            </div>
            {a.type === 'lookup' && a.table && (
              <DecisionTable graph={a.table} error={errorAt(`actions[${i}].table`)} onChange={(table) => setAction(i, { table })} />
            )}
          </fieldset>
        );
      })}
      <div class="row">
        <button type="submit" disabled={save.busy || Boolean(check.error)}>Save to draft</button>
        <span role="status" class={check.error ? 'bad' : 'ok'}>{check.error ? 'Invalid, see below' : check.ok ?? 'Checking…'}</span>
      </div>
      {check.error != null && <ErrorNote error={check.error} />}
      <ErrorNote error={save.error} />
      {done && <p role="status" class="ok">{done}</p>}
    </form>
  );
}
