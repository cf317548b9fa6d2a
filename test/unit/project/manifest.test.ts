// The manifest's conventions: every word a person reads comes from package.nls.json, commands
// in menus have icons, settings say what they do and where they may be set, and the
// walkthrough points at files and commands that exist.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_MCP_COMMAND } from '../../../src/ecosystem/core/mcpPlan';
import { repoRoot as root } from '../../harness/paths';

const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const nls: Record<string, string> = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8'));
const contributes = manifest.contributes;

interface Command {
  command: string;
  title: string;
  category?: string;
  icon?: string;
}
interface MenuItem {
  command: string;
  when?: string;
  group?: string;
}
interface Setting {
  type: string;
  default?: unknown;
  scope?: string;
  description?: string;
  markdownDescription?: string;
}

/** Every place in package.json a person reads, with its JSON path. */
function userFacingStrings(): [string, unknown][] {
  const found: [string, unknown][] = [
    ['displayName', manifest.displayName],
    ['description', manifest.description],
    ['capabilities.untrustedWorkspaces.description', manifest.capabilities?.untrustedWorkspaces?.description],
    ['contributes.configuration.title', contributes.configuration.title],
  ];
  for (const c of contributes.commands as Command[]) {
    found.push([`command ${c.command} title`, c.title], [`command ${c.command} category`, c.category]);
  }
  for (const [id, s] of Object.entries(contributes.configuration.properties as Record<string, Setting>)) {
    found.push([`setting ${id}`, s.markdownDescription ?? s.description]);
  }
  for (const containers of Object.values(contributes.viewsContainers as Record<string, { id: string; title: string }[]>)) {
    containers.forEach((c) => found.push([`view container ${c.id}`, c.title]));
  }
  for (const views of Object.values(contributes.views as Record<string, { id: string; name: string }[]>)) {
    views.forEach((v) => found.push([`view ${v.id}`, v.name]));
  }
  (contributes.viewsWelcome as { view: string; contents: string }[]).forEach((w) => found.push([`welcome of ${w.view}`, w.contents]));
  (contributes.authentication as { id: string; label: string }[]).forEach((a) => found.push([`authentication ${a.id}`, a.label]));
  (contributes.mcpServerDefinitionProviders as { id: string; label: string }[]).forEach((m) =>
    found.push([`MCP provider ${m.id}`, m.label]),
  );
  for (const w of contributes.walkthroughs as {
    id: string;
    title: string;
    description: string;
    steps: { id: string; title: string; description: string }[];
  }[]) {
    found.push([`walkthrough ${w.id} title`, w.title], [`walkthrough ${w.id} description`, w.description]);
    w.steps.forEach((s) => found.push([`step ${s.id} title`, s.title], [`step ${s.id} description`, s.description]));
  }
  return found;
}

describe('the manifest (package.json)', () => {
  it('takes every user-facing string from package.nls.json', () => {
    const raw = userFacingStrings().filter(([, value]) => typeof value !== 'string' || !/^%[^%]+%$/.test(value));
    assert.deepEqual(raw, [], 'move these strings to package.nls.json and refer to them as %key%');
    const missing = userFacingStrings()
      .map(([, value]) => String(value).slice(1, -1))
      .filter((key) => !(key in nls));
    assert.deepEqual(missing, [], 'these %keys% have no entry in package.nls.json');
  });

  it('has no unused entries in package.nls.json', () => {
    const text = JSON.stringify(manifest);
    assert.deepEqual(
      Object.keys(nls).filter((key) => !text.includes(`"%${key}%"`)),
      [],
    );
  });

  it('gives every command a category, and an icon to every command shown in a menu', () => {
    const commands = new Map((contributes.commands as Command[]).map((c) => [c.command, c]));
    assert.deepEqual(
      [...commands.values()].filter((c) => !c.category).map((c) => c.command),
      [],
    );
    const shown = Object.entries(contributes.menus as Record<string, MenuItem[]>)
      .filter(([menu]) => menu !== 'commandPalette')
      .flatMap(([, items]) => items.map((i) => i.command));
    assert.deepEqual(
      [...new Set(shown)].filter((id) => !commands.get(id)?.icon),
      [],
    );
  });

  it('only refers to declared commands in menus', () => {
    const declared = new Set((contributes.commands as Command[]).map((c) => c.command));
    const referenced = Object.values(contributes.menus as Record<string, MenuItem[]>).flatMap((items) => items.map((i) => i.command));
    assert.deepEqual(
      referenced.filter((id) => !declared.has(id)),
      [],
    );
  });

  it('hides commands that need a key, or an argument, from the palette until they make sense', () => {
    const palette = new Map((contributes.menus.commandPalette as MenuItem[]).map((i) => [i.command, i.when]));
    for (const id of [
      'avala.copyKey',
      'avala.validateKey',
      'avala.removeKey',
      'avala.renameKey',
      'avala.switchKey',
      'avala.mcp.chooseKey',
    ]) {
      assert.match(palette.get(id) ?? '', /avala\.has(Active)?Keys?/, `${id} shows in the palette with no key stored`);
    }
    for (const id of ['avala.setActiveKey', 'avala.copySelectedKey', 'avala.validateSelectedKey', 'avala.mcp.useSelectedKey']) {
      assert.equal(palette.get(id), 'false', `${id} needs a tree item and should not be in the palette`);
    }
  });

  it('gives every setting a type, a default, a description and a scope; settings that steer keys are machine-scoped', () => {
    const settings = contributes.configuration.properties as Record<string, Setting>;
    for (const [id, s] of Object.entries(settings)) {
      assert.ok(s.type, `${id} has no type`);
      assert.notEqual(s.default, undefined, `${id} has no default`);
      assert.ok(s.description ?? s.markdownDescription, `${id} has no description`);
      assert.ok(s.scope, `${id} has no explicit scope`);
    }
    for (const id of [
      'avala.apiBaseUrl',
      'avala.allowInsecureLoopback',
      'avala.missionControlUrl',
      'avala.mcp.enableMutations',
      'avala.mcp.command',
      'avala.mcp.readsBaseUrl',
    ]) {
      assert.equal(settings[id].scope, 'machine', `a workspace must not be able to set ${id}`);
    }
  });

  it("declares avala.mcp.command's default as the command the code falls back to: Avala's published server", () => {
    const settings = contributes.configuration.properties as Record<string, Setting>;
    assert.deepEqual(settings['avala.mcp.command'].default, DEFAULT_MCP_COMMAND);
    assert.deepEqual(DEFAULT_MCP_COMMAND, ['npx', '-y', '@avala-ai/mcp-server']);
    assert.equal(settings['avala.mcp.readsBaseUrl'].default, false);
  });

  it('declares the authentication provider and the MCP server definition provider the code registers', () => {
    assert.deepEqual(
      contributes.authentication.map((a: { id: string }) => a.id),
      ['avala'],
    );
    assert.deepEqual(
      contributes.mcpServerDefinitionProviders.map((m: { id: string }) => m.id),
      ['avala.mcp'],
    );
    assert.ok(manifest.activationEvents.includes('onAuthenticationRequest:avala'));
  });

  it('has a walkthrough of five steps whose media exist and whose command links are declared', () => {
    const [walkthrough] = contributes.walkthroughs as {
      id: string;
      steps: { id: string; description: string; media: { markdown?: string; image?: string } }[];
    }[];
    assert.deepEqual(
      walkthrough.steps.map((s) => s.id),
      ['signIn', 'keysAndScopes', 'statusBar', 'terminalAndDebug', 'keepSafe'],
    );
    const declared = new Set((contributes.commands as Command[]).map((c) => c.command));
    for (const step of walkthrough.steps) {
      const media = step.media.markdown ?? step.media.image;
      assert.ok(media && fs.existsSync(path.join(root, media)), `${step.id}: ${media} is missing`);
      if (step.media.markdown) {
        for (const [, image] of fs.readFileSync(path.join(root, step.media.markdown), 'utf8').matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)) {
          assert.ok(fs.existsSync(path.join(root, path.dirname(step.media.markdown), image)), `${step.id}: image ${image} is missing`);
        }
      }
      const text = nls[step.description.slice(1, -1)];
      for (const [, id] of text.matchAll(/\(command:(avala\.[\w.]+)/g)) {
        assert.ok(declared.has(id) || id === 'avala.keys.focus', `${step.id} links to undeclared command ${id}`);
      }
    }
  });

  it('links the empty Keys view to the walkthrough', () => {
    const welcome = nls[(contributes.viewsWelcome[0].contents as string).slice(1, -1)];
    assert.match(welcome, /command:workbench\.action\.openWalkthrough\?%5B%22avala\.avala-vscode%23avala\.gettingStarted%22/);
  });
});
