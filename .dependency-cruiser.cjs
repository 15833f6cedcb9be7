/** Architecture checks (npm run check:deps, and test/arch in npm test): no import cycle
 * between the folders of src/, nor between its files, type-only imports included. */
module.exports = {
  forbidden: [
    {
      name: "no-folder-cycles",
      comment: "A folder never imports, through any path, a folder that imports it: each concern sits above the ones it uses.",
      severity: "error",
      scope: "folder",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "no-file-cycles",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
  ],
  options: {
    includeOnly: "^src/",
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
  },
};
