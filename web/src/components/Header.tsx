import { Link, useLocation } from 'react-router';
import { useSession } from '../session.tsx';
import { UserMenu } from './UserMenu.tsx';

/** Product name on the left; the person's menu, or sign-in links, on the right. */
export function Header() {
  const { session } = useSession();
  const { pathname } = useLocation();
  const user = session?.user;
  // The sign-in and sign-up pages carry both links themselves.
  const authPage = pathname === '/signin' || pathname === '/signup';
  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Link to="/" className="brand">
        Rollcall
      </Link>
      <nav aria-label="Account" className="header-right">
        {session === undefined ? null : user ? (
          <UserMenu user={user} />
        ) : authPage ? null : (
          <>
            <Link to="/signin">Sign in</Link>
            <Link to="/signup" className="button button-quiet">
              Create account
            </Link>
          </>
        )}
      </nav>
    </header>
  );
}
