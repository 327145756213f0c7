// The flow's steps in order, each with a form from its step type's config schema: add,
// remove, reorder, save as the draft, publish with a reason and an effective date. The
// problems publishing finds are shown at the step and field they concern.
import {
  createFlowVersion, listStepTypes, publishFlowVersion, updateDraft, type StepDraft,
} from '@insurratex/client';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call } from '../api';
import { SchemaForm } from '../SchemaForm';
import { ErrorNote, Pending, today, useAction, useLoad } from '../ui';
import type { TabProps } from './Product';

type Problem = { step?: number; field?: string; message?: string };

export function FlowTab({ code, endpoint, flow }: TabProps) {
  const types = useLoad(() => call(listStepTypes()), []);
  const base = flow.data?.draft ?? flow.data?.published;
  const [steps, setSteps] = useState<StepDraft[]>([]);
  const [dirty, setDirty] = useState(false);
  const [adding, setAdding] = useState('');
  const [reason, setReason] = useState('');
  const [effective, setEffective] = useState('');
  const [description, setDescription] = useState('');
  const save = useAction();
  const publish = useAction();
  const [published, setPublished] = useState<string>();
  useEffect(() => {
    setSteps((base?.steps ?? []) as unknown as StepDraft[]);
    setDirty(false);
  }, [base?.version, base?.status]);
  if (!flow.data || !types.data) return <><Pending loaded={flow} /><Pending loaded={types} /></>;
  const schemaOf = (type: string) => types.data!.find((t) => t.name === type)?.configSchema ?? {};
  const edit = (next: StepDraft[]) => {
    setSteps(next);
    setDirty(true);
  };
  const move = (i: number, by: number) => {
    const next = [...steps];
    [next[i], next[i + by]] = [next[i + by], next[i]];
    edit(next);
  };
  const draft = flow.data.draft;
  const saveDraft = () => save.run(async () => {
    const body = { steps, changeDescription: description || draft?.changeDescription || '' };
    if (draft) await call(updateDraft({ path: { code, endpoint, number: draft.version }, body }));
    else await call(createFlowVersion({ path: { code, endpoint }, body }));
    setDirty(false);
    flow.reload();
  });
  const doPublish = (event: Event) => {
    event.preventDefault();
    return publish.run(async () => {
      if (!draft) throw new ApiError(0, 'NO_DRAFT', 'There is no draft to publish: save one first.');
      const done = await call(publishFlowVersion({
        path: { code, endpoint, number: draft.version },
        body: { reason, effectiveFrom: effective || null },
      }));
      setPublished(`Published v${done.version}${done.effectiveFrom ? ` effective ${done.effectiveFrom}` : ''}.`);
      flow.reload();
    });
  };
  const problems: Problem[] = publish.error instanceof ApiError && Array.isArray(publish.error.details.problems)
    ? (publish.error.details.problems as Problem[]) : [];
  return (
    <>
      <p class="hint">
        {draft ? `Editing draft v${draft.version}.` : base ? `No draft: saving creates one from v${base.version}.` : 'No flow yet: saving creates its first draft.'}
      </p>
      <ol class="steps">
        {steps.map((step, i) => {
          const mine = problems.filter((p) => p.step === i);
          const errors: Record<string, string> = {};
          for (const p of mine) if (p.field?.startsWith('config.')) errors[p.field.slice(7).split('.')[0]] = p.message ?? '';
          const id = `step-${i}`;
          return (
            <li key={`${i}-${step.name}`} class={mine.length ? 'step invalid' : 'step'}>
              <fieldset>
                <legend>{i + 1}. {step.name} <span class="hint">({step.type})</span></legend>
                <div class="row">
                  <label>Name <input value={step.name} onInput={(e) => edit(steps.map((s, j) => (j === i ? { ...s, name: e.currentTarget.value } : s)))} /></label>
                  <button type="button" disabled={i === 0} onClick={() => move(i, -1)} aria-label={`Move ${step.name} up`}>↑</button>
                  <button type="button" disabled={i === steps.length - 1} onClick={() => move(i, 1)} aria-label={`Move ${step.name} down`}>↓</button>
                  <button type="button" onClick={() => edit(steps.filter((_, j) => j !== i))} aria-label={`Remove ${step.name}`}>Remove</button>
                </div>
                {mine.filter((p) => !p.field?.startsWith('config.')).map((p, k) => (
                  <p key={k} class="field-error" role="alert">{p.field}: {p.message}</p>
                ))}
                <details open={mine.length > 0}>
                  <summary>Config</summary>
                  <SchemaForm schema={schemaOf(step.type)} idPrefix={id} errors={errors}
                    value={(step.config ?? {}) as Record<string, unknown>}
                    onChange={(config) => edit(steps.map((s, j) => (j === i ? { ...s, config } : s)))} />
                </details>
              </fieldset>
            </li>
          );
        })}
      </ol>
      <div class="row">
        <label>
          Add a step of type{' '}
          <select value={adding} onChange={(e) => setAdding(e.currentTarget.value)}>
            <option value="">choose…</option>
            {types.data.map((t) => <option key={t.name} value={t.name}>{t.name}</option>)}
          </select>
        </label>
        <button type="button" disabled={!adding} onClick={() => edit([...steps, { name: `${adding} ${steps.length + 1}`, type: adding, config: {} }])}>Add step</button>
      </div>
      <div class="row">
        <label>Change description <input value={description} onInput={(e) => setDescription(e.currentTarget.value)} /></label>
        <button type="button" onClick={saveDraft} disabled={save.busy}>{draft ? 'Save draft' : 'Create draft'}</button>
        {dirty && <span class="hint">unsaved changes</span>}
      </div>
      <ErrorNote error={save.error} />
      <form class="panel" onSubmit={doPublish} aria-label="Publish the draft">
        <h3>Publish {draft ? `draft v${draft.version}` : ''}</h3>
        <div class="row">
          <label>Reason <input name="reason" required value={reason} onInput={(e) => setReason(e.currentTarget.value)} /></label>
          <label>Effective from <input name="effectiveFrom" type="date" min={today()} value={effective} onInput={(e) => setEffective(e.currentTarget.value)} /></label>
          <button type="submit" disabled={publish.busy || !draft || dirty}>Publish</button>
        </div>
        <p class="hint">Without a date it takes effect now. Save the draft first; publishing checks every step.</p>
        <ErrorNote error={publish.error} />
        {published && <p role="status" class="ok">{published}</p>}
      </form>
    </>
  );
}
