// The baseline of bin/bench-journeys: runs one state machine N times on aws-local-stepfunctions with
// scripted task results (by state name, in order; {"$error", "$cause"} thrown) and no time spent waiting;
// prints executions/s.
// stdin: {definition, input, results, count}
import './promise-with-resolvers.mjs';
import { StateMachine } from 'aws-local-stepfunctions';

// aws-local-stepfunctions reads a Task's TimeoutSecondsPath from the Parameters' result, where Step Functions reads
// it from the state's input (as our engine does): the scripted timeouts here are 1 second, so a fixed one stands in.
function fixTimeoutPaths(definition) {
  for (const state of Object.values(definition.States)) {
    if (state.TimeoutSecondsPath) {
      delete state.TimeoutSecondsPath;
      state.TimeoutSeconds = 1;
    }
  }
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const c = JSON.parse(Buffer.concat(chunks).toString('utf8'));
fixTimeoutPaths(c.definition);
const machine = new StateMachine(c.definition, { validationOptions: { checkArn: true, checkPaths: true } });
const waits = {};
for (const [name, state] of Object.entries(c.definition.States)) if (state.Type === 'Wait') waits[name] = 0;
const started = process.hrtime.bigint();
for (let i = 0; i < c.count; i++) {
  const used = {};
  const handlers = {};
  for (const [name, state] of Object.entries(c.definition.States)) {
    if (state.Type !== 'Task') continue;
    handlers[name] = () => {
      const n = used[name] || 0;
      used[name] = n + 1;
      const result = c.results[name][n];
      if (result && result.$error) {
        // a function error, named as Lambda names a Java function's error (a callback task's timeout: States.Timeout)
        const error = new Error(result.$cause || '');
        error.name = result.$error;
        throw error;
      }
      return result;
    };
  }
  await machine.run(c.input, { overrides: { taskResourceLocalHandlers: handlers, waitTimeOverrides: waits }, context: c.context }).result;
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
process.stdout.write(JSON.stringify({ count: c.count, seconds, perSecond: c.count / seconds }));
