import { Injectable } from '@nestjs/common';
import type { Channel, ChannelContents } from '../common/channels.js';
import { NotificationEnv } from '../config/notification.env.js';
import { type CompiledTemplate, compileTemplate } from './template-compiler.js';
import type { TemplateContent, TemplateDocument, TemplateVariant } from './template.schema.js';
import {
  SmsTooLongError,
  TemplateChannelMissingError,
  TemplateSyntaxError,
  TemplateVariableMissingError,
  TemplateVariableUnknownError,
} from './templates.errors.js';

const CACHE_LIMIT = 2_000;

interface Field {
  path: string;
  source: string;
  escape: boolean;
}

/** Every template body of a variant, with whether it is HTML (escaped) or plain text. */
function fields(variant: TemplateVariant, index: number): Field[] {
  const base = `variants[${index}]`;
  const list: Field[] = [];
  if (variant.email) {
    list.push({ path: `${base}.email.subject`, source: variant.email.subject, escape: false });
    list.push({ path: `${base}.email.html`, source: variant.email.html, escape: true });
    list.push({ path: `${base}.email.text`, source: variant.email.text, escape: false });
  }
  if (variant.sms) list.push({ path: `${base}.sms.text`, source: variant.sms.text, escape: false });
  if (variant.push) {
    list.push({ path: `${base}.push.title`, source: variant.push.title, escape: false });
    list.push({ path: `${base}.push.body`, source: variant.push.body, escape: false });
    for (const [name, value] of Object.entries(variant.push.data ?? {})) {
      if (typeof value !== 'string') throw new TemplateSyntaxError(`${base}.push.data.${name}`, 'push data values must be strings');
      list.push({ path: `${base}.push.data.${name}`, source: value, escape: false });
    }
  }
  return list;
}

/** Compiles template bodies once per version and renders them against exactly the declared variables. */
@Injectable()
export class TemplateRenderer {
  private readonly cache = new Map<string, CompiledTemplate>();

  constructor(private readonly env: NotificationEnv) {}

  /** Refuses content that does not compile, uses forbidden constructs or undeclared variables. */
  check(content: TemplateContent): void {
    const declared = new Set(content.variables);
    const locales = new Set<string>();
    content.variants.forEach((variant, index) => {
      if (locales.has(variant.locale)) throw new TemplateSyntaxError(`variants[${index}].locale`, `locale '${variant.locale}' appears twice`);
      locales.add(variant.locale);
      if (!variant.email && !variant.sms && !variant.push) {
        throw new TemplateSyntaxError(`variants[${index}]`, 'a variant needs email, sms or push content');
      }
      for (const field of fields(variant, index)) {
        const { variables } = compileTemplate(field.path, field.source, field.escape);
        const undeclared = [...variables].filter((name) => !declared.has(name));
        if (undeclared.length > 0) throw new TemplateSyntaxError(field.path, `undeclared variable(s): ${undeclared.join(', ')}`);
      }
    });
    if (!locales.has(content.defaultLocale)) throw new TemplateSyntaxError('defaultLocale', `no variant for the default locale '${content.defaultLocale}'`);
  }

  /** The variant for `de-CH`, else `de`, else the default locale. */
  variantFor(template: TemplateContent, locale?: string): TemplateVariant {
    const candidates = locale ? [locale, locale.split('-')[0]] : [];
    for (const candidate of [...candidates, template.defaultLocale]) {
      const variant = template.variants.find((v) => v.locale === candidate);
      if (variant) return variant;
    }
    return template.variants[0]!;
  }

  channelsOf(variant: TemplateVariant): Channel[] {
    return (['email', 'sms', 'push'] as const).filter((channel) => variant[channel] !== undefined);
  }

  checkData(template: TemplateContent, data: Record<string, unknown>): void {
    const declared = new Set(template.variables);
    const missing = template.variables.filter((name) => data[name] === undefined || data[name] === null);
    if (missing.length > 0) throw new TemplateVariableMissingError(missing);
    const unknown = Object.keys(data).filter((name) => !declared.has(name));
    if (unknown.length > 0) throw new TemplateVariableUnknownError(unknown);
  }

  render(template: TemplateDocument, data: Record<string, unknown>, locale: string | undefined, channels: Channel[]): { locale: string; content: ChannelContents } {
    this.checkData(template, data);
    const variant = this.variantFor(template, locale);
    const content: ChannelContents = {};
    const index = template.variants.indexOf(variant);
    const run = (path: string, source: string, escape: boolean) => this.compiled(template, path, source, escape)(data);
    for (const channel of channels) {
      const prefix = `variants[${index}].${channel}`;
      if (channel === 'email') {
        if (!variant.email) throw new TemplateChannelMissingError(template.key, channel);
        content.email = {
          subject: run(`${prefix}.subject`, variant.email.subject, false),
          html: run(`${prefix}.html`, variant.email.html, true),
          text: run(`${prefix}.text`, variant.email.text, false),
        };
      } else if (channel === 'sms') {
        if (!variant.sms) throw new TemplateChannelMissingError(template.key, channel);
        const text = run(`${prefix}.text`, variant.sms.text, false);
        if (text.length > this.env.SMS_MAX_LENGTH) throw new SmsTooLongError(text.length, this.env.SMS_MAX_LENGTH);
        content.sms = { text };
      } else {
        if (!variant.push) throw new TemplateChannelMissingError(template.key, channel);
        const pushData = Object.fromEntries(
          Object.entries(variant.push.data ?? {}).map(([name, source]) => [name, run(`${prefix}.data.${name}`, source, false)]),
        );
        content.push = { title: run(`${prefix}.title`, variant.push.title, false), body: run(`${prefix}.body`, variant.push.body, false) };
        if (Object.keys(pushData).length > 0) content.push.data = pushData;
      }
    }
    return { locale: variant.locale, content };
  }

  private compiled(template: TemplateDocument, path: string, source: string, escape: boolean): CompiledTemplate {
    const cacheKey = `${template._id}:${template.version}:${path}`;
    let compiled = this.cache.get(cacheKey);
    if (!compiled) {
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      const { render } = compileTemplate(path, source, escape);
      compiled = (data) => {
        try {
          return render(data);
        } catch (error) {
          // strict mode: a nested property the data lacks (e.g. {{patient.name}} without name).
          throw new TemplateSyntaxError(path, (error as Error).message.split('\n')[0] ?? 'render failed');
        }
      };
      this.cache.set(cacheKey, compiled);
    }
    return compiled;
  }
}
