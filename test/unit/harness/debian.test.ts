import * as assert from 'node:assert/strict';
import { BROWSER, CODE_SERVER_BUILD, planDebianInstall, type InstallRights } from '../../harness/debian';

const root: InstallRights = { apt: true, root: true, sudo: false };
const sudo: InstallRights = { apt: true, root: false, sudo: true };
const noSudo: InstallRights = { apt: true, root: false, sudo: false };

describe('setting up a fresh machine: missing Debian packages', () => {
  it('nothing to do when nothing is missing', () => {
    assert.deepEqual(planDebianInstall([], root), { kind: 'none' });
    assert.deepEqual(planDebianInstall([{ packages: [], why: 'x' }], noSudo), { kind: 'none' });
  });

  it('as root: apt-get update, then install only what is missing, after saying what and why', () => {
    const plan = planDebianInstall([{ packages: ['libxkbfile-dev'], why: CODE_SERVER_BUILD.why }], root);
    assert.equal(plan.kind, 'install');
    if (plan.kind !== 'install') return;
    assert.deepEqual(plan.commands, [
      ['apt-get', 'update'],
      ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', 'libxkbfile-dev'],
    ]);
    assert.match(plan.announce, /^Installing missing Debian packages: libxkbfile-dev \(to build code-server's native modules\)\./);
    assert.match(plan.announce, /apt-get update && env DEBIAN_FRONTEND=noninteractive apt-get install -y libxkbfile-dev/);
  });

  it('with a sudo that needs no password: the same commands through sudo -n', () => {
    const plan = planDebianInstall([CODE_SERVER_BUILD, BROWSER], sudo);
    assert.equal(plan.kind, 'install');
    if (plan.kind !== 'install') return;
    assert.deepEqual(plan.commands[0], ['sudo', '-n', 'apt-get', 'update']);
    assert.deepEqual(plan.commands[1].slice(0, 2), ['sudo', '-n']);
    assert.deepEqual(plan.commands[1].slice(-CODE_SERVER_BUILD.packages.length - 1), [...CODE_SERVER_BUILD.packages, 'chromium']);
    assert.match(plan.announce, /chromium \(for the integration and end-to-end tests/);
  });

  it('without root or a password-free sudo: stops and prints the exact line to run', () => {
    const plan = planDebianInstall([{ packages: ['libkrb5-dev', 'pkg-config'], why: CODE_SERVER_BUILD.why }], noSudo);
    assert.equal(plan.kind, 'stop');
    if (plan.kind !== 'stop') return;
    assert.match(plan.message, /\n {2}sudo apt-get update && sudo apt-get install -y libkrb5-dev pkg-config\n/);
    assert.match(plan.message, /as root:\n {2}apt-get update && apt-get install -y libkrb5-dev pkg-config$/);
  });

  it('on a machine without apt-get: stops and names the packages', () => {
    const plan = planDebianInstall([BROWSER], { apt: false, root: true, sudo: false });
    assert.equal(plan.kind, 'stop');
    assert.match(plan.kind === 'stop' ? plan.message : '', /no apt-get.*/);
    assert.match(plan.kind === 'stop' ? plan.message : '', /chromium/);
  });

  it('npm start asks only for what serving VS Code needs: the browser is not among the build packages', () => {
    assert.equal(CODE_SERVER_BUILD.packages.includes('chromium'), false);
    assert.deepEqual(BROWSER.packages, ['chromium']);
  });
});
