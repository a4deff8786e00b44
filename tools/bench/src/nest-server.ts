// The framework peer: plain NestJS on Fastify with no shared pipeline, to tell framework cost from ours.
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
@Controller('api/v1/ping') class C { @Get() ping() { return { status: 'ok', service: 'bench' }; } }
@Module({ controllers: [C] }) class M {}
const app = await NestFactory.create(M, new FastifyAdapter(), { logger: false });
await app.listen(Number(process.env.PORT), '127.0.0.1');
process.send?.('ready');
