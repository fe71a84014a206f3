// A default dockerode client (no `version` option: unversioned paths) reading the engine,
// then trying to create a container, which a read-only rule file must refuse.
// Usage: node readonly-calls.js <proxy port>
const Docker = require('dockerode');

async function main(port) {
  const docker = new Docker({ host: '127.0.0.1', port: Number(port) });

  console.log('info', (await docker.info()).ServerVersion);
  console.log('containers', (await docker.listContainers({ all: true })).flatMap((c) => c.Names).join(','));
  console.log('images', (await docker.listImages()).flatMap((i) => i.RepoTags || []).includes('mini:latest'));
  try {
    await docker.createContainer({ Image: 'mini:latest', Cmd: ['echo', 'refused'], name: 'dockerode-refused' });
    console.log('create passed');
  }
  catch (err) {
    console.log('create', err.statusCode);
  }
}

main(process.argv[2]).catch((err) => {
  console.error('refused', err.statusCode, err.message);
  process.exit(1);
});
