import { hostname } from 'node:os';
import { Transform, Type } from 'class-transformer';
import { ArrayMinSize, IsIn, IsInt, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';
import { DataEnv, toList } from '@dentalos/core';

const toNumberList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
        .map(Number)
    : value;

/** Every variable the notification service reads; defaults are the local stack's. */
export class NotificationEnv extends DataEnv {
  override PORT = 3003;
  override MONGODB_URI = 'mongodb://127.0.0.1:27017/notification';
  override REDIS_KEY_PREFIX = 'notification:';

  /** Required. The key the user service seals link tokens with (32 random bytes, base64). */
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'EVENT_SEALING_KEY must be 32 random bytes, base64-encoded' })
  EVENT_SEALING_KEY: string;

  /** Required. Shared secret providers send in `X-Webhook-Secret` on delivery webhooks. */
  @IsString()
  @MinLength(16, { message: 'WEBHOOK_SECRET must be at least 16 characters' })
  WEBHOOK_SECRET: string;

  /** Front-end origin used in links (verify email, reset password). */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  APP_BASE_URL = 'http://localhost:3000';

  // --- channels ---------------------------------------------------------------------------
  @IsString()
  SMTP_URL = 'smtp://127.0.0.1:1025';

  @IsString()
  SMTP_FROM = 'DentalOS <no-reply@dentalos.local>';

  /** Twilio Messages API origin; tests and local runs point it at a stand-in. */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  TWILIO_BASE_URL = 'https://api.twilio.com';

  @IsString()
  TWILIO_ACCOUNT_SID = '';

  @IsString()
  TWILIO_AUTH_TOKEN = '';

  @IsString()
  TWILIO_FROM = '';

  /** FCM HTTP v1 origin. */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  FCM_BASE_URL = 'https://fcm.googleapis.com';

  @IsString()
  FCM_PROJECT_ID = '';

  /** OAuth2 access token for FCM (minted from the service account by the platform's secret tooling). */
  @IsString()
  FCM_ACCESS_TOKEN = '';

  /** Upper bound for one provider call (SMTP or HTTP). */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  PROVIDER_TIMEOUT_MS = 10_000;

  /** Per-provider circuit breaker: judged over at least this many recent calls (50 % transient failures opens it). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  PROVIDER_BREAKER_MIN_CALLS = 10;

  /** How long an open breaker rejects calls before letting a probe through. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  PROVIDER_BREAKER_OPEN_MS = 30_000;

  /** Twilio's hard limit for one message body. */
  @Type(() => Number)
  @IsInt()
  @Min(70)
  @Max(1600)
  SMS_MAX_LENGTH = 1600;

  /** Rendered-data cap for one send; larger is a 413. */
  @Type(() => Number)
  @IsInt()
  @Min(256)
  NOTIFICATION_DATA_LIMIT_BYTES = 16_384;

  /** Categories that ignore opt-outs and quiet hours. */
  @Transform(toList)
  @IsString({ each: true })
  CRITICAL_CATEGORIES: string[] = ['security', 'password-reset'];

  // --- delivery queues --------------------------------------------------------------------
  /** Waits before each retry of a transient failure; one more attempt than entries. Jittered ±20 %. */
  @Transform(toNumberList)
  @ArrayMinSize(0)
  @IsInt({ each: true })
  @Min(0, { each: true })
  DELIVERY_RETRY_DELAYS_MS: number[] = [1_000, 5_000, 30_000];

  @Type(() => Number)
  @IsInt()
  @Min(1)
  EMAIL_CONCURRENCY = 50;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  SMS_CONCURRENCY = 20;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  PUSH_CONCURRENCY = 20;

  /** A job whose worker died is handed to another worker after this long. */
  @Type(() => Number)
  @IsInt()
  @Min(500)
  QUEUE_LOCK_MS = 30_000;

  // --- event consumption ------------------------------------------------------------------
  @IsString()
  EVENTS_USER_STREAM = 'events.user';

  @IsString()
  EVENTS_ENTERPRISE_STREAM = 'events.enterprise';

  @IsString()
  EVENTS_GROUP = 'notification';

  /** Stable per replica (the pod name), so a restarted pod finishes its own pending entries. */
  @IsString()
  EVENTS_CONSUMER_NAME = hostname();

  /** Where a newly created group starts: 0 = everything already in the stream. */
  @IsIn(['0', '$'])
  EVENTS_START_ID: '0' | '$' = '0';

  @Type(() => Number)
  @IsInt()
  @Min(100)
  EVENTS_CLAIM_IDLE_MS = 30_000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  EVENTS_MAX_DELIVERIES = 5;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000)
  EVENTS_BATCH_SIZE = 100;

  /** Events of a batch handled at the same time. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  EVENTS_CONCURRENCY = 10;

  /** A handler running longer counts as failed and its event is retried later. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  EVENTS_HANDLE_TIMEOUT_MS = 30_000;
}
