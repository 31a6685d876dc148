// The baseline of bin/bench-journeys: runs one state machine N times on aws-local-stepfunctions with
// scripted task results (by state name, in order) and no time spent waiting; prints executions/s.
// stdin: {definition, input, results, count}
import './promise-with-resolvers.mjs';
import { StateMachine } from 'aws-local-stepfunctions';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const c = JSON.parse(Buffer.concat(chunks).toString('utf8'));
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
      return c.results[name][n];
    };
  }
  await machine.run(c.input, { overrides: { taskResourceLocalHandlers: handlers, waitTimeOverrides: waits }, context: c.context }).result;
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
process.stdout.write(JSON.stringify({ count: c.count, seconds, perSecond: c.count / seconds }));
