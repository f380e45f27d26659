import { describe, expect, it } from 'vitest';
import { isAtLeast, parseVersion, requireSupportedVersion, UnsupportedClickHouseError } from './version.js';

describe('the ClickHouse version check', () => {
  it('reads the numbers of a version', () => {
    expect(parseVersion('26.9.2.1')).toEqual([26, 9, 2, 1]);
    expect(parseVersion('24.8.14.39 (official build)')).toEqual([24, 8, 14, 39]);
    expect(parseVersion('')).toBeUndefined();
    expect(parseVersion('unknown')).toBeUndefined();
  });

  it('accepts 24.8 and every later release', () => {
    for (const version of ['24.8', '24.8.1.2684', '24.10.1.1', '25.3.2.39', '26.9.2.1', '100.1']) {
      expect(isAtLeast(version), version).toBe(true);
      expect(() => requireSupportedVersion(version)).not.toThrow();
    }
  });

  it('refuses older releases with a 503 error that names the version found and the one required', () => {
    for (const version of ['18.16.1', '24.3.5.46', '24.7.9.9', '23.12.1.1', '9.9', 'garbage']) {
      expect(isAtLeast(version), version).toBe(false);
      let error: unknown;
      try {
        requireSupportedVersion(version);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(UnsupportedClickHouseError);
      const failure = error as UnsupportedClickHouseError;
      expect(failure.status).toBe(503);
      expect(failure.code).toBe('service_unavailable');
      expect(failure.message).toContain(`ClickHouse ${version} is too old`);
      expect(failure.message).toContain('24.8 or newer');
    }
  });
});
