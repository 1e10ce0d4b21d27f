// Node, CommonJS: require()s the package by name (require of an ES module,
// unflagged since Node 20.19 and 22.12).
const pkg = require("pandora-mq");
const { roundTrip } = require("./round-trip.js");

roundTrip(pkg, `node ${process.version}`).then((result) => {
  console.log(JSON.stringify({ ...result, entry: require.resolve("pandora-mq") }));
});
