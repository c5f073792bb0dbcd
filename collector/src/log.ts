// Structured logs: one JSON object per line, for journald, Loki or any log shipper.

/** A log line's fields; `msg` says what happened. */
export type LogFields = { msg: string } & Record<string, unknown>

/** Writes one line per call; `level` decides stdout (info) or stderr (warn, error). */
export type Logger = (level: 'info' | 'warn' | 'error', fields: LogFields) => void

/**
 * Logs JSON lines to the process's stdout / stderr.
 * @example jsonLogger('info', { msg: 'listening', port: 8080 }) // {"time":"…","level":"info","msg":"listening","port":8080}
 */
export const jsonLogger: Logger = (level, fields) => {
  const line = JSON.stringify({ time: new Date().toISOString(), level, ...fields }) + '\n'
  if (level === 'info') process.stdout.write(line)
  else process.stderr.write(line)
}

/** Drops every line (tests, embedding in another server that logs itself). */
export const silentLogger: Logger = () => {}
