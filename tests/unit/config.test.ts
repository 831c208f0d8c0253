import { ConfigError, loadConfig } from '../../src/config/env';

describe('environment configuration', () => {
  it('defaults to local mode with the documented ports', () => {
    const c = loadConfig({}, '/srv/app');
    expect(c.mode).toBe('local');
    expect(c.port).toBe(3978);
    expect(c.publicUrl).toBe('http://localhost:3978');
    expect(c.dataDir).toBe('/srv/app/.data');
    expect(c.env.PT_MODE === 'local' && c.env.PT_PLAYGROUND_PORT).toBe(56150);
  });

  it('names the bad variable and its value', () => {
    expect(() => loadConfig({ PT_PORT: 'eighty' })).toThrow(ConfigError);
    try {
      loadConfig({ PT_PORT: '99999', PT_LOG_LEVEL: 'loud' });
    } catch (e) {
      const msg = (e as Error).message;
      expect(msg).toMatch(/PT_PORT \("99999"\)/);
      expect(msg).toMatch(/PT_LOG_LEVEL \("loud"\)/);
    }
  });

  it('refuses an unknown mode', () => {
    expect(() => loadConfig({ PT_MODE: 'cloud' })).toThrow(/PT_MODE/);
  });

  it('requires the tenant settings in tenant mode, hiding secrets', () => {
    let message = '';
    try {
      loadConfig({ PT_MODE: 'tenant', TENANT_ID: 'not-a-guid', CLIENT_SECRET: 's3cret!' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/TENANT_ID \("not-a-guid"\): must be a GUID/);
    expect(message).toMatch(/CLIENT_ID \(not set\)/);
    expect(message).toMatch(/SHAREPOINT_SITE_URL/);
    expect(message).toMatch(/PEOPLE_GROUP_ID \(not set\)/);
    expect(message).toMatch(/PT_PUBLIC_URL/);
    expect(message).not.toMatch(/s3cret/);
  });

  it('accepts a complete tenant configuration', () => {
    const c = loadConfig({
      PT_MODE: 'tenant',
      PT_PUBLIC_URL: 'https://pt.contoso.example',
      TENANT_ID: '11111111-2222-3333-4444-555555555555',
      CLIENT_ID: '66666666-7777-8888-9999-000000000000',
      CLIENT_SECRET: 'x',
      APPLICATION_ID_URI: 'api://pt.contoso.example/66666666-7777-8888-9999-000000000000',
      SHAREPOINT_SITE_URL: 'https://contoso.sharepoint.com/sites/pt',
      PEOPLE_GROUP_ID: '77777777-7777-4777-8777-777777777777',
      TEAMS_APP_ID: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    });
    expect(c.mode).toBe('tenant');
    expect(c.publicUrl).toBe('https://pt.contoso.example');
  });

  it('requires a secret or a certificate in tenant mode', () => {
    expect(() =>
      loadConfig({
        PT_MODE: 'tenant',
        PT_PUBLIC_URL: 'https://pt.contoso.example',
        TENANT_ID: '11111111-2222-3333-4444-555555555555',
        CLIENT_ID: '66666666-7777-8888-9999-000000000000',
        APPLICATION_ID_URI: 'api://x',
        SHAREPOINT_SITE_URL: 'https://contoso.sharepoint.com/sites/pt',
        PEOPLE_GROUP_ID: '77777777-7777-4777-8777-777777777777',
        TEAMS_APP_ID: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      }),
    ).toThrow(/CLIENT_SECRET.*CLIENT_CERTIFICATE_PATH/);
  });
});
