// Prometheus text exposition (version 0.0.4) of what an operator watches: events stored, duplicates, conflicts,
// refusals by reason, request latency.

/** Counters and a latency histogram, rendered for `GET /metrics`. */
export interface Metrics {
  count(name: CounterName, labels?: Record<string, string>): void
  observe(seconds: number): void
  render(): string
}

/** The counters the collector keeps. */
export type CounterName = 'events_stored' | 'events_duplicate' | 'events_conflict' | 'requests_rejected' | 'requests'

const HELP: Record<CounterName, string> = {
  events_stored: 'Consent events stored (201).',
  events_duplicate: 'Consent events received again with the same body (200).',
  events_conflict: 'A different body under a known eventId (409), kept in consent_conflicts.',
  requests_rejected: 'Requests refused, by reason (the HTTP status and the field or cause).',
  requests: 'HTTP requests answered, by route.',
}
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]
const PREFIX = 'minopio_collector_'
const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
const labelText = (labels: Record<string, string>) => {
  const keys = Object.keys(labels).sort()
  return keys.length ? `{${keys.map((k) => `${k}="${escapeLabel(labels[k])}"`).join(',')}}` : ''
}

/** Creates an empty set of metrics. */
export function createMetrics(): Metrics {
  const counters = new Map<CounterName, Map<string, number>>()
  const buckets = BUCKETS.map(() => 0)
  let sum = 0
  let total = 0
  return {
    count(name, labels = {}) {
      if (!counters.has(name)) counters.set(name, new Map())
      const series = counters.get(name)!
      const key = labelText(labels)
      series.set(key, (series.get(key) ?? 0) + 1)
    },
    observe(seconds) {
      BUCKETS.forEach((le, i) => { if (seconds <= le) buckets[i]++ })
      sum += seconds
      total++
    },
    render() {
      const lines: string[] = []
      for (const name of Object.keys(HELP) as CounterName[]) {
        lines.push(`# HELP ${PREFIX}${name}_total ${HELP[name]}`, `# TYPE ${PREFIX}${name}_total counter`)
        const series = counters.get(name) ?? new Map([['', 0]])
        for (const [labels, value] of series) lines.push(`${PREFIX}${name}_total${labels} ${value}`)
      }
      const h = `${PREFIX}request_duration_seconds`
      lines.push(`# HELP ${h} Time to answer a request.`, `# TYPE ${h} histogram`)
      BUCKETS.forEach((le, i) => lines.push(`${h}_bucket{le="${le}"} ${buckets[i]}`))
      lines.push(`${h}_bucket{le="+Inf"} ${total}`, `${h}_sum ${sum}`, `${h}_count ${total}`)
      return lines.join('\n') + '\n'
    },
  }
}
