import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { envSchema, loadConfig } from '../../src/config.js';

interface Service {
  image?: string;
  build?: unknown;
  ports?: string[];
  volumes?: string[];
  deploy?: { replicas?: number };
  environment?: Record<string, string>;
  healthcheck?: { test: unknown };
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(await readFile(new URL('../../docker-compose.yml', import.meta.url), 'utf8')) as {
  services: Record<string, Service>;
};

describe('docker-compose.yml', () => {
  it('runs the api with postgres and redis behind a load balancer, each with a healthcheck', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'lb', 'postgres', 'redis']);
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

  it('runs several api replicas behind one published port', async () => {
    const { api, lb } = compose.services;
    expect(api!.deploy?.replicas).toBeGreaterThan(1);
    // Replicas cannot share a host port: only the load balancer publishes one.
    expect(api!.ports).toBeUndefined();
    expect(
      Object.entries(compose.services)
        .filter(([, s]) => s.ports)
        .map(([name]) => name),
    ).toEqual(['lb']);
    expect(lb!.depends_on).toEqual({ api: { condition: 'service_healthy' } });
    const [source, target] = lb!.volumes![0]!.split(':');
    expect(target).toBe('/etc/nginx/conf.d/default.conf');
    const nginx = await readFile(new URL(`../../${source}`, import.meta.url), 'utf8');
    expect(nginx).toMatch(new RegExp(`server api:${api!.environment!.PORT};`));
    expect(nginx).toMatch(/proxy_pass http:\/\/api;/);
    // The API trusts the forwarded client address only from private peers such as this proxy,
    // which sets it itself (test/ops/trusted-proxy.test.ts checks how).
    expect(loadConfig({ TRUST_PROXY: api!.environment!.TRUST_PROXY }).trustProxy).toEqual(['uniquelocal']);
    expect(nginx).toMatch(/X-Forwarded-For \$remote_addr;/);
  });
});
