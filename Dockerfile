# The API image. Build stage: compile src/ to dist/ with the dev dependencies. Final stage: the
# production dependencies, the compiled JavaScript and the files it reads at run time (migrations,
# seed content, the embed widget), run as the unprivileged `node` user on the current Node.js LTS.
# test/deploy/docker.test.ts reads this file and checks these promises.
ARG NODE_IMAGE=node:26-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    PGLITE_DATA_DIR=/data/pglite
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY migrations ./migrations
COPY seed ./seed
COPY embed ./embed
# The embedded database (used when DATABASE_URL is unset) keeps its files here; the node user
# owns it, so it can write there, and a volume keeps it across containers.
RUN mkdir -p /data/pglite && chown -R node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
# Ready means the database answers (GET /readyz); node's own fetch, so the image needs no curl.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/server.js"]
