import nodemailer from 'nodemailer';
import type { MailRepository } from './mail.repository.ts';
import type { Mailer, OutgoingMail } from './mail.types.ts';

/** Real SMTP through nodemailer when SMTP_URL is set; otherwise the development capture. */
export function createMailer(options: { smtpUrl: string | undefined; from: string; capture: MailRepository }): Mailer {
  if (!options.smtpUrl) {
    return { capturing: true, send: (mail: OutgoingMail) => options.capture.capture(mail) };
  }
  const transport = nodemailer.createTransport(options.smtpUrl);
  return {
    capturing: false,
    async send(mail) {
      await transport.sendMail({ from: options.from, to: mail.to, subject: mail.subject, text: mail.text, ...(mail.html ? { html: mail.html } : {}) });
    },
  };
}
