export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  readonly capturing: boolean;
}
