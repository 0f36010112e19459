import http from 'node:http';

/**
 * A small browser stand-in for load generation: node:http with a keep-alive
 * agent per virtual user (bound to its own loopback address, so each looks
 * like its own device to per-address rate limits), a cookie jar per host, and
 * no redirect following (each hop is a request the bench times).
 */
export interface Answer {
  readonly status: number;
  readonly location: string | undefined;
  readonly body: string;
}

export class VirtualBrowser {
  private readonly jars = new Map<string, Map<string, string>>();

  constructor(private readonly agent: http.Agent) {}

  /** A fresh session (new cookies) on the same device and connections. */
  reset(): void {
    this.jars.clear();
  }

  private jar(host: string): Map<string, string> {
    let jar = this.jars.get(host);
    if (!jar) this.jars.set(host, (jar = new Map()));
    return jar;
  }

  request(method: 'GET' | 'POST', url: string, form?: URLSearchParams): Promise<Answer> {
    const u = new URL(url);
    const jar = this.jar(u.host);
    const headers: Record<string, string> = {};
    if (jar.size > 0) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const body = form?.toString();
    if (body !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    return new Promise((resolve, reject) => {
      const req = http.request({ agent: this.agent, host: u.hostname, port: u.port, method, path: u.pathname + u.search, headers }, (res) => {
        for (const cookie of res.headers['set-cookie'] ?? []) {
          const [pair, ...attrs] = cookie.split(';');
          const eq = pair!.indexOf('=');
          const name = pair!.slice(0, eq).trim();
          const value = pair!.slice(eq + 1).trim();
          if (value === '' || attrs.some((a) => /max-age=0|expires=thu, 01 jan 1970/i.test(a))) jar.delete(name);
          else jar.set(name, value);
        }
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const location = res.headers.location;
          resolve({ status: res.statusCode ?? 0, location: location ? new URL(location, u).toString() : undefined, body: text });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.setTimeout(30_000, () => req.destroy(new Error(`timeout: ${method} ${u.pathname}`)));
      req.end(body);
    });
  }
}

/** One keep-alive agent per virtual user, each from its own 127.x.y.z address. */
export function deviceAgent(index: number): http.Agent {
  const localAddress = `127.${10 + Math.floor(index / 62500)}.${Math.floor(index / 250) % 250}.${(index % 250) + 1}`;
  return new http.Agent({ keepAlive: true, maxSockets: 2, localAddress });
}
