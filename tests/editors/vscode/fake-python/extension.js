// The part of the Python extension's API that nnterm uses: environments.getActiveEnvironmentPath / resolveEnvironment.
const vscode = require('vscode');
exports.activate = () => {
  const current = () => vscode.workspace.getConfiguration('fakePython').get('interpreter', '');
  return {
    environments: {
      getActiveEnvironmentPath: () => ({ id: current() || 'none', path: current() }),
      resolveEnvironment: async (env) => (env.path ? { executable: { uri: vscode.Uri.file(env.path) } } : undefined),
    },
  };
};
