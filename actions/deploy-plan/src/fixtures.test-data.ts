/** A complete description, as a team would write it (used by the unit tests). */
export const STAGING = `filters:
  shared: [packages/shared/**]
  api: [services/api/**]
  worker: [services/worker/**]
  events: [functions/events/**]
  web: [apps/web/**]
  migrations: [db/migrations/**]
images:
  api:
    context: services/api
    repository: api
    build-args: { APP: api, WORKERS: 2 }
    when: [api, shared]
  worker:
    context: services/worker
    dockerfile: services/worker/Containerfile
    repository: worker
    when: [worker, shared]
services:
  api:
    cluster: staging
    service: api
    containers: { api: api }
  worker:
    cluster: staging
    service: worker
    containers: { worker: worker }
    when: [migrations]
functions:
  events:
    function-name: staging-events
    zip-directory: functions/events
    when: [events, shared]
site:
  directory: apps/web/dist
  build: npm run build --prefix apps/web
  bucket: staging-web
  distribution-id: E2EXAMPLE
  when: [web]
database:
  migrations: db/migrations
  backup: true
  when: [migrations]
smoke:
  checks:
    - url: https://staging.example.com/healthz
      expect-json: '$.version=\${version}'
  max-p95: 800ms
`;
