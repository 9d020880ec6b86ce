/**
 * The `response_url` of a Slack interaction when costbridge may send to it: an http(s) URL on the
 * Web API's own domain (`hooks.slack.com` for `https://slack.com/api/`, `hooks.slack-gov.com` for
 * GovSlack, the fake's host in tests). The URL arrives in a signed request, but it is a place the
 * bot POSTs message content to, so anything else is ignored and the reply falls back to the Web API.
 */
export function usableResponseUrl(value: unknown, apiUrl: string): string | undefined {
  if (typeof value !== 'string' || value.length > 2048) return undefined;
  let url: URL;
  let api: URL;
  try {
    url = new URL(value);
    api = new URL(apiUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== api.protocol) return undefined;
  if (url.username || url.password) return undefined;
  const domain = api.hostname.replace(/^api\./, '');
  const host = url.hostname;
  if (host !== domain && !host.endsWith(`.${domain}`)) return undefined;
  // A local fake listens on one port; Slack's hooks are on the default port.
  if (host === api.hostname && url.port !== api.port) return undefined;
  return url.toString();
}
