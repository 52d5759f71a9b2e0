/**
 * The scenario engine's public surface (tours, the page, tests): the schema and its types, the
 * codec, recording, and exact simulator replay.
 */
export { applyStep } from './apply'
export {
  clusterOptionsOf,
  decodeFragment,
  encodeFragment,
  FRAGMENT_KEY,
  fragmentPayload,
  type Parsed,
  parseScenarioJson,
  SCENARIO_ERROR_CODES,
  type ScenarioError,
  type ScenarioErrorCode,
  scenarioToJson,
  validateScenario,
} from './codec'
export { type Condition, type Narration, NarrationSchema } from './narration'
export { Recorder, recordingCluster } from './recorder'
export { playScenario, SimScenarioRun } from './replay'
export {
  ACTION_NAMES,
  ACTIONS,
  type ActionName,
  SCENARIO_VERSION,
  type ScenarioDoc,
  ScenarioSchema,
  type ScenarioStep,
  StepSchema,
} from './schema'
export { shortHash, TraceHash } from './traceHash'
