/**
 * .gitignore -> exclude globs (picomatch syntax, relative '/'-paths from the workspace folder), so
 * `sketchSearch.useGitignore` can add them to the exclude list given to FolderIndex / scan.
 * vscode-free. Follows gitignore(5) for what an exclude list can express:
 * - blank lines and `#` comments are skipped; `\#` and `\!` escape; trailing unescaped spaces are trimmed;
 * - a pattern with a '/' at the start or in the middle is anchored to the .gitignore's folder,
 *   otherwise it matches at any depth (`**` prefix);
 * - a trailing '/' matches folders only (so everything under them);
 * - otherwise a pattern matches a file of that name or a folder of that name and all below it.
 * Negations (`!pattern`) cannot be expressed by an exclude list and are returned in `unsupported`
 * (a negated file stays excluded: the safe direction for indexing).
 */

export interface GitignoreGlobs { globs: string[]; unsupported: string[] }

/** `base`: the folder of the .gitignore relative to the workspace folder ('' for the root). */
export function gitignoreToGlobs(text: string, base = ''): GitignoreGlobs {
  const globs: string[] = [];
  const unsupported: string[] = [];
  const prefix = base.replace(/^\/+|\/+$/g, '');
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/(^|[^\\])\s+$/, '$1');
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('!')) { unsupported.push(line); continue; }
    if (line.startsWith('\\#') || line.startsWith('\\!')) line = line.slice(1);
    line = line.replace(/\\ /g, ' ');
    let dirOnly = false;
    if (line.endsWith('/')) { dirOnly = true; line = line.replace(/\/+$/, ''); }
    if (line === '' || line === '/') continue;
    const anchored = line.includes('/');
    line = line.replace(/^\/+/, '');
    let pat = anchored ? line : (line.startsWith('**/') ? line : `**/${line}`);
    if (prefix) pat = `${prefix}/${pat}`;
    if (pat.endsWith('/**')) { globs.push(pat); continue; }
    if (!dirOnly) globs.push(pat);
    globs.push(`${pat}/**`);
  }
  return { globs: [...new Set(globs)], unsupported };
}
