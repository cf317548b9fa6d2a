import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { BROWSER, ensureDebianPackages } from './debian';
import { removeTempDir, trackTempDir, untrackTempDir } from './processes';
import { withTimeout } from './wait';

export const CHROMIUM = '/usr/bin/chromium';

export interface BrowserSession {
  context: BrowserContext;
  /** The first tab. */
  page: Page;
  /**
   * The Chromium profile. The web workbench keeps globalState and other storage in its
   * IndexedDB, so a leak audit must search this folder too.
   */
  profileDir: string;
  /** Closes Chromium and removes the profile unless it was passed in (or `keep`). */
  close(options?: { keep?: boolean }): Promise<void>;
}

/** Headless Debian Chromium with a persistent profile folder, 1400x900. */
export async function launchBrowser(options: { profileDir?: string } = {}): Promise<BrowserSession> {
  if (!fs.existsSync(CHROMIUM)) {
    await ensureDebianPackages(BROWSER);
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} not found although the chromium package is installed`);
    }
  }
  const ownProfile = options.profileDir === undefined;
  const profileDir = options.profileDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'avala-chromium-'));
  if (ownProfile) {
    trackTempDir(profileDir);
  }
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-dev-shm-usage'],
    timeout: 60_000,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    profileDir,
    close: async ({ keep = false } = {}) => {
      await withTimeout(context.close(), 15_000, 'Chromium to close').catch(() => undefined);
      if (!ownProfile) {
        return;
      }
      if (keep || process.env.AVALA_KEEP_TEMP === '1') {
        untrackTempDir(profileDir);
      } else {
        removeTempDir(profileDir);
      }
    },
  };
}
