// Runs state machines on the aws-local-stepfunctions engine for the conformance test: reads a JSON
// array of cases from stdin ({definition, input, context, results: {state: [result, ...]}}), with
// every Task answered from its state's scripted results in order ({"$error", "$cause"} thrown as a function
// error) and every Wait taking no time;
// prints, per case, the states entered (the path), the status and the output.
import './promise-with-resolvers.mjs';
import { StateMachine } from 'aws-local-stepfunctions';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const cases = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const answers = [];
for (const c of cases) {
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
  }
  await Promise.race([logs, new Promise((res) => setTimeout(res, 2000))]);
  answers.push({ path, status, output, error });
}
process.stdout.write(JSON.stringify(answers));
