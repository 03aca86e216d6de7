import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isOwnPageUrl } from './app-origin';
import { isAllowedExternalUrl } from './external-links';

describe('own page origin', () => {
  const rendererDir = '/opt/zuc/renderer';
  it('accepts files inside the renderer folder', () => {
    expect(isOwnPageUrl(pathToFileURL('/opt/zuc/renderer/index.html').href, rendererDir)).toBe(true);
    expect(isOwnPageUrl('file:///opt/zuc/renderer/index.html#/jobs', rendererDir)).toBe(true);
  });
  it('refuses other files, other schemes and tricks', () => {
    expect(isOwnPageUrl('file:///opt/zuc/renderer-evil/index.html', rendererDir)).toBe(false);
    expect(isOwnPageUrl('file:///opt/zuc/renderer/../secret.html', rendererDir)).toBe(false);
    expect(isOwnPageUrl('file:///opt/zuc/renderer', rendererDir)).toBe(false);
    expect(isOwnPageUrl('file://otherhost/opt/zuc/renderer/index.html', rendererDir)).toBe(false);
    expect(isOwnPageUrl('http://127.0.0.1/opt/zuc/renderer/index.html', rendererDir)).toBe(false);
    expect(isOwnPageUrl('devtools://devtools/bundled/inspector.html', rendererDir)).toBe(false);
    expect(isOwnPageUrl('not a url', rendererDir)).toBe(false);
  });
});

describe('external link allow-list', () => {
  it('allows only https to the listed hosts', () => {
    expect(isAllowedExternalUrl('https://support.zte.com.cn/x')).toBe(true);
    expect(isAllowedExternalUrl('http://support.zte.com.cn/x')).toBe(false);
    expect(isAllowedExternalUrl('https://support.zte.com.cn.evil.example/')).toBe(false);
    expect(isAllowedExternalUrl('https://user:pw@support.zte.com.cn/')).toBe(false);
    expect(isAllowedExternalUrl('file:///bin/sh')).toBe(false);
    expect(isAllowedExternalUrl('smb://support.zte.com.cn/share')).toBe(false);
  });
});
