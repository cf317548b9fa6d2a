import * as assert from 'node:assert/strict';
import {
  attemptMemo,
  describeAttempts,
  describeKeyHosts,
  findSettingAttempts,
  keySwitch,
  parseJsonc,
  showValue,
} from '../../../../src/security/core/workspaceSettings';

describe('settings a workspace cannot abuse', () => {
  it('finds the machine settings a .vscode/settings.json tries to set, comments and trailing commas included', () => {
    const text = `{
      // point the extension somewhere else
      "avala.apiBaseUrl": "https://evil.example/api/v1", /* and */
      "avala.allowInsecureLoopback": true,
      "avala.keyRotationDays": 30,
      "editor.tabSize": 2,
    }`;
    assert.deepEqual(findSettingAttempts(text, '.vscode/settings.json'), [
      { setting: 'avala.apiBaseUrl', value: 'https://evil.example/api/v1', source: '.vscode/settings.json' },
      { setting: 'avala.allowInsecureLoopback', value: true, source: '.vscode/settings.json' },
    ]);
  });

  it('reads a .code-workspace file under its "settings" key, and a nested "avala" object', () => {
    const text = '{ "folders": [{ "path": "." }], "settings": { "avala": { "missionControlUrl": "https://phish.example" } } }';
    assert.deepEqual(findSettingAttempts(text, 'team.code-workspace', { workspaceFile: true }), [
      { setting: 'avala.missionControlUrl', value: 'https://phish.example', source: 'team.code-workspace' },
    ]);
  });

  it('finds nothing in an unrelated, empty or broken file', () => {
    assert.deepEqual(findSettingAttempts('{"editor.tabSize": 4}', 's'), []);
    assert.deepEqual(findSettingAttempts('', 's'), []);
    assert.deepEqual(findSettingAttempts('{ "avala.apiBaseUrl": ', 's'), []);
  });

  it('keeps // inside strings when stripping comments', () => {
    assert.deepEqual(parseJsonc('{"u": "https://a.example//x" // c\n}'), { u: 'https://a.example//x' });
  });

  it('says what was ignored and why, without credentials or keys from the value', () => {
    const message = describeAttempts([
      {
        setting: 'avala.apiBaseUrl',
        value: 'https://user:pa55@evil.example/api/v1?k=avk_b12c82c05dd70f07be32af2818e838471eef6507',
        source: '.vscode/settings.json',
      },
      { setting: 'avala.allowInsecureLoopback', value: true, source: '.vscode/settings.json' },
    ]);
    assert.match(message, /avala\.apiBaseUrl = "https:\/\/evil\.example\/api\/v1\?k=\[REDACTED\]"/);
    assert.match(message, /avala\.allowInsecureLoopback = "true"/);
    assert.match(message, /^This workspace's settings \(\.vscode\/settings\.json\) try to set/);
    assert.match(message, /ignores them/);
    assert.doesNotMatch(message, /pa55|b12c82/);
    assert.ok(showValue('x'.repeat(500)).length <= 80);
  });

  it('names each file when the attempts come from several', () => {
    const message = describeAttempts([
      { setting: 'avala.apiBaseUrl', value: 'https://a.example', source: 'a/.vscode/settings.json' },
      { setting: 'avala.missionControlUrl', value: 'https://b.example', source: 'team.code-workspace' },
    ]);
    assert.match(
      message,
      /avala\.apiBaseUrl = "https:\/\/a\.example" \(in a\/\.vscode\/settings\.json\) and avala\.missionControlUrl = "https:\/\/b\.example" \(in team\.code-workspace\)/,
    );
  });

  it('remembers an attempt by setting and value, so a new value is told again', () => {
    const hash = (t: string) => `h(${t})`;
    const a = attemptMemo({ setting: 'avala.apiBaseUrl', value: 'https://a', source: 's' }, hash);
    const b = attemptMemo({ setting: 'avala.apiBaseUrl', value: 'https://b', source: 'other' }, hash);
    assert.notEqual(a, b);
    assert.equal(a, attemptMemo({ setting: 'avala.apiBaseUrl', value: 'https://a', source: 'elsewhere' }, hash));
  });

  it('after the base URL changes, lists which keys belong to which host', () => {
    const text = describeKeyHosts(
      [
        { label: 'ci-pipeline', baseUrl: 'https://api.avala.ai/api/v1' },
        { label: 'prod', baseUrl: 'https://api.avala.ai/api/v1' },
        { label: 'local', baseUrl: 'http://127.0.0.1:4010/api/v1' },
      ],
      'http://127.0.0.1:4010/api/v1',
      'ci-pipeline',
    );
    assert.match(text, /^Avala now talks to 127\.0\.0\.1:4010\./);
    assert.match(text, /2 keys for api\.avala\.ai, 1 key for 127\.0\.0\.1:4010 \(the new API\)/);
    assert.match(text, /The active key "ci-pipeline" belongs to api\.avala\.ai and is still sent only there\./);
  });
});

describe('switches that hand keys out: a workspace may turn them off, never on', () => {
  const cases: [string, Parameters<typeof keySwitch>[0], boolean][] = [
    ['nothing set: the default', { defaultValue: true }, true],
    ['the user turned it off', { defaultValue: true, globalValue: false }, false],
    ['the user turned it off, the workspace tries to turn it on', { defaultValue: true, globalValue: false, workspaceValue: true }, false],
    ['a folder tries to turn it on against the user', { defaultValue: true, globalValue: false, workspaceFolderValue: true }, false],
    ['the workspace turns it off', { defaultValue: true, workspaceValue: false }, false],
    ['the user has it on, a folder turns it off', { defaultValue: true, globalValue: true, workspaceFolderValue: false }, false],
    ['the user has it on, the workspace agrees', { defaultValue: true, globalValue: true, workspaceValue: true }, true],
    ['a default of false stays off whatever the workspace says', { defaultValue: false, workspaceValue: true }, false],
  ];
  for (const [name, inspected, expected] of cases) {
    it(`${name}: ${expected ? 'on' : 'off'}`, () => {
      assert.equal(keySwitch(inspected, true), expected);
    });
  }

  it('falls back when VS Code reports nothing', () => {
    assert.equal(keySwitch(undefined, true), true);
    assert.equal(keySwitch(undefined, false), false);
  });
});
