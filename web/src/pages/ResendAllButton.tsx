import { consolesApi } from '../consoles-api.ts';
import { useSubmit } from '../forms.ts';

/** One click: a fresh invitation email to every member who has not accepted yet. */
export function ResendAllButton(props: { licenseId: string; invited: number; onNotice: (message: string) => void; onSent: () => Promise<void> }) {
  const { pending, error, run } = useSubmit();
  return (
    <div className="head-actions">
      <button
        type="button"
        className="button button-small button-quiet"
        disabled={pending}
        onClick={() =>
          void run(async () => {
            const { sent } = await consolesApi.resendAllInvitations(props.licenseId);
            props.onNotice(sent === 0 ? 'Everyone has already accepted.' : `Sent ${sent === 1 ? '1 new invitation' : `${sent} new invitations`}.`);
            await props.onSent();
          })
        }
      >
        {`Resend invitations (${props.invited})`}
      </button>
      {error && (
        <p role="alert" className="form-error">
          {error.message}
        </p>
      )}
    </div>
  );
}
