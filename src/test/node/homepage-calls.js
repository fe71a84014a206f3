// The Docker calls Homepage (gethomepage.dev) makes for a service's status and stats,
// made the way Homepage makes them: a dockerode client built from { host, port } alone,
// without a `version` option, so every path is unversioned (/containers/json, /info, ...).
// Usage: node homepage-calls.js <proxy port> <container name>
const Docker = require('dockerode');

async function main(port, name) {
  const docker = new Docker({ host: '127.0.0.1', port: Number(port) });

  const containers = await docker.listContainers({ all: true });
  const names = containers.flatMap((c) => c.Names.map((n) => n.replace(/^\//, '')));
  console.log('list', names.includes(name) ? name : `(missing ${name}: ${names})`);

  const info = await docker.info();
  console.log('info', info.ServerVersion);

  const container = docker.getContainer(name);
  const inspected = await container.inspect();
  console.log('inspect', inspected.State.Status);

  const stats = await container.stats({ stream: false });
  console.log('stats', stats.name, typeof stats.cpu_stats);
}

main(process.argv[2], process.argv[3]).catch((err) => {
  console.error('refused', err.statusCode, err.message);
  process.exit(1);
});
