import { useState } from 'react';
import type { ReactNode } from 'react';
import { api } from '../api.ts';
import { useSubmit } from '../forms.ts';
import type { Integration, TestResult } from '../types.ts';
import { STATUS_LABEL, connectedText, lastTestText } from './integration-text.ts';

/** Active / Needs attention (with the reason) / Disabled. */
export function StatusBadge({ integration }: { integration: Pick<Integration, 'status' | 'statusReason'> }) {
  return (
    <span className="integration-status">
      <span className={`badge badge-${integration.status}`}>{STATUS_LABEL[integration.status]}</span>
      {integration.status !== 'active' && integration.statusReason && (
        <span className="warn"> {integration.statusReason}</span>
      )}
    </span>
  );
}

interface TestConnectionProps {
  integration: Integration;
  /** Reload after a test: it updates the status, the last test and (on success) the schools. */
  onTested?: () => Promise<void>;
  /** More actions shown beside the button. */
  children?: ReactNode;
}

/**
 * The last test, a "Test connection" button, and the fresh result right under
 * it: the counts the provider reported, or its failure in an alert.
 */
export function TestConnection({ integration, onTested, children }: TestConnectionProps) {
  const [result, setResult] = useState<TestResult | null>(null);
  const { pending, error, run } = useSubmit();

  function test() {
    void run(async () => {
      setResult(null);
      const { result: fresh } = await api.testIntegration(integration.id);
      setResult(fresh);
      await onTested?.();
    });
  }

  return (
    <div className="test-connection">
      <p className="meta">{lastTestText(integration, result !== null)}</p>
      <div className="form-actions">
        <button type="button" className="button button-small button-quiet" disabled={pending} onClick={test}>
          Test connection
        </button>
        {pending && <span className="muted" role="status">Testing…</span>}
        {children}
      </div>
      {error && (
        <p role="alert" className="form-error test-result">
          {error.message}
        </p>
      )}
      {result?.ok === true && (
        <p role="status" className="notice notice-ok test-result">
          {connectedText(result.report)}
        </p>
      )}
      {result?.ok === false && (
        <p role="alert" className="form-error test-result">
          {result.message}
        </p>
      )}
    </div>
  );
}
