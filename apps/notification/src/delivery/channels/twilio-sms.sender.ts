import { request } from 'undici';
import type { SmsContent } from '../../common/channels.js';
import type { NotificationEnv } from '../../config/notification.env.js';
import { ProviderError } from '../provider-error.js';
import type { ChannelSender, SendRequest, SendResult } from './channel-sender.js';

/** SMS through Twilio's Messages API: form-encoded POST with HTTP basic auth (account SID + auth token). */
export class TwilioSmsSender implements ChannelSender<SmsContent> {
  readonly provider = 'twilio';

  constructor(private readonly env: NotificationEnv) {}

  async send({ to, content }: SendRequest<SmsContent>): Promise<SendResult> {
    const { TWILIO_BASE_URL, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM, PROVIDER_TIMEOUT_MS } = this.env;
    if (!TWILIO_ACCOUNT_SID || !TWILIO_AUTH_TOKEN) throw new ProviderError('SMS is not configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN)', false);
    const url = new URL(`/2010-04-01/Accounts/${encodeURIComponent(TWILIO_ACCOUNT_SID)}/Messages.json`, TWILIO_BASE_URL);
    const response = await request(url, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${TWILIO_ACCOUNT_SID}:${TWILIO_AUTH_TOKEN}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ To: to, From: TWILIO_FROM, Body: content.text }).toString(),
      headersTimeout: PROVIDER_TIMEOUT_MS,
      bodyTimeout: PROVIDER_TIMEOUT_MS,
    });
    const text = await response.body.text();
    if (response.statusCode >= 300) throw ProviderError.fromHttp('Twilio', response.statusCode, text);
    const body = JSON.parse(text) as { sid?: string; status?: string };
    if (!body.sid) throw new ProviderError('Twilio answered without a message sid', true, response.statusCode);
    return { providerMessageId: body.sid, status: response.statusCode, message: body.status ?? 'accepted' };
  }
}
