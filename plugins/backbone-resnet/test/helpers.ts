// The backbone test fixtures are shared with backbone-cnn (this package builds on its layers).
export * from '../../backbone-cnn/test/helpers.js';
