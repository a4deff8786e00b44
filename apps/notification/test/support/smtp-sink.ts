import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  subject: string;
  messageId: string;
  raw: string;
  /** The raw message with quoted-printable undone, for looking at bodies. */
  decoded: string;
}

export interface SmtpSink {
  url: string;
  messages: ReceivedMail[];
  /** The next `times` messages are refused at DATA with this SMTP code. */
  refuseNext(code: number, times: number): void;
  close(): Promise<void>;
}

function header(raw: string, name: string): string {
  const match = new RegExp(`^${name}:\\s*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(raw);
  return match?.[1]?.replace(/\r?\n[ \t]+/g, ' ').trim() ?? '';
}

/** A real SMTP server on a free port, keeping every accepted message. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  let refusals: { code: number; times: number } | undefined;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (refusals && refusals.times > 0) {
          refusals.times -= 1;
          const error = new Error(refusals.code >= 500 ? 'mailbox unavailable' : 'try again later') as Error & { responseCode: number };
          error.responseCode = refusals.code;
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const decoded = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
        messages.push({ to: session.envelope.rcptTo.map((r) => r.address), subject: header(raw, 'Subject'), messageId: header(raw, 'Message-ID'), raw, decoded });
        callback();
      });
    },
  });
  // A sender killed mid-session (the crash tests do that on purpose) resets its connection;
  // smtp-server reports it as an 'error' event, which must not become an uncaught exception.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    refuseNext(code, times) {
      refusals = { code, times };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
