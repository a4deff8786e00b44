import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Channel, ChannelContents } from '../../common/channels.js';
import { NotificationEnv } from '../../config/notification.env.js';
import type { ChannelSender, SendResult } from './channel-sender.js';
import { FcmPushSender } from './fcm-push.sender.js';
import { SmtpEmailSender } from './smtp-email.sender.js';
import { TwilioSmsSender } from './twilio-sms.sender.js';

/** One sender per channel; the only place that knows which provider serves which channel. */
@Injectable()
export class Senders implements OnApplicationShutdown {
  private readonly byChannel: { [C in Channel]: ChannelSender<NonNullable<ChannelContents[C]>> };

  constructor(env: NotificationEnv) {
    this.byChannel = { email: new SmtpEmailSender(env), sms: new TwilioSmsSender(env), push: new FcmPushSender(env) };
  }

  provider(channel: Channel): string {
    return this.byChannel[channel].provider;
  }

  send<C extends Channel>(channel: C, to: string, content: NonNullable<ChannelContents[C]>, messageId: string): Promise<SendResult> {
    return (this.byChannel[channel] as ChannelSender<NonNullable<ChannelContents[C]>>).send({ to, content, messageId });
  }

  async onApplicationShutdown(): Promise<void> {
    for (const sender of Object.values(this.byChannel)) await sender.close?.();
  }
}
