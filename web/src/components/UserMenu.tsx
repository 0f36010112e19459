import { useEffect, useId, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useSession } from '../session.tsx';
import type { User } from '../types.ts';

/**
 * The signed-in person's name as a button that shows a small list of links and
 * the Log Out button (a disclosure, so items keep their link/button roles).
 * Escape closes it and returns focus to the button; arrow keys move between
 * items; focus leaving it or a click outside closes it.
 */
export function UserMenu({ user }: { user: User }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { signOut } = useSession();
  const navigate = useNavigate();
  const id = useId();
  const wrap = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (wrap.current && !wrap.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const items = () => Array.from(wrap.current?.querySelectorAll<HTMLElement>('.menu a, .menu button') ?? []);

  function focusItem(index: number) {
    const list = items();
    if (list.length === 0) return;
    list[(index + list.length) % list.length]?.focus();
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (e.key === 'Escape' && open) {
      e.preventDefault();
      setOpen(false);
      button.current?.focus();
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    if (!open) {
      setOpen(true);
      requestAnimationFrame(() => focusItem(e.key === 'ArrowUp' || e.key === 'End' ? -1 : 0));
      return;
    }
    const current = items().indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Home') focusItem(0);
    else if (e.key === 'End') focusItem(-1);
    else focusItem(current + (e.key === 'ArrowDown' ? 1 : -1));
  }

  async function logOut() {
    setError(null);
    try {
      await signOut();
      setOpen(false);
      navigate('/signin');
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Could not log out.');
    }
  }

  const close = () => setOpen(false);
  const isAdmin = user.abilities.licenseAdminOf.length > 0;
  const isDistrictAdmin = user.abilities.districtAdminOf.length > 0;
  const isOperator = user.abilities.operator || user.role === 'operator';
  return (
    <div
      className="user-menu"
      ref={wrap}
      onKeyDown={onKeyDown}
      onBlur={(e) => {
        if (open && !wrap.current?.contains(e.relatedTarget as Node | null) && e.relatedTarget) setOpen(false);
      }}
    >
      <button
        ref={button}
        type="button"
        className="user-button"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
      >
        {user.name} <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <div className="menu" id={id}>
          <ul>
            {user.role !== 'operator' && (
              <li>
                <Link to={user.role === 'student' ? '/student' : '/classes'} onClick={close}>
                  My Classes
                </Link>
              </li>
            )}
            {isAdmin && (
              <li>
                <Link to="/licenses" onClick={close}>
                  Licenses
                </Link>
              </li>
            )}
            {isDistrictAdmin && (
              <li>
                <Link to="/district" onClick={close}>
                  District
                </Link>
              </li>
            )}
            {isOperator && (
              <li>
                <Link to="/operator" onClick={close}>
                  Operator
                </Link>
              </li>
            )}
            <li>
              <Link to="/profile" onClick={close}>
                Your account
              </Link>
            </li>
            <li>
              <Link to="/help/rostering" onClick={close}>
                Help
              </Link>
            </li>
            <li>
              <button type="button" onClick={logOut}>
                Log Out
              </button>
            </li>
          </ul>
          {error && (
            <p role="alert" className="menu-error">
              {error}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
