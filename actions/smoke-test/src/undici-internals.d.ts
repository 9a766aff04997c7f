// Types for the undici modules that undici.ts loads by path, taken from undici's own declarations.
declare module 'undici/lib/dispatcher/agent.js' {
  import { Agent } from 'undici';
  export default Agent;
}
declare module 'undici/lib/api/api-request.js' {
  import type { Dispatcher } from 'undici';
  const request: (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
  export default request;
}
declare module 'undici/lib/interceptor/redirect.js' {
  import type { interceptors } from 'undici';
  const redirect: typeof interceptors.redirect;
  export default redirect;
}
