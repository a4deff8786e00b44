import { Agent, request } from 'undici';

export interface Outcome {
  /** HTTP status, or 0 when no response arrived (connection error or client-side deadline). */
  status: number;
  label: string;
  /** When the request was sent (epoch ms), to attribute it to a phase of a fault. */
  startedAt: number;
  durationMs: number;
  error?: string;
  code?: string;
}

export interface LoadStep {
  label: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  token?: string;
  body?: unknown;
  /** Statuses that count as success for this step; 2xx when omitted. */
  ok?: (status: number) => boolean;
}

export interface LoadSummary {
  total: number;
  failures: Outcome[];
  byStatus: Record<string, number>;
}

export interface Load {
  /** Outcomes so far, e.g. to look at one phase of a fault. */
  readonly outcomes: readonly Outcome[];
  stop(): Promise<LoadSummary>;
}

/** Default per-request client deadline: longer than any server-side route timeout, so a hang shows up as status 0. */
const CLIENT_DEADLINE_MS = 25_000;

export function summarize(outcomes: readonly Outcome[], isOk: (outcome: Outcome) => boolean = (outcome) => outcome.status >= 200 && outcome.status < 300): LoadSummary {
  const byStatus: Record<string, number> = {};
  for (const outcome of outcomes) byStatus[`${outcome.label} ${outcome.status}`] = (byStatus[`${outcome.label} ${outcome.status}`] ?? 0) + 1;
  return { total: outcomes.length, failures: outcomes.filter((outcome) => !isOk(outcome)), byStatus };
}

/**
 * Steady load on loopback: `workers` loops, each sending the next step, pausing `pauseMs`
 * between requests, until stopped. Kept-alive connections like a real client's.
 */
export function startLoad(baseUrl: string, steps: (n: number) => LoadStep, options: { workers?: number; pauseMs?: number; deadlineMs?: number } = {}): Load {
  const { workers = 4, pauseMs = 20, deadlineMs = CLIENT_DEADLINE_MS } = options;
  const agent = new Agent({ connections: workers, keepAliveTimeout: 30_000 });
  const outcomes: Outcome[] = [];
  const oks = new WeakMap<Outcome, boolean>();
  let running = true;
  let n = 0;

  const once = async (step: LoadStep): Promise<void> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (step.token) headers.authorization = `Bearer ${step.token}`;
    if (step.body !== undefined) headers['content-type'] = 'application/json';
    let outcome: Outcome;
    const startedAt = Date.now();
    try {
      const response = await request(`${baseUrl}${step.path}`, {
        method: step.method,
        headers,
        body: step.body === undefined ? undefined : JSON.stringify(step.body),
        dispatcher: agent,
        signal: AbortSignal.timeout(deadlineMs),
      });
      const text = await response.body.text();
      let code: string | undefined;
      if (response.statusCode >= 400) code = (/"code":"([A-Z_]+)"/.exec(text) ?? [])[1];
      outcome = { status: response.statusCode, label: step.label, startedAt, durationMs: Date.now() - startedAt, code };
    } catch (error) {
      outcome = { status: 0, label: step.label, startedAt, durationMs: Date.now() - startedAt, error: (error as { code?: string }).code ?? (error as Error).message };
    }
    oks.set(outcome, (step.ok ?? ((status) => status >= 200 && status < 300))(outcome.status));
    outcomes.push(outcome);
  };

  const worker = async () => {
    while (running) {
      await once(steps(n++));
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  };
  const loops = Array.from({ length: workers }, () => worker());

  return {
    outcomes,
    async stop() {
      running = false;
      await Promise.all(loops);
      await agent.close();
      return summarize(outcomes, (outcome) => oks.get(outcome) === true);
    },
  };
}

/** A short, readable account of failures for assertion messages. */
export function describeFailures(summary: LoadSummary): string {
  const counts: Record<string, number> = {};
  for (const failure of summary.failures) {
    const key = `${failure.label} ${failure.status} ${failure.code ?? failure.error ?? ''}`.trim();
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return JSON.stringify({ total: summary.total, failures: counts });
}
