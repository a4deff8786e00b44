// The framework peer: plain NestJS on Fastify with no shared pipeline, to tell framework cost from ours.
// `/clinic` serves BENCH_BODY, a pre-serialized JSON body, for the enterprise HTTP benchmark.
import 'reflect-metadata';
import { Controller, Get, Header, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
const body = process.env.BENCH_BODY ?? '{}';
@Controller() class C {
  @Get('api/v1/ping') ping() { return { status: 'ok', service: 'bench' }; }
  @Get('clinic') @Header('content-type', 'application/json; charset=utf-8') json() { return body; }
}
@Module({ controllers: [C] }) class M {}
const app = await NestFactory.create(M, new FastifyAdapter(), { logger: false });
await app.listen(Number(process.env.PORT), '127.0.0.1');
process.send?.('ready');
