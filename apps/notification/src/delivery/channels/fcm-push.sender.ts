import { request } from 'undici';
import type { PushContent } from '../../common/channels.js';
import type { NotificationEnv } from '../../config/notification.env.js';
import { ProviderError } from '../provider-error.js';
import type { ChannelSender, SendRequest, SendResult } from './channel-sender.js';

/** Push through FCM HTTP v1: `POST /v1/projects/{project}/messages:send` with a bearer token. */
export class FcmPushSender implements ChannelSender<PushContent> {
  readonly provider = 'fcm';

  constructor(private readonly env: NotificationEnv) {}

  async send({ to, content }: SendRequest<PushContent>): Promise<SendResult> {
    const { FCM_BASE_URL, FCM_PROJECT_ID, FCM_ACCESS_TOKEN, PROVIDER_TIMEOUT_MS } = this.env;
    if (!FCM_PROJECT_ID || !FCM_ACCESS_TOKEN) throw new ProviderError('Push is not configured (FCM_PROJECT_ID, FCM_ACCESS_TOKEN)', false);
    const url = new URL(`/v1/projects/${encodeURIComponent(FCM_PROJECT_ID)}/messages:send`, FCM_BASE_URL);
    const message: Record<string, unknown> = { token: to, notification: { title: content.title, body: content.body } };
    if (content.data) message.data = content.data;
    const response = await request(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${FCM_ACCESS_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ message }),
      headersTimeout: PROVIDER_TIMEOUT_MS,
      bodyTimeout: PROVIDER_TIMEOUT_MS,
    });
    const text = await response.body.text();
    if (response.statusCode >= 300) throw ProviderError.fromHttp('FCM', response.statusCode, text);
    const body = JSON.parse(text) as { name?: string };
    if (!body.name) throw new ProviderError('FCM answered without a message name', true, response.statusCode);
    return { providerMessageId: body.name, status: response.statusCode, message: 'accepted' };
  }
}
