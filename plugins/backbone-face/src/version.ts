/** Version of every plugin in this package (kept equal to package.json's). */
export const PLUGIN_VERSION = '0.1.0';
