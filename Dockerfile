# syntax=docker/dockerfile:1
# Roundtable's image: docs/DEPLOYMENT.md, "Container image". Checked by tests/unit/packaging.test.ts
# (its instructions linted; no container engine runs in CI).

# The client, built with the dev dependencies (Vite, Svelte), which never reach the image.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# The server's dependencies alone. bufferutil is optional: where it has no prebuilt binary, it is left out.
FROM node:22-bookworm-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:22-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json tsconfig.json ./
COPY server ./server
COPY shared ./shared
# The SQLite store lives in the volume (unused with DATABASE_URL); the image's own files stay root's, read-only to the server.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM drains (/readyz answers 503 for DRAIN_SECONDS), then closes: give it longer than that to stop.
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "server/main.ts"]
