import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { TemplateRepository } from './template.repository.js';
import type { TemplateContent } from './template.schema.js';

/** Keys the event handlers send with. Operators may edit them; they are only created when missing. */
export const SYSTEM_TEMPLATE_KEYS = {
  welcome: 'welcome',
  emailVerification: 'email-verification',
  emailVerified: 'email-verified',
  passwordReset: 'password-reset',
  passwordChanged: 'password-changed',
  refreshTokenReused: 'security-alert-session',
  assignmentCreated: 'assignment-created',
} as const;

const email = (subject: string, text: string, html = `<p>${text}</p>`) => ({ email: { subject, text, html } });

const SYSTEM_TEMPLATES: (TemplateContent & { key: string })[] = [
  {
    key: SYSTEM_TEMPLATE_KEYS.welcome,
    name: 'Welcome',
    category: 'account',
    variables: ['name'],
    defaultLocale: 'en',
    variants: [
      { locale: 'en', ...email('Welcome to DentalOS', 'Hello {{name}}, welcome to DentalOS.') },
      { locale: 'de', ...email('Willkommen bei DentalOS', 'Hallo {{name}}, willkommen bei DentalOS.') },
    ],
  },
  {
    key: SYSTEM_TEMPLATE_KEYS.emailVerification,
    name: 'Verify your email',
    category: 'account',
    variables: ['name', 'link'],
    defaultLocale: 'en',
    variants: [
      { locale: 'en', ...email('Verify your email address', 'Hello {{name}}, confirm your email address: {{link}}', '<p>Hello {{name}}, <a href="{{link}}">confirm your email address</a>.</p>') },
      { locale: 'de', ...email('Bestätigen Sie Ihre E-Mail-Adresse', 'Hallo {{name}}, bitte bestätigen: {{link}}', '<p>Hallo {{name}}, <a href="{{link}}">bitte bestätigen</a>.</p>') },
    ],
  },
  {
    key: SYSTEM_TEMPLATE_KEYS.emailVerified,
    name: 'Email verified',
    category: 'account',
    variables: ['name'],
    defaultLocale: 'en',
    variants: [{ locale: 'en', ...email('Your email address is verified', 'Hello {{name}}, your email address is now verified.') }],
  },
  {
    key: SYSTEM_TEMPLATE_KEYS.passwordReset,
    name: 'Password reset',
    category: 'password-reset',
    variables: ['link', 'expiresAt'],
    defaultLocale: 'en',
    variants: [
      {
        locale: 'en',
        ...email('Reset your DentalOS password', 'Reset your password before {{expiresAt}}: {{link}}', '<p><a href="{{link}}">Reset your password</a> before {{expiresAt}}.</p>'),
      },
    ],
  },
  {
    key: SYSTEM_TEMPLATE_KEYS.passwordChanged,
    name: 'Password changed',
    category: 'security',
    variables: ['name'],
    defaultLocale: 'en',
    variants: [{ locale: 'en', ...email('Your password was changed', 'Hello {{name}}, your DentalOS password was just changed. If this was not you, reset it now.') }],
  },
  {
    key: SYSTEM_TEMPLATE_KEYS.refreshTokenReused,
    name: 'Suspicious sign-in',
    category: 'security',
    variables: ['name'],
    defaultLocale: 'en',
    variants: [
      {
        locale: 'en',
        ...email('Security alert: a session was revoked', 'Hello {{name}}, an old sign-in token was reused, so we signed that device out. If this was not you, change your password.'),
      },
    ],
  },
  {
    key: SYSTEM_TEMPLATE_KEYS.assignmentCreated,
    name: 'New clinic assignment',
    category: 'assignments',
    variables: ['name', 'clinic'],
    defaultLocale: 'en',
    variants: [
      {
        locale: 'en',
        ...email('You were assigned to {{clinic}}', 'Hello {{name}}, you are now assigned to {{clinic}}.'),
        push: { title: 'New assignment', body: 'You are now assigned to {{clinic}}.' },
      },
    ],
  },
];

/** Creates the templates the event handlers need, once, so a fresh install sends out of the box. */
@Injectable()
export class SystemTemplates implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SystemTemplates.name);
  private resolveReady!: () => void;
  private stopped = false;
  /** Resolves once every system template exists. */
  readonly ready = new Promise<void>((resolve) => (this.resolveReady = resolve));

  constructor(
    private readonly repository: TemplateRepository,
    @InjectConnection() private readonly connection: Connection,
  ) {}

  onApplicationBootstrap(): void {
    if (this.connection.readyState === 1) void this.seed();
    else this.connection.once('connected', () => void this.seed());
  }

  onApplicationShutdown(): void {
    this.stopped = true;
  }

  private async seed(): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt += 1) {
      try {
        let created = 0;
        for (const { key, ...content } of SYSTEM_TEMPLATES) {
          if (await this.repository.insertIfMissing({ _id: randomUUID(), key, active: true, version: 1, ...content })) created += 1;
        }
        if (created > 0) this.logger.log(`created ${created} system templates`);
        this.resolveReady();
        return;
      } catch (error) {
        this.logger.warn(`system templates not created yet (${(error as Error).message}); retrying`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(500 * attempt, 5_000)));
      }
    }
  }
}
