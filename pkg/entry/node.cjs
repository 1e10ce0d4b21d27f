// Node, CommonJS: require("pandora-mq") gives the same module as `import`
// (Node >= 20.19 loads an ES module through require), so both share one wasm.
module.exports = require("./node.js");
