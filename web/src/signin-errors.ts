/** Messages for the reasons the server gives when a provider sign-in is refused (?error=…&provider=…). */
export function signInErrorMessage(reason: string | null, providerId: string | null): string | null {
  if (!reason) return null;
  const p = providerId === 'classlink' ? 'ClassLink' : providerId === 'clever' ? 'Clever' : 'your rostering service';
  const messages: Record<string, string> = {
    state_mismatch: 'That sign-in did not start in this browser, or it took too long. Please start again.',
    provider_denied: `${p} did not complete the sign-in. Please try again.`,
    code_rejected: `${p} did not accept this sign-in. Please start again from this page.`,
    provider_unavailable: `${p} is not answering right now. Please try again in a minute.`,
    bad_response: `${p} sent a sign-in Rollcall could not verify. Please try again; if it keeps happening, contact support.`,
    missing_identity: `${p} did not tell us who you are in your district. Ask your district's IT to check that your ${p} account is rostered.`,
    district_not_integrated: `Your district has not connected Rollcall to ${p} yet. Ask your district's IT or your license administrator.`,
    identity_linked_elsewhere: `That ${p} account is already connected to another Rollcall account. Nothing was changed; contact support if this is wrong.`,
    already_connected: `Your account is already connected to a different ${p} account in this district.`,
    student_identity: `That ${p} account belongs to a student. Sign in to ${p} as yourself and try again.`,
    not_a_teacher: 'Only teacher accounts can connect a rostering service.',
    session_changed: 'You were signed out while connecting. Sign in and try again.',
    restart_loop: `The sign-in from ${p} could not be completed. Open Rollcall from ${p} again, or use the button below.`,
  };
  return messages[reason] ?? 'The sign-in could not be completed. Please try again.';
}
