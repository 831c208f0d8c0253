/** Which serviceUrls the bot endpoint accepts: Teams' hosts on 443, or a host:port configured exactly (a simulated connector). */
import { serviceUrlAllowed } from '../../src/server/auth/botFrameworkToken';

const teams = ['smba.trafficmanager.net'];

test('Teams hosts on https and port 443 only', () => {
  expect(serviceUrlAllowed('https://smba.trafficmanager.net/emea/', teams)).toBe(true);
  expect(serviceUrlAllowed('https://smba.trafficmanager.net:443/emea/', teams)).toBe(true);
  expect(serviceUrlAllowed('https://smba.trafficmanager.net:8443/emea/', teams)).toBe(false);
  expect(serviceUrlAllowed('http://smba.trafficmanager.net/emea/', teams)).toBe(false);
  expect(serviceUrlAllowed('https://evil.example/emea/', teams)).toBe(false);
});

test('a configured host:port allows that port exactly, over https', () => {
  const sim = [...teams, '127.0.0.1:40123'];
  expect(serviceUrlAllowed('https://127.0.0.1:40123/teams/', sim)).toBe(true);
  expect(serviceUrlAllowed('https://127.0.0.1:40124/teams/', sim)).toBe(false);
  expect(serviceUrlAllowed('https://127.0.0.1/teams/', sim)).toBe(false);
  expect(serviceUrlAllowed('http://127.0.0.1:40123/teams/', sim)).toBe(false);
});
