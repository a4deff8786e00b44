import { waitFor } from '@dentalos/testing';
import { MAILDEV_API_URL } from './stack.js';

export interface CapturedMail {
  id: string;
  subject: string;
  text?: string;
  html?: string;
  to: { address: string; name?: string }[];
  date?: string;
}

/** Every mail MailDev holds for one recipient (addresses in the suites are unique per run). */
export async function mailsTo(address: string): Promise<CapturedMail[]> {
  const response = await fetch(`${MAILDEV_API_URL}/email`, { signal: AbortSignal.timeout(5_000) });
  const mails = (await response.json()) as CapturedMail[];
  return mails.filter((mail) => (mail.to ?? []).some((to) => to.address.toLowerCase() === address.toLowerCase()));
}

/** Waits for a mail to `address` whose subject matches, as a person waits for their inbox. */
export function waitForMail(address: string, subject: RegExp, timeoutMs = 30_000): Promise<CapturedMail> {
  return waitFor(async () => (await mailsTo(address)).find((mail) => subject.test(mail.subject)), {
    what: `a mail to ${address} with subject ${subject}`,
    timeoutMs,
    intervalMs: 250,
  });
}

/** The token of a `?token=` link in a mail body. */
export function linkToken(mail: CapturedMail): string {
  const match = /[?&]token=([A-Za-z0-9_%-]+)/.exec(`${mail.text ?? ''} ${mail.html ?? ''}`);
  if (!match) throw new Error(`mail "${mail.subject}" carries no token link`);
  return decodeURIComponent(match[1]!);
}
