import { useId } from 'react';
import { Link } from 'react-router';
import { Dialog } from '../components/Dialog.tsx';

/** The two ways to add classes; rostering only when everything it needs is in place. */
export function AddClassesDialog({ rosteringAvailable, onClose }: { rosteringAvailable: boolean; onClose: () => void }) {
  const soonId = useId();
  return (
    <Dialog title="Add Classes" onClose={onClose}>
      <ul className="choices">
        {rosteringAvailable && (
          <li>
            <Link className="choice" to="/classes/import" data-autofocus>
              <strong>Add from Rostering Service</strong>
              <span>Choose classes from Clever or ClassLink; their students come with them.</span>
            </Link>
          </li>
        )}
        <li>
          <button type="button" className="choice" disabled aria-describedby={soonId}>
            <strong>Create a class</strong>
            <span id={soonId}>Coming soon</span>
          </button>
        </li>
      </ul>
      {!rosteringAvailable && (
        <p className="dialog-foot">
          <Link to="/help/rostering" data-autofocus>
            Why can't I see Add from Rostering Service?
          </Link>
        </p>
      )}
    </Dialog>
  );
}
