// A default dockerode client (unversioned paths) through a whole container lifecycle:
// live events, create, start, streamed logs, exec with stdin over the hijacked
// connection (closing stdin must end the exec), remove.
// Usage: node full-lifecycle.js <proxy port>
const Docker = require('dockerode');
const { PassThrough } = require('stream');

const NAME = 'dockerode-full';

/** Everything a stream has sent since it was made, and a way to wait for some text in it. */
class Recorded {
  constructor(stream) {
    this.text = '';
    this.waiters = [];
    stream.on('data', (chunk) => {
      this.text += chunk.toString();
      this.waiters.forEach((check) => check());
    });
  }

  /** Resolves once `expected` has arrived (now or before); rejects after `ms`. */
  awaitText(expected, what, ms = 15000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} '${expected.trim()}' within ${ms} ms; got '${this.text}'`)), ms);
      const check = () => {
        if (this.text.includes(expected)) {
          clearTimeout(timer);
          resolve();
        }
      };
      this.waiters.push(check);
      check();
    });
  }
}

async function main(port) {
  const docker = new Docker({ host: '127.0.0.1', port: Number(port) });

  // The event stream stays open while the container lives; each event is one JSON line.
  const events = await docker.getEvents({ filters: { type: ['container'], container: [NAME] } });
  const actionStream = new PassThrough();
  const actions = new Recorded(actionStream);
  let partial = '';
  events.on('data', (chunk) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop();
    lines.filter((l) => l.trim()).forEach((line) => actionStream.write(`${JSON.parse(line).Action}\n`));
  });

  const container = await docker.createContainer({ name: NAME, Image: 'mini:latest', Cmd: ['sh', '-c', 'echo started; sleep 300'] });
  console.log('create', /^[0-9a-f]{64}$/.test(container.id));
  await container.start();
  await actions.awaitText('start\n', 'event');
  console.log('event start');

  const logs = await container.logs({ stdout: true, stderr: true, follow: true });
  const logOutput = new PassThrough();
  const logLines = new Recorded(logOutput);
  container.modem.demuxStream(logs, logOutput, logOutput);
  await logLines.awaitText('started\n', 'log line');
  logs.destroy();
  console.log('logs started');

  const exec = await container.exec({ Cmd: ['cat'], AttachStdin: true, AttachStdout: true, AttachStderr: true });
  const hijacked = await exec.start({ hijack: true, stdin: true });
  const execOutput = new PassThrough();
  container.modem.demuxStream(hijacked, execOutput, execOutput);
  let echoed = '';
  execOutput.on('data', (chunk) => { echoed += chunk; });
  const ended = new Promise((resolve) => hijacked.on('end', resolve));
  hijacked.end('through the hijacked exec\n');
  let timer;
  await Promise.race([ended, new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`exec did not end after its stdin closed; got '${echoed}'`)), 15000);
  })]);
  clearTimeout(timer);
  console.log('exec', echoed.trim(), 'exit', (await exec.inspect()).ExitCode);

  await container.remove({ force: true });
  await actions.awaitText('destroy\n', 'event');
  console.log('event destroy');
  events.destroy();
}

main(process.argv[2]).catch((err) => {
  console.error('failed', err.statusCode, err.message);
  process.exit(1);
});
