import { applyDecorators, Controller } from '@nestjs/common';
import { ApiExtraModels, ApiTags } from '@nestjs/swagger';
import { ProblemDto } from './problem.dto.js';

export const API_PREFIX = 'api/v1';

/** `@Controller('api/v1/<path>')` plus its Swagger tag, so every service serves the same shape. */
export function ApiController(path: string, tag = path.split('/')[0]!): ClassDecorator {
  return applyDecorators(Controller(`${API_PREFIX}/${path}`), ApiTags(tag), ApiExtraModels(ProblemDto));
}
