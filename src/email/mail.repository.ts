import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { OutgoingMail } from './mail.types.ts';

/** The development capture: messages land here instead of SMTP when SMTP_URL is unset. */
export class MailRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async capture(mail: OutgoingMail): Promise<void> {
    await this.db
      .insertInto('mail_capture')
      .values({ to_address: mail.to, subject: mail.subject, text_body: mail.text, html_body: mail.html ?? null })
      .execute();
  }

  async list(limit = 100) {
    const rows = await this.db.selectFrom('mail_capture').selectAll().orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
    return rows.map((r) => ({ id: r.id, to: r.to_address, subject: r.subject, text: r.text_body, html: r.html_body, createdAt: r.created_at }));
  }
}
