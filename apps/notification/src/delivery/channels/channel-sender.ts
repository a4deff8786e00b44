import type { EmailContent, PushContent, SmsContent } from '../../common/channels.js';

export interface SendResult {
  providerMessageId: string;
  status?: number;
  message: string;
}

export interface SendRequest<C> {
  to: string;
  content: C;
  /** Stable per notification and channel, so a provider or sink can recognise a repeated send. */
  messageId: string;
}

export interface ChannelSender<C> {
  /** Name of the provider, for breakers and metrics. */
  readonly provider: string;
  send(request: SendRequest<C>): Promise<SendResult>;
  close?(): Promise<void> | void;
}

export type EmailSender = ChannelSender<EmailContent>;
export type SmsSender = ChannelSender<SmsContent>;
export type PushSender = ChannelSender<PushContent>;
