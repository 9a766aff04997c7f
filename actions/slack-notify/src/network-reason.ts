/**
 * Why a request got no HTTP answer, as an error code or a fixed phrase. Never
 * the client's own message: it may hold the URL's path, which for a Slack
 * webhook is the secret (@actions/http-client: "Request timeout: /services/…").
 */
export function networkReason(error: unknown): string {
  const { name, message, code, cause } = error as { name?: string; message?: string; code?: string; cause?: { code?: string } };
  if (name === 'TimeoutError' || /^Request timeout/.test(message ?? '')) return 'no answer within the request timeout';
  return cause?.code ?? code ?? 'network error';
}
