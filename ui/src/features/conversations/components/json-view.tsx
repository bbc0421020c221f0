// Plain JSON (tool arguments and results, back-office records) as a readable, collapsible tree:
// objects and arrays fold, values render as text (never HTML).
import { useI18n } from '../../../lib/i18n-context.tsx';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function Scalar({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="json-null">null</span>;
  if (typeof value === 'string') return <span className="json-string">{value}</span>;
  if (typeof value === 'number') return <span className="json-number">{value}</span>;
  if (typeof value === 'boolean') return <span className="json-boolean">{String(value)}</span>;
  return <span>{String(value)}</span>;
}

/** `openDepth`: levels unfolded at first (0: all folded). */
export function JsonView({ value, openDepth = 1, depth = 0 }: { value: unknown; openDepth?: number; depth?: number }) {
  const { t } = useI18n();
  if (!isObject(value)) return <Scalar value={value} />;
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  if (entries.length === 0) return <span className="json-null">{Array.isArray(value) ? '[]' : '{}'}</span>;
  return (
    <details className="json" open={depth < openDepth}>
      <summary className="json-summary">{Array.isArray(value) ? t('conv.json.items', { n: entries.length }) : t('conv.json.fields', { n: entries.length })}</summary>
      <dl className="json-entries">
        {entries.map(([key, v]) => (
          <div key={key} className="json-entry">
            <dt className="json-key">{key}</dt>
            <dd>
              <JsonView value={v} openDepth={openDepth} depth={depth + 1} />
            </dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
