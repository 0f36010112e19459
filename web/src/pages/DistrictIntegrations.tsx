import { useEffect, useId, useRef, useState } from 'react';
import { Loading } from '../components/Guards.tsx';
import type { Integration, OperatorDistrict, ProviderId } from '../types.ts';
import { ConnectClassLinkForm, ConnectCleverForm } from './IntegrationForms.tsx';
import { IntegrationList } from './IntegrationList.tsx';
import { PROVIDER_NAME } from './integration-text.ts';

interface Props {
  district: OperatorDistrict;
  /** This district's integrations; null while loading. */
  integrations: Integration[] | null;
  /** The list could not be loaded (the page shows why). */
  loadFailed?: boolean;
  onChanged: () => Promise<void>;
}

/** The operator's "Integrations" part of a district card: the list, and Connect forms behind two buttons. */
export function DistrictIntegrations({ district, integrations, loadFailed = false, onChanged }: Props) {
  const headingId = useId();
  const [open, setOpen] = useState<ProviderId | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const toggles = useRef<Partial<Record<ProviderId, HTMLButtonElement | null>>>({});
  const returnFocus = useRef<ProviderId | null>(null);

  useEffect(() => {
    if (open !== null || !returnFocus.current) return;
    toggles.current[returnFocus.current]?.focus();
    returnFocus.current = null;
  }, [open]);

  function show(provider: ProviderId) {
    setNotice(null);
    setOpen(provider);
  }
  function cancel() {
    returnFocus.current = open;
    setOpen(null);
  }
  async function connected(integration: Integration) {
    await onChanged();
    setNotice(`Connected ${PROVIDER_NAME[integration.provider]} for ${district.name}. Test the connection to check it.`);
    returnFocus.current = open;
    setOpen(null);
  }

  const formProps = { districtId: district.id, onConnected: connected, onCancel: cancel };
  return (
    <section className="district-integrations" aria-labelledby={headingId}>
      <h4 id={headingId}>Integrations</h4>
      {integrations === null ? (
        loadFailed ? <p className="meta">Couldn't load this district's integrations.</p> : <Loading label="Loading integrations…" />
      ) : (
        <IntegrationList integrations={integrations} onChanged={onChanged} empty="No rostering connected yet." />
      )}
      {notice && (
        <p role="status" className="notice notice-ok">
          {notice}
        </p>
      )}
      {open === 'clever' && <ConnectCleverForm {...formProps} />}
      {open === 'classlink' && <ConnectClassLinkForm {...formProps} />}
      {open === null && (
        <div className="form-actions">
          {(['clever', 'classlink'] as const).map((p) => (
            <button
              key={p}
              ref={(el) => {
                toggles.current[p] = el;
              }}
              type="button"
              className="button button-small button-quiet"
              onClick={() => show(p)}
            >
              {`Connect ${PROVIDER_NAME[p]}`}
            </button>
          ))}
        </div>
      )}
    </section>
  );
}
