import { useCallback, useEffect, useState } from 'react';
import { api } from '../api.ts';
import type { ApiError } from '../api.ts';
import { Loading, useTitle } from '../components/Guards.tsx';
import { asApiError } from '../forms.ts';
import { formatTime, linkParts } from '../format.ts';
import type { MailMessage } from '../types.ts';

/** Development only: the email Rollcall would have sent, with its links clickable. */
export function DevMail() {
  useTitle('Dev mail');
  const [messages, setMessages] = useState<MailMessage[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setMessages((await api.devMail()).messages);
      setError(null);
    } catch (e) {
      setError(asApiError(e));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const open = messages?.find((m) => m.id === openId) ?? null;
  return (
    <section className="page wide">
      <div className="page-head">
        <h1>Dev mail</h1>
        <button type="button" className="button button-quiet" onClick={() => void load()}>
          Refresh
        </button>
      </div>
      {error && (
        <p role="alert" className="form-error">
          {error.status === 404 ? 'The development mailbox is only available in development.' : error.message}
        </p>
      )}
      {!messages && !error && <Loading />}
      {messages && messages.length === 0 && <p className="empty card">No messages yet.</p>}
      {messages && messages.length > 0 && (
        <div className="mail">
          <ul className="mail-list" aria-label="Messages">
            {messages.map((m) => (
              <li key={m.id}>
                <button
                  type="button"
                  className={`mail-item${m.id === openId ? ' selected' : ''}`}
                  aria-pressed={m.id === openId}
                  onClick={() => setOpenId(m.id)}
                >
                  <span className="mail-subject">{m.subject}</span>
                  <span className="mail-to">{m.to}</span>
                  <time dateTime={m.createdAt}>{formatTime(m.createdAt)}</time>
                </button>
              </li>
            ))}
          </ul>
          <article className="card mail-view" aria-label="Message">
            {open ? (
              <>
                <h2>{open.subject}</h2>
                <p className="meta">
                  To {open.to} · {formatTime(open.createdAt)}
                </p>
                <LinkedText text={open.text} />
              </>
            ) : (
              <p className="muted">Choose a message to read it.</p>
            )}
          </article>
        </div>
      )}
    </section>
  );
}

export function LinkedText({ text }: { text: string }) {
  return (
    <div className="mail-text">
      {linkParts(text).map((p, i) => (p.kind === 'link' ? <a key={i} href={p.href}>{p.href}</a> : <span key={i}>{p.text}</span>))}
    </div>
  );
}
