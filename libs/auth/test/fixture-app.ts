import { Get, Module, type Type } from '@nestjs/common';
import { ApiController, BaseEnv, PlatformModule, Public } from '@dentalos/core';
import { type AuthModuleOptions, type AuthUser, AuthModule, CurrentUser, PLATFORM_ADMIN, Roles } from '../src/index.js';

export class AuthFixtureEnv extends BaseEnv {
  override PORT = 0;
}

@ApiController('whoami')
class WhoAmIController {
  @Get()
  whoami(@CurrentUser() user: AuthUser) {
    return { id: user.id, roles: user.roles };
  }

  @Public()
  @Get('public')
  open(@CurrentUser() user?: AuthUser) {
    return { anonymous: !user };
  }

  @Roles(PLATFORM_ADMIN)
  @Get('admin')
  admin() {
    return { admin: true };
  }
}

/** A service with the platform and the auth module, and routes that say who is calling. */
export function authFixtureModule(options: AuthModuleOptions = {}): Type<unknown> {
  @Module({
    imports: [PlatformModule.forRoot({ service: 'auth-fixture', config: AuthFixtureEnv }), AuthModule.forRoot(options)],
    controllers: [WhoAmIController],
  })
  class AuthFixtureModule {}
  return AuthFixtureModule;
}
