import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Channel } from '../common/channels.js';
import type { CreateTemplateDto } from './dto/create-template.dto.js';
import type { RenderedTemplateDto, RenderTemplateDto } from './dto/render-template.dto.js';
import type { TemplateContentDto } from './dto/template-content.dto.js';
import type { TemplateResponseDto } from './dto/template.response.dto.js';
import type { UpdateTemplateDto } from './dto/update-template.dto.js';
import type { ListTemplatesQuery } from './dto/list-templates.query.js';
import { TemplateRenderer } from './template-renderer.js';
import { isDuplicateKey, TemplateRepository } from './template.repository.js';
import type { TemplateContent, TemplateDocument, TemplateVersionDocument } from './template.schema.js';
import { TemplateInactiveError, TemplateKeyTakenError, TemplateNotFoundError, TemplateVersionConflictError } from './templates.errors.js';

function contentOf(dto: TemplateContentDto): TemplateContent {
  const variants = dto.variants.map((variant) => JSON.parse(JSON.stringify(variant)) as TemplateContent['variants'][number]);
  const content: TemplateContent = { name: dto.name, category: dto.category, variables: [...new Set(dto.variables)], defaultLocale: dto.defaultLocale, variants };
  if (dto.description !== undefined) content.description = dto.description;
  return content;
}

export function toTemplateResponse(template: TemplateDocument | TemplateVersionDocument): TemplateResponseDto {
  const { key, name, category, description, variables, defaultLocale, variants, version } = template;
  const active = 'active' in template ? template.active : true;
  const updatedAt = 'updatedAt' in template ? template.updatedAt?.toISOString() : undefined;
  return { key, name, category, description, variables, defaultLocale, variants, active, version, createdAt: template.createdAt?.toISOString(), updatedAt };
}

/** How long a send may use a template it read before; edits and deactivations apply within this. */
const ACTIVE_TEMPLATE_TTL_MS = 2_000;

@Injectable()
export class TemplatesService {
  private readonly active = new Map<string, { template: TemplateDocument; until: number }>();

  constructor(
    private readonly repository: TemplateRepository,
    private readonly renderer: TemplateRenderer,
  ) {}

  async create(dto: CreateTemplateDto): Promise<TemplateResponseDto> {
    const content = contentOf(dto);
    this.renderer.check(content);
    try {
      return toTemplateResponse(await this.repository.insert({ _id: randomUUID(), key: dto.key, active: true, version: 1, ...content }));
    } catch (error) {
      if (isDuplicateKey(error)) throw new TemplateKeyTakenError(dto.key);
      throw error;
    }
  }

  async update(key: string, dto: UpdateTemplateDto): Promise<TemplateResponseDto> {
    const content = contentOf(dto);
    this.renderer.check(content);
    this.active.delete(key);
    const updated = await this.repository.update(key, dto.version, content);
    if (updated) return toTemplateResponse(updated);
    await this.get(key);
    throw new TemplateVersionConflictError(key, dto.version);
  }

  async setActive(key: string, active: boolean): Promise<TemplateResponseDto> {
    this.active.delete(key);
    const template = await this.repository.setActive(key, active);
    if (!template) throw new TemplateNotFoundError(key);
    return toTemplateResponse(template);
  }

  async remove(key: string): Promise<void> {
    this.active.delete(key);
    if (!(await this.repository.remove(key))) throw new TemplateNotFoundError(key);
  }

  async get(key: string): Promise<TemplateResponseDto> {
    return toTemplateResponse(await this.document(key));
  }

  async list(query: ListTemplatesQuery): Promise<TemplateResponseDto[]> {
    const templates = await this.repository.list({ active: query.active, category: query.category }, query.limit, query.offset);
    return templates.map(toTemplateResponse);
  }

  async versions(key: string): Promise<TemplateResponseDto[]> {
    const template = await this.document(key);
    return (await this.repository.listVersions(template._id)).map(toTemplateResponse);
  }

  async preview(key: string, dto: RenderTemplateDto): Promise<RenderedTemplateDto> {
    const template = await this.document(key);
    const channels: Channel[] = dto.channels ?? this.renderer.channelsOf(this.renderer.variantFor(template, dto.locale));
    const { locale, content } = this.renderer.render(template, dto.data, dto.locale, channels);
    return { key, version: template.version, locale, content: content as Record<string, unknown> };
  }

  /** The template a send uses: it must exist and be active. Briefly cached: every send needs it. */
  async activeDocument(key: string): Promise<TemplateDocument> {
    const cached = this.active.get(key);
    const template = cached && cached.until > Date.now() ? cached.template : await this.document(key);
    if (!cached || cached.template !== template) {
      if (this.active.size > 1_000) this.active.clear();
      this.active.set(key, { template, until: Date.now() + ACTIVE_TEMPLATE_TTL_MS });
    }
    if (!template.active) throw new TemplateInactiveError(key);
    return template;
  }

  private async document(key: string): Promise<TemplateDocument> {
    const template = await this.repository.byKey(key);
    if (!template) throw new TemplateNotFoundError(key);
    return template;
  }
}
