import * as assert from 'node:assert/strict';
import { findKeyAssignments, historyAdvice, RecheckGate, RefusalWatcher, shellKind } from '../../../../src/tripwire/core/commandLine';

const AVK = 'avk_3f9a1c7e5b2d4068a1c3e5f7b9d2c4e6a8f0b1d3';
const HEX = '0f1e2d3c4b5a69788796a5b4c3d2e1f00a1b2c3d';
const OTHER = 'avk_9b8a7c6d5e4f30211203f4e5d6c7b8a9a0b1c2d3';

const found = (line: string) => findKeyAssignments(line).map((a) => `${a.name}=${a.value}`);

describe("the terminal tripwire's command-line matcher", () => {
  describe('bash and zsh', () => {
    it('finds export, a prefix assignment before a program and env', () => {
      assert.deepEqual(found(`export AVALA_API_KEY=${AVK}`), [`AVALA_API_KEY=${AVK}`]);
      assert.deepEqual(found(`AVALA_API_KEY=${AVK} python ingest.py`), [`AVALA_API_KEY=${AVK}`]);
      assert.deepEqual(found(`env AVALA_API_KEY=${AVK} node x.js`), [`AVALA_API_KEY=${AVK}`]);
      assert.deepEqual(found(`declare -x AVALA_API_KEY=${HEX}`), [`AVALA_API_KEY=${HEX}`]);
      assert.deepEqual(found(`cd app && AVALA_API_KEY=${AVK} make`), [`AVALA_API_KEY=${AVK}`]);
    });

    it('finds keys in double and single quotes', () => {
      assert.deepEqual(found(`export AVALA_API_KEY="${AVK}"`), [`AVALA_API_KEY=${AVK}`]);
      assert.deepEqual(found(`export AVALA_API_KEY='${HEX}'`), [`AVALA_API_KEY=${HEX}`]);
    });

    it('finds every assignment of several on one line, under any name for an avk_ key', () => {
      assert.deepEqual(found(`export AVALA_API_KEY=${AVK} STAGING_TOKEN=${OTHER}`), [`AVALA_API_KEY=${AVK}`, `STAGING_TOKEN=${OTHER}`]);
      assert.deepEqual(found(`A=1 AVALA_API_KEY=${AVK} B=2 ./run`), [`AVALA_API_KEY=${AVK}`]);
    });

    it('does not fire on reads of the variable, placeholders, short values or a 40-hex hash under another name', () => {
      assert.deepEqual(found('echo $AVALA_API_KEY'), []);
      assert.deepEqual(found('export AVALA_API_KEY=$AVALA_API_KEY'), []);
      assert.deepEqual(found('export AVALA_API_KEY="${AVALA_API_KEY:-}"'), []);
      assert.deepEqual(found('curl -H "X-Avala-Api-Key: $AVALA_API_KEY" https://api.avala.ai/api/v1/agents'), []);
      assert.deepEqual(found('export AVALA_API_KEY=avk_your_api_key'), []);
      assert.deepEqual(found('export AVALA_API_KEY=avk_xxxxxxxxxxxxxxxxxxxxxxxx'), []);
      assert.deepEqual(found(`GIT_COMMIT=${HEX} make`), []);
      assert.deepEqual(found('unset AVALA_API_KEY'), []);
    });
  });

  describe('fish', () => {
    it('finds set -x, set -gx, set -Ux and set --export, quoted or not', () => {
      assert.deepEqual(found(`set -x AVALA_API_KEY ${AVK}`), [`AVALA_API_KEY=${AVK}`]);
      assert.deepEqual(found(`set -gx AVALA_API_KEY "${AVK}"`), [`AVALA_API_KEY=${AVK}`]);
      assert.deepEqual(found(`set -Ux AVALA_API_KEY '${HEX}'`), [`AVALA_API_KEY=${HEX}`]);
      assert.deepEqual(found(`set --export --global AVALA_API_KEY ${AVK}`), [`AVALA_API_KEY=${AVK}`]);
    });

    it('does not fire on set -e, set -q or a read of the variable', () => {
      assert.deepEqual(found('set -e AVALA_API_KEY'), []);
      assert.deepEqual(found('set -q AVALA_API_KEY; and echo yes'), []);
      assert.deepEqual(found('set -gx OTHER $AVALA_API_KEY'), []);
    });
  });

  describe('PowerShell', () => {
    it('finds $env: assignments, plain variables, Set-Item and SetEnvironmentVariable', () => {
      assert.deepEqual(found(`$env:AVALA_API_KEY = "${AVK}"`), [`AVALA_API_KEY=${AVK}`]);
      assert.deepEqual(found(`$Env:AVALA_API_KEY='${HEX}'`), [`AVALA_API_KEY=${HEX}`]);
      assert.deepEqual(found(`$apiKey = "${AVK}"; python x.py`), [`apiKey=${AVK}`]);
      assert.deepEqual(found(`Set-Item -Path env:AVALA_API_KEY -Value "${AVK}"`), [`AVALA_API_KEY=${AVK}`]);
      assert.deepEqual(found(`[Environment]::SetEnvironmentVariable("AVALA_API_KEY", "${AVK}", "User")`), [`AVALA_API_KEY=${AVK}`]);
    });

    it('does not fire on reads of the variable', () => {
      assert.deepEqual(found('$key = $env:AVALA_API_KEY'), []);
      assert.deepEqual(found('Write-Host $env:AVALA_API_KEY'), []);
      assert.deepEqual(found('$env:AVALA_API_KEY = $null'), []);
    });
  });

  it('ignores an empty or enormous command line', () => {
    assert.deepEqual(found(''), []);
    assert.deepEqual(found(`export AVALA_API_KEY=${AVK} ${'x'.repeat(70_000)}`), []);
  });
});

describe('the shell a terminal runs', () => {
  it("comes from VS Code's shell type, else the shell path", () => {
    assert.equal(shellKind('bash'), 'bash');
    assert.equal(shellKind('zsh'), 'zsh');
    assert.equal(shellKind(undefined, '/bin/zsh'), 'zsh');
    assert.equal(shellKind('fish'), 'fish');
    assert.equal(shellKind('pwsh'), 'pwsh');
    assert.equal(shellKind(undefined, '/usr/bin/fish'), 'fish');
    assert.equal(shellKind(undefined, 'C:\\Program Files\\PowerShell\\7\\pwsh.exe'), 'pwsh');
    assert.equal(shellKind(undefined, undefined), 'unknown');
  });

  it('decides how to remove a command from its history', () => {
    assert.match(historyAdvice('bash', 'AVALA_API_KEY'), /“history -d <number>”.*“history -w”.*“unset AVALA_API_KEY”/);
    assert.match(historyAdvice('zsh', 'AVALA_API_KEY'), /fc -W.*HISTFILE/);
    assert.match(historyAdvice('fish', 'AVALA_API_KEY'), /“history delete --contains AVALA_API_KEY”.*“set -e AVALA_API_KEY”/);
    assert.match(historyAdvice('pwsh', 'AVALA_API_KEY'), /Clear-History.*HistorySavePath.*Remove-Item env:AVALA_API_KEY/);
    assert.match(historyAdvice('unknown', 'TOKEN'), /history.*unset TOKEN/);
  });
});

describe("the refusal watcher on a command's output", () => {
  it("sees each of the seed's 401 answers, through colour escapes and split across chunks", () => {
    for (const detail of ['Invalid API key.', 'API key has expired.', 'Authentication credentials were not provided.']) {
      const watcher = new RefusalWatcher();
      const json = `{"detail": "${detail}"}`;
      const middle = Math.floor(json.length / 2);
      assert.equal(watcher.push('HTTP/1.1 401 Unauthorized\r\n\u001b[31m'), false);
      assert.equal(watcher.push(json.slice(0, middle)), false);
      assert.equal(watcher.push(json.slice(middle) + '\u001b[0m'), true, detail);
    }
    const coloured = new RefusalWatcher();
    assert.equal(coloured.push('Invalid \u001b[1mAPI\u001b[0m key.'), true);
  });

  it('stays quiet on other output, a 403 and a 429', () => {
    const watcher = new RefusalWatcher();
    assert.equal(watcher.push('You do not have permission to perform this action.'), false);
    assert.equal(watcher.push('Request was throttled. Expected available in 3 seconds.'), false);
    assert.equal(watcher.push('Invalid API'), false);
    assert.equal(watcher.refused, false);
  });
});

describe('the re-check gate', () => {
  it('allows one re-check a minute', () => {
    const gate = new RecheckGate(60_000);
    assert.equal(gate.allow(1_000), true);
    assert.equal(gate.allow(30_000), false);
    assert.equal(gate.allow(60_999), false);
    assert.equal(gate.allow(61_000), true);
  });
});
