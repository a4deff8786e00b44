import { Body, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '@dentalos/auth';
import { ApiController, ApiProblemResponses, Public } from '@dentalos/core';
import { Client, type ClientInfo } from '../common/client-info.js';
import { UserProfileDto } from '../users/dto/user-profile.dto.js';
import { AuthService } from './auth.service.js';
import { LoginDto, PasswordResetConfirmDto, PasswordResetRequestDto, RefreshDto, RegisterDto, VerifyEmailDto } from './dto/auth-requests.dto.js';
import { AcceptedDto, TokenPairDto } from './dto/auth-responses.dto.js';
import { PasswordResetService } from './password-reset.service.js';

@ApiController('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly resets: PasswordResetService,
  ) {}

  @Public()
  @Post('register')
  @ApiOperation({ summary: 'Create an account; a verification link is sent by email (user.created)' })
  @ApiCreatedResponse({ type: UserProfileDto })
  @ApiProblemResponses(400, 409)
  register(@Body() body: RegisterDto): Promise<UserProfileDto> {
    return this.auth.register(body);
  }

  @Public()
  @Post('verify-email')
  @HttpCode(204)
  @ApiOperation({ summary: 'Confirm the email address with the token from the link (single use, 24 h)' })
  @ApiNoContentResponse({ description: 'Verified' })
  @ApiProblemResponses(400)
  verifyEmail(@Body() body: VerifyEmailDto): Promise<void> {
    return this.auth.verifyEmail(body.token);
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in: an access token (≤ 10 min) and a refresh token for a new device session' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiProblemResponses(400, 401)
  login(@Body() body: LoginDto, @Client() client: ClientInfo): Promise<TokenPairDto> {
    return this.auth.login(body, client);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate the refresh token; presenting a used one ends the session (401 INVALID_GRANT)' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiProblemResponses(400, 401)
  refresh(@Body() body: RefreshDto): Promise<TokenPairDto> {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth('bearer')
  @ApiOperation({ summary: 'End the current device session' })
  @ApiNoContentResponse({ description: 'Signed out' })
  @ApiProblemResponses(401)
  logout(@CurrentUser() caller: AuthUser): Promise<void> {
    return this.auth.logout(caller);
  }

  @Public()
  @Post('password-reset/request')
  @HttpCode(202)
  @ApiOperation({ summary: 'Ask for a reset link; always the same 202 whether or not the account exists' })
  @ApiAcceptedResponse({ type: AcceptedDto })
  @ApiProblemResponses(400)
  requestReset(@Body() body: PasswordResetRequestDto): AcceptedDto {
    return this.resets.request(body.email);
  }

  @Public()
  @Post('password-reset/confirm')
  @HttpCode(204)
  @ApiOperation({ summary: 'Set a new password with the reset token (single use, ≤ 20 min); every session ends' })
  @ApiNoContentResponse({ description: 'Password changed' })
  @ApiProblemResponses(400)
  confirmReset(@Body() body: PasswordResetConfirmDto): Promise<void> {
    return this.resets.confirm(body.token, body.newPassword);
  }
}
