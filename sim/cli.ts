import {
  DEFAULT_CLASSLINK_CLIENT,
  DEFAULT_CLEVER_CLIENT,
  startSimulators,
  type RunningSimulators,
  type SimulatorOptions,
} from './index.ts';

/**
 * `rollcall sim`: start both simulators and print where they listen and the
 * credentials an app (or a developer with curl) needs. Always serves the demo
 * district; `--students N` adds a generated district of N students.
 */
export interface SimCommandArgs {
  students?: number;
  seed?: number;
  cleverPort?: number;
  classlinkPort?: number;
  host?: string;
}

export function describe(sims: RunningSimulators, options: SimulatorOptions): string {
  const clever = options.cleverClient;
  const classlink = options.classlinkClient;
  const lines = [
    'Rollcall provider simulators',
    '',
    `Clever      ${sims.clever.url}   (clever.com + api.clever.com)`,
    `  client    ${clever?.clientId} / ${clever?.clientSecret}`,
    `  redirect  ${clever?.redirectUris.join(', ')}`,
    `  discovery ${sims.clever.url}/.well-known/openid-configuration`,
    `  portal    ${sims.clever.url}/sim/portal`,
    '',
    `ClassLink   ${sims.classlink.url}   (LaunchPad + nodeapi + Roster Servers)`,
    `  client    ${classlink?.clientId} / ${classlink?.clientSecret}`,
    `  redirect  ${classlink?.redirectUris.join(', ')}`,
    `  discovery ${sims.classlink.url}/.well-known/openid-configuration`,
    `  launchpad ${sims.classlink.url}/sim/launchpad`,
  ];
  for (const d of sims.districts) {
    lines.push(
      '',
      `District "${d.name}"  (${d.counts.students} students, ${d.counts.teachers} teachers, ${d.counts.sections} sections)`,
      `  Clever district id     ${d.cleverDistrictId}`,
      `  Clever district token  ${d.cleverDistrictToken}`,
      `  ClassLink tenant       ${d.classlinkTenantId}`,
      `  OneRoster 1.1          ${d.oneRoster.v1p1.baseUrl}`,
      `    OAuth 1.0a key/secret  ${d.oneRoster.v1p1.consumerKey} / ${d.oneRoster.v1p1.consumerSecret}`,
      `  OneRoster 1.2          ${d.oneRoster.v1p2.baseUrl}`,
      `    token URL              ${d.oneRoster.v1p2.tokenUrl}`,
      `    client id/secret       ${d.oneRoster.v1p2.clientId} / ${d.oneRoster.v1p2.clientSecret}`,
      '  Teachers:',
      ...d.teachers.slice(0, 10).map((t) => `    ${t.givenName} ${t.familyName} <${t.email ?? '-'}>  clever ${t.cleverId}  classlink ${t.classlinkUserId}`),
    );
  }
  lines.push('', 'Test control API: GET/POST /_control/... on either simulator. Ctrl-C to stop.');
  return lines.join('\n');
}

export async function runSimCommand(argv: SimCommandArgs = {}): Promise<RunningSimulators> {
  const options: SimulatorOptions = {
    host: argv.host ?? '127.0.0.1',
    cleverPort: argv.cleverPort ?? 3101,
    classlinkPort: argv.classlinkPort ?? 3102,
    ...(argv.seed !== undefined ? { seed: argv.seed } : {}),
    cleverClient: DEFAULT_CLEVER_CLIENT,
    classlinkClient: DEFAULT_CLASSLINK_CLIENT,
    districts: [
      { kind: 'demo' },
      ...(argv.students !== undefined && argv.students > 0
        ? [{ kind: 'generated' as const, students: argv.students, ...(argv.seed !== undefined ? { seed: argv.seed } : {}), name: 'Generated District' }]
        : []),
    ],
  };
  const sims = await startSimulators(options);
  process.stdout.write(`${describe(sims, options)}\n`);
  const stop = () => {
    void sims.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return sims;
}
