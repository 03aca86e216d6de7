import { describe, expect, it } from 'vitest';
import { E } from '../../../shared/errors';
import { DeploymentBaseSchema, ddiTime, feedbackCode, parseDdi, pollingSleepMs } from './ddi-schemas';

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

describe('DDI documents', () => {
  it('reads the polling interval as HH:MM:SS and refuses anything else', () => {
    expect(pollingSleepMs('12:00:00')).toBe(12 * 3600_000);
    expect(pollingSleepMs('00:05:30')).toBe(330_000);
    for (const bad of ['5:00', '00:60:00', '00:00:5', '', 'soon']) expect(() => pollingSleepMs(bad)).toThrow(expect.objectContaining({ code: E.BACKEND_BAD_RESPONSE.code }));
  });

  it('writes the feedback time and our code the way the DDI API takes them', () => {
    expect(ddiTime(Date.UTC(2020, 3, 5, 2, 3, 14))).toBe('20200405T020314');
    expect(feedbackCode('ZUC-4002')).toBe(4002);
    expect(feedbackCode('ZUC-0000')).toBe(0);
  });

  it('parses the documented deployment and refuses one whose hash is not hex of the right length', () => {
    const deployment = {
      id: '8',
      deployment: {
        download: 'forced',
        update: 'attempt',
        maintenanceWindow: 'available',
        chunks: [
          {
            part: 'jvm',
            version: '1.0.75',
            name: 'oneapp runtime',
            artifacts: [
              {
                filename: 'binary.tgz',
                hashes: { sha1: 'a'.repeat(40), md5: 'B'.repeat(32), sha256: 'C'.repeat(64) },
                size: 13,
                _links: { download: { href: 'https://example.com/a' }, 'download-http': { href: 'http://example.com/a' } },
              },
            ],
          },
        ],
      },
      actionHistory: { status: 'RUNNING', messages: [] },
    };
    const parsed = parseDdi(DeploymentBaseSchema, json(deployment), 'deployment');
    expect(parsed.deployment.chunks[0]!.artifacts[0]!.hashes).toEqual({ sha1: 'a'.repeat(40), md5: 'b'.repeat(32), sha256: 'c'.repeat(64) });
    const broken = structuredClone(deployment);
    broken.deployment.chunks[0]!.artifacts[0]!.hashes.sha256 = 'c'.repeat(63);
    expect(() => parseDdi(DeploymentBaseSchema, json(broken), 'deployment')).toThrow(expect.objectContaining({ code: E.BACKEND_BAD_RESPONSE.code, message: expect.stringContaining('sha256') }));
    const update = structuredClone(deployment);
    update.deployment.update = 'later';
    expect(() => parseDdi(DeploymentBaseSchema, json(update), 'deployment')).toThrow(expect.objectContaining({ code: E.BACKEND_BAD_RESPONSE.code }));
    expect(() => parseDdi(DeploymentBaseSchema, Buffer.from('{"id":'), 'deployment')).toThrow(expect.objectContaining({ code: E.BACKEND_BAD_RESPONSE.code, message: expect.stringContaining('not JSON') }));
  });
});
