// Starts one throwaway PostgreSQL cluster for the collector's test files (each makes its own database in it).
import type { TestProject } from 'vitest/node'
import { startCluster } from '../scripts/postgres-cluster.mjs'

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string
  }
}

export default async function setup(project: TestProject) {
  const cluster = await startCluster({ durable: false })
  project.provide('postgresUrl', cluster.url)
  return () => cluster.stop()
}
