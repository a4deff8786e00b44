import { Body, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOperation } from '@nestjs/swagger';
import { ApiController, ApiProblemResponses } from '@dentalos/core';
import { PLATFORM_ADMIN, Roles } from '@dentalos/auth';
import { CreateTemplateDto } from './dto/create-template.dto.js';
import { ListTemplatesQuery } from './dto/list-templates.query.js';
import { RenderedTemplateDto, RenderTemplateDto } from './dto/render-template.dto.js';
import { TemplateResponseDto } from './dto/template.response.dto.js';
import { UpdateTemplateDto } from './dto/update-template.dto.js';
import { TemplatesService } from './templates.service.js';

@ApiController('templates')
@ApiBearerAuth('bearer')
@Roles(PLATFORM_ADMIN)
@ApiProblemResponses(400, 401, 403)
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Post()
  @ApiOperation({ summary: 'Create a template (version 1, active)' })
  @ApiCreatedResponse({ type: TemplateResponseDto })
  @ApiProblemResponses(409, 422)
  create(@Body() dto: CreateTemplateDto): Promise<TemplateResponseDto> {
    return this.templates.create(dto);
  }

  @Get()
  @ApiOperation({ summary: 'List templates' })
  @ApiOkResponse({ type: [TemplateResponseDto] })
  list(@Query() query: ListTemplatesQuery): Promise<TemplateResponseDto[]> {
    return this.templates.list(query);
  }

  @Get(':key')
  @ApiOperation({ summary: 'Get a template' })
  @ApiOkResponse({ type: TemplateResponseDto })
  @ApiProblemResponses(404)
  get(@Param('key') key: string): Promise<TemplateResponseDto> {
    return this.templates.get(key);
  }

  @Get(':key/versions')
  @ApiOperation({ summary: 'Every version of a template, newest first' })
  @ApiOkResponse({ type: [TemplateResponseDto] })
  @ApiProblemResponses(404)
  versions(@Param('key') key: string): Promise<TemplateResponseDto[]> {
    return this.templates.versions(key);
  }

  @Put(':key')
  @ApiOperation({ summary: 'Replace the content; creates the next version' })
  @ApiOkResponse({ type: TemplateResponseDto })
  @ApiProblemResponses(404, 409, 422)
  update(@Param('key') key: string, @Body() dto: UpdateTemplateDto): Promise<TemplateResponseDto> {
    return this.templates.update(key, dto);
  }

  @Post(':key/activate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Activate a template' })
  @ApiOkResponse({ type: TemplateResponseDto })
  @ApiProblemResponses(404)
  activate(@Param('key') key: string): Promise<TemplateResponseDto> {
    return this.templates.setActive(key, true);
  }

  @Post(':key/deactivate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Deactivate a template; sends with it are refused (422)' })
  @ApiOkResponse({ type: TemplateResponseDto })
  @ApiProblemResponses(404)
  deactivate(@Param('key') key: string): Promise<TemplateResponseDto> {
    return this.templates.setActive(key, false);
  }

  @Delete(':key')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a template and its versions' })
  @ApiNoContentResponse()
  @ApiProblemResponses(404)
  remove(@Param('key') key: string): Promise<void> {
    return this.templates.remove(key);
  }

  @Post(':key/render')
  @HttpCode(200)
  @ApiOperation({ summary: 'Preview: render a template with data, without sending' })
  @ApiOkResponse({ type: RenderedTemplateDto })
  @ApiProblemResponses(404, 422)
  render(@Param('key') key: string, @Body() dto: RenderTemplateDto): Promise<RenderedTemplateDto> {
    return this.templates.preview(key, dto);
  }
}
