import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from './content-security-policy';
import { guardSession } from './session-guard';
import { FakeSession } from './fake-electron';

describe('session guard', () => {
  it('refuses every permission the page could ask for', async () => {
    const session = new FakeSession();
    guardSession(session);
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) {
      expect(await session.requestPermission(permission)).toBe(false);
    }
    for (const permission of ['serial', 'usb', 'hid', 'media']) expect(session.checkPermission(permission)).toBe(false);
    expect(session.deviceHandler?.({ deviceType: 'usb' })).toBe(false);
  });

  it('puts the strict content security policy on every response, replacing any other', async () => {
    const session = new FakeSession();
    guardSession(session);
    const headers = await session.receiveHeaders('file:///app/renderer/index.html', {
      'content-security-policy': ["script-src * 'unsafe-eval'"],
      'Content-Type': ['text/html'],
    });
    expect(headers['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(headers['content-security-policy']).toBeUndefined();
    expect(headers['Content-Type']).toEqual(['text/html']);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-');
  });
});
