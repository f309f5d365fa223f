/** Host headers that gave 500 (issue 21), one that carried a path, and others no host name is. */
export const MALFORMED_HOSTS: readonly string[] = [
  "a b",
  "evil.example:99999",
  "[::1",
  "127.0.0.1:8124:1",
  'evil.example"><script>alert(1)</script>',
  "127.0.0.1:8124/source/engine/posterior.ts?",
  "a@b",
  "x#y",
];
