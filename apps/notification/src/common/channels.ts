export const CHANNELS = ['email', 'sms', 'push'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface EmailContent {
  subject: string;
  html: string;
  text: string;
}

export interface SmsContent {
  text: string;
}

export interface PushContent {
  title: string;
  body: string;
  data?: Record<string, string>;
}

export interface ChannelContents {
  email?: EmailContent;
  sms?: SmsContent;
  push?: PushContent;
}
