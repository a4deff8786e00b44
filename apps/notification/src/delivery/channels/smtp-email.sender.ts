import { createTransport, type Transporter } from 'nodemailer';
import type { EmailContent } from '../../common/channels.js';
import type { NotificationEnv } from '../../config/notification.env.js';
import { ProviderError } from '../provider-error.js';
import type { ChannelSender, SendRequest, SendResult } from './channel-sender.js';

interface SmtpError extends Error {
  responseCode?: number;
  response?: string;
}

/** Email over SMTP with nodemailer: a pool of kept-open connections, one per concurrent worker slot. */
export class SmtpEmailSender implements ChannelSender<EmailContent> {
  readonly provider = 'smtp';
  private readonly transport: Transporter;

  constructor(private readonly env: NotificationEnv) {
    this.transport = createTransport({
      url: env.SMTP_URL,
      pool: true,
      maxConnections: env.EMAIL_CONCURRENCY,
      maxMessages: Infinity,
      connectionTimeout: env.PROVIDER_TIMEOUT_MS,
      greetingTimeout: env.PROVIDER_TIMEOUT_MS,
      socketTimeout: env.PROVIDER_TIMEOUT_MS,
    } as Parameters<typeof createTransport>[0]);
  }

  async send({ to, content, messageId }: SendRequest<EmailContent>): Promise<SendResult> {
    try {
      const info = (await this.transport.sendMail({
        from: this.env.SMTP_FROM,
        to,
        subject: content.subject,
        html: content.html,
        text: content.text,
        messageId: `<${messageId}@dentalos>`,
      })) as { messageId: string; response: string };
      return { providerMessageId: info.messageId, status: Number.parseInt(info.response, 10) || 250, message: info.response };
    } catch (error) {
      const smtp = error as SmtpError;
      // SMTP: 4xx is "try again later", 5xx is a permanent refusal (the opposite of HTTP's split).
      if (smtp.responseCode !== undefined) {
        throw new ProviderError(`SMTP ${smtp.responseCode}: ${smtp.response ?? smtp.message}`, smtp.responseCode < 500, smtp.responseCode);
      }
      throw new ProviderError(`SMTP: ${smtp.message}`, true);
    }
  }

  close(): void {
    this.transport.close();
  }
}
