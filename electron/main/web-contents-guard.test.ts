import { describe, expect, it } from 'vitest';
import { guardWebContents } from './web-contents-guard';
import { FakeShell, FakeWebContents } from './fake-electron';

function guarded() {
  const contents = new FakeWebContents();
  const shell = new FakeShell();
  const log: string[] = [];
  guardWebContents(contents, { shell, log: (line) => log.push(line) });
  return { contents, shell, log };
}

describe('web contents guard', () => {
  it('keeps the window on the console page: navigation and redirects are refused', () => {
    const { contents, shell, log } = guarded();
    expect(contents.navigate('https://evil.example/phish')).toBe(false);
    expect(contents.navigate('file:///etc/passwd')).toBe(false);
    expect(contents.redirect('http://127.0.0.1:8080/')).toBe(false);
    expect(shell.opened).toEqual([]);
    expect(log.join('\n')).toContain('https://evil.example/phish');
  });

  it('denies every new window', () => {
    const { contents, shell } = guarded();
    expect(contents.windowOpen('https://evil.example/')).toBe('deny');
    expect(contents.windowOpen('about:blank')).toBe('deny');
    expect(shell.opened).toEqual([]);
  });

  it('opens an allow-listed https link in the user browser instead of the window', async () => {
    const { contents, shell } = guarded();
    expect(contents.windowOpen('https://support.zte.com.cn/manual')).toBe('deny');
    expect(contents.navigate('https://www.zte.com.cn/')).toBe(false);
    await expect.poll(() => shell.opened).toEqual(['https://support.zte.com.cn/manual', 'https://www.zte.com.cn/']);
  });

  it('refuses <webview> tags', () => {
    const { contents } = guarded();
    expect(contents.attachWebview()).toBe(false);
  });
});
