// Mocha entry loaded by VS Code as extensionTestsPath (the workbench's test payload); see tests/editors/vscode/.
import * as path from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const Mocha = require('mocha');

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60000, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, path.join(__dirname, 'extension.test.js'), mocha);
  require('./extension.test'); // bundled; evaluated here, after mocha's globals exist
  return new Promise((resolve, reject) => {
    mocha.run((failures: number) => (failures > 0 ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
}
