// Runs state machines on the aws-local-stepfunctions engine for the conformance test: reads a JSON
// array of cases from stdin ({definition, input, context, results: {state: [result, ...]}}), with
// every Task answered from its state's scripted results in order ({"$error", "$cause"} thrown as a function
// error; {"$error": "States.Timeout"} left unanswered, so the task's own timeout ends it) and every Wait taking no time;
// prints, per case, the states entered (the path), the status and the output.
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
const cases = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const answers = [];
for (const c of cases) {
  fixTimeoutPaths(c.definition);
  const machine = new StateMachine(c.definition, { validationOptions: { checkArn: true, checkPaths: true } });
  const taskResourceLocalHandlers = {};
  const waitTimeOverrides = {};
  const used = {};
  for (const [name, state] of Object.entries(c.definition.States)) {
    if (state.Type === 'Task') {
      taskResourceLocalHandlers[name] = () => {
        const list = c.results[name] || [];
        const i = used[name] || 0;
        used[name] = i + 1;
        if (i >= list.length) throw new Error(`no scripted result ${i} for ${name}`);
        const result = list[i];
        if (result && result.$error === 'States.Timeout') {
          // a callback task nobody answers: the engine's own timeout (TimeoutSeconds[Path]) ends it, as on AWS
          return new Promise(() => {});
        }
        if (result && result.$error) {
          // a function error, named as Lambda names a Java function's error: the exception's class
          const error = new Error(result.$cause || '');
          error.name = result.$error;
          throw error;
        }
        return result;
      };
    }
    if (state.Type === 'Wait') waitTimeOverrides[name] = 0;
  }
  const execution = machine.run(c.input, { overrides: { taskResourceLocalHandlers, waitTimeOverrides }, context: c.context });
  const path = [];
  let status = 'SUCCEEDED';
  let output = null;
  let error = null;
  const logs = (async () => {
    for await (const event of execution.eventLogs) {
      if (event.type === 'StateEntered' && event.index === undefined) path.push(event.state.name);
    }
  })();
  try {
    output = await execution.result;
  } catch (e) {
    status = 'FAILED';
    error = e.name || String(e);
    if (process.env.CONFORMANCE_DEBUG) console.error(e, e.cause);
  }
  await Promise.race([logs, new Promise((res) => setTimeout(res, 2000))]);
  answers.push({ path, status, output, error });
}
process.stdout.write(JSON.stringify(answers));
