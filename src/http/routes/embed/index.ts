import type { FastifyPluginAsync } from 'fastify';
import { assetRoutes } from './assets.js';
import { oembedRoutes } from './oembed.js';
import { pageRoutes } from './pages.js';

/** For partners' pages: the widget script, iframe pages and oEmbed. All public reads. */
export const embedRoutes: FastifyPluginAsync = async (app) => {
  await app.register(assetRoutes);
  await app.register(pageRoutes);
  await app.register(oembedRoutes);
};
