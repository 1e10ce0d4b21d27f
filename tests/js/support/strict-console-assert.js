// Preloaded (node --import) into the README example: Node's console.assert only
// prints, so a failed check would still exit 0. Here it throws instead.
const print = console.assert.bind(console);
console.assert = (condition, ...data) => {
  if (condition) return;
  print(condition, ...data);
  throw new Error(`console.assert failed${data.length ? `: ${data.join(" ")}` : ""}`);
};
