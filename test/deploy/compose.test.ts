import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { envSchema, loadConfig } from '../../src/config.js';

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  healthcheck?: { test: unknown };
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(await readFile(new URL('../../docker-compose.yml', import.meta.url), 'utf8')) as { services: Record<string, Service> };

describe('docker-compose.yml', () => {
  it('runs the api with postgres and redis, each with a healthcheck', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'postgres', 'redis']);
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.healthcheck?.test, `${name} healthcheck`).toBeTruthy();
    }
    expect(compose.services.api!.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
  });

  it('sets only variables the API accepts, with values it accepts', () => {
    const env = compose.services.api!.environment!;
    const known = Object.keys(envSchema.shape);
    for (const key of Object.keys(env)) expect(known, `unknown variable ${key}`).toContain(key);
    const config = loadConfig(env);
    expect(config.database.url).toMatch(/@postgres:5432\//);
    expect(config.redisUrl).toBe('redis://redis:6379');
    expect(config.host).toBe('0.0.0.0');
  });

  it('points the api at the database the postgres service creates', () => {
    const pg = compose.services.postgres!.environment!;
    const url = new URL(compose.services.api!.environment!.DATABASE_URL!);
    expect(url.pathname).toBe(`/${pg.POSTGRES_DB}`);
    expect(decodeURIComponent(url.username)).toBe(pg.POSTGRES_USER);
    expect(decodeURIComponent(url.password)).toBe(pg.POSTGRES_PASSWORD);
  });
});
