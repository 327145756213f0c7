// A form generated from a step type's config JSON Schema: a field per property (text,
// number, checkbox, choice), JSON for anything nested; each labelled, each error beside it.
import { useState } from 'preact/hooks';

type Schema = Record<string, any>;

/** `schema` with a local `$ref` followed and an optional (`anyOf` with null) unwrapped. */
function resolve(schema: Schema, root: Schema): Schema {
  let s = schema;
  for (let i = 0; i < 5 && s; i++) {
    if (typeof s.$ref === 'string' && s.$ref.startsWith('#/')) {
      s = s.$ref.slice(2).split('/').reduce((o: Schema, k: string) => o?.[k], root) ?? {};
    } else if (Array.isArray(s.anyOf)) {
      const some = s.anyOf.filter((o: Schema) => o.type !== 'null');
      s = some.length === 1 ? { ...some[0], description: s.description ?? some[0].description } : s;
      if (some.length !== 1) break;
    } else break;
  }
  return s;
}

export function SchemaForm(props: {
  schema: Schema;
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
  idPrefix: string;
  errors?: Record<string, string>;
}) {
  const { schema, value, onChange, idPrefix, errors = {} } = props;
  const root = schema;
  const properties: Record<string, Schema> = resolve(schema, root).properties ?? {};
  const required = new Set<string>(resolve(schema, root).required ?? []);
  const set = (key: string, v: unknown) => {
    const next = { ...value };
    if (v === undefined) delete next[key];
    else next[key] = v;
    onChange(next);
  };
  const names = Object.keys(properties);
  if (!names.length) return <JsonField id={`${idPrefix}-config`} label="Config (JSON)" value={value} onChange={(v) => onChange((v ?? {}) as Record<string, unknown>)} error={errors['']} />;
  return (
    <div class="form-grid">
      {names.map((key) => {
        const p = resolve(properties[key], root);
        const id = `${idPrefix}-${key}`;
        const label = `${p.title ?? key}${required.has(key) ? ' (required)' : ''}`;
        const error = errors[key];
        const described = error ? `${id}-error` : p.description ? `${id}-help` : undefined;
        const current = value[key];
        let input;
        if (Array.isArray(p.enum)) {
          input = (
            <select id={id} value={current === undefined ? '' : String(current)} aria-describedby={described}
              onChange={(e) => set(key, e.currentTarget.value === '' ? undefined : e.currentTarget.value)}>
              <option value="">(default)</option>
              {p.enum.map((o: unknown) => <option key={String(o)} value={String(o)}>{String(o)}</option>)}
            </select>
          );
        } else if (p.type === 'boolean') {
          input = <input id={id} type="checkbox" checked={Boolean(current ?? p.default)} aria-describedby={described}
            onChange={(e) => set(key, e.currentTarget.checked)} />;
        } else if (p.type === 'integer' || p.type === 'number') {
          input = <input id={id} type="number" value={current === undefined ? '' : String(current)} aria-describedby={described}
            placeholder={p.default === undefined ? '' : String(p.default)}
            onInput={(e) => set(key, e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value))} />;
        } else if (p.type === 'string') {
          input = <input id={id} type="text" value={current === undefined ? '' : String(current)} aria-describedby={described}
            placeholder={p.default == null ? '' : String(p.default)}
            onInput={(e) => set(key, e.currentTarget.value === '' ? undefined : e.currentTarget.value)} />;
        } else {
          return <JsonField key={key} id={id} label={label} value={current} onChange={(v) => set(key, v)} error={error} help={p.description} />;
        }
        return (
          <div class={error ? 'field invalid' : 'field'} key={key}>
            <label for={id}>{label}</label>
            {input}
            {p.description && <small id={`${id}-help`}>{p.description}</small>}
            {error && <small class="field-error" id={`${id}-error`}>{error}</small>}
          </div>
        );
      })}
    </div>
  );
}

/** A JSON value edited as text: kept as typed until it parses. */
export function JsonField(props: { id: string; label: string; value: unknown; onChange: (v: unknown) => void; error?: string; help?: string; rows?: number }) {
  const [text, setText] = useState(props.value === undefined ? '' : JSON.stringify(props.value, null, 2));
  const [bad, setBad] = useState<string>();
  const error = bad ?? props.error;
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={props.id}>{props.label}</label>
      <textarea id={props.id} rows={props.rows ?? Math.min(12, Math.max(2, text.split('\n').length))} value={text} spellcheck={false}
        aria-invalid={error ? true : undefined} aria-describedby={error ? `${props.id}-error` : undefined}
        onInput={(e) => {
          const t = e.currentTarget.value;
          setText(t);
          if (t.trim() === '') {
            setBad(undefined);
            props.onChange(undefined);
            return;
          }
          try {
            props.onChange(JSON.parse(t));
            setBad(undefined);
          } catch (exc) {
            setBad(`Not JSON: ${(exc as Error).message}`);
          }
        }} />
      {props.help && <small>{props.help}</small>}
      {error && <small class="field-error" id={`${props.id}-error`}>{error}</small>}
    </div>
  );
}
