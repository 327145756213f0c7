// A mapping edited as a table (source, target, transform and its arguments, default,
// required), previewed live on the product's sample request by the API's mapping engine;
// a problem is shown on the row it concerns.
import {
  getMapping, listMappings, previewMapping, putMapping, type FieldMappingInput, type MappingPublic,
} from '@insurratex/client';
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, answered, call } from '../api';
import { debounce, keepSample, parseJson, sampleOf } from '../flow';
import { ErrorNote, Json, Pending, useAction, useLoad } from '../ui';
import type { TabProps } from './Product';

export function MappingsTab({ code }: TabProps) {
  const mappings = useLoad(() => call(listMappings({ path: { code }, query: { pageSize: 200 } })), [code]);
  const [selected, setSelected] = useState<string>();
  useEffect(() => {
    if (!selected && mappings.data?.length) setSelected(mappings.data[0].name);
  }, [mappings.data]);
  return (
    <>
      <Pending loaded={mappings} />
      <label>
        Mapping{' '}
        <select value={selected} onChange={(e) => setSelected(e.currentTarget.value)}>
          {(mappings.data ?? []).map((m) => <option key={m.name} value={m.name}>{m.name} ({m.direction ?? 'request'})</option>)}
        </select>
      </label>
      {selected && <MappingEditor key={selected} code={code} name={selected} />}
    </>
  );
}

const text = (v: unknown): string => (v === undefined || v === null ? '' : JSON.stringify(v));

function MappingEditor({ code, name }: { code: string; name: string }) {
  const loaded = useLoad(async () => {
    const { data, response } = await answered(getMapping({ path: { code, name } }));
    return { mapping: data as MappingPublic, etag: response.headers.get('etag') ?? '*' };
  }, [code, name]);
  const [fields, setFields] = useState<FieldMappingInput[]>([]);
  const [sample, setSample] = useState(sampleOf(code));
  const [preview, setPreview] = useState<{ document?: unknown; error?: unknown; applied?: number }>({});
  const save = useAction();
  const [saved, setSaved] = useState<string>();
  useEffect(() => {
    if (loaded.data) setFields(loaded.data.mapping.fields as FieldMappingInput[]);
  }, [loaded.data]);
  const direction = loaded.data?.mapping.direction ?? 'request';
  useEffect(() => debounce(() => {
    if (!loaded.data) return;
    const parsed = parseJson(sample);
    if (parsed.error) return setPreview({ error: new ApiError(0, 'SAMPLE_NOT_JSON', parsed.error) });
    keepSample(code, sample);
    call(previewMapping({ path: { code }, body: { mapping: { name, direction, fields }, sample: parsed.value as Record<string, unknown> } })).then(
      (p) => setPreview({ document: p.document, applied: p.fieldsApplied }),
      (error) => setPreview({ error }),
    );
  }, 300), [JSON.stringify(fields), sample, loaded.data]);
  if (!loaded.data) return <Pending loaded={loaded} />;
  const problems = preview.error instanceof ApiError && Array.isArray(preview.error.details.problems)
    ? (preview.error.details.problems as { field?: string; message?: string }[]) : [];
  const rowError = (i: number) => problems.filter((p) => p.field === `fields[${i}]` || p.field?.startsWith(`fields[${i}].`)).map((p) => p.message).join('; ');
  const setField = (i: number, patch: Partial<FieldMappingInput>) => setFields(fields.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  const json = (i: number, key: 'args' | 'default' | 'items', value: string) => {
    const parsed = value.trim() === '' ? { value: undefined } : parseJson(value);
    if (!parsed.error) setField(i, { [key]: parsed.value } as Partial<FieldMappingInput>);
  };
  const submit = () => save.run(async () => {
    await answered(putMapping({ path: { code, name }, body: { direction, fields }, headers: { 'If-Match': loaded.data!.etag } }));
    setSaved(`Saved "${name}": a draft picks it up; published versions keep the copy they pinned.`);
    loaded.reload();
  });
  return (
    <>
      <table class="grid mapping">
        <caption>{name}: {fields.length} fields ({direction})</caption>
        <thead>
          <tr><th scope="col">#</th><th scope="col">Source</th><th scope="col">Target</th><th scope="col">Transform</th>
            <th scope="col">Arguments (JSON)</th><th scope="col">Default (JSON)</th><th scope="col">Required</th><th scope="col">Per element (JSON)</th><th scope="col"><span class="sr-only">Actions</span></th></tr>
        </thead>
        <tbody>
          {fields.map((f, i) => {
            const error = rowError(i);
            const row = `Field ${i + 1}`;
            return (
              <Fragment key={i}>
                <tr class={error ? 'invalid' : ''}>
                  <th scope="row">{i + 1}</th>
                  <td><input class="expr" aria-label={`${row} source`} value={f.source ?? ''} onInput={(e) => setField(i, { source: e.currentTarget.value || null })} /></td>
                  <td><input class="expr" aria-label={`${row} target`} value={f.target} onInput={(e) => setField(i, { target: e.currentTarget.value })} /></td>
                  <td><input aria-label={`${row} transform`} value={f.transform ?? ''} onInput={(e) => setField(i, { transform: e.currentTarget.value || null })} /></td>
                  <td><input class="expr" aria-label={`${row} arguments`} defaultValue={f.args && Object.keys(f.args).length ? text(f.args) : ''} onInput={(e) => json(i, 'args', e.currentTarget.value)} /></td>
                  <td><input class="expr" aria-label={`${row} default`} defaultValue={text(f.default)} onInput={(e) => json(i, 'default', e.currentTarget.value)} /></td>
                  <td><input type="checkbox" aria-label={`${row} required`} checked={Boolean(f.required)} onChange={(e) => setField(i, { required: e.currentTarget.checked })} /></td>
                  <td><input class="expr" aria-label={`${row} per element`} defaultValue={text(f.items)} onInput={(e) => json(i, 'items', e.currentTarget.value)} /></td>
                  <td><button type="button" aria-label={`Remove field ${i + 1}`} onClick={() => setFields(fields.filter((_, j) => j !== i))}>Remove</button></td>
                </tr>
                {error && <tr class="invalid"><td colSpan={9} class="field-error" role="alert">Field {i + 1}: {error}</td></tr>}
              </Fragment>
            );
          })}
        </tbody>
      </table>
      <div class="row">
        <button type="button" onClick={() => setFields([...fields, { source: '', target: 'new.field' }])}>Add field</button>
        <button type="button" onClick={submit} disabled={save.busy}>Save mapping</button>
      </div>
      <ErrorNote error={save.error} />
      {saved && <p role="status" class="ok">{saved}</p>}
      <div class="split">
        <div>
          <label for="mapping-sample">Sample {direction} (JSON)</label>
          <textarea id="mapping-sample" rows={16} spellcheck={false} value={sample} onInput={(e) => setSample(e.currentTarget.value)} />
        </div>
        <div aria-live="polite">
          <h3>Preview</h3>
          {preview.error ? <ErrorNote error={preview.error} /> : preview.document !== undefined
            ? <><p class="hint">{preview.applied} field(s) applied</p><Json value={preview.document} label="The mapped document" /></> : <p>…</p>}
        </div>
      </div>
    </>
  );
}
