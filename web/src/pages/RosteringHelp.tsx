import { Link } from 'react-router';
import { useTitle } from '../components/Guards.tsx';

/** Placeholder: the per-teacher diagnosis arrives in a later issue. */
export function RosteringHelp() {
  useTitle("Why can't I see Add from Rostering Service?");
  return (
    <section className="page narrow">
      <h1>Why can't I see Add from Rostering Service?</h1>
      <div className="card">
        <p>
          Soon this page will check your account step by step and tell you exactly what is missing, and who can fix it.
        </p>
        <p>Until then, these are the usual reasons:</p>
        <ul>
          <li>Your school or district hasn't connected Clever or ClassLink to Rollcall yet.</li>
          <li>Your license administrator hasn't added you to your school's license.</li>
          <li>You were added, but haven't accepted the invitation email or finished creating your account.</li>
          <li>Your account isn't linked to Clever or ClassLink yet: sign in with it once.</li>
          <li>Your rostering service doesn't list any classes for you yet.</li>
        </ul>
        <p>
          <Link to="/classes">Back to My Classes</Link>
        </p>
      </div>
    </section>
  );
}

export function NotFound() {
  useTitle('Page not found');
  return (
    <section className="page narrow">
      <h1>Page not found</h1>
      <p>
        There's nothing at this address. <Link to="/">Go to Rollcall's start page</Link>
      </p>
    </section>
  );
}
