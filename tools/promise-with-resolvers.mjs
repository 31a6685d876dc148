// aws-local-stepfunctions calls Promise.withResolvers (Node 22); this machine's Node may be 20.
Promise.withResolvers ??= function withResolvers() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
};
