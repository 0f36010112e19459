import { describe, expect, it } from 'vitest';
import { describeAuditEvent } from './audit-text.ts';

describe('audit events in plain words', () => {
  it('describes each admin action from ids and counts', () => {
    expect(describeAuditEvent('license.members_added', { count: 3 })).toBe('Added 3 teachers to a license');
    expect(describeAuditEvent('license.invitations_resent', { count: 1 })).toBe('Resent 1 invitation');
    expect(describeAuditEvent('integration.connected', { provider: 'classlink' })).toBe('Connected ClassLink');
    expect(describeAuditEvent('integration.tested', { provider: 'clever', ok: false, kind: 'auth' })).toBe('Tested the Clever connection: it failed (auth)');
    expect(describeAuditEvent('identity.connected', { provider: 'clever' })).toBe('Connected Clever to their account');
    expect(describeAuditEvent('sync.hold_approved', { removed: 4, archived: 0 })).toBe('Approved a held sync (4 removed, 0 archived)');
  });

  it('falls back to the action name for anything new', () => {
    expect(describeAuditEvent('widget.frobbed', {})).toBe('widget frobbed');
  });
});
