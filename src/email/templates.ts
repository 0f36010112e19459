import type { OutgoingMail } from './mail.types.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function render(to: string, subject: string, paragraphs: string[], action: { label: string; url: string }, footer: string): OutgoingMail {
  const text = [...paragraphs, '', `${action.label}: ${action.url}`, '', footer].join('\n');
  const html = [
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p><a href="${escapeHtml(action.url)}">${escapeHtml(action.label)}</a></p>`,
    `<p style="color:#555">${escapeHtml(footer)}</p>`,
  ].join('\n');
  return { to, subject, text, html };
}

export function invitationEmail(input: {
  to: string;
  url: string;
  licenseName: string;
  schoolName: string | null;
  districtName: string;
  invitedBy: string | null;
  accountExists: boolean;
  expiresAt: Date;
}): OutgoingMail {
  const where = input.schoolName ? `${input.schoolName} (${input.districtName})` : input.districtName;
  const who = input.invitedBy ? `${input.invitedBy} added you` : 'You were added';
  const steps = input.accountExists
    ? ['To accept, open the link below and sign in with your Rollcall account.']
    : [
        'To get started:',
        '1. Open the link below.',
        '2. Enter your name and choose a password: this creates your Rollcall account and accepts the invitation in one step.',
        '3. On My Classes, choose Add Classes to bring your classes over from your rostering service (Clever or ClassLink), if your district uses one.',
      ];
  return render(
    input.to,
    `You're invited to ${input.licenseName} on Rollcall`,
    [`${who} to the Rollcall license "${input.licenseName}" for ${where}.`, ...steps],
    { label: 'Accept your invitation', url: input.url },
    `This link works once and expires on ${input.expiresAt.toISOString().slice(0, 10)}. If you did not expect it, you can ignore this email.`,
  );
}

export function verifyEmail(input: { to: string; name: string; url: string }): OutgoingMail {
  return render(
    input.to,
    'Confirm your email address for Rollcall',
    [`Hello ${input.name},`, 'Please confirm that this is your email address.'],
    { label: 'Confirm my email address', url: input.url },
    'If you did not create a Rollcall account, you can ignore this email.',
  );
}

export function resetPasswordEmail(input: { to: string; url: string }): OutgoingMail {
  return render(
    input.to,
    'Reset your Rollcall password',
    ['Someone (hopefully you) asked to reset the password of your Rollcall account.'],
    { label: 'Choose a new password', url: input.url },
    'This link works once and expires in 2 hours. If you did not ask for it, ignore this email: your password stays the same.',
  );
}

export function adminSetupEmail(input: { to: string; name: string; licenseName: string; url: string }): OutgoingMail {
  return render(
    input.to,
    `You're the administrator of ${input.licenseName} on Rollcall`,
    [
      `Hello ${input.name},`,
      `You were named administrator of the Rollcall license "${input.licenseName}". From its page you can add teachers by email; each gets an invitation with setup instructions.`,
      'First, choose a password for your account.',
    ],
    { label: 'Set up my account', url: input.url },
    'This link works once and expires in 7 days.',
  );
}

export function syncHeldEmail(input: { to: string; districtName: string; provider: string; removals: number; archives: number; url: string }): OutgoingMail {
  const provider = input.provider === 'clever' ? 'Clever' : 'ClassLink';
  const what = [input.removals && `remove ${input.removals} student enrollment${input.removals === 1 ? '' : 's'}`, input.archives && `archive ${input.archives} class${input.archives === 1 ? '' : 'es'}`]
    .filter(Boolean)
    .join(' and ');
  return render(
    input.to,
    `A ${provider} sync for ${input.districtName} is waiting for your approval`,
    [
      `Rollcall's latest sync from ${provider} would ${what}, which is more than usual, so it applied the additions and changes but held these removals.`,
      'This often means a sharing setting or the student information system changed. Review the list and approve it, or reject it and fix the data at the provider.',
    ],
    { label: 'Review the held sync', url: input.url },
    'Nothing is removed until an administrator approves.',
  );
}
