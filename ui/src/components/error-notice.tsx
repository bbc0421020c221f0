import { errorMessage } from '../lib/api-client.ts';

export function ErrorNotice({ error, onRetry, retryLabel }: { error: unknown; onRetry?: () => void; retryLabel?: string }) {
  return (
    <div className="notice notice-error" role="alert">
      <span>{errorMessage(error)}</span>
      {onRetry && (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          {retryLabel ?? '↻'}
        </button>
      )}
    </div>
  );
}
