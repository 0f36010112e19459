import { useId } from 'react';
import { Link } from 'react-router';
import type { Integration } from '../types.ts';
import { StatusBadge, TestConnection } from './IntegrationParts.tsx';
import { PROVIDER_NAME, tenantLabel } from './integration-text.ts';

interface Props {
  integrations: Integration[];
  /** Reload the list (a test can change an integration's status). */
  onChanged: () => Promise<void>;
  empty: string;
}

/** A district's integrations with their status, the last test, and Test connection. Used on /operator and /district. */
export function IntegrationList({ integrations, onChanged, empty }: Props) {
  if (integrations.length === 0) return <p className="meta">{empty}</p>;
  return (
    <ul className="integration-list">
      {integrations.map((i) => (
        <IntegrationItem key={i.id} integration={i} onChanged={onChanged} />
      ))}
    </ul>
  );
}

function IntegrationItem({ integration, onChanged }: { integration: Integration; onChanged: () => Promise<void> }) {
  const nameId = useId();
  return (
    <li className="integration" aria-labelledby={nameId}>
      <div className="integration-head">
        <strong id={nameId}>{PROVIDER_NAME[integration.provider]}</strong>
        <span className="muted">
          {tenantLabel(integration)} {integration.tenantKey}
        </span>
        <StatusBadge integration={integration} />
      </div>
      <TestConnection integration={integration} onTested={onChanged}>
        <Link to={`/integrations/${integration.id}`}>Schools</Link>
      </TestConnection>
    </li>
  );
}
