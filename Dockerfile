# syntax=docker/dockerfile:1.7
# One image recipe for every service:  docker build --build-arg APP=user -t dentalos/user .
# Run with a read-only root filesystem and a /tmp volume, e.g.
#   docker run --read-only --tmpfs /tmp -m 512m -p 3002:3002 dentalos/user
ARG NODE_IMAGE=node:22.23.3-bookworm-slim

# ---- build: full workspace, dev dependencies, nx build, then a production-only copy in /out ----
FROM ${NODE_IMAGE} AS build
ENV CI=true PNPM_HOME=/pnpm PATH=/pnpm:$PATH
RUN corepack enable && corepack prepare pnpm@9.15.9 --activate
WORKDIR /repo
# Only the lockfile decides what is downloaded, so this layer is cached until dependencies change.
COPY pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store pnpm fetch
COPY . .
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store pnpm install --offline --frozen-lockfile
ARG APP
RUN test -n "$APP" || (echo "--build-arg APP=<gateway|user|notification|enterprise> is required" >&2; exit 1)
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store sh tools/ops/docker/build-app.sh "$APP" /out

# ---- runtime: node, tini, the app; nothing writable but /tmp ----
FROM ${NODE_IMAGE} AS runtime
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
ARG APP
# glibc raises its mmap threshold after the first large free (the bundle's source read at start-up)
# and then keeps every later large block in the heap, where it is never given back: a fixed
# threshold keeps an idle replica ~20 MB smaller. The same in ecosystem.config.js.
ENV NODE_ENV=production APP=${APP} MALLOC_MMAP_THRESHOLD_=131072
WORKDIR /app
# Owned by root and not writable by the service user: the code cannot be changed at runtime.
COPY --from=build --chown=0:0 /out /app
USER 10001:10001
VOLUME ["/tmp"]
# The apps' ports (gateway 3000, user 3002, notification 3003, enterprise 3017); PORT overrides.
EXPOSE 3000 3002 3003 3017
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=4s --start-period=30s --retries=3 CMD ["node", "/app/healthcheck.mjs"]
# tini is PID 1 (reaps zombies, forwards SIGTERM); the entrypoint `exec`s node, so node is its child.
ENTRYPOINT ["/usr/bin/tini", "--", "/app/docker-entrypoint.sh"]
CMD ["dist/bundle/main.js"]
