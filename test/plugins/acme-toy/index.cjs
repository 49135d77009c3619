const acmePlugins = require('./plugins.shared.cjs');

exports.metadgPlugins = acmePlugins(require('@metadg/core'), require('@tensorflow/tfjs-core'));
