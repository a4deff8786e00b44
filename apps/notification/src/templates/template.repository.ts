import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { TEMPLATE_MODEL, TEMPLATE_VERSION_MODEL, type TemplateContent, type TemplateDocument, type TemplateVersionDocument } from './template.schema.js';

const DUPLICATE_KEY = 11000;

export const isDuplicateKey = (error: unknown): boolean => (error as { code?: number }).code === DUPLICATE_KEY;

@Injectable()
export class TemplateRepository {
  constructor(
    @InjectModel(TEMPLATE_MODEL) private readonly templates: Model<TemplateDocument>,
    @InjectModel(TEMPLATE_VERSION_MODEL) private readonly versions: Model<TemplateVersionDocument>,
  ) {}

  async insert(template: Omit<TemplateDocument, 'createdAt' | 'updatedAt'>): Promise<TemplateDocument> {
    await this.templates.create(template);
    await this.snapshot(template);
    return (await this.byKey(template.key))!;
  }

  /** Inserts only when no template has this key yet (system templates, at start-up). */
  async insertIfMissing(template: Omit<TemplateDocument, 'createdAt' | 'updatedAt'>): Promise<boolean> {
    // Checked first: at start-up the unique index may not exist yet.
    if (await this.byKey(template.key)) return false;
    try {
      await this.insert(template);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  byKey(key: string): Promise<TemplateDocument | null> {
    return this.templates.findOne({ key }).lean<TemplateDocument>().exec();
  }

  list(filter: { active?: boolean; category?: string }, limit: number, offset: number): Promise<TemplateDocument[]> {
    const query: Record<string, unknown> = {};
    if (filter.active !== undefined) query.active = filter.active;
    if (filter.category !== undefined) query.category = filter.category;
    return this.templates.find(query).sort({ key: 1 }).skip(offset).limit(limit).lean<TemplateDocument[]>().exec();
  }

  /** Replaces the content if the template is still at `expectedVersion`; null when it moved on. */
  async update(key: string, expectedVersion: number, content: TemplateContent): Promise<TemplateDocument | null> {
    const updated = await this.templates
      .findOneAndUpdate({ key, version: expectedVersion }, { $set: { ...content, version: expectedVersion + 1 } }, { returnDocument: 'after' })
      .lean<TemplateDocument>()
      .exec();
    if (updated) await this.snapshot(updated);
    return updated;
  }

  setActive(key: string, active: boolean): Promise<TemplateDocument | null> {
    return this.templates.findOneAndUpdate({ key }, { $set: { active } }, { returnDocument: 'after' }).lean<TemplateDocument>().exec();
  }

  async remove(key: string): Promise<boolean> {
    const template = await this.byKey(key);
    if (!template) return false;
    await this.templates.deleteOne({ _id: template._id });
    await this.versions.deleteMany({ templateId: template._id });
    return true;
  }

  listVersions(templateId: string): Promise<TemplateVersionDocument[]> {
    return this.versions.find({ templateId }).sort({ version: -1 }).lean<TemplateVersionDocument[]>().exec();
  }

  private async snapshot(template: Omit<TemplateDocument, 'createdAt' | 'updatedAt'>): Promise<void> {
    const { _id, key, version, name, category, description, variables, defaultLocale, variants } = template;
    await this.versions.updateOne(
      { _id: `${_id}:${version}` },
      { $setOnInsert: { templateId: _id, key, version, name, category, description, variables, defaultLocale, variants } },
      { upsert: true },
    );
  }
}
